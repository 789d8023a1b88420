import ExcelJS from 'exceljs';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinJobs } from '../src/app.js';
import { rowsOf } from '../src/kernel/db/client.js';
import { auditLog } from '../src/kernel/audit/audit.tables.js';
import { notifications } from '../src/kernel/notify/notify.tables.js';
import { leadEvents, leads } from '../src/modules/leads/leads.tables.js';
import { reclaimStaleLeads } from '../src/modules/leads/leads.service.js';
import { touchLead } from '../src/modules/leads/leads.touch.js';
import { Client, makeCustomer, setupTest, userIdOf } from './support.js';

let t: Awaited<ReturnType<typeof setupTest>>;
const u: Record<string, number> = {};
let productId: number;

beforeAll(async () => {
  t = await setupTest({ demo: true, demoCustomers: false });
  for (const name of ['rep', 'rep2', 'rep_bj', 'team_lead', 'east_manager', 'office', 'finance']) u[name] = await userIdOf(t.db, name);
  await makeCustomer(t.db, { name: '上海瑞金医院', owner: 'rep', territoryId: '310101' });
  const [p] = rowsOf<{ id: number }>(await t.db.execute(sql`select id from products order by id limit 1`));
  productId = p!.id;
});
afterAll(() => t.close());

type Lead = { id: number; code: string; ownerId: number | null; version: number; grade: string; status: string; events: { kind: string; details: Record<string, unknown> }[] };
const lead = (organisation: string, extra: Record<string, unknown> = {}) => ({ organisation, source: 'visit', territoryId: '310104', ...extra });

async function settings(mode: 'territory' | 'round_robin' | 'manual', extra: Record<string, unknown> = {}) {
  const officeLead = await Client.as(t.app, 'office_lead');
  const current = (await officeLead.get('/api/crm/settings')).json();
  const { updatedAt: _, ...rest } = current;
  const res = await officeLead.request({ method: 'PUT', url: '/api/crm/settings', payload: { ...rest, leadAssignment: mode, ...extra } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

describe('capturing leads', () => {
  it('gives a rep’s new lead to the rep and finds it by name, pinyin, initials, phone and code', async () => {
    const rep = await Client.as(t.app, 'rep');
    const res = await rep.post('/api/leads', lead('上海徐汇康宁诊所', { contactName: '李主任', phone: '+86 138-1234-5678', productIds: [productId], nextFollowUpOn: '2026-12-01' }));
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({ ownerId: u.rep, ownerName: '张伟', grade: 'C', lifecycleStage: 'lead', status: 'open', phone: '13812345678', territoryName: expect.stringContaining('徐汇区') });
    expect(created.code).toMatch(/^XS\d{6}$/);
    expect(created.products.map((p: { id: number }) => p.id)).toEqual([productId]);
    expect(created.events.map((e: { kind: string }) => e.kind)).toEqual(['created']);
    expect(created.assignedAt).not.toBeNull();
    for (const q of ['康宁诊所', 'kangning', 'shxhknzs', '13812345678', created.code]) {
      const list = await rep.get(`/api/leads?q=${encodeURIComponent(q)}`);
      expect(list.json().items.map((l: { id: number }) => l.id), q).toEqual([created.id]);
    }
    const [entry] = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'lead.created'), eq(auditLog.entityId, String(created.id))));
    expect(entry).toBeDefined();
  });

  it('refuses a malformed mobile, an unknown territory or product, and malformed input', async () => {
    const rep = await Client.as(t.app, 'rep');
    const mobile = await rep.post('/api/leads', lead('测试诊所甲', { phone: '1381234567' }));
    expect(mobile.statusCode, mobile.body).toBe(422);
    expect(mobile.json().error.fields).toMatchObject([{ path: 'phone', message: expect.stringContaining('手机号') }]);
    // A landline is not checked as a mobile.
    expect((await rep.post('/api/leads', lead('测试诊所乙', { phone: '021-64370045' }))).statusCode).toBe(201);
    expect((await rep.post('/api/leads', lead('测试诊所丙', { territoryId: '999999' }))).json().error.fields[0].path).toBe('territoryId');
    expect((await rep.post('/api/leads', lead('测试诊所丁', { productIds: [9_999_999] }))).statusCode).toBe(422);
    expect((await rep.post('/api/leads', { organisation: '', source: 'nowhere' })).statusCode).toBe(400);
    expect((await (await Client.as(t.app, 'finance')).post('/api/leads', lead('财务录入'))).statusCode).toBe(403);
  });

  it('refuses an organisation that is already a customer, and warns of an open lead of the same name unless confirmed', async () => {
    const rep = await Client.as(t.app, 'rep');
    const customer = await rep.post('/api/leads', lead('上海瑞金医院有限公司'));
    expect(customer.statusCode).toBe(409);
    expect(customer.json().error).toMatchObject({ code: 'LEAD_IS_CUSTOMER' });
    expect(customer.json().error.message).toContain('上海瑞金医院');
    const twin = await (await Client.as(t.app, 'rep2')).post('/api/leads', lead('上海徐汇康宁诊所有限公司', { territoryId: '310115' }));
    expect(twin.statusCode).toBe(409);
    expect(twin.json().error.code).toBe('LEAD_DUPLICATE');
    expect(twin.json().error.message).toMatch(/XS\d{6}/);
    const confirmed = await (await Client.as(t.app, 'rep2')).post('/api/leads', lead('上海徐汇康宁诊所有限公司', { territoryId: '310115', confirmDuplicate: true }));
    expect(confirmed.statusCode).toBe(201);
    expect(confirmed.json().ownerId).toBe(u.rep2);
  });

  it('lets only assigners name another owner', async () => {
    const rep = await Client.as(t.app, 'rep');
    expect((await rep.post('/api/leads', lead('代填负责人诊所', { ownerId: u.rep2 }))).statusCode).toBe(403);
    const office = await Client.as(t.app, 'office');
    const named = await office.post('/api/leads', lead('内勤指定诊所', { ownerId: u.rep2, source: 'phone' }));
    expect(named.statusCode, named.body).toBe(201);
    expect(named.json()).toMatchObject({ ownerId: u.rep2 });
    expect(named.json().events.map((e: { kind: string }) => e.kind)).toEqual(['created', 'assigned']);
    const finance = await office.post('/api/leads', lead('交给财务诊所', { ownerId: u.finance }));
    expect(finance.statusCode, finance.body).toBe(422);
    expect(finance.json().error.fields[0]).toMatchObject({ path: 'ownerId', message: expect.stringContaining('钱芳') });
  });
});

