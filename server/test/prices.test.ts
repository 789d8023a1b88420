import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../src/kernel/audit/audit.tables.js';
import { parseYuan } from '../src/kernel/money.js';
import { normaliseName } from '../src/kernel/names.js';
import { searchText } from '../src/kernel/pinyin.js';
import { customers } from '../src/modules/customers/customers.tables.js';
import { resolvePrice } from '../src/modules/products/price-resolution.js';
import { Client, setupTest, userIdOf } from './support.js';

let t: Awaited<ReturnType<typeof setupTest>>;
let office: Client;
let rep: Client;
let productId: number;
const customer: Record<string, number> = {};
const priceIds: Record<string, number> = {};

async function makeCustomer(code: string, name: string, type: 'hospital' | 'pharmacy' | 'clinic' | 'distributor', territoryPath: string, owner: string) {
  const territoryId = territoryPath.split('/').filter(Boolean).at(-1)!;
  const [row] = await t.db
    .insert(customers)
    .values({ code, name, nameKey: normaliseName(name), type, territoryId, territoryPath, searchText: searchText(name) + `|${code.toLowerCase()}`, ownerId: await userIdOf(t.db, owner) })
    .returning({ id: customers.id });
  return row.id;
}

const price = (over: Record<string, unknown>) => ({ productId, validFrom: '2026-01-01', validTo: null, ...over });

async function add(key: string, body: Record<string, unknown>) {
  const res = await office.post('/api/prices', price(body));
  expect(res.statusCode, res.body).toBe(200);
  priceIds[key] = res.json().id;
  return res.json();
}

const resolve = (client: Client, customerId: number, on: string) => client.get(`/api/prices/resolve?customerId=${customerId}&productId=${productId}&on=${on}`);

beforeAll(async () => {
  t = await setupTest({ demo: true });
  office = await Client.as(t.app, 'office');
  rep = await Client.as(t.app, 'rep');
  productId = (
    await office.post('/api/products', {
      code: 'T-PRICE', genericName: '盐酸二甲双胍片', dosageForm: 'tablet', specification: '0.5g*20片', packageUnit: 'box', unitsPerPackage: 20,
      approvalNumber: '国药准字H20023370', manufacturer: '价格测试制药', storageCondition: 'normal', prescriptionClass: 'rx', reimbursementClass: 'class_a',
    })
  ).json().id;
  customer.tianhe = await makeCustomer('T0001', '广州天河测试医院', 'hospital', '/440000/440100/440106/', 'rep_gd');
  customer.pharmacy = await makeCustomer('T0002', '广州测试大药房', 'pharmacy', '/440000/440100/440106/', 'rep_gd');
  customer.shanghai = await makeCustomer('T0003', '上海黄浦测试医院', 'hospital', '/310000/310101/', 'rep');
  customer.shenzhen = await makeCustomer('T0004', '深圳测试诊所', 'clinic', '/440000/440300/', 'rep_gd');

  await add('exFactory', { kind: 'ex_factory', amountFen: '1000' });
  await add('tenderGd', { kind: 'tender', amountFen: '1200', territoryId: '440000', tenderName: '广东省2026年药品集中采购', validTo: '2026-12-31' });
  await add('typeHospital', { kind: 'supply', amountFen: '1300', customerType: 'hospital' });
  await add('regionGd', { kind: 'supply', amountFen: '1400', territoryId: '440000' });
  await add('regionGz', { kind: 'supply', amountFen: '1450', territoryId: '440100' });
  await add('regionTypeGz', { kind: 'supply', amountFen: '1500', territoryId: '440100', customerType: 'hospital' });
  await add('named', { kind: 'supply', amountFen: '1600', customerId: customer.tianhe, validFrom: '2026-03-01', validTo: '2026-03-31' });
  await add('retail', { kind: 'retail_guide', amountFen: '2500' });
});
afterAll(() => t.close());

