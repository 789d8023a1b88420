import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../src/kernel/audit/audit.tables.js';
import { customers } from '../src/modules/customers/customers.tables.js';
import { Client, creditCodeFrom, makeCustomer, setupTest } from './support.js';

let t: Awaited<ReturnType<typeof setupTest>>;
const ids: Record<string, number> = {};

beforeAll(async () => {
  t = await setupTest({ demo: true, demoCustomers: false }); // counts exactly the customers made here
  // Shanghai team (rep, rep2 under team_lead, east region), Jiangsu rep, Beijing rep, one unassigned in Guangzhou.
  ids.xiehe = (await makeCustomer(t.db, { name: '上海协和医院', owner: 'rep', territoryId: '310104', creditCode: creditCodeFrom('12310000425000001') })).id;
  ids.rep2 = (await makeCustomer(t.db, { name: '上海浦东医药有限公司', owner: 'rep2', territoryId: '310115', type: 'distributor' })).id;
  ids.nanjing = (await makeCustomer(t.db, { name: '南京鼓楼医院', owner: 'rep_js', territoryId: '320106' })).id;
  ids.beijing = (await makeCustomer(t.db, { name: '北京协和医院', owner: 'rep_bj', territoryId: '110101', aliases: ['协和'] })).id;
  ids.guangzhou = (await makeCustomer(t.db, { name: '广州大参林药店', territoryId: '440106', type: 'pharmacy' })).id;
});
afterAll(() => t.close());

const names = (res: { json(): { items: { name: string }[] } }) => res.json().items.map((c) => c.name).sort();

describe('customer data scope', () => {
  it('shows a rep only their own customers, a team lead the team’s, a regional manager the region’s and the office all', async () => {
    const list = async (user: string) => names(await (await Client.as(t.app, user)).get('/api/customers?pageSize=200'));
    expect(await list('rep')).toEqual(['上海协和医院']);
    expect(await list('team_lead')).toEqual(['上海协和医院', '上海浦东医药有限公司']);
    expect(await list('east_manager')).toEqual(['上海协和医院', '上海浦东医药有限公司', '南京鼓楼医院']);
    expect((await list('office')).length).toBe(5);
  });

  it('answers 404 for a customer outside the scope, as if it did not exist', async () => {
    const rep = await Client.as(t.app, 'rep');
    expect((await rep.get(`/api/customers/${ids.beijing}`)).statusCode).toBe(404);
    expect((await rep.get(`/api/customers/${ids.xiehe}`)).statusCode).toBe(200);
    const options = await rep.get(`/api/customers/options?ids=${ids.beijing},${ids.xiehe}`);
    expect(options.json().map((o: { id: number }) => o.id)).toEqual([ids.xiehe]);
  });

  it('refuses the agent portal and roles without the permission', async () => {
    expect((await (await Client.as(t.app, 'agent')).get('/api/customers')).statusCode).toBe(403);
    expect((await (await Client.as(t.app, 'finance')).patch(`/api/customers/${ids.xiehe}`, { name: 'x' })).statusCode).toBe(403);
  });
});

describe('customer search', () => {
  it('finds 北京协和医院 by pinyin initials, full pinyin, alias, characters and code', async () => {
    const office = await Client.as(t.app, 'office');
    for (const q of ['bjxh', 'beijingxiehe', 'BJXH', '北京协和', 'xh']) {
      expect(names(await office.get(`/api/customers?q=${encodeURIComponent(q)}`)), q).toContain('北京协和医院');
    }
    expect(names(await office.get('/api/customers?q=bjxh'))).toEqual(['北京协和医院']);
    const [row] = await t.db.select({ code: customers.code }).from(customers).where(eq(customers.id, ids.beijing));
    expect(names(await office.get(`/api/customers?q=${row!.code}`))).toEqual(['北京协和医院']);
  });

  it('finds the customers of a city or district typed into the search box', async () => {
    const office = await Client.as(t.app, 'office');
    expect(names(await office.get(`/api/customers?q=${encodeURIComponent('广州')}`))).toEqual(['广州大参林药店']);
    expect(names(await office.get(`/api/customers?q=${encodeURIComponent('南京市')}`))).toEqual(['南京鼓楼医院']);
    expect(names(await office.get(`/api/customers?q=${encodeURIComponent('鼓楼')}`))).toContain('南京鼓楼医院');
  });

  it('filters by territory (a province covers its districts), type and owner, and sorts', async () => {
    const office = await Client.as(t.app, 'office');
    expect(names(await office.get('/api/customers?territoryId=310000'))).toEqual(['上海协和医院', '上海浦东医药有限公司']);
    expect(names(await office.get('/api/customers?type=pharmacy'))).toEqual(['广州大参林药店']);
    expect(names(await office.get('/api/customers?unassigned=true'))).toEqual(['广州大参林药店']);
    const sorted = (await office.get('/api/customers?sort=-territory')).json().items.map((c: { territoryId: string }) => c.territoryId);
    expect(sorted).toEqual([...sorted].sort().reverse());
  });

  it('exports what the list shows as an Excel file', async () => {
    const res = await (await Client.as(t.app, 'team_lead')).get('/api/customers/export?q=shanghai');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
  });
});