describe('assignment rules', () => {
  it('gives an unowned lead to the rep whose territory covers it most specifically and tells them', async () => {
    await settings('territory');
    const office = await Client.as(t.app, 'office');
    const xuhui = (await office.post('/api/leads', lead('徐汇区社区卫生服务中心', { source: 'phone' }))).json();
    expect(xuhui.ownerId).toBe(u.rep);
    expect(xuhui.events.find((e: Lead['events'][number]) => e.kind === 'assigned')).toMatchObject({ details: { ownerId: u.rep, by: 'rule' }, ownerName: '张伟' });
    const [note] = await t.db.select().from(notifications).where(and(eq(notifications.userId, u.rep), eq(notifications.link, `/leads/${xuhui.id}`)));
    expect(note?.title).toContain('徐汇区社区卫生服务中心');
    const pudong = (await office.post('/api/leads', lead('浦东新区测试药房', { territoryId: '310115' }))).json();
    expect(pudong.ownerId).toBe(u.rep2);
    // 静安: covered only by the team lead and the regional manager (managers) → the pool.
    const jingan = (await office.post('/api/leads', lead('静安区测试医院', { territoryId: '310106' }))).json();
    expect(jingan.ownerId).toBeNull();
    // No territory at all → the pool.
    expect((await office.post('/api/leads', lead('无地区线索', { territoryId: null }))).json().ownerId).toBeNull();
  });

  it('leaves unowned leads in the pool in manual mode', async () => {
    await settings('manual');
    const office = await Client.as(t.app, 'office');
    const res = await office.post('/api/leads', lead('手动模式诊所', { territoryId: '310104' }));
    expect(res.json()).toMatchObject({ ownerId: null, status: 'open' });
    expect(res.json().events.map((e: { kind: string }) => e.kind)).toEqual(['created']);
  });

  it('deals leads out in turn within the round-robin team, also under concurrent creation', async () => {
    const [team] = rowsOf<{ id: number }>(await t.db.execute(sql`select id from departments where name = '上海一组'`));
    await settings('round_robin', { roundRobinDepartmentId: team!.id });
    const office = await Client.as(t.app, 'office');
    const members = [u.team_lead!, u.rep!, u.rep2!].sort((a, b) => a - b);
    const owners: number[] = [];
    for (let i = 0; i < 4; i++) owners.push((await office.post('/api/leads', lead(`轮流分配测试${i}`))).json().ownerId);
    const start = members.indexOf(owners[0]!);
    expect(owners).toEqual([0, 1, 2, 3].map((i) => members[(start + i) % 3]));
    const concurrent = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => office.post('/api/leads', lead(`并发分配测试${i}`))));
    const got = concurrent.map((r) => r.json().ownerId as number);
    for (const m of members) expect(got.filter((o) => o === m).length).toBe(2);
    await settings('territory');
  });
});

