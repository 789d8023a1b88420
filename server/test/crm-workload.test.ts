import ExcelJS from 'exceljs';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { departments, users } from '../src/kernel/access/access.tables.js';
import { activities, activityComments } from '../src/modules/activities/activities.tables.js';
import type { ActivityStatus, ActivityType } from '../src/modules/activities/activities.tables.js';
import { leadEvents, leads } from '../src/modules/leads/leads.tables.js';
import { opportunities, opportunityStageHistory, opportunityStages } from '../src/modules/opportunities/opportunities.tables.js';
import { Client, makeCustomer, makeUser, setupTest, userIdOf } from './support.js';

// The period under test is March 2026 in Asia/Shanghai: [2026-02-28T16:00Z, 2026-03-31T16:00Z).
const PERIOD = 'from=2026-03-01&to=2026-03-31';
const FIRST_INSTANT = new Date('2026-02-28T16:00:00Z'); // 03-01 00:00 Shanghai: in
const JUST_BEFORE = new Date('2026-02-28T15:59:59Z'); // 02-28 23:59:59 Shanghai: out
const LAST_INSTANT = new Date('2026-03-31T15:59:59Z'); // 03-31 23:59:59 Shanghai: in
const JUST_AFTER = new Date('2026-03-31T16:00:00Z'); // 04-01 00:00 Shanghai: out
const MID = new Date('2026-03-15T02:00:00Z');

let t: Awaited<ReturnType<typeof setupTest>>;
const id: Record<string, number> = {};
const stage: Record<string, number> = {};
const dept: Record<string, number> = {};

type Row = Record<string, number | string | null>;

async function activity(owner: string, type: ActivityType, status: ActivityStatus, startsAt: Date, extra: Partial<typeof activities.$inferInsert> = {}) {
  const [user] = await t.db.select().from(users).where(eq(users.id, id[owner]));
  const [row] = await t.db
    .insert(activities)
    .values({
      type,
      status,
      startsAt,
      subject: `${type} ${owner}`,
      customerId: extra.leadId ? null : id[`${owner}Customer`],
      ownerId: user.id,
      ownerDepartmentId: user.departmentId,
      createdBy: user.id,
      ...extra,
    })
    .returning({ id: activities.id });
  return row.id;
}

async function lead(organisation: string, owner: string | null) {
  const ownerId = owner ? id[owner] : null;
  const [row] = await t.db
    .insert(leads)
    .values({ organisation, nameKey: organisation, source: 'visit', searchText: organisation, ownerId, ownerDepartmentId: owner ? dept.east_sh : null, createdBy: id.office })
    .returning({ id: leads.id });
  return row.id;
}

async function opportunity(owner: string, status: 'open' | 'won' | 'lost', closedAt: Date | null) {
  const [row] = await t.db
    .insert(opportunities)
    .values({
      name: `机会 ${owner} ${status}`,
      customerId: id[`${owner}Customer`],
      stageId: stage[status === 'open' ? 'needs' : status],
      status,
      probability: 30,
      lostReason: status === 'lost' ? 'price' : null,
      closedAt,
      ownerId: id[owner],
      createdBy: id[owner],
    })
    .returning({ id: opportunities.id });
  return row.id;
}

