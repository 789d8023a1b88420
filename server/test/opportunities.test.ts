import ExcelJS from 'exceljs';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../src/kernel/audit/audit.tables.js';
import { opportunityStageHistory, opportunityStages } from '../src/modules/opportunities/opportunities.tables.js';
import { products } from '../src/modules/products/products.tables.js';
import { Client, makeCustomer, setupTest } from './support.js';

let t: Awaited<ReturnType<typeof setupTest>>;
const ids: Record<string, number> = {};
const stage: Record<string, number> = {};
let productIds: number[] = [];

beforeAll(async () => {
  t = await setupTest({ demo: true, demoCustomers: false });
  ids.xiehe = (await makeCustomer(t.db, { name: '上海协和医院', owner: 'rep', territoryId: '310104' })).id;
  ids.pudong = (await makeCustomer(t.db, { name: '上海浦东医药有限公司', owner: 'rep2', territoryId: '310115', type: 'distributor' })).id;
  ids.nanjing = (await makeCustomer(t.db, { name: '南京鼓楼医院', owner: 'rep_js', territoryId: '320106' })).id;
  ids.beijing = (await makeCustomer(t.db, { name: '北京协和医院', owner: 'rep_bj', territoryId: '110101' })).id;
  ids.board = (await makeCustomer(t.db, { name: '上海看板测试医院', owner: 'rep', territoryId: '310101' })).id;
  for (const s of await t.db.select().from(opportunityStages)) stage[s.code] = s.id;
  productIds = (await t.db.select({ id: products.id }).from(products).orderBy(asc(products.id)).limit(3)).map((p) => p.id);
});
afterAll(() => t.close());

const put = (c: Client, payload: unknown) => c.request({ method: 'PUT', url: '/api/opportunity-stages/order', payload: payload as object });

async function create(username: string, body: Record<string, unknown>) {
  const c = await Client.as(t.app, username);
  const res = await c.post('/api/opportunities', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

describe('opportunities: create and validation', () => {
  it('lets a rep open an opportunity whose amount is the sum of its products, in the first stage with its probability', async () => {
    const rep = await Client.as(t.app, 'rep');
    const res = await rep.post('/api/opportunities', {
      name: '协和 2027 年度采购',
      customerId: ids.xiehe,
      products: [
        { productId: productIds[0], quantity: 100, amountFen: '1234500' },
        { productId: productIds[1], quantity: 20, amountFen: '99' },
      ],
      expectedCloseOn: '2027-03-31',
      competitor: '恒瑞',
    });
    expect(res.statusCode, res.body).toBe(201);
    const o = res.json();
    ids.first = o.id;
    expect(o).toMatchObject({ amountFen: '1234599', stageId: stage.contact, stageName: '初步接洽', probability: 10, status: 'open', closedAt: null, ownerName: '张伟', version: 1 });
    expect(o.products).toHaveLength(2);
    expect(o.history).toMatchObject([{ fromStageId: null, toStageId: stage.contact, toStageName: '初步接洽', actorName: '张伟' }]);
    const [entry] = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'opportunity.created'), eq(auditLog.entityId, String(o.id))));
    expect(entry).toBeTruthy();
  });

  it('keeps an amount given by hand, and a stage and probability given by hand', async () => {
    const o = await create('rep', { name: '手填金额', customerId: ids.xiehe, products: [{ productId: productIds[0], quantity: 1, amountFen: '100' }], amountFen: '500000', stageId: stage.proposal, probability: 55 });
    expect(o).toMatchObject({ amountFen: '500000', stageId: stage.proposal, probability: 55 });
  });

  it('answers 404 for a customer outside the rep’s scope', async () => {
    const rep = await Client.as(t.app, 'rep');
    const res = await rep.post('/api/opportunities', { name: '越权', customerId: ids.beijing });
    expect(res.statusCode).toBe(404);
  });

  it('refuses an amount that is not whole fen, an unknown product, the same product twice and a closed stage', async () => {
    const rep = await Client.as(t.app, 'rep');
    for (const amountFen of ['12.50', '-1', 'abc']) {
      const bad = await rep.post('/api/opportunities', { name: 'x', customerId: ids.xiehe, amountFen });
      expect(bad.statusCode, amountFen).toBe(400);
      expect(bad.json().error.fields.map((f: { path: string }) => f.path)).toEqual(['amountFen']);
    }
    const unknown = await rep.post('/api/opportunities', { name: 'x', customerId: ids.xiehe, products: [{ productId: 999999, quantity: 1, amountFen: '1' }] });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().error.fields.map((f: { path: string }) => f.path)).toEqual(['products.0.productId']);
    const twice = await rep.post('/api/opportunities', {
      name: 'x',
      customerId: ids.xiehe,
      products: [
        { productId: productIds[0], quantity: 1, amountFen: '1' },
        { productId: productIds[0], quantity: 2, amountFen: '2' },
      ],
    });
    expect(twice.statusCode).toBe(422);
    const won = await rep.post('/api/opportunities', { name: 'x', customerId: ids.xiehe, stageId: stage.won });
    expect(won.statusCode).toBe(422);
    const blank = await rep.post('/api/opportunities', { name: '  ', customerId: ids.xiehe });
    expect(blank.statusCode).toBe(400);
  });

  it('edits with the version read and refuses a stale one', async () => {
    const rep = await Client.as(t.app, 'rep');
    const o = await create('rep', { name: '待编辑', customerId: ids.xiehe, amountFen: '100' });
    const ok = await rep.patch(`/api/opportunities/${o.id}`, { name: '已编辑', version: 1, products: [{ productId: productIds[2], quantity: 5, amountFen: '700' }] });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ name: '已编辑', amountFen: '700', version: 2, products: [{ productId: productIds[2], quantity: 5 }] });
    const stale = await rep.patch(`/api/opportunities/${o.id}`, { name: '再编辑', version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('CONFLICT_VERSION');
  });
});