describe('price resolution', () => {
  it('prefers the named customer’s price, only within its dates (first and last day included)', async () => {
    const mid = (await resolve(office, customer.tianhe, '2026-03-15')).json();
    expect(mid).toMatchObject({ found: true, amountFen: '1600', source: { priceId: priceIds.named, kind: 'supply', rule: 'named_customer' } });
    expect(mid.candidates.map((c: { rule: string }) => c.rule)).toEqual(['named_customer', 'region_and_type', 'region', 'region', 'customer_type', 'tender', 'ex_factory']);
    expect((await resolve(office, customer.tianhe, '2026-03-01')).json().source.rule).toBe('named_customer');
    expect((await resolve(office, customer.tianhe, '2026-03-31')).json().source.rule).toBe('named_customer');
    expect((await resolve(office, customer.tianhe, '2026-02-28')).json().source.rule).toBe('region_and_type');
    expect((await resolve(office, customer.tianhe, '2026-04-01')).json().source.rule).toBe('region_and_type');
  });

  it('walks down the precedence as each level goes away: region and type > city > province > type > tender > ex-factory', async () => {
    const on = '2026-06-01';
    const step = async (expected: { amountFen: string; rule: string; priceId: number }, remove?: string) => {
      const r = (await resolve(office, customer.tianhe, on)).json();
      expect(r.source, JSON.stringify(r.candidates)).toMatchObject({ rule: expected.rule, priceId: expected.priceId });
      expect(r.amountFen).toBe(expected.amountFen);
      if (remove) expect((await office.delete(`/api/prices/${priceIds[remove]}`)).statusCode).toBe(204);
    };
    // A pharmacy in the same district never gets the hospital or tender prices.
    expect((await resolve(office, customer.pharmacy, on)).json().source).toMatchObject({ rule: 'region', priceId: priceIds.regionGz });
    // A clinic in Shenzhen: no city price there, so the province price; the province covers its cities.
    expect((await resolve(office, customer.shenzhen, on)).json().source).toMatchObject({ rule: 'region', priceId: priceIds.regionGd });
    await step({ amountFen: '1500', rule: 'region_and_type', priceId: priceIds.regionTypeGz }, 'regionTypeGz');
    await step({ amountFen: '1450', rule: 'region', priceId: priceIds.regionGz }, 'regionGz');
    await step({ amountFen: '1400', rule: 'region', priceId: priceIds.regionGd }, 'regionGd');
    await step({ amountFen: '1300', rule: 'customer_type', priceId: priceIds.typeHospital }, 'typeHospital');
    await step({ amountFen: '1200', rule: 'tender', priceId: priceIds.tenderGd });
    // The pharmacy is no tender terminal: ex-factory.
    expect((await resolve(office, customer.pharmacy, on)).json().source).toMatchObject({ rule: 'ex_factory', priceId: priceIds.exFactory });
    // Tender prices end with 2026; the open-ended ex-factory price goes on.
    expect((await resolve(office, customer.tianhe, '2027-01-01')).json().source).toMatchObject({ rule: 'ex_factory', amountFen: '1000' });
    expect((await resolve(office, customer.tianhe, '2040-01-01')).json().source.rule).toBe('ex_factory');
    // A hospital in Shanghai has no tender price there: ex-factory.
    expect((await resolve(office, customer.shanghai, on)).json().source.rule).toBe('ex_factory');
  });

  it('answers NO_PRICE (found: false) before any price is valid', async () => {
    const r = (await resolve(office, customer.tianhe, '2025-12-31')).json();
    expect(r).toMatchObject({ found: false, amountFen: null, source: null, candidates: [] });
    const direct = await resolvePrice(t.db, { customerId: customer.tianhe, productId, on: '2025-12-31' });
    expect(direct.found).toBe(false);
  });

  it('resolves only for customers in the caller’s data scope (404 otherwise) and only for price readers (403)', async () => {
    expect((await resolve(rep, customer.shanghai, '2026-06-01')).statusCode).toBe(200);
    const outside = await resolve(rep, customer.tianhe, '2026-06-01');
    expect(outside.statusCode).toBe(404);
    expect(outside.json().error.code).toBe('NOT_FOUND');
    const logistics = await Client.as(t.app, 'logistics');
    expect((await resolve(logistics, customer.shanghai, '2026-06-01')).statusCode).toBe(403);
  });
});