beforeAll(async () => {
  t = await setupTest({ demo: true, demoCustomers: false });
  for (const u of ['office', 'team_lead', 'east_manager', 'rep', 'rep2', 'rep_js', 'rep_bj']) id[u] = await userIdOf(t.db, u);
  for (const d of await t.db.select().from(departments)) dept[{ 上海一组: 'east_sh', 江苏组: 'east_js', 华东大区: 'east', 北京组: 'north_bj' }[d.name] ?? d.name] = d.id;
  for (const s of await t.db.select().from(opportunityStages)) stage[s.code] = s.id;
  id.repCustomer = (await makeCustomer(t.db, { name: '上海协和医院', owner: 'rep', territoryId: '310104' })).id;
  id.repCustomerB = (await makeCustomer(t.db, { name: '上海瑞金医院', owner: 'rep', territoryId: '310101' })).id;
  id.repCustomerC = (await makeCustomer(t.db, { name: '上海华山医院', owner: 'rep', territoryId: '310101' })).id;
  id.rep2Customer = (await makeCustomer(t.db, { name: '上海浦东医药有限公司', owner: 'rep2', territoryId: '310115', type: 'distributor' })).id;
  id.rep_jsCustomer = (await makeCustomer(t.db, { name: '南京鼓楼医院', owner: 'rep_js', territoryId: '320106' })).id;
  id.rep_bjCustomer = (await makeCustomer(t.db, { name: '北京协和医院', owner: 'rep_bj', territoryId: '110101' })).id;
  // A rep who left: disabled users are not in the report even with activities.
  const gone = await makeUser(t.db, { username: 'rep_gone', departmentId: dept.east_sh, roles: ['rep'] });
  id.rep_gone = gone.id;
  id.rep_goneCustomer = id.repCustomer;
  await activity('rep_gone', 'visit', 'done', MID);
  await t.db.update(users).set({ status: 'disabled' }).where(eq(users.id, gone.id));

  // rep (张伟): visits at both edges in, both edges out; a plan; a cancelled visit; calls; WeChat and a meal.
  await activity('rep', 'visit', 'done', FIRST_INSTANT);
  await activity('rep', 'visit', 'done', LAST_INSTANT);
  await activity('rep', 'visit', 'done', JUST_BEFORE);
  await activity('rep', 'visit', 'done', JUST_AFTER);
  await activity('rep', 'visit', 'planned', MID);
  await activity('rep', 'visit', 'cancelled', MID);
  await activity('rep', 'phone', 'done', MID, { customerId: id.repCustomerB });
  await activity('rep', 'phone', 'done', MID, { customerId: id.repCustomerB });
  await activity('rep', 'phone', 'done', MID, { customerId: id.repCustomerC });
  const wechat = await activity('rep', 'wechat', 'done', MID);
  // The meal is with a lead (no customer): counted as a contact, not as a customer contacted.
  const mealLead = await lead('某医药公司', 'rep');
  await activity('rep', 'meal', 'done', MID, { leadId: mealLead });
  // Follow-ups of earlier activities (February): done in March, overdue as of 03-31, due on 03-31 (not overdue yet).
  const feb = new Date('2026-02-10T02:00:00Z');
  await activity('rep', 'phone', 'done', feb, { nextFollowUpOn: '2026-02-25', followUpDoneAt: new Date('2026-03-05T02:00:00Z') });
  await activity('rep', 'phone', 'done', feb, { nextFollowUpOn: '2026-03-15', followUpDoneAt: new Date('2026-03-31T15:00:00Z') });
  await activity('rep', 'phone', 'done', feb, { nextFollowUpOn: '2026-03-20' });
  await activity('rep', 'phone', 'done', feb, { nextFollowUpOn: '2026-03-10', followUpDoneAt: new Date('2026-04-02T02:00:00Z') });
  await activity('rep', 'phone', 'done', feb, { nextFollowUpOn: '2026-03-31' });
  await activity('rep', 'phone', 'cancelled', feb, { nextFollowUpOn: '2026-03-01' });

  // Leads: created by the rep for themselves; created into the pool by the office then assigned to the rep;
  // claimed by the rep from the pool; assigned in February (before the period).
  const own = await lead('自建线索医院', 'rep');
  const pooled = await lead('池中线索诊所', 'rep');
  const claimed = await lead('认领线索药房', 'rep');
  const old = await lead('二月线索医院', 'rep');
  const toRep2 = await lead('分给周杰的医院', 'rep2');
  await t.db.insert(leadEvents).values([
    { leadId: own, kind: 'created', at: MID, actorId: id.rep, details: {} },
    { leadId: own, kind: 'graded', at: MID, actorId: id.rep, details: { from: 'C', to: 'A' } },
    { leadId: own, kind: 'assigned', at: MID, actorId: id.rep, details: { ownerId: id.rep } },
    { leadId: pooled, kind: 'created', at: FIRST_INSTANT, actorId: id.office, details: { ownerId: null } },
    { leadId: pooled, kind: 'assigned', at: LAST_INSTANT, actorId: id.team_lead, details: { ownerId: id.rep } },
    { leadId: claimed, kind: 'claimed', at: MID, actorId: id.rep, details: {} },
    { leadId: old, kind: 'assigned', at: JUST_BEFORE, actorId: id.team_lead, details: { ownerId: id.rep } },
    { leadId: toRep2, kind: 'created', at: MID, actorId: id.office, details: {} }, // office created it, rep2 owns it: neither counts it as created
    { leadId: toRep2, kind: 'assigned', at: JUST_AFTER, actorId: id.office, details: { ownerId: id.rep2 } },
  ]);

  // Opportunities: moves by the rep (a creation row is no move), won and lost in March, lost in February.
  const opp = await opportunity('rep', 'open', null);
  await t.db.insert(opportunityStageHistory).values([
    { opportunityId: opp, fromStageId: null, toStageId: stage.contact, at: MID, actorId: id.rep },
    { opportunityId: opp, fromStageId: stage.contact, toStageId: stage.needs, at: MID, actorId: id.rep },
    { opportunityId: opp, fromStageId: stage.needs, toStageId: stage.proposal, at: LAST_INSTANT, actorId: id.rep },
    { opportunityId: opp, fromStageId: stage.proposal, toStageId: stage.needs, at: JUST_AFTER, actorId: id.rep },
    { opportunityId: opp, fromStageId: stage.needs, toStageId: stage.proposal, at: MID, actorId: id.team_lead },
  ]);
  await opportunity('rep', 'won', MID);
  await opportunity('rep', 'lost', FIRST_INSTANT);
  await opportunity('rep', 'lost', JUST_BEFORE);
  await opportunity('rep2', 'won', JUST_AFTER);

  // Comments on the rep's WeChat: two by the team lead in March, one by the rep (not "received"), one in April.
  await t.db.insert(activityComments).values([
    { activityId: wechat, authorId: id.team_lead, body: '客户需求要跟紧', createdAt: MID },
    { activityId: wechat, authorId: id.east_manager, body: '同意', createdAt: LAST_INSTANT },
    { activityId: wechat, authorId: id.rep, body: '收到', createdAt: MID },
    { activityId: wechat, authorId: id.team_lead, body: '四月再看', createdAt: JUST_AFTER },
  ]);

  // Others: rep2 one visit and one call; rep_js three visits; rep_bj one visit.
  await activity('rep2', 'visit', 'done', MID);
  await activity('rep2', 'phone', 'done', MID);
  for (let i = 0; i < 3; i++) await activity('rep_js', 'visit', 'done', MID);
  await activity('rep_bj', 'visit', 'done', MID);
});
afterAll(() => t.close());

