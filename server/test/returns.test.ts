import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/kernel/db/client.js';
import { companyToday } from '../src/modules/customers/customers.scope.js';
import { balance, EXPIRY_LATE, makeProduct, makeQualifiedCustomer, orderLine, orderStatus, receiveStock, releasedOrder, warehouseId } from './shipping-fixtures.js';
import { Client, setupTest } from './support.js';

/** 退换货: requests against shipped batches, approval, receipt into quarantine, inspection, exchange. */
describe('returns', () => {
  let t: Awaited<ReturnType<typeof setupTest>>;
  let logistics: Client;
  let admin: Client;
  let rep: Client;
  let rep2: Client;
  let officeLead: Client;
  let quality: Client;
  let customerId: number;

  beforeAll(async () => {
    t = await setupTest({ demo: true, demoCustomers: false });
    logistics = await Client.as(t.app, 'logistics');
    admin = await Client.as(t.app, 'admin');
    rep = await Client.as(t.app, 'rep');
    rep2 = await Client.as(t.app, 'rep2');
    officeLead = await Client.as(t.app, 'office_lead');
    quality = await Client.as(t.app, 'quality');
    customerId = await makeQualifiedCustomer(t.db, { name: '上海市退货测试医院' });
  }, 120_000);
  afterAll(async () => t.close());

  /** An order of `quantity` shipped in one dispatched shipment; returns its shipment line. */
  async function shipped(quantity: number, customer = customerId) {
    const productId = await makeProduct(t.db);
    const batchId = await receiveStock(t.db, { productId, batchNo: `RT-${productId}`, expiresOn: EXPIRY_LATE, quantity: quantity + 20 });
    const { orderId, lineIds } = await releasedOrder(t.db, customer, [{ productId, quantity }]);
    const created = await logistics.post('/api/shipments', { orderId });
    const s = created.json().shipments[0];
    const checked = await admin.post(`/api/shipments/${s.id}/check`, { version: s.version });
    const sent = await logistics.post(`/api/shipments/${s.id}/dispatch`, { version: checked.json().version, carrier: '顺丰速运', trackingNo: 'SF1' });
    expect(sent.statusCode, sent.body).toBe(200);
    return { productId, batchId, orderId, orderLineId: lineIds[0]!, shipmentId: s.id as number, shipmentLineId: s.lines[0].id as number };
  }

  const request = (as: Client, shipmentLineId: number, quantity: number, resolution: 'refund' | 'exchange' = 'refund') =>
    as.post('/api/returns', { reason: 'damage', resolution, description: '外箱破损，药品受潮', lines: [{ shipmentLineId, quantity }] });

  /** The office lead approves the pending return (the seeded flow). */
  async function approve(returnId: number) {
    const tasks = (await officeLead.get('/api/approvals/tasks')).json().items as { id: number; docType: string; docId: number }[];
    const task = tasks.find((x) => x.docType === 'return_request' && x.docId === returnId);
    expect(task).toBeDefined();
    const res = await officeLead.post(`/api/approvals/tasks/${task!.id}/approve`, { comment: '同意' });
    expect(res.statusCode, res.body).toBe(200);
    return (await rep.get(`/api/returns/${returnId}`)).json();
  }

  it('lets a rep request a return for their own customer, bounded by what was shipped and already requested', async () => {
    const s = await shipped(10);
    const over = await request(rep, s.shipmentLineId, 11);
    expect(over.statusCode).toBe(422);
    expect(over.json().error.code).toBe('RETURN_QUANTITY_EXCEEDS_SHIPPED');
    const first = await request(rep, s.shipmentLineId, 6);
    expect(first.statusCode, first.body).toBe(200);
    const ret = first.json().returnRequest;
    expect(ret.number).toMatch(/^TH\d{6}-\d{4}$/);
    expect(ret.status).toBe('pending_approval');
    const second = await request(rep, s.shipmentLineId, 5);
    expect(second.statusCode).toBe(422);
    expect(second.json().error.fields[0].path).toBe('lines.0.quantity');
    expect((await request(rep, s.shipmentLineId, 4)).statusCode).toBe(200);
    // A cancelled request frees its quantity.
    const cancelled = await rep.post(`/api/returns/${ret.id}/cancel`, { version: ret.version, reason: '客户撤回' });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    const returnable = (await rep.get(`/api/returns/returnable?shipmentId=${s.shipmentId}`)).json();
    expect(returnable[0]).toMatchObject({ shipped: 10, returnable: 6 });
  });

  it('keeps other reps and the warehouse within their rights: no return for another rep’s customer, no receipt by a rep', async () => {
    const s = await shipped(3);
    expect((await request(rep2, s.shipmentLineId, 1)).statusCode).toBe(404);
    const res = await request(rep, s.shipmentLineId, 1);
    const ret = res.json().returnRequest;
    expect((await rep2.get(`/api/returns/${ret.id}`)).statusCode).toBe(404);
    expect((await logistics.post('/api/returns', { reason: 'damage', resolution: 'refund', description: 'x', lines: [{ shipmentLineId: s.shipmentLineId, quantity: 1 }] })).statusCode).toBe(403);
    expect((await rep.post(`/api/returns/${ret.id}/receive`, { version: ret.version, warehouseId: 1 })).statusCode).toBe(403);
    expect((await rep.post('/api/shipments', { orderId: s.orderId })).statusCode).toBe(403);
  });

  it('receives approved returns into quarantine only, and counts them on the order line', async () => {
    const s = await shipped(8);
    const ret = (await request(rep, s.shipmentLineId, 3)).json().returnRequest;
    const early = await logistics.post(`/api/returns/${ret.id}/receive`, { version: ret.version, warehouseId: await warehouseId(t.db, 'BHG') });
    expect(early.statusCode).toBe(409);
    const approved = await approve(ret.id);
    expect(approved.status).toBe('approved');
    expect(approved.approvals[0].tasks[0]).toMatchObject({ status: 'approved', comment: '同意' });
    const normal = await logistics.post(`/api/returns/${ret.id}/receive`, { version: approved.version, warehouseId: await warehouseId(t.db, 'ZC') });
    expect(normal.statusCode).toBe(422);
    expect(normal.json().error.fields[0].path).toBe('warehouseId');
    const received = await logistics.post(`/api/returns/${ret.id}/receive`, { version: approved.version, warehouseId: await warehouseId(t.db, 'BHG') });
    expect(received.statusCode, received.body).toBe(200);
    expect(received.json()).toMatchObject({ status: 'received', receivedWarehouseName: '不合格品库' });
    expect(await balance(t.db, 'BHG', s.batchId)).toEqual({ on_hand: 3, reserved: 0 });
    // A refund closes the returned quantity: the order does not wait for the goods again.
    expect(await orderLine(t.db, s.orderLineId)).toMatchObject({ shipped_qty: 8, returned_qty: 3, closed_qty: 3 });
    expect(await orderStatus(t.db, s.orderId)).toBe('shipped');
    const [m] = rowsOf<{ kind: string; quantity: number }>(await t.db.execute(sql`select kind, quantity from stock_movements where doc_type = 'return_request' and doc_id = ${ret.id}`));
    expect(m).toEqual({ kind: 'return', quantity: 3 });
  });

  it('restocks, keeps or destroys each line on inspection, moving the stock accordingly', async () => {
    const a = await shipped(5);
    const b = await shipped(5);
    // One return over two shipments of different orders is refused: a return names one order.
    const mixed = await rep.post('/api/returns', { reason: 'quality', resolution: 'refund', description: '质量问题', lines: [{ shipmentLineId: a.shipmentLineId, quantity: 1 }, { shipmentLineId: b.shipmentLineId, quantity: 1 }] });
    expect(mixed.statusCode).toBe(422);
    const restock = (await request(rep, a.shipmentLineId, 4)).json().returnRequest;
    const destroy = (await request(rep, b.shipmentLineId, 2)).json().returnRequest;
    const bhg = await warehouseId(t.db, 'BHG');
    const zc = await warehouseId(t.db, 'ZC');
    for (const r of [restock, destroy]) {
      const approved = await approve(r.id);
      expect((await logistics.post(`/api/returns/${r.id}/receive`, { version: approved.version, warehouseId: bhg })).statusCode).toBe(200);
    }
    const r1 = (await quality.get(`/api/returns/${restock.id}`)).json();
    const incomplete = await quality.post(`/api/returns/${restock.id}/inspect`, { version: r1.version, lines: [{ returnLineId: r1.lines[0].id, result: 'restock' }] });
    expect(incomplete.statusCode).toBe(422);
    const zcBefore = await balance(t.db, 'ZC', a.batchId);
    const done = await quality.post(`/api/returns/${restock.id}/inspect`, { version: r1.version, lines: [{ returnLineId: r1.lines[0].id, result: 'restock', restockWarehouseId: zc, note: '外观完好' }] });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ status: 'completed' });
    expect(done.json().lines[0]).toMatchObject({ inspectionResult: 'restock', restockWarehouseId: zc });
    expect(await balance(t.db, 'BHG', a.batchId)).toEqual({ on_hand: 0, reserved: 0 });
    expect((await balance(t.db, 'ZC', a.batchId)).on_hand).toBe(zcBefore.on_hand + 4);
    const r2 = (await quality.get(`/api/returns/${destroy.id}`)).json();
    const destroyed = await quality.post(`/api/returns/${destroy.id}/inspect`, { version: r2.version, lines: [{ returnLineId: r2.lines[0].id, result: 'destroy', note: '受潮' }] });
    expect(destroyed.statusCode, destroyed.body).toBe(200);
    expect(await balance(t.db, 'BHG', b.batchId)).toEqual({ on_hand: 0, reserved: 0 });
    const kinds = rowsOf<{ kind: string; quantity: number }>(
      await t.db.execute(sql`select kind, quantity from stock_movements where doc_type = 'return_request' and doc_id in (${restock.id}, ${destroy.id}) order by id`),
    ).map((m) => `${m.kind}:${m.quantity}`);
    expect(kinds).toEqual(['return:4', 'return:2', 'transfer_out:-4', 'transfer_in:4', 'destroy:-2']);
  });

  it('ships the replacement of an exchange through the normal check and dispatch', async () => {
    const s = await shipped(6);
    const ret = (await request(rep, s.shipmentLineId, 2, 'exchange')).json().returnRequest;
    const approved = await approve(ret.id);
    const tooEarly = await logistics.post(`/api/returns/${ret.id}/exchange-shipment`, { version: approved.version });
    expect(tooEarly.statusCode).toBe(409);
    const received = (await logistics.post(`/api/returns/${ret.id}/receive`, { version: approved.version, warehouseId: await warehouseId(t.db, 'BHG') })).json();
    // An exchange reopens the line: the order waits for the replacement.
    expect(await orderLine(t.db, s.orderLineId)).toMatchObject({ shipped_qty: 6, returned_qty: 2, closed_qty: 0 });
    expect(await orderStatus(t.db, s.orderId)).toBe('partially_shipped');
    const ex = await logistics.post(`/api/returns/${ret.id}/exchange-shipment`, { version: received.version });
    expect(ex.statusCode, ex.body).toBe(200);
    expect(ex.json().returnRequest.exchangeShipmentId).toBe(ex.json().shipmentId);
    const twice = await logistics.post(`/api/returns/${ret.id}/exchange-shipment`, { version: ex.json().returnRequest.version });
    expect(twice.json().error.code).toBe('RETURN_EXCHANGE_EXISTS');
    const shipment = (await logistics.get(`/api/shipments/${ex.json().shipmentId}`)).json();
    expect(shipment).toMatchObject({ kind: 'exchange', status: 'picking', exchangeForReturnId: ret.id, totalQuantity: 2 });
    const checked = (await admin.post(`/api/shipments/${shipment.id}/check`, { version: shipment.version })).json();
    const sent = await logistics.post(`/api/shipments/${shipment.id}/dispatch`, { version: checked.version, carrier: '自送', selfDelivery: true });
    expect(sent.statusCode, sent.body).toBe(200);
    expect(await orderLine(t.db, s.orderLineId)).toMatchObject({ shipped_qty: 8, returned_qty: 2, reserved_qty: 0 });
    expect(await orderStatus(t.db, s.orderId)).toBe('shipped');
    // A refund cannot ask for an exchange shipment.
    const s2 = await shipped(2);
    const refund = (await request(rep, s2.shipmentLineId, 1)).json().returnRequest;
    const a2 = await approve(refund.id);
    const r2 = (await logistics.post(`/api/returns/${refund.id}/receive`, { version: a2.version, warehouseId: await warehouseId(t.db, 'BHG') })).json();
    expect((await logistics.post(`/api/returns/${refund.id}/exchange-shipment`, { version: r2.version })).json().error.code).toBe('RETURN_NOT_EXCHANGE');
  });

  it('lets only one of two simultaneous requests take the last returnable units', async () => {
    const s = await shipped(10);
    const results = await Promise.all([request(rep, s.shipmentLineId, 6), request(rep, s.shipmentLineId, 6)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 422]);
    const [sum] = rowsOf<{ n: number }>(await t.db.execute(sql`select coalesce(sum(quantity), 0)::int as n from return_lines where shipment_line_id = ${s.shipmentLineId}`));
    expect(sum!.n).toBe(6);
  });

  it('returns a rejected request to draft with the reason, and it can be submitted again', async () => {
    const s = await shipped(4);
    const ret = (await request(rep, s.shipmentLineId, 2)).json().returnRequest;
    const tasks = (await officeLead.get('/api/approvals/tasks')).json().items as { id: number; docType: string; docId: number }[];
    const task = tasks.find((x) => x.docType === 'return_request' && x.docId === ret.id)!;
    expect((await officeLead.post(`/api/approvals/tasks/${task.id}/reject`, { comment: '请补充破损照片' })).statusCode).toBe(200);
    const draft = (await rep.get(`/api/returns/${ret.id}`)).json();
    expect(draft.status).toBe('draft');
    expect(draft.approvals[0].tasks[0]).toMatchObject({ status: 'rejected', comment: '请补充破损照片' });
    const again = await rep.post(`/api/returns/${ret.id}/submit`, { version: draft.version });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().returnRequest.status).toBe('pending_approval');
    expect((await approve(ret.id)).status).toBe('approved');
  });

  it('refuses to receive a return in a closed month', async () => {
    const s = await shipped(2);
    const ret = (await request(rep, s.shipmentLineId, 1)).json().returnRequest;
    const approved = await approve(ret.id);
    const period = companyToday().slice(0, 7);
    await t.db.execute(sql`insert into period_closings (period, closed_by) values (${period}, (select id from users where username = 'finance'))`);
    try {
      const res = await logistics.post(`/api/returns/${ret.id}/receive`, { version: approved.version, warehouseId: await warehouseId(t.db, 'BHG') });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('PERIOD_CLOSED');
      expect(await orderLine(t.db, s.orderLineId)).toMatchObject({ returned_qty: 0 });
    } finally {
      await t.db.execute(sql`delete from period_closings where period = ${period}`);
    }
  });
});