describe('who sees which lead', () => {
  let repLead: number;
  let rep2Lead: number;
  let poolXuhui: number;
  let poolBeijing: number;
  beforeAll(async () => {
    await settings('manual');
    repLead = (await (await Client.as(t.app, 'rep')).post('/api/leads', lead('范围测试甲医院'))).json().id;
    rep2Lead = (await (await Client.as(t.app, 'rep2')).post('/api/leads', lead('范围测试乙医院', { territoryId: '310115' }))).json().id;
    const office = await Client.as(t.app, 'office');
    poolXuhui = (await office.post('/api/leads', lead('范围测试池徐汇'))).json().id;
    poolBeijing = (await office.post('/api/leads', lead('范围测试池北京', { territoryId: '110101' }))).json().id;
    await settings('territory');
  });
  const idsOf = async (c: Client, query = '') => ((await c.get(`/api/leads?pageSize=200&q=${encodeURIComponent('范围测试')}${query}`)).json().items as { id: number }[]).map((l) => l.id).sort();

  it('shows a rep their own leads and the pool leads of their territory, not another rep’s', async () => {
    const rep = await Client.as(t.app, 'rep');
    expect(await idsOf(rep)).toEqual([repLead, poolXuhui].sort());
    expect(await idsOf(rep, '&pool=true')).toEqual([poolXuhui]);
    expect(await idsOf(rep, '&mine=true')).toEqual([repLead]);
    expect((await rep.get(`/api/leads/${rep2Lead}`)).statusCode).toBe(404);
    expect((await rep.patch(`/api/leads/${rep2Lead}`, { ...lead('改名'), version: 1 })).statusCode).toBe(404);
    const bj = await Client.as(t.app, 'rep_bj');
    expect(await idsOf(bj)).toEqual([poolBeijing]);
  });

  it('exports only what the reader sees', async () => {
    const res = await (await Client.as(t.app, 'rep')).get(`/api/leads/export.xlsx?q=${encodeURIComponent('范围测试')}`);
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const names = wb.worksheets[0]!.getColumn(2).values.slice(2);
    expect([...names].sort()).toEqual(['范围测试池徐汇', '范围测试甲医院'].sort());
  });

  it('shows a team lead the team’s leads, the office everything, and refuses finance', async () => {
    expect(await idsOf(await Client.as(t.app, 'team_lead'))).toEqual([repLead, rep2Lead, poolXuhui].sort());
    expect(await idsOf(await Client.as(t.app, 'office'))).toEqual([repLead, rep2Lead, poolXuhui, poolBeijing].sort());
    expect(await idsOf(await Client.as(t.app, 'office'), `&ownerId=${u.rep2}`)).toEqual([rep2Lead]);
    expect((await (await Client.as(t.app, 'finance')).get('/api/leads')).statusCode).toBe(403);
    expect((await (await Client.as(t.app, 'management')).get(`/api/leads/${repLead}`)).statusCode).toBe(200);
  });

  it('lets a rep claim a pool lead of their territory, not one elsewhere, and not twice', async () => {
    const rep = await Client.as(t.app, 'rep');
    const claimed = await rep.post(`/api/leads/${poolXuhui}/claim`);
    expect(claimed.statusCode, claimed.body).toBe(200);
    expect(claimed.json()).toMatchObject({ ownerId: u.rep });
    expect(claimed.json().events.at(-1)).toMatchObject({ kind: 'claimed' });
    expect((await rep.post(`/api/leads/${poolBeijing}/claim`)).statusCode).toBe(404);
    expect((await (await Client.as(t.app, 'team_lead')).post(`/api/leads/${poolXuhui}/claim`)).statusCode).toBe(409);
  });

  it('lets the owner or a manager over them release a lead, nobody else', async () => {
    const rep = await Client.as(t.app, 'rep');
    const released = await rep.post(`/api/leads/${poolXuhui}/release`, { reason: '不在负责范围' });
    expect(released.statusCode, released.body).toBe(200);
    expect(released.json()).toMatchObject({ ownerId: null });
    expect((await (await Client.as(t.app, 'rep2')).post(`/api/leads/${repLead}/release`, {})).statusCode).toBe(404);
    expect((await (await Client.as(t.app, 'north_manager')).post(`/api/leads/${repLead}/release`, {})).statusCode).toBe(404);
    const byLead = await (await Client.as(t.app, 'team_lead')).post(`/api/leads/${rep2Lead}/release`, {});
    expect(byLead.statusCode).toBe(200);
    expect(byLead.json().ownerId).toBeNull();
  });

  it('lets an assigner give visible leads to a rep within reach only', async () => {
    const teamLead = await Client.as(t.app, 'team_lead');
    const ok = await teamLead.post('/api/leads/assign', { leadIds: [poolXuhui, rep2Lead], ownerId: u.rep });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ assigned: 2 });
    expect((await teamLead.get(`/api/leads/${rep2Lead}`)).json().events.at(-1)).toMatchObject({ kind: 'assigned', details: { ownerId: u.rep, by: 'manual' } });
    const far = await teamLead.post('/api/leads/assign', { leadIds: [poolXuhui], ownerId: u.rep_bj });
    expect(far.statusCode).toBe(403);
    expect(far.json().error.code).toBe('OWNERSHIP_USER_OUT_OF_REACH');
    expect((await teamLead.post('/api/leads/assign', { leadIds: [poolBeijing], ownerId: u.rep })).statusCode).toBe(404);
    expect((await (await Client.as(t.app, 'office')).post('/api/leads/assign', { leadIds: [poolBeijing], ownerId: u.finance })).statusCode).toBe(422);
    expect((await (await Client.as(t.app, 'rep')).post('/api/leads/assign', { leadIds: [poolXuhui], ownerId: u.rep })).statusCode).toBe(403);
  });
});

