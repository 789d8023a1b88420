import ExcelJS from 'exceljs';
import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customers } from '../src/modules/customers/customers.tables.js';
import { opportunities, opportunityStageHistory, opportunityStages } from '../src/modules/opportunities/opportunities.tables.js';
import { sharePercent } from '../src/modules/opportunities/opportunity-reports.service.js';
import { products } from '../src/modules/products/products.tables.js';
import { Client, makeCustomer, setupTest, userIdOf } from './support.js';

/**
 * 热点客户管理表 and 战败客户分析表 on a crafted history: opportunities are made through the API, then
 * their creation, stage changes and closing are moved to known instants around month ends (Asia/Shanghai).
 */
let t: Awaited<ReturnType<typeof setupTest>>;
const ids: Record<string, number> = {};
const stage: Record<string, number> = {};
let productId = 0;

beforeAll(async () => {
  t = await setupTest({ demo: true, demoCustomers: false });
  ids.xiehe = (await makeCustomer(t.db, { name: '上海协和医院', owner: 'rep', territoryId: '310104' })).id;
  ids.hot = (await makeCustomer(t.db, { name: '上海热点医院', owner: 'rep', territoryId: '310101' })).id;
  ids.pudong = (await makeCustomer(t.db, { name: '上海浦东医药有限公司', owner: 'rep2', territoryId: '310115', type: 'distributor' })).id;
  ids.nanjing = (await makeCustomer(t.db, { name: '南京鼓楼医院', owner: 'rep_js', territoryId: '320106' })).id;
  ids.beijing = (await makeCustomer(t.db, { name: '北京协和医院', owner: 'rep_bj', territoryId: '110101' })).id;
  await t.db.update(customers).set({ grade: 'H' }).where(eq(customers.id, ids.hot));
  for (const s of await t.db.select().from(opportunityStages)) stage[s.code] = s.id;
  [{ id: productId }] = await t.db.select({ id: products.id }).from(products).orderBy(asc(products.id)).limit(1);
});
afterAll(() => t.close());

type Step = { stage: string; at: string; lostReason?: string; competitor?: string };

/** An opportunity created at `steps[0].at` in steps[0].stage, then moved through the rest at their instants. */
async function opportunity(username: string, customerId: number, name: string, amountFen: string, steps: Step[], probability?: number) {
  const c = await Client.as(t.app, username);
  const [first, ...rest] = steps;
  const res = await c.post('/api/opportunities', {
    name,
    customerId,
    amountFen,
    stageId: stage[first!.stage],
    probability,
    products: [{ productId, quantity: 10, amountFen }],
    competitor: rest.find((s) => s.competitor)?.competitor,
  });
  expect(res.statusCode, res.body).toBe(201);
  let o = res.json();
  for (const step of rest) {
    const moved = await c.post(`/api/opportunities/${o.id}/stage`, { stageId: stage[step.stage], version: o.version, lostReason: step.lostReason });
    expect(moved.statusCode, moved.body).toBe(200);
    o = moved.json();
  }
  // Back-date: the history rows in order, the creation, and the closing instant.
  const history = await t.db.select().from(opportunityStageHistory).where(eq(opportunityStageHistory.opportunityId, o.id)).orderBy(asc(opportunityStageHistory.id));
  for (const [i, h] of history.entries()) await t.db.update(opportunityStageHistory).set({ at: new Date(steps[i]!.at) }).where(eq(opportunityStageHistory.id, h.id));
  const last = new Date(steps[steps.length - 1]!.at);
  await t.db
    .update(opportunities)
    .set({ createdAt: new Date(first!.at), closedAt: o.status === 'open' ? null : last })
    .where(eq(opportunities.id, o.id));
  return o.id as number;
}

