import ExcelJS from 'exceljs';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../src/kernel/audit/audit.tables.js';
import { loadDemoContacts } from '../src/demo/demo-contacts.js';
import { contactCustomerHistory, contacts } from '../src/modules/contacts/contacts.tables.js';
import { Client, makeCustomer, makeRole, makeUser, setupTest } from './support.js';

let t: Awaited<ReturnType<typeof setupTest>>;
const ids: Record<string, number> = {};

beforeAll(async () => {
  t = await setupTest({ demo: true, demoCustomers: false });
  ids.xiehe = (await makeCustomer(t.db, { name: '上海协和医院', owner: 'rep', territoryId: '310104' })).id;
  ids.ruijin = (await makeCustomer(t.db, { name: '上海瑞金医院', owner: 'rep', territoryId: '310101' })).id;
  ids.pudong = (await makeCustomer(t.db, { name: '上海浦东医药有限公司', owner: 'rep2', territoryId: '310115', type: 'distributor' })).id;
  ids.beijing = (await makeCustomer(t.db, { name: '北京协和医院', owner: 'rep_bj', territoryId: '110101' })).id;
});
afterAll(() => t.close());

const wang = { name: '王建国', department: '药剂科', title: '药剂科主任', mobile: '13812345678', influence: 'decision_maker', birthday: '1972-03-08' };