describe('duplicates', () => {
  it('lists the same credit code, the same normalised name and similar names before submission', async () => {
    const rep = await Client.as(t.app, 'rep_gd');
    const byName = (await rep.get(`/api/customers/duplicates?name=${encodeURIComponent('北京協和醫院')}`)).json();
    expect(byName[0]).toMatchObject({ id: ids.beijing, reason: 'name', ownerName: '郑浩' });
    const byCode = (await rep.get(`/api/customers/duplicates?creditCode=${creditCodeFrom('12310000425000001').toLowerCase()}`)).json();
    expect(byCode[0]).toMatchObject({ id: ids.xiehe, reason: 'credit_code' });
    const similar = (await rep.get(`/api/customers/duplicates?name=${encodeURIComponent('南京鼓楼医院集团')}`)).json();
    expect(similar.map((d: { id: number; reason: string }) => [d.id, d.reason])).toContainEqual([ids.nanjing, 'similar_name']);
  });

  it('refuses a second customer with the same credit code or normalised name, also when both arrive at once', async () => {
    await expect(makeCustomer(t.db, { name: '北京 協和醫院（有限公司）' })).rejects.toMatchObject({ code: 'CUSTOMER_DUPLICATE_NAME' });
    await expect(makeCustomer(t.db, { name: '完全不同的名字', creditCode: creditCodeFrom('12310000425000001') })).rejects.toMatchObject({ code: 'CUSTOMER_DUPLICATE_CREDIT_CODE' });
    const results = await Promise.allSettled([makeCustomer(t.db, { name: '杭州同时医院' }), makeCustomer(t.db, { name: '杭州同時醫院' })]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'CUSTOMER_DUPLICATE_NAME' } });
  });

  it('refuses an invalid credit code', async () => {
    await expect(makeCustomer(t.db, { name: '某某诊所', creditCode: '91310000000000000X' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe('editing a customer', () => {
  it('saves with the version read, audits before and after, and refuses a stale version', async () => {
    const rep = await Client.as(t.app, 'rep');
    const before = (await rep.get(`/api/customers/${ids.xiehe}`)).json();
    const body = { ...before, shortName: '协和', creditLimitFen: '50000000', paymentTermsDays: 60, grade: 'A', hospitalGrade: '3A' };
    const saved = await rep.patch(`/api/customers/${ids.xiehe}`, body);
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({ shortName: '协和', creditLimitFen: '50000000', version: before.version + 1 });
    expect((await rep.patch(`/api/customers/${ids.xiehe}`, body)).statusCode).toBe(409);
    const [entry] = await t.db.select().from(auditLog).where(eq(auditLog.action, 'customer.updated'));
    expect(entry).toMatchObject({ entityId: String(ids.xiehe), before: { shortName: null, grade: null }, after: { shortName: '协和', grade: 'A' } });
  });

  it('takes the credit limit as whole fen in a string, exact beyond what a JSON number holds, and refuses other shapes', async () => {
    const rep = await Client.as(t.app, 'rep');
    const before = (await rep.get(`/api/customers/${ids.xiehe}`)).json();
    const big = '9007199254740993'; // 2^53 + 1: a JSON number would silently become …992
    const saved = await rep.patch(`/api/customers/${ids.xiehe}`, { ...before, creditLimitFen: big });
    expect(saved.statusCode).toBe(200);
    expect(saved.json().creditLimitFen).toBe(big);
    const [row] = await t.db.select({ fen: customers.creditLimitFen }).from(customers).where(eq(customers.id, ids.xiehe));
    expect(row.fen).toBe(9007199254740993n);
    const current = saved.json();
    for (const bad of [5000, '12.5', '-1', '0012', '']) {
      const res = await rep.patch(`/api/customers/${ids.xiehe}`, { ...current, creditLimitFen: bad });
      expect(res.statusCode, String(bad)).toBe(400);
      expect(res.json().error.fields[0].path).toBe('creditLimitFen');
    }
  });

  it('refuses to rename a customer into another one’s name and explains why in the field', async () => {
    const rep = await Client.as(t.app, 'rep');
    const before = (await rep.get(`/api/customers/${ids.xiehe}`)).json();
    const res = await rep.patch(`/api/customers/${ids.xiehe}`, { ...before, name: '北京協和醫院' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'CUSTOMER_DUPLICATE_NAME', fields: [{ path: 'name' }] });
    expect(res.json().error.message).toContain('北京协和医院');
  });

  it('keeps a rep from editing a colleague’s customer', async () => {
    const rep = await Client.as(t.app, 'rep');
    expect((await rep.patch(`/api/customers/${ids.beijing}`, { name: '北京协和医院', type: 'hospital', territoryId: '110101', version: 1 })).statusCode).toBe(404);
  });
});