describe('opportunities: moving through the pipeline', () => {
  it('records every move with from, to, time and actor; won closes, reopening clears closedAt; the same stage is a no-op', async () => {
    const rep = await Client.as(t.app, 'rep');
    const o = await create('rep', { name: '推进测试', customerId: ids.xiehe, amountFen: '10000' });
    const toNeg = await rep.post(`/api/opportunities/${o.id}/stage`, { stageId: stage.negotiation, version: 1 });
    expect(toNeg.statusCode, toNeg.body).toBe(200);
    expect(toNeg.json()).toMatchObject({ stageName: '商务谈判', probability: 70, status: 'open', version: 2 });

    const same = await rep.post(`/api/opportunities/${o.id}/stage`, { stageId: stage.negotiation, version: 2 });
    expect(same.json()).toMatchObject({ version: 2 });
    expect(same.json().history).toHaveLength(2);

    const won = await rep.post(`/api/opportunities/${o.id}/stage`, { stageId: stage.won, version: 2 });
    expect(won.json()).toMatchObject({ status: 'won', probability: 100, version: 3 });
    expect(won.json().closedAt).not.toBeNull();

    const reopened = await rep.post(`/api/opportunities/${o.id}/stage`, { stageId: stage.proposal, version: 3, probability: 45 });
    expect(reopened.json()).toMatchObject({ status: 'open', closedAt: null, probability: 45, stageName: '方案报价' });
    const history = reopened.json().history;
    expect(history.map((h: { fromStageName: string | null; toStageName: string }) => [h.fromStageName, h.toStageName])).toEqual([
      [null, '初步接洽'],
      ['初步接洽', '商务谈判'],
      ['商务谈判', '赢单'],
      ['赢单', '方案报价'],
    ]);
    const ats = history.map((h: { at: string }) => Date.parse(h.at));
    expect([...ats].sort((a, b) => a - b)).toEqual(ats);
    expect(history.every((h: { actorName: string }) => h.actorName === '张伟')).toBe(true);
  });

  it('needs a reason from the list to lose a deal, and keeps the reason and note', async () => {
    const rep = await Client.as(t.app, 'rep');
    const o = await create('rep', { name: '输单测试', customerId: ids.xiehe, amountFen: '10000' });
    const noReason = await rep.post(`/api/opportunities/${o.id}/stage`, { stageId: stage.lost, version: 1 });
    expect(noReason.statusCode).toBe(422);
    expect(noReason.json().error.code).toBe('OPPORTUNITY_LOST_REASON_REQUIRED');
    const badReason = await rep.post(`/api/opportunities/${o.id}/stage`, { stageId: stage.lost, version: 1, lostReason: 'weather' });
    expect(badReason.statusCode).toBe(400);
    const lost = await rep.post(`/api/opportunities/${o.id}/stage`, { stageId: stage.lost, version: 1, lostReason: 'price', lostNote: '对手低 8%' });
    expect(lost.json()).toMatchObject({ status: 'lost', lostReason: 'price', lostNote: '对手低 8%', probability: 0 });
    const back = await rep.post(`/api/opportunities/${o.id}/stage`, { stageId: stage.contact, version: 2 });
    expect(back.json()).toMatchObject({ status: 'open', lostReason: null, lostNote: null, closedAt: null });
  });

  it('lets one of two moves made from the same version win and answers the other 409', async () => {
    const o = await create('rep', { name: '并发测试', customerId: ids.xiehe, amountFen: '10000' });
    const [a, b] = await Promise.all([Client.as(t.app, 'rep'), Client.as(t.app, 'team_lead')]);
    const results = await Promise.all([
      a.post(`/api/opportunities/${o.id}/stage`, { stageId: stage.needs, version: 1 }),
      b.post(`/api/opportunities/${o.id}/stage`, { stageId: stage.negotiation, version: 1 }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const rows = await t.db.select().from(opportunityStageHistory).where(eq(opportunityStageHistory.opportunityId, o.id));
    expect(rows).toHaveLength(2);
  });

  it('answers 404 when moving an opportunity outside the scope', async () => {
    const o = await create('rep_bj', { name: '北京机会', customerId: ids.beijing, amountFen: '100' });
    const rep = await Client.as(t.app, 'rep');
    expect((await rep.post(`/api/opportunities/${o.id}/stage`, { stageId: stage.needs, version: 1 })).statusCode).toBe(404);
    expect((await rep.get(`/api/opportunities/${o.id}`)).statusCode).toBe(404);
  });
});

describe('opportunities: scope', () => {
  beforeAll(async () => {
    ids.oRep2 = (await create('rep2', { name: '浦东机会', customerId: ids.pudong, amountFen: '100' })).id;
    ids.oJs = (await create('rep_js', { name: '南京机会', customerId: ids.nanjing, amountFen: '100' })).id;
  });

  const ownersSeen = async (username: string) => {
    const res = await (await Client.as(t.app, username)).get('/api/opportunities?pageSize=200');
    expect(res.statusCode, res.body).toBe(200);
    return [...new Set(res.json().items.map((o: { ownerName: string }) => o.ownerName))].sort();
  };

  it('shows a rep their own, a team lead the team’s, a regional manager the region’s and the office everything', async () => {
    expect(await ownersSeen('rep')).toEqual(['张伟']);
    expect(await ownersSeen('rep2')).toEqual(['周杰']);
    expect(await ownersSeen('team_lead')).toEqual(['周杰', '张伟'].sort());
    expect(await ownersSeen('east_manager')).toEqual(['吴芳', '周杰', '张伟'].sort());
    expect(await ownersSeen('office')).toEqual(['吴芳', '周杰', '张伟', '郑浩'].sort());
    expect(await ownersSeen('management')).toEqual(['吴芳', '周杰', '张伟', '郑浩'].sort());
  });

  it('refuses finance (403) on the list, the board and creation', async () => {
    const finance = await Client.as(t.app, 'finance');
    expect((await finance.get('/api/opportunities')).statusCode).toBe(403);
    expect((await finance.get('/api/opportunities/board')).statusCode).toBe(403);
    expect((await finance.post('/api/opportunities', { name: 'x', customerId: ids.xiehe })).statusCode).toBe(403);
  });

  it('filters by customer (the customer 360 tab), status, stage, owner, territory, amount and text', async () => {
    const office = await Client.as(t.app, 'office');
    const names = async (qs: string) => (await office.get(`/api/opportunities?pageSize=200&${qs}`)).json().items.map((o: { name: string }) => o.name).sort();
    expect(await names(`customerId=${ids.pudong}`)).toEqual(['浦东机会']);
    expect(await names('territoryId=320000')).toEqual(['南京机会']);
    expect(await names(`q=${encodeURIComponent('南京鼓楼')}`)).toEqual(['南京机会']);
    expect(await names('q=njgl')).toEqual(['南京机会']);
    expect(await names('status=lost')).toEqual([]);
    expect(await names(`stageId=${stage.proposal}`)).toEqual(['推进测试', '手填金额'].sort());
    expect(await names('amountMin=500000')).toEqual(['协和 2027 年度采购', '手填金额'].sort());
    expect(await names('amountMin=500000&amountMax=600000')).toEqual(['手填金额']);
    const page = (await office.get('/api/opportunities?pageSize=2&sort=-amount')).json();
    expect(page.items.map((o: { name: string }) => o.name)).toEqual(['协和 2027 年度采购', '手填金额']);
    expect(page.total).toBeGreaterThan(2);
  });

  it('exports the list to Excel', async () => {
    const res = await (await Client.as(t.app, 'team_lead')).get('/api/opportunities/export?sort=-amount');
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.getRow(1).getCell(1).value).toBe('机会名称');
    expect(sheet.getRow(2).getCell(1).value).toBe('协和 2027 年度采购');
    expect(sheet.getRow(2).getCell(7).value).toBe(12345.99);
    const names = sheet.getColumn(1).values.slice(2);
    expect(names).toContain('浦东机会');
    expect(names).not.toContain('南京机会');
  });
});

describe('opportunities: the board', () => {
  it('sums amounts and weighted amounts per stage exactly to the fen, rounding each opportunity half-up', async () => {
    // 333 × 33% = 109.89 → 110; 1 × 50% = 0.5 → 1; 12345 × 15% = 1851.75 → 1852; 99999999999 × 7% = 6999999999.93 → 7000000000.
    const awkward: [string, number][] = [
      ['333', 33],
      ['1', 50],
      ['12345', 15],
      ['99999999999', 7],
    ];
    for (const [amountFen, probability] of awkward) await create('rep', { name: `看板 ${amountFen}`, customerId: ids.board, amountFen, stageId: stage.needs, probability });
    await create('rep', { name: '看板 协商', customerId: ids.board, amountFen: '101', stageId: stage.negotiation, probability: 1 });
    const res = await (await Client.as(t.app, 'rep')).get(`/api/opportunities/board?customerId=${ids.board}`);
    expect(res.statusCode, res.body).toBe(200);
    const board = res.json();
    expect(board.columns.map((c: { stage: { name: string } }) => c.stage.name)).toEqual(['初步接洽', '需求确认', '方案报价', '商务谈判', '待签约']);
    const needs = board.columns[1];
    expect(needs).toMatchObject({ count: 4, amountFen: '100000012678', weightedFen: '7000001963' });
    expect(needs.cards.map((c: { weightedFen: string }) => c.weightedFen)).toEqual(['7000000000', '1852', '110', '1']);
    expect(board.columns[3]).toMatchObject({ count: 1, amountFen: '101', weightedFen: '1' });
    expect(board.columns[0]).toMatchObject({ count: 0, amountFen: '0', weightedFen: '0', cards: [] });
  });

  it('counts this month’s won and lost deals', async () => {
    const rep = await Client.as(t.app, 'rep');
    const a = await create('rep', { name: '看板 赢', customerId: ids.board, amountFen: '7000' });
    const b = await create('rep', { name: '看板 输', customerId: ids.board, amountFen: '3000' });
    await rep.post(`/api/opportunities/${a.id}/stage`, { stageId: stage.won, version: 1 });
    await rep.post(`/api/opportunities/${b.id}/stage`, { stageId: stage.lost, version: 1, lostReason: 'budget' });
    const board = (await rep.get(`/api/opportunities/board?customerId=${ids.board}`)).json();
    expect(board.wonThisMonth).toEqual({ count: 1, amountFen: '7000' });
    expect(board.lostThisMonth).toEqual({ count: 1, amountFen: '3000' });
    expect(board.columns[0].count).toBe(0);
  });
});

describe('pipeline stages', () => {
  it('lists the pipeline in order with the open counts', async () => {
    const res = await (await Client.as(t.app, 'rep')).get('/api/opportunity-stages');
    expect(res.statusCode).toBe(200);
    expect(res.json().map((s: { code: string }) => s.code)).toEqual(['contact', 'needs', 'proposal', 'negotiation', 'commit', 'won', 'lost']);
    expect(res.json().find((s: { code: string }) => s.code === 'needs').openCount).toBeGreaterThanOrEqual(4);
  });

  it('lets only crm.configure change stages', async () => {
    const rep = await Client.as(t.app, 'rep');
    expect((await rep.patch(`/api/opportunity-stages/${stage.commit}`, { name: 'x', version: 1 })).statusCode).toBe(403);
    expect((await rep.request({ method: 'PUT', url: '/api/opportunity-stages/order', payload: { ids: [stage.commit] } })).statusCode).toBe(403);
  });

  it('keeps exactly one active won and lost stage', async () => {
    const lead = await Client.as(t.app, 'office_lead');
    for (const id of [stage.won, stage.lost]) {
      const res = await lead.patch(`/api/opportunity-stages/${id}`, { active: false, version: 1 });
      expect(res.statusCode).toBe(422);
      expect(res.json().error.code).toBe('OPPORTUNITY_STAGE_CLOSING_REQUIRED');
    }
  });

  it('refuses to deactivate a stage that holds open opportunities, naming how many, and allows it once empty', async () => {
    const lead = await Client.as(t.app, 'office_lead');
    const created = await lead.post('/api/opportunity-stages', { name: '样品试用', nameEn: 'Trial', probability: 40 });
    expect(created.statusCode, created.body).toBe(201);
    const trial = created.json();
    expect(trial).toMatchObject({ kind: 'open', active: true, position: 6, openCount: 0 });
    const o = await create('rep', { name: '试用中', customerId: ids.xiehe, stageId: trial.id });
    expect(o.probability).toBe(40);
    const refused = await lead.patch(`/api/opportunity-stages/${trial.id}`, { active: false, version: 1 });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'OPPORTUNITY_STAGE_IN_USE' });
    expect(refused.json().error.message).toContain('1 个');
    const rep = await Client.as(t.app, 'rep');
    await rep.post(`/api/opportunities/${o.id}/stage`, { stageId: stage.needs, version: 1 });
    const ok = await lead.patch(`/api/opportunity-stages/${trial.id}`, { active: false, name: '样品试用（停用）', version: 1 });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ active: false, name: '样品试用（停用）', version: 2 });
    const stale = await lead.patch(`/api/opportunity-stages/${trial.id}`, { active: true, version: 1 });
    expect(stale.statusCode).toBe(409);
    // An inactive stage takes no opportunities and no longer shows on the board.
    expect((await rep.post('/api/opportunities', { name: 'x', customerId: ids.xiehe, stageId: trial.id })).statusCode).toBe(422);
    const board = (await rep.get('/api/opportunities/board')).json();
    expect(board.columns.map((c: { stage: { id: number } }) => c.stage.id)).not.toContain(trial.id);
    ids.trial = trial.id;
  });

  it('reorders the open stages when every one is named once', async () => {
    const lead = await Client.as(t.app, 'office_lead');
    const open = [stage.contact, stage.needs, stage.proposal, stage.negotiation, stage.commit, ids.trial];
    const missing = await put(lead, { ids: open.slice(1) });
    expect(missing.statusCode).toBe(422);
    const withWon = await put(lead, { ids: [...open.slice(1), stage.won] });
    expect(withWon.statusCode).toBe(422);
    const order = [stage.needs, stage.contact, ids.trial, stage.proposal, stage.negotiation, stage.commit];
    const res = await put(lead, { ids: order });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().map((s: { id: number }) => s.id)).toEqual([...order, stage.won, stage.lost]);
    // New opportunities start in the new first active stage.
    const o = await create('rep', { name: '新顺序', customerId: ids.xiehe });
    expect(o.stageId).toBe(stage.needs);
    const [entry] = await t.db.select().from(auditLog).where(eq(auditLog.action, 'opportunity_stages.reordered'));
    expect(entry).toBeTruthy();
  });
});