describe('working a lead', () => {
  let id: number;
  beforeAll(async () => {
    id = (await (await Client.as(t.app, 'rep')).post('/api/leads', lead('跟进测试医院', { nextFollowUpOn: '2020-01-01' }))).json().id;
  });

  it('edits with the version read and refuses a stale edit', async () => {
    const rep = await Client.as(t.app, 'rep');
    const ok = await rep.patch(`/api/leads/${id}`, { ...lead('跟进测试医院'), contactName: '王主任', nextFollowUpOn: '2020-01-01', version: 1 });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ contactName: '王主任', version: 2 });
    expect((await rep.patch(`/api/leads/${id}`, { ...lead('跟进测试医院'), version: 1 })).statusCode).toBe(409);
  });

  it('keeps every grade and stage change with its date', async () => {
    const rep = await Client.as(t.app, 'rep');
    const graded = await rep.post(`/api/leads/${id}/grade`, { grade: 'A', version: 2 });
    expect(graded.statusCode, graded.body).toBe(200);
    expect(graded.json()).toMatchObject({ grade: 'A', version: 3 });
    expect(graded.json().events.at(-1)).toMatchObject({ kind: 'graded', details: { from: 'C', to: 'A' }, actorName: '张伟' });
    expect((await rep.post(`/api/leads/${id}/grade`, { grade: 'H', version: 2 })).statusCode).toBe(409);
    expect((await rep.post(`/api/leads/${id}/grade`, { grade: 'Z', version: 3 })).statusCode).toBe(400);
    const staged = await rep.post(`/api/leads/${id}/stage`, { stage: 'intent', version: 3 });
    expect(staged.json().events.at(-1)).toMatchObject({ kind: 'staged', details: { from: 'lead', to: 'intent' } });
    expect((await rep.post(`/api/leads/${id}/stage`, { stage: 'purchasing', version: 4 })).statusCode).toBe(400);
  });

  it('lists follow-ups due and overdue', async () => {
    const rep = await Client.as(t.app, 'rep');
    const overdue = (await rep.get('/api/leads?followUp=overdue&pageSize=200')).json().items.map((l: { id: number }) => l.id);
    expect(overdue).toContain(id);
    const due = (await rep.get('/api/leads?followUp=due&pageSize=200')).json().items.map((l: { id: number }) => l.id);
    expect(due).toContain(id);
    const later = (await rep.get('/api/leads?followUp=due&pageSize=200&q=康宁')).json().items;
    expect(later).toEqual([]);
  });

  it('closes with a reason and reopens', async () => {
    const rep = await Client.as(t.app, 'rep');
    const closed = await rep.post(`/api/leads/${id}/close`, { reason: '已被竞品独家', version: 4 });
    expect(closed.json()).toMatchObject({ status: 'closed', closedReason: '已被竞品独家' });
    expect((await rep.post(`/api/leads/${id}/grade`, { grade: 'B', version: 5 })).statusCode).toBe(409);
    const reopened = await rep.post(`/api/leads/${id}/reopen`, { version: 5 });
    expect(reopened.json()).toMatchObject({ status: 'open', closedReason: null });
  });

  it('exports the list to Excel', async () => {
    const res = await (await Client.as(t.app, 'rep')).get('/api/leads/export.xlsx?mine=true');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
  });
});