const byName = (rows: Row[]) => Object.fromEntries(rows.map((r) => [r.displayName, r]));

describe('workload report', () => {
  it('counts every metric of a rep exactly, with the period edges in the company time zone', async () => {
    const office = await Client.as(t.app, 'office');
    const res = await office.get(`/api/crm/workload?${PERIOD}`);
    expect(res.statusCode, res.body).toBe(200);
    const zhang = byName(res.json().rows)['张伟'];
    expect(zhang).toMatchObject({
      userId: id.rep,
      departmentName: '上海一组',
      visits: 2,
      calls: 3,
      otherContacts: 2,
      planned: 1,
      customersContacted: 3,
      newLeads: 3,
      followUpsDone: 2,
      followUpsOverdue: 2,
      opportunitiesMoved: 2,
      opportunitiesWon: 1,
      opportunitiesLost: 1,
      commentsReceived: 2,
      people: 1,
    });
    const zhou = byName(res.json().rows)['周杰'];
    expect(zhou).toMatchObject({ visits: 1, calls: 1, newLeads: 0, opportunitiesWon: 0 });
    // The team lead moved the rep's opportunity once: counted for the team lead.
    expect(byName(res.json().rows)['孙伟']).toMatchObject({ opportunitiesMoved: 1, visits: 0 });
  });

  it('counts nothing for a rep in a period where they did nothing', async () => {
    const office = await Client.as(t.app, 'office');
    const res = await office.get('/api/crm/workload?from=2025-01-01&to=2025-01-31');
    const zhang = byName(res.json().rows)['张伟'];
    expect(zhang).toMatchObject({ visits: 0, calls: 0, newLeads: 0, followUpsOverdue: 0, commentsReceived: 0 });
  });

  it('counts a follow-up as overdue on a later period end until it is done', async () => {
    const office = await Client.as(t.app, 'office');
    // As of 2026-04-30: due 03-20 never done, due 03-31 never done; the one done on 04-02 is no longer overdue.
    const april = await office.get('/api/crm/workload?from=2026-04-01&to=2026-04-30');
    expect(byName(april.json().rows)['张伟']).toMatchObject({ followUpsOverdue: 2, followUpsDone: 1, visits: 1 });
  });

  it('lists active people who do sales work in the actor’s scope, and leaves disabled users and non-sales staff out', async () => {
    const office = await Client.as(t.app, 'office');
    const names = (await office.get(`/api/crm/workload?${PERIOD}`)).json().rows.map((r: Row) => r.displayName);
    expect(names).toEqual(expect.arrayContaining(['张伟', '周杰', '吴芳', '郑浩', '孙伟', '赵磊']));
    expect(names).not.toContain('rep_gone');
    expect(names).not.toContain('钱芳'); // finance
    expect(names).not.toContain('高远'); // management reads but does not work leads
  });

  it('shows a team lead only the people of 上海一组', async () => {
    const lead = await Client.as(t.app, 'team_lead');
    const res = await lead.get(`/api/crm/workload?${PERIOD}`);
    expect(res.statusCode).toBe(200);
    const rows: Row[] = res.json().rows;
    expect(rows.map((r) => r.displayName).sort()).toEqual(['周杰', '孙伟', '张伟'].sort());
    expect(new Set(rows.map((r) => r.departmentName))).toEqual(new Set(['上海一组']));
    // Asking for another team shows nobody rather than widening the scope.
    const other = await lead.get(`/api/crm/workload?${PERIOD}&departmentId=${dept.east_js}`);
    expect(other.json().rows).toEqual([]);
  });

  it('shows a regional manager their region and not the others', async () => {
    const manager = await Client.as(t.app, 'east_manager');
    const rows: Row[] = (await manager.get(`/api/crm/workload?${PERIOD}`)).json().rows;
    expect(rows.map((r) => r.displayName).sort()).toEqual(['吴芳', '周杰', '孙伟', '张伟', '赵磊'].sort());
  });

  it('refuses reps and finance (403) and lets management read everything', async () => {
    for (const who of ['rep', 'finance']) {
      const c = await Client.as(t.app, who);
      expect((await c.get(`/api/crm/workload?${PERIOD}`)).statusCode, who).toBe(403);
      expect((await c.get(`/api/crm/workload/export.xlsx?${PERIOD}`)).statusCode, who).toBe(403);
    }
    const management = await Client.as(t.app, 'management');
    const res = await management.get(`/api/crm/workload?${PERIOD}`);
    expect(res.statusCode).toBe(200);
    expect(byName(res.json().rows)['郑浩']).toMatchObject({ visits: 1 });
  });

  it('ranks by the chosen metric, sharing a place on equal figures, and totals the rows', async () => {
    const manager = await Client.as(t.app, 'east_manager');
    const res = await manager.get(`/api/crm/workload?${PERIOD}&sort=visits&order=desc`);
    const rows: Row[] = res.json().rows;
    expect(rows.slice(0, 3).map((r) => [r.displayName, r.rank, r.visits])).toEqual([
      ['吴芳', 1, 3],
      ['张伟', 2, 2],
      ['周杰', 3, 1],
    ]);
    expect(rows.slice(3).map((r) => r.rank)).toEqual([4, 4]);
    expect(res.json().totals).toMatchObject({ visits: 6, calls: 4, people: 5, commentsReceived: 2 });

    const byCalls = (await manager.get(`/api/crm/workload?${PERIOD}&sort=calls&order=asc`)).json().rows as Row[];
    expect(byCalls.map((r) => r.calls)).toEqual([0, 0, 0, 1, 3]);
    expect(byCalls.map((r) => r.rank)).toEqual([1, 1, 1, 4, 5]);
  });

  it('sums per team when grouped by team, and filters by a department subtree', async () => {
    const manager = await Client.as(t.app, 'east_manager');
    const res = await manager.get(`/api/crm/workload?${PERIOD}&groupBy=team&sort=visits`);
    const rows: Row[] = res.json().rows;
    const team = Object.fromEntries(rows.map((r) => [r.departmentName, r]));
    expect(team['上海一组']).toMatchObject({ people: 3, visits: 3, calls: 4, opportunitiesMoved: 3, userId: null, rank: 1 });
    expect(team['江苏组']).toMatchObject({ people: 1, visits: 3, rank: 1 });
    expect(team['华东大区']).toMatchObject({ people: 1, visits: 0, rank: 3 });

    const office = await Client.as(t.app, 'office');
    const js = (await office.get(`/api/crm/workload?${PERIOD}&departmentId=${dept.east_js}`)).json().rows as Row[];
    expect(js.map((r) => r.displayName)).toEqual(['吴芳']);
    const east = (await office.get(`/api/crm/workload?${PERIOD}&departmentId=${dept.east}&groupBy=team`)).json().rows as Row[];
    expect(east.map((r) => r.departmentName).sort()).toEqual(['上海一组', '华东大区', '江苏组'].sort());
  });

  it('refuses a period that ends before it starts, an impossible date, or longer than two years', async () => {
    const office = await Client.as(t.app, 'office');
    const backwards = await office.get('/api/crm/workload?from=2026-03-31&to=2026-03-01');
    expect(backwards.statusCode).toBe(422);
    expect(backwards.json().error.code).toBe('CRM_REPORT_PERIOD_INVALID');
    const tooLong = await office.get('/api/crm/workload?from=2020-01-01&to=2026-03-01');
    expect(tooLong.json().error.code).toBe('CRM_REPORT_PERIOD_TOO_LONG');
    for (const bad of ['from=2026-02-30&to=2026-03-01', 'from=2026-03-01', 'from=20260301&to=2026-03-31', `${PERIOD}&sort=salary`, `${PERIOD}&groupBy=region`]) {
      const res = await office.get(`/api/crm/workload?${bad}`);
      expect([400, 422], bad).toContain(res.statusCode);
    }
  });

  it('exports the rows and the totals to Excel', async () => {
    const manager = await Client.as(t.app, 'east_manager');
    const res = await manager.get(`/api/crm/workload/export.xlsx?${PERIOD}&sort=visits`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    const values = sheet.getSheetValues().slice(1).map((r) => (r as unknown[]).slice(1));
    expect(values[0].slice(0, 5)).toEqual(['排名', '业务员', '团队', '拜访', '电话']);
    const zhang = values.find((r) => r[1] === '张伟')!;
    expect(zhang.slice(0, 6)).toEqual([2, '张伟', '上海一组', 2, 3, 2]);
    expect(values.at(-1)!.slice(1, 5)).toEqual(['合计', undefined, 6, 4]);
    expect(values).toHaveLength(1 + 5 + 1);
  });
});
