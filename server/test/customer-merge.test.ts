import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../src/kernel/audit/audit.tables.js';
import { contactCustomerHistory, contacts } from '../src/modules/contacts/contacts.tables.js';
import { columnsReferencingCustomers } from '../src/modules/customers/merge.service.js';
import { customers } from '../src/modules/customers/customers.tables.js';
import { customerOwnerHistory } from '../src/modules/customers/ownership.tables.js';
import { Client, creditCodeFrom, makeCustomer, setupTest, userIdOf } from './support.js';

let t: Awaited<ReturnType<typeof setupTest>>;
const ids: Record<string, number> = {};

beforeAll(async () => {
  t = await setupTest({ demo: true, demoCustomers: false });
  ids.a = (await makeCustomer(t.db, { name: '上海市第一人民医院', owner: 'rep', territoryId: '310101' })).id;
  ids.b = (await makeCustomer(t.db, { name: '上海第一人民医院（北部）', shortName: '市一北院', owner: 'rep2', territoryId: '310101', creditCode: creditCodeFrom('12310000425000009') })).id;
  ids.child = (await makeCustomer(t.db, { name: '市一医院社区分院', owner: 'rep2', territoryId: '310101', type: 'clinic' })).id;
  ids.other = (await makeCustomer(t.db, { name: '上海仁济医院', owner: 'rep', territoryId: '310101' })).id;
  const office = await Client.as(t.app, 'office');
  const child = (await office.get(`/api/customers/${ids.child}`)).json();
  expect((await office.patch(`/api/customers/${ids.child}`, { ...child, parentId: ids.b, creditLimitFen: '0' })).statusCode).toBe(200);
  for (const [name, mobile] of [['陈主任', '13911112222'], ['林科长', '13911113333']]) {
    expect((await office.post('/api/contacts', { name, mobile, customerId: ids.b })).statusCode).toBe(201);
  }
  const lead = await Client.as(t.app, 'office_lead');
  expect((await lead.post('/api/customers/assign', { customerIds: [ids.b], ownerId: await userIdOf(t.db, 'rep') })).statusCode).toBe(200);
});
afterAll(() => t.close());