describe('reclaim ("规定时间内处理")', () => {
  const T0 = new Date('2020-03-01T02:00:00Z');
  const day = 86_400_000;
  let stale: number;
  let touched: number;
  beforeAll(async () => {
    await settings('territory', { leadReclaimDays: 7 });
    const rep = await Client.as(t.app, 'rep');
    stale = (await rep.post('/api/leads', lead('收回测试甲'))).json().id;
    touched = (await rep.post('/api/leads', lead('收回测试乙'))).json().id;
    await t.db.update(leads).set({ assignedAt: T0, lastActedAt: null }).where(sql`${leads.id} in (${stale}, ${touched})`);
  });
  const ownerOf = async (id: number) => (await t.db.select({ ownerId: leads.ownerId }).from(leads).where(eq(leads.id, id)))[0]!.ownerId;

  it('is an hourly job', () => {
    const job = builtinJobs(t.db).find((j) => j.name === 'leads.reclaim');
    expect(job?.cron).toBe('0 * * * *');
  });

  it('keeps a lead a minute before the N days and reclaims it after, telling the former owner once', async () => {
    await touchLead(t.db, touched, u.rep!, new Date(T0.getTime() + 5 * day));
    expect(await reclaimStaleLeads(t.db, new Date(T0.getTime() + 7 * day - 60_000))).toBe(0);
    expect(await ownerOf(stale)).toBe(u.rep);
    expect(await reclaimStaleLeads(t.db, new Date(T0.getTime() + 7 * day + 60_000))).toBe(1);
    expect(await ownerOf(stale)).toBeNull();
    expect(await ownerOf(touched)).toBe(u.rep);
    const [event] = await t.db.select().from(leadEvents).where(and(eq(leadEvents.leadId, stale), eq(leadEvents.kind, 'reclaimed')));
    expect(event?.details).toMatchObject({ formerOwnerId: u.rep, days: 7 });
    const notes = await t.db.select().from(notifications).where(and(eq(notifications.userId, u.rep!), eq(notifications.event, 'lead.reclaimed')));
    expect(notes).toHaveLength(1);
    expect(notes[0]!.body).toContain('收回测试甲');
  });

  it('counts from the owner’s last action and does nothing more on a second run', async () => {
    expect(await reclaimStaleLeads(t.db, new Date(T0.getTime() + 12 * day - 60_000))).toBe(0);
    expect(await reclaimStaleLeads(t.db, new Date(T0.getTime() + 12 * day + 60_000))).toBe(1);
    expect(await ownerOf(touched)).toBeNull();
    expect(await reclaimStaleLeads(t.db, new Date(T0.getTime() + 12 * day + 60_000))).toBe(0);
    const notes = await t.db.select().from(notifications).where(and(eq(notifications.userId, u.rep!), eq(notifications.event, 'lead.reclaimed')));
    expect(notes).toHaveLength(2);
  });

  it('never reclaims when the days are 0', async () => {
    await settings('territory', { leadReclaimDays: 0 });
    const id = (await (await Client.as(t.app, 'rep')).post('/api/leads', lead('收回测试丙'))).json().id;
    await t.db.update(leads).set({ assignedAt: T0, lastActedAt: T0 }).where(eq(leads.id, id));
    expect(await reclaimStaleLeads(t.db, new Date('2030-01-01T00:00:00Z'))).toBe(0);
    expect(await ownerOf(id)).toBe(u.rep);
    await settings('territory', { leadReclaimDays: 7 });
  });
});