describe('热点客户管理表 (hot prospects)', () => {
  beforeAll(async () => {
    // Open at the end of September in 商务谈判 (70%), won in October: still hot for September.
    ids.wonLater = await opportunity('rep', ids.xiehe, '十月赢单', '1000000', [
      { stage: 'negotiation', at: '2026-09-10T10:00:00+08:00' },
      { stage: 'won', at: '2026-10-05T10:00:00+08:00' },
    ]);
    // Created on 1 October at 00:30 Shanghai time (still 30 September in UTC): not in September.
    ids.createdAfter = await opportunity('rep', ids.xiehe, '十月新建', '500000', [{ stage: 'commit', at: '2026-09-30T16:30:00Z' }]);
    // 10% but the customer is graded H: hot.
    ids.gradeH = await opportunity('rep', ids.hot, 'H 级客户', '200000', [{ stage: 'contact', at: '2026-09-01T09:00:00+08:00' }]);
    // 10%, ordinary customer: not hot.
    ids.cold = await opportunity('rep', ids.xiehe, '冷门机会', '300000', [{ stage: 'contact', at: '2026-09-01T09:00:00+08:00' }]);
    // Lost in September: closed by month end, not hot.
    ids.lostSept = await opportunity('rep2', ids.pudong, '九月输单', '400000', [
      { stage: 'commit', at: '2026-09-02T09:00:00+08:00' },
      { stage: 'lost', at: '2026-09-20T09:00:00+08:00', lostReason: 'price' },
    ]);
    // In 初步接洽 at month end, moved to 待签约 in October: September shows the stage and probability it had then.
    ids.movedLater = await opportunity('rep2', ids.pudong, '十月推进', '333', [
      { stage: 'contact', at: '2026-09-15T09:00:00+08:00' },
      { stage: 'commit', at: '2026-10-03T09:00:00+08:00' },
    ]);
    // Reached 待签约 on 20 September (90%), still there: hot; days in stage counted to the month end.
    ids.js = await opportunity('rep_js', ids.nanjing, '南京待签约', '12345', [
      { stage: 'needs', at: '2026-09-01T09:00:00+08:00' },
      { stage: 'commit', at: '2026-09-20T00:00:00+08:00' },
    ]);
    ids.bj = await opportunity('rep_bj', ids.beijing, '北京谈判', '800000', [{ stage: 'negotiation', at: '2026-09-05T09:00:00+08:00' }]);
    // Activities of the customer: the last done one before the month end is the one shown.
    const repId = await userIdOf(t.db, 'rep');
    await t.db.execute(sql`insert into activities (type, status, customer_id, subject, starts_at, owner_id, created_by) values
      ('visit', 'done', ${ids.xiehe}, '拜访药剂科', '2026-09-25T14:00:00+08:00', ${repId}, ${repId}),
      ('visit', 'planned', ${ids.xiehe}, '计划拜访', '2026-09-28T14:00:00+08:00', ${repId}, ${repId}),
      ('phone', 'done', ${ids.xiehe}, '十月电话', '2026-10-08T14:00:00+08:00', ${repId}, ${repId})`);
  });

  it('lists what was open and hot at the end of a past month, in the state of that moment', async () => {
    const res = await (await Client.as(t.app, 'office')).get('/api/crm/hot-prospects?month=2026-09&groupBy=rep');
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json();
    expect(report.hotProbability).toBe(60);
    const byName = Object.fromEntries(report.rows.map((r: { name: string }) => [r.name, r]));
    expect(Object.keys(byName).sort()).toEqual(['十月赢单', 'H 级客户', '南京待签约', '北京谈判'].sort());
    expect(byName['十月赢单']).toMatchObject({
      stageName: '商务谈判',
      probability: 70,
      amountFen: '1000000',
      weightedFen: '700000',
      region: '上海市',
      ownerName: '张伟',
      customerName: '上海协和医院',
      lastActivityOn: '2026-09-25',
      daysInStage: 20,
    });
    expect(byName['十月赢单'].products).toBeTruthy();
    expect(byName['H 级客户']).toMatchObject({ probability: 10, customerGrade: 'H', daysInStage: 29 });
    expect(byName['南京待签约']).toMatchObject({ stageName: '待签约', probability: 90, region: '江苏省', daysInStage: 11, weightedFen: '11111' });
  });

  it('uses the stage’s default probability when the opportunity has moved on since', async () => {
    await t.db.update(opportunities).set({ probability: 95 }).where(eq(opportunities.id, ids.movedLater));
    const october = (await (await Client.as(t.app, 'office')).get('/api/crm/hot-prospects?month=2026-10')).json();
    const names = october.rows.map((r: { name: string }) => r.name).sort();
    // October: 十月赢单 won, 十月新建 open in 待签约, 十月推进 at 95% now in 待签约, H 级, 南京, 北京.
    expect(names).toEqual(['十月新建', '十月推进', 'H 级客户', '南京待签约', '北京谈判'].sort());
    expect(october.rows.find((r: { name: string }) => r.name === '十月推进').probability).toBe(95);
    const september = (await (await Client.as(t.app, 'office')).get('/api/crm/hot-prospects?month=2026-09')).json();
    expect(september.rows.map((r: { name: string }) => r.name)).not.toContain('十月推进');
  });

  it('sums count, amount and weighted amount per rep and per region', async () => {
    const office = await Client.as(t.app, 'office');
    const byRep = (await office.get('/api/crm/hot-prospects?month=2026-09&groupBy=rep')).json();
    const rep = byRep.groups.find((g: { label: string }) => g.label === '张伟');
    expect(rep).toMatchObject({ count: 2, amountFen: '1200000', weightedFen: String(700000 + 20000) });
    const byRegion = (await office.get('/api/crm/hot-prospects?month=2026-09&groupBy=region')).json();
    expect(byRegion.groups.map((g: { label: string; count: number }) => [g.label, g.count]).sort()).toEqual(
      [
        ['上海市', 2],
        ['江苏省', 1],
        ['北京市', 1],
      ].sort(),
    );
  });

  it('follows the scope: the team lead sees the team, the regional manager the region; a rep may not open it', async () => {
    const names = async (username: string) =>
      ((await (await Client.as(t.app, username)).get('/api/crm/hot-prospects?month=2026-09')).json().rows as { name: string }[]).map((r) => r.name).sort();
    expect(await names('team_lead')).toEqual(['十月赢单', 'H 级客户'].sort());
    expect(await names('east_manager')).toEqual(['十月赢单', 'H 级客户', '南京待签约'].sort());
    expect((await (await Client.as(t.app, 'rep')).get('/api/crm/hot-prospects?month=2026-09')).statusCode).toBe(403);
    expect((await (await Client.as(t.app, 'finance')).get('/api/crm/hot-prospects?month=2026-09')).statusCode).toBe(403);
    expect((await (await Client.as(t.app, 'office')).get('/api/crm/hot-prospects?month=2026-13')).statusCode).toBe(400);
  });

  it('raises the bar with the hot probability setting', async () => {
    const office = await Client.as(t.app, 'office');
    await t.db.execute(sql`update crm_settings set hot_probability = 80`);
    const names = ((await office.get('/api/crm/hot-prospects?month=2026-09')).json().rows as { name: string }[]).map((r) => r.name).sort();
    expect(names).toEqual(['H 级客户', '南京待签约'].sort());
    await t.db.execute(sql`update crm_settings set hot_probability = 60`);
  });

  it('exports the table with a title row, the group summary and the rows', async () => {
    const res = await (await Client.as(t.app, 'office')).get('/api/crm/hot-prospects/export?month=2026-09&groupBy=region');
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.getRow(1).getCell(1).value).toBe('热点客户管理表 2026-09');
    expect(sheet.getRow(2).getCell(1).value).toBe('地区');
    const texts: string[] = [];
    sheet.eachRow((row) => texts.push(row.values.toString()));
    expect(texts.some((s) => s.includes('上海协和医院') && s.includes('十月赢单') && s.includes('10000'))).toBe(true);
    expect(texts.filter((s) => s.includes('北京协和医院'))).toHaveLength(1);
  });
});

