import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayIn } from '../src/kernel/approvals/approvals.service.js';
import { rowsOf } from '../src/kernel/db/client.js';
import { runStockWarnings } from '../src/modules/stock/stock-warnings.js';
import { Client, makeCustomer, setupTest, userIdOf } from './support.js';

/** 库存 (issue 6, stock): warehouses, receipts by form and Excel, adjustments, transfers, views, warnings. */
let t: Awaited<ReturnType<typeof setupTest>>;
let logistics: Client;
let rep: Client;
let today: string;
const wh: Record<string, number> = {};
const prod: Record<string, number> = {};

const shift = (days: number, from = today) => {
  const d = new Date(`${from}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

const one = async <T>(q: ReturnType<typeof sql>) => rowsOf<T>(await t.db.execute(q))[0]!;
const count = async (table: string) => Number((await one<{ n: number }>(sql`select count(*)::int as n from ${sql.raw(table)}`)).n);

beforeAll(async () => {
  t = await setupTest({ demo: true, demoCustomers: false });
  today = todayIn(t.config.timeZone);
  logistics = await Client.as(t.app, 'logistics');
  rep = await Client.as(t.app, 'rep');
  for (const r of rowsOf<{ id: number; code: string }>(await t.db.execute(sql`select id, code from warehouses`))) wh[r.code] = r.id;
  for (const r of rowsOf<{ id: number; code: string }>(await t.db.execute(sql`select id, code from products where code in ('HK1001', 'HK1002', 'HK3004', 'HK5001')`))) prod[r.code] = r.id;
});
afterAll(() => t.close());

const receipt = (lines: Record<string, unknown>[], extra: Record<string, unknown> = {}) => logistics.post('/api/stock/receipts', { lines, ...extra });
const line = (over: Record<string, unknown> = {}) => ({
  warehouseId: wh.ZC,
  productId: prod.HK1001,
  batchNo: 'A001',
  manufacturedOn: shift(-30),
  expiresOn: shift(700),
  quantity: 100,
  ...over,
});

describe('stock receipts (入库)', () => {
  it('receives a production receipt into batches: one RK- document, receipt movements, balances and an audit entry', async () => {
    const audits = await count('audit_log');
    const res = await receipt([line(), line({ batchNo: 'A002', expiresOn: shift(400), quantity: 40 })], { note: '生产入库' });
    expect(res.statusCode, res.body).toBe(201);
    const doc = res.json();
    expect(doc.number).toMatch(new RegExp(`^RK-${today.slice(0, 4)}${today.slice(5, 7)}-\\d{4}$`));
    expect(doc).toMatchObject({ kind: 'receipt', source: 'form', moves: 2, businessDate: today });
    const moves = rowsOf<{ kind: string; quantity: number; doc_number: string }>(
      await t.db.execute(sql`select kind, quantity, doc_number from stock_movements where doc_type = 'stock_receipt' and doc_id = ${doc.id} order by quantity`),
    );
    expect(moves).toEqual([
      { kind: 'receipt', quantity: 40, doc_number: doc.number },
      { kind: 'receipt', quantity: 100, doc_number: doc.number },
    ]);
    expect(await count('audit_log')).toBeGreaterThan(audits);
    const batches = await logistics.get(`/api/stock/products/${prod.HK1001}/batches`);
    // First expiry first: A002 (400 days) before A001 (700 days).
    expect(batches.json().map((b: { batchNo: string; onHand: number; warehouseCode: string }) => [b.batchNo, b.onHand, b.warehouseCode])).toEqual([
      ['A002', 40, 'ZC'],
      ['A001', 100, 'ZC'],
    ]);
  });

  it('adds to a known batch when its expiry matches, and refuses the same batch number with another expiry', async () => {
    expect((await receipt([line({ quantity: 5 })])).statusCode).toBe(201);
    const res = await receipt([line({ expiresOn: shift(701) })]);
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('STOCK_BATCH_EXPIRY_MISMATCH');
  });

  it('refuses an expired batch, an expiry before manufacture and a future manufacture date, and writes nothing', async () => {
    const before = await count('stock_movements');
    const documents = await count('stock_documents');
    const expired = await receipt([line({ batchNo: 'X1', manufacturedOn: shift(-800), expiresOn: shift(-1) })]);
    expect(expired.statusCode).toBe(422);
    expect(expired.json().error.code).toBe('STOCK_BATCH_EXPIRED');
    const today0 = await receipt([line({ batchNo: 'X0', manufacturedOn: shift(-800), expiresOn: today })]);
    expect(today0.json().error.code).toBe('STOCK_BATCH_EXPIRED');
    const dates = await receipt([line({ batchNo: 'X2', manufacturedOn: shift(10), expiresOn: shift(5) })]);
    expect(dates.json().error.fields.map((f: { path: string }) => f.path)).toEqual(['lines.0.manufacturedOn', 'lines.0.expiresOn']);
    // A bad second line stops the whole receipt.
    const mixed = await receipt([line({ batchNo: 'OK1' }), line({ batchNo: 'X3', expiresOn: shift(-3), manufacturedOn: null })]);
    expect(mixed.statusCode).toBe(422);
    expect(mixed.json().error.fields[0].path).toBe('lines.1.expiresOn');
    expect(await count('stock_movements')).toBe(before);
    expect(await count('stock_documents')).toBe(documents);
  });

  it('keeps cold-chain products out of warehouses that are not cold-chain', async () => {
    const wrong = await receipt([line({ productId: prod.HK3004, batchNo: 'C1' })]);
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().error.code).toBe('STOCK_COLD_CHAIN_WAREHOUSE');
    const right = await receipt([line({ productId: prod.HK3004, batchNo: 'C1', warehouseId: wh.LK, quantity: 30 })]);
    expect(right.statusCode, right.body).toBe(201);
  });

  it('takes concurrent receipts of the same new batch as one batch with distinct, gap-free numbers', async () => {
    const results = await Promise.all([1, 2, 3, 4].map(() => receipt([line({ batchNo: 'CC-1', quantity: 5 })])));
    expect(results.map((r) => r.statusCode)).toEqual([201, 201, 201, 201]);
    const numbers = results.map((r) => r.json().number as string).sort();
    expect(new Set(numbers).size).toBe(4);
    const seqs = numbers.map((n) => Number(n.slice(-4)));
    expect(seqs[3]! - seqs[0]!).toBe(3);
    const b = rowsOf<{ id: number }>(await t.db.execute(sql`select id from stock_batches where batch_no = 'CC-1'`));
    expect(b).toHaveLength(1);
    expect(Number((await one<{ on_hand: number }>(sql`select on_hand from stock_balances where batch_id = ${b[0]!.id}`)).on_hand)).toBe(20);
  });

  it('refuses a receipt dated in a closed month or in the future', async () => {
    const lastMonth = shift(-40).slice(0, 7);
    await t.db.execute(sql`insert into period_closings (period, closed_by) values (${lastMonth}, ${await userIdOf(t.db, 'finance')})`);
    const closed = await receipt([line({ batchNo: 'P1' })], { businessDate: `${lastMonth}-15` });
    expect(closed.statusCode).toBe(409);
    expect(closed.json().error.code).toBe('PERIOD_CLOSED');
    const future = await receipt([line({ batchNo: 'P1' })], { businessDate: shift(2) });
    expect(future.statusCode).toBe(422);
    expect(future.json().error.code).toBe('STOCK_DATE_FUTURE');
    const adjust = await logistics.post('/api/stock/adjustments', { warehouseId: wh.ZC, batchId: 1, quantity: 1, reason: '盘盈', businessDate: `${lastMonth}-20` });
    expect(adjust.json().error?.code).toBe('PERIOD_CLOSED');
  });

  it('lets a rep read stock but not receive, adjust, transfer or configure', async () => {
    expect((await rep.get('/api/stock/balances')).statusCode).toBe(200);
    expect((await rep.get('/api/stock/movements')).statusCode).toBe(200);
    expect((await rep.post('/api/stock/receipts', { lines: [line()] })).statusCode).toBe(403);
    expect((await rep.post('/api/stock/adjustments', { warehouseId: wh.ZC, batchId: 1, quantity: 1, reason: 'x' })).statusCode).toBe(403);
    expect((await rep.post('/api/stock/transfers', { fromWarehouseId: wh.ZC, toWarehouseId: wh.LK, lines: [{ batchId: 1, quantity: 1 }] })).statusCode).toBe(403);
    expect((await rep.post('/api/warehouses', { code: 'R1', name: 'x', kind: 'normal', coldChain: false })).statusCode).toBe(403);
  });
});

async function batchId(productCode: string, batchNo: string) {
  return (await one<{ id: number }>(sql`select id from stock_batches where batch_no = ${batchNo} and product_id = ${prod[productCode]}`)).id;
}
async function onHand(warehouse: string, batch: number) {
  return Number((await one<{ on_hand: number }>(sql`select coalesce((select on_hand from stock_balances where warehouse_id = ${wh[warehouse]} and batch_id = ${batch}), 0) as on_hand`)).on_hand);
}

describe('adjustments (盘点调整) and transfers (调拨)', () => {
  it('adjusts a batch up and down with a reason, never below zero', async () => {
    const b = await batchId('HK1001', 'A002');
    const start = await onHand('ZC', b);
    const noReason = await logistics.post('/api/stock/adjustments', { warehouseId: wh.ZC, batchId: b, quantity: -2, reason: '  ' });
    expect(noReason.statusCode).toBe(400);
    const down = await logistics.post('/api/stock/adjustments', { warehouseId: wh.ZC, batchId: b, quantity: -2, reason: '盘亏：破损' });
    expect(down.statusCode, down.body).toBe(201);
    expect(down.json().number).toMatch(/^TZ-/);
    expect(await onHand('ZC', b)).toBe(start - 2);
    const tooMuch = await logistics.post('/api/stock/adjustments', { warehouseId: wh.ZC, batchId: b, quantity: -(start - 1), reason: '盘亏' });
    expect(tooMuch.statusCode).toBe(409);
    expect(tooMuch.json().error.code).toBe('STOCK_INSUFFICIENT');
    expect(await onHand('ZC', b)).toBe(start - 2);
    const [m] = rowsOf<{ note: string; quantity: number }>(await t.db.execute(sql`select note, quantity from stock_movements where doc_number = ${down.json().number}`));
    expect(m).toEqual({ note: '盘亏：破损', quantity: -2 });
  });

  it('transfers between warehouses as transfer_out and transfer_in in one document', async () => {
    const b = await batchId('HK1001', 'A001');
    const zc = await onHand('ZC', b);
    const res = await logistics.post('/api/stock/transfers', { fromWarehouseId: wh.ZC, toWarehouseId: wh.BHG, note: '破损待处理', lines: [{ batchId: b, quantity: 10 }] });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().number).toMatch(/^DB-/);
    expect(await onHand('ZC', b)).toBe(zc - 10);
    expect(await onHand('BHG', b)).toBe(10);
    const moves = rowsOf<{ kind: string; quantity: number }>(await t.db.execute(sql`select kind, quantity from stock_movements where doc_number = ${res.json().number} order by quantity`));
    expect(moves).toEqual([
      { kind: 'transfer_out', quantity: -10 },
      { kind: 'transfer_in', quantity: 10 },
    ]);
  });

  it('refuses a transfer of more than is there, to the same warehouse, or of cold-chain goods into a normal warehouse', async () => {
    const b = await batchId('HK1001', 'A001');
    const zc = await onHand('ZC', b);
    const tooMuch = await logistics.post('/api/stock/transfers', { fromWarehouseId: wh.ZC, toWarehouseId: wh.LK, lines: [{ batchId: b, quantity: zc + 1 }] });
    expect(tooMuch.json().error.code).toBe('STOCK_INSUFFICIENT');
    expect(await onHand('ZC', b)).toBe(zc);
    expect(await onHand('LK', b)).toBe(0);
    const same = await logistics.post('/api/stock/transfers', { fromWarehouseId: wh.ZC, toWarehouseId: wh.ZC, lines: [{ batchId: b, quantity: 1 }] });
    expect(same.json().error.code).toBe('STOCK_TRANSFER_SAME_WAREHOUSE');
    const cold = await batchId('HK3004', 'C1');
    const warm = await logistics.post('/api/stock/transfers', { fromWarehouseId: wh.LK, toWarehouseId: wh.ZC, lines: [{ batchId: cold, quantity: 1 }] });
    expect(warm.statusCode).toBe(422);
    expect(warm.json().error.code).toBe('STOCK_COLD_CHAIN_WAREHOUSE');
    expect(await onHand('LK', cold)).toBe(30);
  });
});

describe('warehouses (仓库设置)', () => {
  it('creates a warehouse, refuses a taken code, and refuses to deactivate one that holds stock', async () => {
    const created = await logistics.post('/api/warehouses', { code: 'FC', name: '分仓', kind: 'normal', coldChain: false, address: '上海' });
    expect(created.statusCode, created.body).toBe(201);
    expect((await logistics.post('/api/warehouses', { code: 'FC', name: '重复', kind: 'normal', coldChain: false })).statusCode).toBe(409);
    const zc = (await logistics.get('/api/warehouses')).json().find((w: { code: string }) => w.code === 'ZC');
    expect(zc.onHand).toBeGreaterThan(0);
    const refused = await logistics.patch(`/api/warehouses/${zc.id}`, { status: 'inactive', version: zc.version });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('WAREHOUSE_HOLDS_STOCK');
    const lk = (await logistics.get('/api/warehouses')).json().find((w: { code: string }) => w.code === 'LK');
    expect((await logistics.patch(`/api/warehouses/${lk.id}`, { coldChain: false, version: lk.version })).json().error.code).toBe('WAREHOUSE_HOLDS_COLD_CHAIN');
    const fc = created.json();
    const off = await logistics.patch(`/api/warehouses/${fc.id}`, { status: 'inactive', version: fc.version });
    expect(off.statusCode, off.body).toBe(200);
    expect((await logistics.patch(`/api/warehouses/${fc.id}`, { name: '旧版本', version: fc.version })).statusCode).toBe(409);
    const into = await receipt([line({ warehouseId: fc.id, batchNo: 'FC1' })]);
    expect(into.json().error.code).toBe('STOCK_WAREHOUSE_INACTIVE');
  });

  it('keeps the near-expiry months in the settings, with a version', async () => {
    const s = (await logistics.get('/api/stock/settings')).json();
    const res = await t.app.inject({ method: 'PUT', url: '/api/stock/settings', payload: { nearExpiryMonths: 6, version: s.version }, headers: { cookie: logistics.cookie!, 'x-csrf-token': logistics.csrf! } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().version).toBe(s.version + 1);
  });
});

describe('stock views and warnings', () => {
  let orderLine: number;
  beforeAll(async () => {
    // HK1002: a near-expiry batch, an expired one (received by the database directly: receipts refuse it), demand and safety stock.
    await receipt([line({ productId: prod.HK1002, batchNo: 'N1', manufacturedOn: shift(-600), expiresOn: shift(60), quantity: 8 })]);
    await t.db.execute(sql`insert into stock_batches (product_id, batch_no, expires_on) values (${prod.HK1002}, 'E1', ${shift(-5)}::date)`);
    const e1 = await batchId('HK1002', 'E1');
    await t.db.execute(sql`insert into stock_balances (warehouse_id, batch_id, product_id, on_hand) values (${wh.ZC}, ${e1}, ${prod.HK1002}, 50)`);
    await t.db.execute(sql`insert into stock_movements (business_date, warehouse_id, batch_id, product_id, kind, quantity) values (${shift(-400)}::date, ${wh.ZC}, ${e1}, ${prod.HK1002}, 'receipt', 50)`);
    await t.db.execute(sql`update products set safety_stock = 20 where id = ${prod.HK1002}`);
    const customer = await makeCustomer(t.db, { name: '库存视图测试医院' });
    const [o] = rowsOf<{ id: number }>(
      await t.db.execute(sql`insert into sales_orders (number, customer_id, entered_by, order_date, status) values ('SO-STOCK-1', ${customer.id}, (select id from users where username = 'office'), ${today}, 'released') returning id`),
    );
    const [l] = rowsOf<{ id: number }>(
      await t.db.execute(sql`insert into sales_order_lines (order_id, line_no, product_id, quantity, unit_price_fen, amount_fen) values (${o!.id}, 1, ${prod.HK1002}, 12, 1000, 12000) returning id`),
    );
    orderLine = l!.id;
  });

  it('shows on hand, available, open demand and the warning badges per product; expired stock is not available', async () => {
    const res = await rep.get('/api/stock/balances?q=HK1002');
    expect(res.statusCode, res.body).toBe(200);
    const [row] = res.json().items;
    expect(row).toMatchObject({ code: 'HK1002', onHand: 58, reserved: 0, available: 8, openDemand: 12, nearExpiryQty: 8, expiredQty: 50, safetyStock: 20, belowSafety: true, shortage: true });
    const warnings = (await rep.get('/api/stock/balances?warnings=true&pageSize=200')).json();
    expect(warnings.items.map((r: { code: string }) => r.code)).toContain('HK1002');
    expect(warnings.items.map((r: { code: string }) => r.code)).not.toContain('HK3004');
    const near = (await rep.get('/api/stock/balances?nearExpiry=1&pageSize=200')).json();
    expect(near.items.map((r: { code: string }) => r.code)).toEqual(['HK1002']);
    const sorted = (await rep.get('/api/stock/balances?sort=-onHand&pageSize=2')).json();
    expect(sorted.items[0].onHand).toBeGreaterThanOrEqual(sorted.items[1].onHand);
    expect(sorted.total).toBeGreaterThan(2);
    const batches = (await rep.get(`/api/stock/products/${prod.HK1002}/batches`)).json();
    expect(batches.map((b: { batchNo: string; state: string }) => [b.batchNo, b.state])).toEqual([
      ['E1', 'expired'],
      ['N1', 'near_expiry'],
    ]);
    const availability = (await rep.get(`/api/stock/availability?productIds=${prod.HK1002},${prod.HK1001}`)).json();
    expect(availability).toContainEqual({ productId: prod.HK1002, available: 8 });
  });

  it('filters the ledger by product, batch, warehouse, kind, document and date, and exports it', async () => {
    const all = (await rep.get(`/api/stock/movements?productId=${prod.HK1001}&pageSize=200`)).json();
    expect(all.items.length).toBe(all.total);
    expect(all.items.every((m: { productId: number }) => m.productId === prod.HK1001)).toBe(true);
    const transfers = (await rep.get(`/api/stock/movements?kind=transfer_in&warehouseId=${wh.BHG}`)).json();
    expect(transfers.items.map((m: { batchNo: string; quantity: number }) => [m.batchNo, m.quantity])).toEqual([['A001', 10]]);
    const byDoc = (await rep.get(`/api/stock/movements?docNumber=${transfers.items[0].docNumber}`)).json();
    expect(byDoc.total).toBe(2);
    const byBatch = (await rep.get(`/api/stock/movements?batchNo=C1`)).json();
    expect(byBatch.items.every((m: { batchNo: string }) => m.batchNo === 'C1')).toBe(true);
    expect((await rep.get(`/api/stock/movements?from=${shift(1)}`)).json().total).toBe(0);
    const xlsx = await rep.get(`/api/stock/movements/export.xlsx?productId=${prod.HK1001}`);
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets[0]!.rowCount).toBe(all.total + 1);
    const stock = await rep.get('/api/stock/balances/export.xlsx?warnings=true');
    expect(stock.statusCode).toBe(200);
  });

  it('tells the warehouse once per episode about low stock, shortage, near-expiry and expired batches', async () => {
    const logisticsId = await userIdOf(t.db, 'logistics');
    const repId = await userIdOf(t.db, 'rep');
    const notes = async (userId: number) =>
      rowsOf<{ event: string; body: string }>(await t.db.execute(sql`select event, body from notifications where user_id = ${userId} and event like 'stock.%' order by id`));
    const sent = await runStockWarnings(t.db, today);
    expect(sent).toBeGreaterThan(0);
    const first = await notes(logisticsId);
    expect(first.map((n) => n.event).sort()).toEqual(['stock.below_safety', 'stock.expired', 'stock.near_expiry', 'stock.shortage']);
    expect(first.find((n) => n.event === 'stock.expired')!.body).toContain('E1');
    expect(await notes(repId)).toEqual([]);
    // The same day again, or the next day with nothing changed: nothing new.
    expect(await runStockWarnings(t.db, today)).toBe(0);
    expect(await runStockWarnings(t.db, shift(1))).toBe(0);
    // The shortage ends (the demand is closed), then comes back: a new episode, told again.
    await t.db.execute(sql`update sales_order_lines set closed_qty = 12 where id = ${orderLine}`);
    expect(await runStockWarnings(t.db, shift(1))).toBe(0);
    await t.db.execute(sql`update sales_order_lines set closed_qty = 0 where id = ${orderLine}`);
    await runStockWarnings(t.db, shift(2));
    expect((await notes(logisticsId)).filter((n) => n.event === 'stock.shortage')).toHaveLength(2);
  });

  it('is a scheduled job an administrator can run now', async () => {
    const admin = await Client.as(t.app, 'admin');
    const res = await admin.post('/api/jobs/stock.warnings/run');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ job: 'stock.warnings', outcome: 'ok' });
  });
});

describe('receipt import (入库导入)', () => {
  const HEADERS = ['仓库编码', '药品编码', '批号', '生产日期', '有效期至', '数量'];
  async function xlsxOf(rows: (string | number)[][]): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('入库');
    sheet.addRow(HEADERS);
    for (const r of rows) sheet.addRow(r);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  it('offers a template with the Chinese headers', async () => {
    const res = await logistics.get('/api/imports/stock_receipts/template.xlsx');
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect((wb.worksheets[0]!.getRow(1).values as string[]).filter(Boolean).slice(0, 6)).toEqual(HEADERS);
  });

  it('reports bad rows by row and column and writes nothing', async () => {
    const before = await count('stock_movements');
    const file = await xlsxOf([
      ['ZC', 'HK1001', 'I1', shift(-10), shift(500), 10],
      ['NOPE', 'HK1001', 'I2', shift(-10), shift(500), 10],
      ['ZC', 'HK1001', 'I3', shift(-800), shift(-1), 10],
      ['ZC', 'HK5001', 'I4', shift(-10), shift(300), 10],
      ['ZC', 'HK1001', 'I5', shift(-10), shift(500), 0],
    ]);
    const res = await logistics.upload('/api/imports/stock_receipts', '入库.xlsx', file);
    expect(res.statusCode, res.body).toBe(200);
    const batch = res.json();
    expect(batch).toMatchObject({ total: 5, valid: 1 });
    const errors = batch.errors.map((e: { row: number; column: string; message: string }) => [e.row, e.column, e.message]);
    expect(errors).toEqual([
      [3, '仓库编码', expect.stringContaining('NOPE')],
      [4, '有效期至', expect.stringContaining('已过期')],
      [5, '仓库编码', expect.stringContaining('冷库')],
      [6, '数量', expect.any(String)],
    ]);
    const commit = await logistics.post(`/api/imports/batches/${batch.batchId}/commit`, { mode: 'all_or_nothing' });
    expect(commit.statusCode).not.toBe(200);
    expect(await count('stock_movements')).toBe(before);
  });

  it('commits a good file as one receipt marked as imported', async () => {
    const file = await xlsxOf([
      ['ZC', 'HK1001', 'I6', shift(-10), shift(500), 10],
      ['LK', 'HK5001', 'I7', '', shift(300), 4],
    ]);
    const res = await logistics.upload('/api/imports/stock_receipts', '入库.xlsx', file);
    expect(res.json()).toMatchObject({ total: 2, valid: 2 });
    const commit = await logistics.post(`/api/imports/batches/${res.json().batchId}/commit`, { mode: 'all_or_nothing' });
    expect(commit.statusCode, commit.body).toBe(200);
    expect(commit.json()).toMatchObject({ status: 'committed', committed: 2 });
    const doc = await one<{ number: string; source: string; n: number }>(
      sql`select d.number, d.source, (select count(*)::int from stock_movements m where m.doc_type = 'stock_receipt' and m.doc_id = d.id) as n from stock_documents d order by d.id desc limit 1`,
    );
    expect(doc).toMatchObject({ source: 'import', n: 2 });
    expect(doc.number).toMatch(/^RK-/);
    expect((await rep.upload('/api/imports/stock_receipts', '入库.xlsx', file)).statusCode).toBe(403);
  });
});