describe('website inquiries', () => {
  const anonymous = () => new Client(t.app);
  const inquiry = { organisation: '上海徐汇询盘医院', contactName: '陈先生', phone: '13900001234', province: '上海市', city: '徐汇区', products: '阿莫西林', message: '想了解价格' };

  it('turns an inquiry into a website lead assigned by the rules, without a login', async () => {
    const res = await anonymous().request({ method: 'POST', url: '/api/public/inquiries', payload: inquiry, remoteAddress: '10.0.0.1' });
    expect(res.statusCode, res.body).toBe(202);
    const [row] = await t.db.select().from(leads).where(eq(leads.organisation, '上海徐汇询盘医院'));
    expect(row).toMatchObject({ source: 'website', ownerId: u.rep, territoryId: '310104', status: 'open' });
    expect(row!.inquiry).toMatchObject({ contactName: '陈先生', message: '想了解价格' });
    expect(row!.notes).toContain('阿莫西林');
  });

  it('drops an inquiry whose honeypot is filled, and asks for a phone or e-mail', async () => {
    const bot = await anonymous().request({ method: 'POST', url: '/api/public/inquiries', payload: { ...inquiry, organisation: '机器人医院', website: 'http://spam' }, remoteAddress: '10.0.0.2' });
    expect(bot.statusCode).toBe(202);
    expect(await t.db.select().from(leads).where(eq(leads.organisation, '机器人医院'))).toEqual([]);
    const none = await anonymous().request({ method: 'POST', url: '/api/public/inquiries', payload: { ...inquiry, phone: null }, remoteAddress: '10.0.0.2' });
    expect(none.statusCode).toBe(422);
  });

  it('accepts at most 10 inquiries per IP per hour', async () => {
    const send = (ip: string) => anonymous().request({ method: 'POST', url: '/api/public/inquiries', payload: { ...inquiry, website: 'x' }, remoteAddress: ip });
    for (let i = 0; i < 10; i++) expect((await send('10.0.0.3')).statusCode).toBe(202);
    const over = await send('10.0.0.3');
    expect(over.statusCode).toBe(429);
    expect(over.json().error.code).toBe('INQUIRY_RATE_LIMITED');
    expect((await send('10.0.0.4')).statusCode).toBe(202);
  });
});

describe('CRM settings', () => {
  it('lets everyone read them, only configurers change them, with validation and the version', async () => {
    const rep = await Client.as(t.app, 'rep');
    const current = (await rep.get('/api/crm/settings')).json();
    const { updatedAt: _, ...body } = current;
    expect((await rep.request({ method: 'PUT', url: '/api/crm/settings', payload: body })).statusCode).toBe(403);
    const officeLead = await Client.as(t.app, 'office_lead');
    const put = (payload: unknown) => officeLead.request({ method: 'PUT', url: '/api/crm/settings', payload: payload as object });
    expect((await put({ ...body, leadReclaimDays: 400 })).statusCode).toBe(400);
    expect((await put({ ...body, hotProbability: 0 })).statusCode).toBe(400);
    expect((await put({ ...body, dormantDays: { ...body.dormantDays, A: 0 } })).statusCode).toBe(400);
    const noTeam = await put({ ...body, leadAssignment: 'round_robin', roundRobinDepartmentId: null });
    expect(noTeam.statusCode).toBe(422);
    expect(noTeam.json().error.fields[0].path).toBe('roundRobinDepartmentId');
    const ok = await put({ ...body, hotProbability: 70 });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ hotProbability: 70, version: body.version + 1 });
    expect((await put({ ...body, hotProbability: 80 })).statusCode).toBe(409);
  });
});