describe('contacts', () => {
  it('lets a rep add a contact to their customer and finds it by name, pinyin, initials and mobile', async () => {
    const rep = await Client.as(t.app, 'rep');
    const res = await rep.post('/api/contacts', { ...wang, customerId: ids.xiehe });
    expect(res.statusCode, res.body).toBe(201);
    ids.wang = res.json().id;
    expect(res.json()).toMatchObject({ customerName: '上海协和医院', status: 'active', version: 1, history: [{ customerId: ids.xiehe, toAt: null }] });
    for (const q of ['王建国', 'wangjianguo', 'wjg', '13812345678']) {
      const list = await rep.get(`/api/contacts?q=${encodeURIComponent(q)}`);
      expect(list.json().items.map((c: { id: number }) => c.id), q).toEqual([ids.wang]);
    }
    const [entry] = await t.db.select().from(auditLog).where(eq(auditLog.action, 'contact.created'));
    expect(entry?.entityId).toBe(String(ids.wang));
  });

  it('refuses a mobile that is not a Chinese mobile number, and the same mobile twice at one customer', async () => {
    const rep = await Client.as(t.app, 'rep');
    const bad = await rep.post('/api/contacts', { name: '李四', mobile: '12345', customerId: ids.xiehe });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.fields.map((f: { path: string }) => f.path)).toEqual(['mobile']);
    const twice = await rep.post('/api/contacts', { name: '王建国二', mobile: '+86 138-1234-5678', customerId: ids.xiehe });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('CONTACT_MOBILE_TAKEN');
    // The same mobile at another customer is fine (a doctor who also consults elsewhere).
    const other = await rep.post('/api/contacts', { name: '王建国', mobile: '13812345678', customerId: ids.ruijin });
    expect(other.statusCode).toBe(201);
    ids.wangRuijin = other.json().id;
  });

  it('lets the database refuse a duplicate mobile at one customer even past the service', async () => {
    await expect(
      t.db.insert(contacts).values({ customerId: ids.xiehe, name: 'x', mobile: '13812345678', searchText: 'x' }),
    ).rejects.toThrow();
    await expect(t.db.insert(contacts).values({ customerId: ids.xiehe, name: 'y', mobile: '999', searchText: 'y' })).rejects.toThrow();
  });

  it('hides contacts of customers outside the scope (404) and refuses adding to them', async () => {
    const rep = await Client.as(t.app, 'rep');
    const bj = await (await Client.as(t.app, 'rep_bj')).post('/api/contacts', { name: '赵医生', customerId: ids.beijing, mobile: '13900001111' });
    expect(bj.statusCode).toBe(201);
    expect((await rep.get(`/api/contacts/${bj.json().id}`)).statusCode).toBe(404);
    expect((await rep.get(`/api/customers/${ids.beijing}/contacts`)).statusCode).toBe(404);
    expect((await rep.get('/api/contacts?pageSize=200')).json().items.map((c: { name: string }) => c.name)).not.toContain('赵医生');
    expect((await rep.post('/api/contacts', { name: '钱医生', customerId: ids.beijing })).statusCode).toBe(422);
    expect((await rep.patch(`/api/contacts/${bj.json().id}`, { name: '改', version: 1 })).statusCode).toBe(404);
  });

  it('refuses roles without contacts.write (403) and bad input (400)', async () => {
    expect((await (await Client.as(t.app, 'finance')).post('/api/contacts', { name: 'x', customerId: ids.xiehe })).statusCode).toBe(403);
    expect((await (await Client.as(t.app, 'agent')).get('/api/contacts')).statusCode).toBe(403);
    expect((await (await Client.as(t.app, 'rep')).post('/api/contacts', { name: '', customerId: 'x' })).statusCode).toBe(400);
  });

  it('edits with the version read and refuses a stale edit with 409', async () => {
    const rep = await Client.as(t.app, 'rep');
    const ok = await rep.patch(`/api/contacts/${ids.wang}`, { ...wang, title: '药剂科主任（兼采购）', version: 1 });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ title: '药剂科主任（兼采购）', version: 2 });
    const stale = await rep.patch(`/api/contacts/${ids.wang}`, { ...wang, title: '旧', version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('CONFLICT_VERSION');
  });

  it('lets only one of two simultaneous edits of the same version through', async () => {
    const [a, b] = await Promise.all([Client.as(t.app, 'rep'), Client.as(t.app, 'team_lead')]);
    const current = (await a.get(`/api/contacts/${ids.wang}`)).json();
    const body = { ...wang, version: current.version };
    const results = await Promise.all([a.patch(`/api/contacts/${ids.wang}`, { ...body, notes: 'A' }), b.patch(`/api/contacts/${ids.wang}`, { ...body, notes: 'B' })]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect((await a.get(`/api/contacts/${ids.wang}`)).json().version).toBe(current.version + 1);
  });

  it('moves a contact to another customer and keeps where they worked before', async () => {
    const office = await Client.as(t.app, 'office');
    const wangJr = await office.post('/api/contacts', { name: '孙医生', customerId: ids.xiehe, department: '心内科' });
    const id = wangJr.json().id;
    const moved = await office.post(`/api/contacts/${id}/move`, { customerId: ids.pudong, version: 1 });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().customerId).toBe(ids.pudong);
    const history = moved.json().history as { customerId: number; toAt: string | null }[];
    expect(history.map((h) => h.customerId)).toEqual([ids.pudong, ids.xiehe]);
    expect(history[0]!.toAt).toBeNull();
    expect(history[1]!.toAt).not.toBeNull();
    // rep (owner of 协和) no longer sees the contact; rep2 (owner of 浦东) does.
    expect((await (await Client.as(t.app, 'rep')).get(`/api/contacts/${id}`)).statusCode).toBe(404);
    expect((await (await Client.as(t.app, 'rep2')).get(`/api/contacts/${id}`)).statusCode).toBe(200);
    const rows = await t.db.select().from(contactCustomerHistory).where(eq(contactCustomerHistory.contactId, id));
    expect(rows).toHaveLength(2);
  });

  it('refuses moving a contact to a customer outside the scope or where the mobile is taken', async () => {
    const rep = await Client.as(t.app, 'rep');
    const [w] = await t.db.select().from(contacts).where(eq(contacts.id, ids.wang));
    expect((await rep.post(`/api/contacts/${ids.wang}/move`, { customerId: ids.beijing, version: w!.version })).statusCode).toBe(422);
    const taken = await rep.post(`/api/contacts/${ids.wang}/move`, { customerId: ids.ruijin, version: w!.version });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.code).toBe('CONTACT_MOBILE_TAKEN');
  });

  it('marks a contact as left and lists a customer’s contacts active first', async () => {
    const rep = await Client.as(t.app, 'rep');
    const c = await rep.post('/api/contacts', { name: '周护士长', customerId: ids.xiehe, influence: 'user' });
    const left = await rep.post(`/api/contacts/${c.json().id}/left`, { version: 1 });
    expect(left.statusCode).toBe(200);
    expect(left.json().status).toBe('left');
    expect((await rep.post(`/api/contacts/${c.json().id}/left`, { version: 2 })).json().error.code).toBe('CONTACT_ALREADY_LEFT');
    const list = (await rep.get(`/api/customers/${ids.xiehe}/contacts`)).json() as { name: string; status: string }[];
    expect(list.at(-1)).toMatchObject({ name: '周护士长', status: 'left' });
    expect(list[0]!.name).toBe('王建国');
    expect((await rep.get('/api/contacts?status=left')).json().items.map((x: { name: string }) => x.name)).toEqual(['周护士长']);
  });

  it('exports the list to Excel', async () => {
    const res = await (await Client.as(t.app, 'office')).get('/api/contacts/export?influence=decision_maker');
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const names = wb.worksheets[0]!.getColumn(1).values.slice(2);
    expect(names).toContain('王建国');
  });

  it('imports contacts from Excel naming the customer by code or exact name, and rejects bad rows', async () => {
    const office = await Client.as(t.app, 'office');
    const code = (await office.get(`/api/customers/${ids.ruijin}`)).json().code as string;
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('s');
    ws.addRow(['客户', '姓名', '性别', '科室/部门', '职务', '手机', '电话', '邮箱', '微信', '生日', '影响力', '喜好', '备注']);
    ws.addRow([code, '钱主任', '女', '采购科', '采购科长', '15900002222', '', '', '', '1980-05-06', '决策者', '', '']);
    ws.addRow(['上海瑞金医院', '冯医生', '男', '心内科', '主治医师', '18600003333', '', '', '', '', '使用者', '', '']);
    ws.addRow(['不存在的医院', '某人', '', '', '', '', '', '', '', '', '', '', '']);
    ws.addRow([code, '重号', '', '', '', '13812345678', '', '', '', '', '', '', '']);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const up = await office.upload('/api/imports/contacts', 'contacts.xlsx', buf);
    expect(up.statusCode, up.body).toBe(200);
    const batch = up.json();
    expect(batch).toMatchObject({ total: 4, valid: 2 });
    expect(batch.errors.map((e: { row: number; column: string }) => `${e.row}:${e.column}`)).toEqual(['4:客户', '5:手机']);
    const commit = await office.post(`/api/imports/batches/${batch.batchId}/commit`, { mode: 'valid_only' });
    expect(commit.statusCode, commit.body).toBe(200);
    const names = ((await office.get(`/api/customers/${ids.ruijin}/contacts`)).json() as { name: string }[]).map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['钱主任', '冯医生']));
    expect(names).not.toContain('重号');
    expect((await (await Client.as(t.app, 'rep')).get('/api/imports/contacts/template.xlsx')).statusCode).toBe(403);
  });

  it('imports contacts only to customers the importer may see: another rep’s customer reads as not found', async () => {
    await makeRole(t.db, { code: 'own_importer', permissions: ['customers.read', 'customers.import', 'contacts.read', 'contacts.write'], dataScope: 'own' });
    const u = await makeUser(t.db, { username: 'own-importer', roles: ['own_importer'] });
    const mine = await makeCustomer(t.db, { name: '上海自有客户医院', owner: 'own-importer', territoryId: '310104' });
    const importer = await Client.as(t.app, u.username, u.password);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('s');
    ws.addRow(['客户', '姓名', '手机']);
    ws.addRow(['上海自有客户医院', '赵主任', '13700001111']);
    ws.addRow(['北京协和医院', '越权者', '13700002222']);
    const up = await importer.upload('/api/imports/contacts', 'contacts.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    expect(up.statusCode, up.body).toBe(200);
    expect(up.json()).toMatchObject({ total: 2, valid: 1 });
    expect(up.json().errors).toMatchObject([{ row: 3, column: '客户', message: expect.stringContaining('北京协和医院') }]);
    expect((await importer.post(`/api/imports/batches/${up.json().batchId}/commit`, { mode: 'valid_only' })).statusCode).toBe(200);
    const added = await t.db.select({ customerId: contacts.customerId }).from(contacts).where(eq(contacts.mobile, '13700001111'));
    expect(added).toEqual([{ customerId: mine.id }]);
    expect(await t.db.select().from(contacts).where(eq(contacts.mobile, '13700002222'))).toEqual([]);
  });

  it('gives demo customers 1–4 contacts once, however often the loader runs', async () => {
    const c = await makeCustomer(t.db, { name: '广州大参林药店', territoryId: '440106', type: 'pharmacy' });
    const first = await loadDemoContacts(t.db);
    expect(first).toBeGreaterThanOrEqual(1);
    const mine = await t.db.select().from(contacts).where(eq(contacts.customerId, c.id));
    expect(mine.length).toBeGreaterThanOrEqual(1);
    expect(mine.length).toBeLessThanOrEqual(4);
    expect(mine.every((m) => /^1[358]\d{9}$/.test(m.mobile!))).toBe(true);
    expect(await loadDemoContacts(t.db)).toBe(0);
  });
});
