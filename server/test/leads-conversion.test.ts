import ExcelJS from 'exceljs';
import { and, asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/kernel/db/client.js';
import { activities } from '../src/modules/activities/activities.tables.js';
import { customerStageHistory, leadEvents, leads } from '../src/modules/leads/leads.tables.js';
import { Client, makeCustomer, setupTest, userIdOf } from './support.js';

let t: Awaited<ReturnType<typeof setupTest>>;
const u: Record<string, number> = {};

beforeAll(async () => {
  t = await setupTest({ demo: true, demoCustomers: false });
  for (const name of ['rep', 'rep2', 'team_lead']) u[name] = await userIdOf(t.db, name);
});
afterAll(() => t.close());

type Task = { id: number; docType: string; docId: number };
const tasksOf = async (c: Client) => ((await c.get('/api/approvals/tasks')).json().items as Task[]).filter((x) => x.docType === 'customer_application');

/** The default flow of an account opening: the submitter's department head, then the office lead. */
async function approveAll(appId: number) {
  const lead = await Client.as(t.app, 'team_lead');
  const [first] = (await tasksOf(lead)).filter((x) => x.docId === appId);
  expect((await lead.post(`/api/approvals/tasks/${first!.id}/approve`, { comment: '同意' })).statusCode).toBe(200);
  const officeLead = await Client.as(t.app, 'office_lead');
  const [second] = (await tasksOf(officeLead)).filter((x) => x.docId === appId);
  return officeLead.post(`/api/approvals/tasks/${second!.id}/approve`, { comment: '资料齐全' });
}

const lead = (organisation: string, extra: Record<string, unknown> = {}) => ({
  organisation,
  source: 'event',
  territoryId: '310104',
  customerType: 'hospital',
  contactName: '周主任',
  contactTitle: '药剂科主任',
  phone: '13900002222',
  address: '上海市徐汇区宜山路 600 号',
  ...extra,
});

describe('converting a lead to a customer', () => {
  let leadId: number;
  let applicationId: number;
  let customerId: number;
  const activityIds: number[] = [];

  it('turns a rep’s lead into a draft account opening prefilled from it', async () => {
    const rep = await Client.as(t.app, 'rep');
    const created = (await rep.post('/api/leads', lead('上海徐汇转化测试医院', { lifecycleStage: 'identified' }))).json();
    leadId = created.id;
    // Its history while a lead: a stage change, a grade change, and two visits logged against the lead.
    const staged = (await rep.post(`/api/leads/${leadId}/stage`, { stage: 'intent', version: created.version })).json();
    const graded = (await rep.post(`/api/leads/${leadId}/grade`, { grade: 'A', version: staged.version })).json();
    expect(graded.grade).toBe('A');
    // The events get distinct past times so that "original times" is visible.
    await t.db.update(leads).set({ createdAt: new Date('2026-01-05T01:00:00Z') }).where(eq(leads.id, leadId));
    await t.db.update(leadEvents).set({ at: new Date('2026-02-10T03:00:00Z') }).where(and(eq(leadEvents.leadId, leadId), eq(leadEvents.kind, 'staged')));
    for (const subject of ['首次拜访', '科室会']) {
      const [a] = await t.db
        .insert(activities)
        .values({ type: 'visit', status: 'done', leadId, subject, startsAt: new Date('2026-02-01T02:00:00Z'), ownerId: u.rep!, createdBy: u.rep! })
        .returning({ id: activities.id });
      activityIds.push(a!.id);
    }

    const res = await rep.post(`/api/leads/${leadId}/convert`);
    expect(res.statusCode, res.body).toBe(201);
    applicationId = res.json().applicationId;
    const app = (await rep.get(`/api/customer-applications/${applicationId}`)).json();
    expect(app).toMatchObject({ status: 'draft', name: '上海徐汇转化测试医院', type: 'hospital', territoryId: '310104', proposedOwnerName: '张伟' });
    expect(app.customer).toMatchObject({ source: 'event', address: '上海市徐汇区宜山路 600 号', phone: '13900002222', grade: 'A', lifecycleStage: 'intent' });
    expect(app.customer.notes).toContain('周主任');
    const after = (await rep.get(`/api/leads/${leadId}`)).json();
    expect(after).toMatchObject({ status: 'converting', applicationId, applicationNumber: app.number });
    expect(after.events.at(-1)).toMatchObject({ kind: 'converting', details: { applicationId } });
    // Only once.
    expect((await rep.post(`/api/leads/${leadId}/convert`)).statusCode).toBe(409);
  });

  it('on approval marks the lead converted and gives the customer the lead’s grade, stage, activities and stage history', async () => {
    const rep = await Client.as(t.app, 'rep');
    const app = (await rep.get(`/api/customer-applications/${applicationId}`)).json();
    expect((await rep.post(`/api/customer-applications/${applicationId}/submit`, { version: app.version })).statusCode).toBe(200);
    const done = await approveAll(applicationId);
    expect(done.statusCode, done.body).toBe(200);
    customerId = done.json().result.createdCustomerId;

    const converted = (await rep.get(`/api/leads/${leadId}`)).json();
    expect(converted).toMatchObject({ status: 'converted', customerId });
    expect(converted.events.at(-1)).toMatchObject({ kind: 'converted', details: { customerId } });
    const customer = (await rep.get(`/api/customers/${customerId}`)).json();
    expect(customer).toMatchObject({ grade: 'A', lifecycleStage: 'intent', ownerName: '张伟', source: 'event' });
    const acts = await t.db.select({ id: activities.id, customerId: activities.customerId, leadId: activities.leadId }).from(activities).where(eq(activities.leadId, leadId));
    expect(acts.map((a) => a.customerId)).toEqual([customerId, customerId]);
    const history = await t.db.select().from(customerStageHistory).where(eq(customerStageHistory.customerId, customerId)).orderBy(asc(customerStageHistory.at));
    expect(history.map((h) => [h.fromStage, h.toStage, h.at.toISOString()])).toEqual([
      [null, 'identified', '2026-01-05T01:00:00.000Z'],
      ['identified', 'intent', '2026-02-10T03:00:00.000Z'],
    ]);
    // The customer's page shows where it came from.
    const source = (await rep.get(`/api/customers/${customerId}/source-lead`)).json();
    expect(source.lead).toMatchObject({ id: leadId, source: 'event', code: converted.code });
    expect(source.lead.events.map((e: { kind: string }) => e.kind)).toContain('graded');
    expect((await (await Client.as(t.app, 'rep_bj')).get(`/api/customers/${customerId}/source-lead`)).statusCode).toBe(404);
  });

  it('reopens the lead when the account opening is cancelled, and allows converting again', async () => {
    const rep = await Client.as(t.app, 'rep');
    const created = (await rep.post('/api/leads', lead('上海撤销转化测试诊所'))).json();
    const { applicationId: appId } = (await rep.post(`/api/leads/${created.id}/convert`)).json();
    const app = (await rep.get(`/api/customer-applications/${appId}`)).json();
    const cancelled = await rep.post(`/api/customer-applications/${appId}/cancel`, { version: app.version, reason: '信息有误' });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    const reopened = (await rep.get(`/api/leads/${created.id}`)).json();
    expect(reopened).toMatchObject({ status: 'open', applicationId: null });
    expect(reopened.events.at(-1)).toMatchObject({ kind: 'reopened', details: { applicationId: appId, cancelled: true } });
    expect((await rep.post(`/api/leads/${created.id}/convert`)).statusCode).toBe(201);
  });

  it('refuses converting a lead whose organisation became a customer, one without a region, and others’ leads', async () => {
    const rep = await Client.as(t.app, 'rep');
    const twin = (await rep.post('/api/leads', lead('上海重名转化测试医院'))).json();
    await makeCustomer(t.db, { name: '上海重名转化测试医院', owner: 'rep2', territoryId: '310115' });
    const dup = await rep.post(`/api/leads/${twin.id}/convert`);
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('LEAD_IS_CUSTOMER');
    const nowhere = (await rep.post('/api/leads', lead('无地区转化测试', { territoryId: null }))).json();
    const noRegion = await rep.post(`/api/leads/${nowhere.id}/convert`);
    expect(noRegion.statusCode).toBe(422);
    expect(noRegion.json().error.code).toBe('LEAD_TERRITORY_REQUIRED');
    const other = (await (await Client.as(t.app, 'rep2')).post('/api/leads', lead('他人转化测试', { territoryId: '310115' }))).json();
    expect((await rep.post(`/api/leads/${other.id}/convert`)).statusCode).toBe(404);
  });
});

describe('customer lifecycle stages', () => {
  it('records every stage change of a customer with its time and actor', async () => {
    const { id } = await makeCustomer(t.db, { name: '上海生命周期测试医院', owner: 'rep', territoryId: '310101', lifecycleStage: 'lead' });
    const rep = await Client.as(t.app, 'rep');
    const c = (await rep.get(`/api/customers/${id}`)).json();
    const { id: _id, code: _c, territoryName: _tn, ownerId: _o, ownerName: _on, ownerDepartmentName: _od, status: _s, qualificationState: _q, updatedAt: _u, parentName: _pn, mergedIntoId: _m, createdAt: _ca, ...fields } = c;
    const res = await rep.patch(`/api/customers/${id}`, { ...fields, lifecycleStage: 'purchasing' });
    expect(res.statusCode, res.body).toBe(200);
    const history = await t.db.select().from(customerStageHistory).where(eq(customerStageHistory.customerId, id)).orderBy(asc(customerStageHistory.id));
    expect(history.map((h) => [h.fromStage, h.toStage, h.actorId])).toEqual([
      [null, 'lead', null],
      ['lead', 'purchasing', u.rep],
    ]);
  });

  it('reports customers per stage with days in the stage and the stalled ones, within the reader’s scope', async () => {
    const now = new Date();
    const old = await makeCustomer(t.db, { name: '上海停滞测试医院', owner: 'rep2', territoryId: '310115', lifecycleStage: 'intent' });
    await t.db.update(customerStageHistory).set({ at: new Date(now.getTime() - 120 * 86_400_000) }).where(eq(customerStageHistory.customerId, old.id));
    const office = await Client.as(t.app, 'office');
    const res = await office.get('/api/crm/lifecycle');
    expect(res.statusCode, res.body).toBe(200);
    const stages = res.json().stages as { stage: string; customers: number; medianDays: number | null; averageDays: number | null; stalled: number }[];
    expect(stages.map((s) => s.stage)).toEqual(['identified', 'lead', 'intent', 'purchasing', 'complete']);
    const [counted] = rowsOf<{ n: number }>(await t.db.execute(sql`select count(*)::int as n from customers where lifecycle_stage = 'intent' and status = 'active'`));
    const intent = stages.find((s) => s.stage === 'intent')!;
    expect(intent.customers).toBe(counted!.n);
    // The stalled one, and the customer converted above (in 'intent' since February).
    expect(intent.stalled).toBe(2);
    expect(intent.averageDays).toBeGreaterThan(0);
    // Filters: only rep2's customers → the stalled one alone in 'intent'.
    const byOwner = (await office.get(`/api/crm/lifecycle?ownerId=${u.rep2}`)).json().stages.find((s: { stage: string }) => s.stage === 'intent');
    expect(byOwner).toMatchObject({ customers: 1, stalled: 1 });
    expect(byOwner.medianDays).toBeCloseTo(120, 0);
    // A team lead sees the team; a rep may not read the report.
    const team = (await (await Client.as(t.app, 'team_lead')).get('/api/crm/lifecycle')).json().stages.find((s: { stage: string }) => s.stage === 'intent');
    expect(team.stalled).toBe(2);
    const north = (await (await Client.as(t.app, 'north_manager')).get('/api/crm/lifecycle')).json().stages;
    expect(north.every((s: { customers: number }) => s.customers === 0)).toBe(true);
    expect((await (await Client.as(t.app, 'rep')).get('/api/crm/lifecycle')).statusCode).toBe(403);
  });

  it('filters the customer list by stage', async () => {
    const office = await Client.as(t.app, 'office');
    const list = (await office.get('/api/customers?lifecycleStage=purchasing&pageSize=200')).json().items.map((c: { name: string }) => c.name);
    expect(list).toContain('上海生命周期测试医院');
    expect(list).not.toContain('上海停滞测试医院');
  });
});

describe('importing leads', () => {
  const HEADERS = ['单位名称', '联系人', '职务', '电话', '省', '市', '区县', '来源', '客户类型', '意向产品', '分级', '下次跟进日期', '负责人(用户名)', '备注'];
  type Row = Partial<Record<(typeof HEADERS)[number], string>>;
  async function xlsxOf(rows: Row[]): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('潜在客户');
    sheet.addRow(HEADERS);
    for (const r of rows) sheet.addRow(HEADERS.map((h) => r[h] ?? ''));
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  it('offers a template with the Chinese headers', async () => {
    const res = await (await Client.as(t.app, 'office')).get('/api/imports/leads/template.xlsx');
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const headers = (wb.worksheets[0]!.getRow(1).values as string[]).slice(1);
    for (const h of HEADERS) expect(headers).toContain(h);
  });

  it('reports duplicates, unknown places and bad mobiles per row, and imports the good rows with owners or by the rules', async () => {
    const office = await Client.as(t.app, 'office');
    const [product] = rowsOf<{ code: string; id: number }>(await t.db.execute(sql`select id, code from products order by id limit 1`));
    const rows: Row[] = [
      { 单位名称: '导入测试徐汇医院', 联系人: '刘主任', 电话: '13911112222', 省: '上海市', 市: '上海市', 区县: '徐汇区', 来源: '会议', 客户类型: '医院', 意向产品: product!.code, 分级: 'B', 下次跟进日期: '2026-12-20' },
      { 单位名称: '导入测试浦东药房', 省: '上海', 区县: '浦东新区', 来源: '电话', '负责人(用户名)': 'rep' },
      { 单位名称: '导入测试徐汇医院', 省: '上海', 区县: '徐汇', 来源: '电话' },
      { 单位名称: '上海徐汇转化测试医院', 省: '上海', 来源: '电话' },
      { 单位名称: '导入测试无名地', 省: '火星', 来源: '电话' },
      { 单位名称: '导入测试坏手机', 电话: '1391111', 来源: '电话' },
    ];
    const up = await office.upload('/api/imports/leads', '线索.xlsx', await xlsxOf(rows));
    expect(up.statusCode, up.body).toBe(200);
    const body = up.json();
    expect(body).toMatchObject({ total: 6, valid: 2 });
    const errorRows = (body.errors as { row: number; column: string | null; message: string }[]).map((e) => e.row);
    expect(new Set(errorRows)).toEqual(new Set([4, 5, 6, 7]));
    const msg = (row: number) => (body.errors as { row: number; message: string }[]).filter((e) => e.row === row).map((e) => e.message).join(' ');
    expect(msg(4)).toContain('第 2 行');
    expect(msg(5)).toContain('已是客户');
    const commit = await office.post(`/api/imports/batches/${body.batchId}/commit`, { mode: 'valid_only' });
    expect(commit.statusCode, commit.body).toBe(200);
    expect(commit.json().result.committed).toBe(2);
    const imported = await t.db.select().from(leads).where(sql`${leads.organisation} in ('导入测试徐汇医院', '导入测试浦东药房')`).orderBy(asc(leads.organisation));
    const byName = Object.fromEntries(imported.map((l) => [l.organisation, l]));
    // The Xuhui lead had no owner: the territory rule gave it to the rep covering 徐汇.
    expect(byName['导入测试徐汇医院']).toMatchObject({ ownerId: u.rep, territoryId: '310104', grade: 'B', source: 'event', customerType: 'hospital', nextFollowUpOn: '2026-12-20' });
    expect(byName['导入测试浦东药房']).toMatchObject({ ownerId: u.rep, territoryId: '310115', source: 'phone' });
    const [products] = rowsOf<{ n: number }>(await t.db.execute(sql`select count(*)::int as n from lead_products where lead_id = ${byName['导入测试徐汇医院']!.id} and product_id = ${product!.id}`));
    expect(products!.n).toBe(1);
  });

  it('refuses an owner outside the importer’s reach', async () => {
    const teamLead = await Client.as(t.app, 'team_lead');
    const up = await teamLead.upload('/api/imports/leads', 'far.xlsx', await xlsxOf([{ 单位名称: '导入越界负责人医院', 来源: '电话', '负责人(用户名)': 'rep_bj' }]));
    expect(up.statusCode, up.body).toBe(200);
    const commit = await teamLead.post(`/api/imports/batches/${up.json().batchId}/commit`, { mode: 'all_or_nothing' });
    expect(commit.statusCode).toBe(403);
    expect(await t.db.select().from(leads).where(eq(leads.organisation, '导入越界负责人医院'))).toEqual([]);
  });

  it('is for lead importers only', async () => {
    const rep = await Client.as(t.app, 'rep');
    expect((await rep.upload('/api/imports/leads', 'x.xlsx', await xlsxOf([{ 单位名称: '越权导入', 来源: '电话' }]))).statusCode).toBe(403);
  });
});