describe('price lists', () => {
  it('refuses an overlapping price of the same kind and target, and accepts the next period', async () => {
    const clash = await office.post('/api/prices', price({ kind: 'supply', amountFen: '1700', customerId: customer.tianhe, validFrom: '2026-03-31', validTo: '2026-04-30' }));
    expect(clash.statusCode).toBe(409);
    expect(clash.json().error.code).toBe('PRICE_OVERLAP');
    const open = await office.post('/api/prices', price({ kind: 'ex_factory', amountFen: '1100', validFrom: '2030-01-01' }));
    expect(open.json().error.code).toBe('PRICE_OVERLAP');
    const next = await office.post('/api/prices', price({ kind: 'supply', amountFen: '1700', customerId: customer.tianhe, validFrom: '2026-04-01', validTo: '2026-04-30' }));
    expect(next.statusCode, next.body).toBe(200);
  });

  it('is kept from overlapping by the database itself (exclusion constraint)', async () => {
    let error: unknown = null;
    try {
      await t.db.execute(sql`insert into prices (product_id, kind, amount_fen, valid_from, valid_to, customer_id)
        values (${productId}, 'supply', 999, '2026-03-10', '2026-03-20', ${customer.tianhe})`);
    } catch (e) {
      error = e;
    }
    const codeOf = (e: unknown): string | undefined => (e as { code?: string })?.code ?? ((e as { cause?: unknown })?.cause ? codeOf((e as { cause: unknown }).cause) : undefined);
    expect(codeOf(error)).toBe('23P01');
    // Another target (the same period, a different customer) is fine.
    await t.db.execute(sql`insert into prices (product_id, kind, amount_fen, valid_from, valid_to, customer_id)
      values (${productId}, 'supply', 999, '2026-03-10', '2026-03-20', ${customer.pharmacy})`);
  });

  it('refuses amounts that are not whole positive fen', async () => {
    for (const amountFen of ['-100', '12.5', '0', '1e3', '']) {
      const res = await office.post('/api/prices', price({ kind: 'retail_guide', amountFen, validFrom: '2031-01-01' }));
      expect(res.statusCode, amountFen).toBe(400);
      expect(res.json().error.fields[0].path).toBe('amountFen');
    }
    // Text from files and forms goes through parseYuan: sub-fen and signs are caught there.
    expect(parseYuan('12.345')).toBeNull();
    expect(parseYuan('12.34')).toBe(1234n);
    expect(parseYuan('-1')).toBe(-100n);
  });

  it('checks the targets of each kind', async () => {
    const cityTender = await office.post('/api/prices', price({ kind: 'tender', amountFen: '1000', territoryId: '440100', validFrom: '2031-01-01' }));
    expect(cityTender.statusCode).toBe(422);
    expect(cityTender.json().error.fields[0].path).toBe('territoryId');
    const targeted = await office.post('/api/prices', price({ kind: 'ex_factory', amountFen: '1000', customerType: 'hospital', validFrom: '2031-01-01' }));
    expect(targeted.statusCode).toBe(422);
    const bare = await office.post('/api/prices', price({ kind: 'supply', amountFen: '1000', validFrom: '2031-01-01' }));
    expect(bare.statusCode).toBe(422);
    const backwards = await office.post('/api/prices', price({ kind: 'retail_guide', amountFen: '1000', validFrom: '2031-01-02', validTo: '2031-01-01' }));
    expect(backwards.json().error.fields[0].path).toBe('validTo');
  });

  it('changes a price with its version and audits it; reps may not write', async () => {
    const before = (await office.get(`/api/prices/${priceIds.retail}`)).json();
    const upd = await office.patch(`/api/prices/${priceIds.retail}`, { productId, kind: 'retail_guide', amountFen: '2680', validFrom: before.validFrom, validTo: null, version: before.version });
    expect(upd.statusCode, upd.body).toBe(200);
    expect(upd.json()).toMatchObject({ amountFen: '2680', version: before.version + 1 });
    const stale = await office.patch(`/api/prices/${priceIds.retail}`, { productId, kind: 'retail_guide', amountFen: '2690', validFrom: before.validFrom, version: before.version });
    expect(stale.json().error.code).toBe('CONFLICT_VERSION');
    const entries = await t.db.select().from(auditLog).where(sql`${auditLog.action} = 'price.updated' and ${auditLog.entityId} = ${String(priceIds.retail)}`);
    expect(entries[0].after).toMatchObject({ amountFen: '2680' });
    expect((await rep.post('/api/prices', price({ kind: 'retail_guide', amountFen: '1', validFrom: '2035-01-01' }))).statusCode).toBe(403);
  });

  it('lists by product, kind and validity date, hides named prices of customers outside the reader’s scope, and exports', async () => {
    const all = (await office.get(`/api/prices?productId=${productId}&pageSize=100`)).json();
    expect(all.items.some((p: { customer: unknown }) => p.customer !== null)).toBe(true);
    const mine = (await rep.get(`/api/prices?productId=${productId}&pageSize=100`)).json();
    expect(mine.items.every((p: { customer: unknown }) => p.customer === null)).toBe(true);
    const onDay = (await office.get(`/api/prices?productId=${productId}&kind=supply&validOn=2026-03-15`)).json();
    expect(onDay.items.map((p: { id: number }) => p.id)).toContain(priceIds.named);
    expect(onDay.items.every((p: { kind: string }) => p.kind === 'supply')).toBe(true);
    const xlsx = await office.get(`/api/prices/export.xlsx?productId=${productId}`);
    expect(xlsx.statusCode).toBe(200);
    expect(String(xlsx.headers['content-type'])).toContain('spreadsheetml');
  });
});