describe('merging duplicate customers (合并重复客户)', () => {
  it('finds every foreign key to customers from the catalog, so later modules are covered', async () => {
    const cols = (await columnsReferencingCustomers(t.db)).map((c) => `${c.table}.${c.column}`);
    expect(cols).toEqual(expect.arrayContaining(['contacts.customer_id', 'contact_customer_history.customer_id', 'customer_owner_history.customer_id']));
    expect(cols.some((c) => c.startsWith('customers.'))).toBe(false);
  });

  it('refuses roles without customers.merge (403), merging into itself (422) and out-of-scope customers (404)', async () => {
    expect((await (await Client.as(t.app, 'office')).post(`/api/customers/${ids.a}/merge`, { duplicateId: ids.b })).statusCode).toBe(403);
    expect((await (await Client.as(t.app, 'rep')).post(`/api/customers/${ids.a}/merge`, { duplicateId: ids.b })).statusCode).toBe(403);
    const lead = await Client.as(t.app, 'office_lead');
    expect((await lead.post(`/api/customers/${ids.a}/merge`, { duplicateId: ids.a })).statusCode).toBe(422);
    expect((await lead.post(`/api/customers/${ids.a}/merge`, { duplicateId: 999999 })).statusCode).toBe(404);
  });

  it('shows what would move before merging', async () => {
    const res = await (await Client.as(t.app, 'office_lead')).get(`/api/customers/${ids.a}/merge-preview?duplicateId=${ids.b}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().counts).toMatchObject({ 'contacts.customer_id': 2, 'contact_customer_history.customer_id': 2, 'customer_owner_history.customer_id': 1 });
    expect(res.json().duplicate.name).toBe('上海第一人民医院（北部）');
  });

  it('moves the duplicate’s contacts and ownership history, marks it merged and keeps its names as aliases', async () => {
    const lead = await Client.as(t.app, 'office_lead');
    const res = await lead.post(`/api/customers/${ids.a}/merge`, { duplicateId: ids.b });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().moved).toMatchObject({ 'contacts.customer_id': 2, 'contact_customer_history.customer_id': 2, 'customer_owner_history.customer_id': 1, 'customers.parent_id': 1 });
    expect(res.json().customer.aliases).toEqual(expect.arrayContaining(['上海第一人民医院（北部）', '市一北院']));
    expect(res.json().customer.creditCode).toBe(creditCodeFrom('12310000425000009'));

    const [b] = await t.db.select().from(customers).where(eq(customers.id, ids.b));
    expect(b).toMatchObject({ status: 'merged', mergedIntoId: ids.a });
    const [child] = await t.db.select().from(customers).where(eq(customers.id, ids.child));
    expect(child!.parentId).toBe(ids.a);
    expect((await t.db.select().from(contacts).where(eq(contacts.customerId, ids.b))).length).toBe(0);
    expect((await t.db.select().from(contacts).where(eq(contacts.customerId, ids.a))).map((c) => c.name).sort()).toEqual(['林科长', '陈主任']);
    expect((await t.db.select().from(contactCustomerHistory).where(eq(contactCustomerHistory.customerId, ids.a))).length).toBe(2);
    expect((await t.db.select().from(customerOwnerHistory).where(eq(customerOwnerHistory.customerId, ids.a))).length).toBe(1);

    const [entry] = await t.db.select().from(auditLog).where(eq(auditLog.action, 'customer.merged'));
    expect(entry!.entityId).toBe(String(ids.a));
    expect(JSON.stringify(entry!.after)).toContain('contacts.customer_id');

    // Still found by the duplicate's name and short name.
    const office = await Client.as(t.app, 'office');
    expect((await office.get(`/api/customers?q=${encodeURIComponent('市一北院')}`)).json().items.map((c: { id: number }) => c.id)).toEqual([ids.a]);
  });

  it('does not let anyone edit the merged customer or merge it again', async () => {
    const office = await Client.as(t.app, 'office');
    const b = (await office.get(`/api/customers/${ids.b}?`)).json();
    const edit = await office.patch(`/api/customers/${ids.b}`, { ...b, name: '改名', creditCode: null, version: b.version });
    expect(edit.statusCode).toBe(409);
    expect(edit.json().error.code).toBe('CUSTOMER_MERGED');
    const lead = await Client.as(t.app, 'office_lead');
    expect((await lead.post(`/api/customers/${ids.other}/merge`, { duplicateId: ids.b })).json().error.code).toBe('CUSTOMER_MERGED');
    expect((await lead.post(`/api/customers/${ids.b}/merge`, { duplicateId: ids.other })).json().error.code).toBe('CUSTOMER_MERGED');
    expect((await office.post('/api/contacts', { name: '新人', customerId: ids.b })).statusCode).toBe(409);
  });

  it('refuses a merge that would put the same mobile twice at one customer, and changes nothing', async () => {
    const office = await Client.as(t.app, 'office');
    expect((await office.post('/api/contacts', { name: '陈主任', mobile: '13911112222', customerId: ids.other })).statusCode).toBe(201);
    const lead = await Client.as(t.app, 'office_lead');
    const res = await lead.post(`/api/customers/${ids.a}/merge`, { duplicateId: ids.other });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('CUSTOMER_MERGE_CONFLICT');
    const [other] = await t.db.select().from(customers).where(eq(customers.id, ids.other));
    expect(other!.status).toBe('active');
  });

  it('lets only one of two simultaneous merges of the same duplicate through', async () => {
    const x = (await makeCustomer(t.db, { name: '甲医院', territoryId: '310101' })).id;
    const y = (await makeCustomer(t.db, { name: '乙医院', territoryId: '310101' })).id;
    const dup = (await makeCustomer(t.db, { name: '甲医院分部', territoryId: '310101' })).id;
    const lead = await Client.as(t.app, 'office_lead');
    const [r1, r2] = await Promise.all([lead.post(`/api/customers/${x}/merge`, { duplicateId: dup }), lead.post(`/api/customers/${y}/merge`, { duplicateId: dup })]);
    expect([r1.statusCode, r2.statusCode].sort()).toEqual([200, 409]);
  });
});