describe('战败客户分析表 (lost deals)', () => {
  beforeAll(async () => {
    ids.l1 = await opportunity('rep', ids.xiehe, '八月输单一', '100000', [
      { stage: 'contact', at: '2026-08-01T09:00:00+08:00' },
      { stage: 'negotiation', at: '2026-08-05T09:00:00+08:00' },
      { stage: 'lost', at: '2026-08-10T09:00:00+08:00', lostReason: 'price', competitor: '恒瑞' },
    ]);
    ids.l2 = await opportunity('rep2', ids.pudong, '八月输单二', '50000', [
      { stage: 'proposal', at: '2026-08-02T09:00:00+08:00' },
      { stage: 'lost', at: '2026-08-31T23:30:00+08:00', lostReason: 'price', competitor: '恒瑞' },
    ]);
    ids.l3 = await opportunity('rep_js', ids.nanjing, '八月输单三', '25000', [
      { stage: 'needs', at: '2026-08-02T09:00:00+08:00' },
      { stage: 'lost', at: '2026-08-15T09:00:00+08:00', lostReason: 'competitor', competitor: '齐鲁' },
    ]);
    // Lost at 00:10 on 1 August in Shanghai (still July in UTC): counts for August.
    ids.l4 = await opportunity('rep_bj', ids.beijing, '八月输单四', '1', [
      { stage: 'contact', at: '2026-07-20T09:00:00+08:00' },
      { stage: 'lost', at: '2026-08-01T00:10:00+08:00', lostReason: 'tender' },
    ]);
    // Lost on 1 September at 00:30 Shanghai time (31 August UTC): not in August.
    ids.l5 = await opportunity('rep', ids.xiehe, '九月输单', '7', [
      { stage: 'contact', at: '2026-08-20T09:00:00+08:00' },
      { stage: 'lost', at: '2026-09-01T00:30:00+08:00', lostReason: 'timing' },
    ]);
  });

  it('lists the deals lost in the period with reason, competitor and the stage they were lost from', async () => {
    const res = await (await Client.as(t.app, 'office')).get('/api/crm/lost-deals?from=2026-08&to=2026-08&groupBy=reason');
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json();
    expect(report.rows.map((r: { name: string }) => r.name)).toEqual(['八月输单四', '八月输单一', '八月输单三', '八月输单二']);
    expect(report.rows.find((r: { name: string }) => r.name === '八月输单一')).toMatchObject({
      lostReason: 'price',
      competitor: '恒瑞',
      stageBeforeName: '商务谈判',
      region: '上海市',
      ownerName: '张伟',
      amountFen: '100000',
      lostMonth: '2026-08',
    });
    expect(report.total).toEqual({ count: 4, amountFen: '175001' });
    expect(report.groups).toEqual([
      { key: 'price', label: '价格', count: 2, amountFen: '150000', sharePercent: 50 },
      { key: 'competitor', label: '竞品', count: 1, amountFen: '25000', sharePercent: 25 },
      { key: 'tender', label: '招标未中', count: 1, amountFen: '1', sharePercent: 25 },
    ]);
  });

  it('groups by competitor, rep, region and month, with shares rounded half-up to whole percent', async () => {
    const office = await Client.as(t.app, 'office');
    const groups = async (qs: string) => (await office.get(`/api/crm/lost-deals?${qs}`)).json().groups.map((g: { label: string; count: number; sharePercent: number }) => [g.label, g.count, g.sharePercent]);
    expect(await groups('from=2026-08&to=2026-08&groupBy=competitor')).toEqual([
      ['恒瑞', 2, 50],
      ['（未填）', 1, 25],
      ['齐鲁', 1, 25],
    ]);
    expect(await groups('from=2026-08&to=2026-09&groupBy=month')).toEqual([
      ['2026-08', 4, 67],
      ['2026-09', 2, 33],
    ]);
    expect(await groups('from=2026-08&to=2026-09&groupBy=rep')).toContainEqual(['张伟', 2, 33]);
    expect(await groups('from=2026-08&to=2026-08&groupBy=region')).toContainEqual(['上海市', 2, 50]);
    // Three groups of one: 33 + 33 + 33; two of three: 67.
    expect([sharePercent(1, 3), sharePercent(2, 3), sharePercent(1, 8), sharePercent(0, 0)]).toEqual([33, 67, 13, 0]);
  });

  it('follows the scope and refuses a rep', async () => {
    const lead = (await (await Client.as(t.app, 'team_lead')).get('/api/crm/lost-deals?from=2026-08&to=2026-08')).json();
    expect(lead.rows.map((r: { name: string }) => r.name).sort()).toEqual(['八月输单一', '八月输单二'].sort());
    expect(lead.groups).toEqual([{ key: 'price', label: '价格', count: 2, amountFen: '150000', sharePercent: 100 }]);
    expect((await (await Client.as(t.app, 'rep')).get('/api/crm/lost-deals?from=2026-08&to=2026-08')).statusCode).toBe(403);
  });

  it('exports the analysis with a title row, the groups and the rows', async () => {
    const res = await (await Client.as(t.app, 'office')).get('/api/crm/lost-deals/export?from=2026-08&to=2026-09&groupBy=reason');
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.getRow(1).getCell(1).value).toBe('战败客户分析表 2026-08 ~ 2026-09');
    expect(sheet.getRow(2).getCell(4).value).toBe('占比(%)');
    expect(sheet.getRow(3).values).toEqual([undefined, '价格', 3, 5500, 50]);
    const texts: string[] = [];
    sheet.eachRow((row) => texts.push(row.values.toString()));
    for (const name of ['八月输单一', '八月输单二', '八月输单三', '八月输单四', '九月输单']) expect(texts.some((s) => s.includes(name))).toBe(true);
  });
});
