import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/kernel/db/client.js';
import { companyToday } from '../src/modules/customers/customers.scope.js';
import { releaseReservations } from '../src/modules/stock/stock.ledger.js';
import {
  balance,
  EXPIRY_EARLY,
  EXPIRY_LATE,
  makeProduct,
  makeQualifiedCustomer,
  orderLine,
  orderStatus,
  receiveStock,
  releasedOrder,
  warehouseId,
} from './shipping-fixtures.js';
import { propertyParameters } from './property-support.js';
import { Client, setupTest } from './support.js';

const SHIPPING_RUNS = 40;

/** 发货: shipments from released orders, four-eyes check, dispatch (GSP, cold chain), delivery notes. */
describe('shipping', () => {
  let t: Awaited<ReturnType<typeof setupTest>>;
  let logistics: Client;
  let admin: Client;
  let rep: Client;
  let rep2: Client;
  let customerId: number;

  beforeAll(async () => {
    t = await setupTest({ demo: true, demoCustomers: false });
    logistics = await Client.as(t.app, 'logistics');
    admin = await Client.as(t.app, 'admin');
    rep = await Client.as(t.app, 'rep');
    rep2 = await Client.as(t.app, 'rep2');
    customerId = await makeQualifiedCustomer(t.db, { name: '上海市第一测试医院' });
  }, 120_000);
  afterAll(async () => t.close());

  const create = async (body: object, as = logistics) => {
    const res = await as.post('/api/shipments', body);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().shipments as { id: number; number: string; version: number; warehouseId: number; coldChain: boolean; shipToAddress: string; lines: { batchId: number; quantity: number; orderLineId: number }[] }[];
  };
  const check = async (s: { id: number; version: number }, as = admin) => {
    const res = await as.post(`/api/shipments/${s.id}/check`, { version: s.version });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { id: number; version: number; status: string };
  };
  const dispatchBody = { carrier: '顺丰速运', trackingNo: 'SF1234567890' };

  it('ships a whole order batch by batch as reserved, one shipment per warehouse, cold chain marked', async () => {
    const tablets = await makeProduct(t.db);
    const vaccine = await makeProduct(t.db, { coldChain: true });
    const early = await receiveStock(t.db, { productId: tablets, batchNo: 'W-E1', expiresOn: EXPIRY_EARLY, quantity: 5 });
    const late = await receiveStock(t.db, { productId: tablets, batchNo: 'W-L1', expiresOn: EXPIRY_LATE, quantity: 20 });
    await receiveStock(t.db, { productId: vaccine, batchNo: 'W-C1', expiresOn: EXPIRY_LATE, quantity: 10, warehouse: 'LK' });
    const { orderId } = await releasedOrder(t.db, customerId, [
      { productId: tablets, quantity: 12 },
      { productId: vaccine, quantity: 4 },
    ]);
    const created = await create({ orderId });
    expect(created).toHaveLength(2);
    const zcId = await warehouseId(t.db, 'ZC');
    const zc = created.find((s) => s.warehouseId === zcId)!;
    const lk = created.find((s) => s.warehouseId !== zc.warehouseId)!;
    expect(zc.number).toMatch(/^FH\d{8}-\d{4}$/);
    expect(zc.coldChain).toBe(false);
    expect(lk.coldChain).toBe(true);
    expect(zc.shipToAddress).toBe('上海市黄浦区测试路1号');
    expect(zc.lines.map((l) => [l.batchId, l.quantity])).toEqual([
      [early, 5],
      [late, 7],
    ]);
    expect(lk.lines.map((l) => l.quantity)).toEqual([4]);
    // Nothing left to cut a second shipment from.
    const again = await logistics.post('/api/shipments', { orderId });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('SHIPMENT_NOTHING_TO_SHIP');
  });

  it('ships part of an order and leaves the rest for the next shipment, never more than reserved', async () => {
    const p = await makeProduct(t.db);
    const batch = await receiveStock(t.db, { productId: p, batchNo: 'P-1', expiresOn: EXPIRY_LATE, quantity: 30 });
    const zc = await warehouseId(t.db, 'ZC');
    const { orderId, lineIds } = await releasedOrder(t.db, customerId, [{ productId: p, quantity: 10 }]);
    const over = await logistics.post('/api/shipments', { orderId, lines: [{ orderLineId: lineIds[0], warehouseId: zc, batchId: batch, quantity: 11 }] });
    expect(over.statusCode).toBe(409);
    expect(over.json().error.code).toBe('SHIPMENT_OVER_RESERVED');
    const [first] = await create({ orderId, lines: [{ orderLineId: lineIds[0], warehouseId: zc, batchId: batch, quantity: 6 }] });
    expect(first!.lines[0]!.quantity).toBe(6);
    const shippable = (await logistics.get(`/api/shipments/shippable?orderId=${orderId}`)).json();
    expect(shippable.lines[0]).toMatchObject({ reserved: 10, onOpenShipments: 6, available: 4 });
    const [rest] = await create({ orderId });
    expect(rest!.lines[0]!.quantity).toBe(4);
    // Dispatch the first only: the order is partially shipped, the second stays reserved.
    await check(first!);
    const sent = await logistics.post(`/api/shipments/${first!.id}/dispatch`, { version: first!.version + 1, ...dispatchBody });
    expect(sent.statusCode, sent.body).toBe(200);
    expect(await orderStatus(t.db, orderId)).toBe('partially_shipped');
    expect(await orderLine(t.db, lineIds[0]!)).toMatchObject({ reserved_qty: 4, shipped_qty: 6 });
    expect(await balance(t.db, 'ZC', batch)).toEqual({ on_hand: 24, reserved: 4 });
  });

  it('refuses the check by whoever created the shipment (four eyes), also in the database', async () => {
    const p = await makeProduct(t.db);
    await receiveStock(t.db, { productId: p, batchNo: 'F-1', expiresOn: EXPIRY_LATE, quantity: 5 });
    const { orderId } = await releasedOrder(t.db, customerId, [{ productId: p, quantity: 5 }]);
    const [s] = await create({ orderId });
    const own = await logistics.post(`/api/shipments/${s!.id}/check`, { version: s!.version });
    expect(own.statusCode).toBe(409);
    expect(own.json().error.code).toBe('SHIPMENT_FOUR_EYES');
    expect(own.json().error.message).toContain('双人复核');
    await expect(t.db.execute(sql`update shipments set checked_by = created_by where id = ${s!.id}`)).rejects.toThrow();
    // Dispatch before the check is refused too.
    const early = await logistics.post(`/api/shipments/${s!.id}/dispatch`, { version: s!.version, ...dispatchBody });
    expect(early.statusCode).toBe(409);
    const checked = await check(s!);
    expect(checked.status).toBe('checked');
  });

  it('refuses a cold-chain dispatch without a logger or with a temperature outside 2–8 °C, and the database backs it', async () => {
    const p = await makeProduct(t.db, { coldChain: true });
    const batch = await receiveStock(t.db, { productId: p, batchNo: 'C-1', expiresOn: EXPIRY_LATE, quantity: 5, warehouse: 'LK' });
    const { orderId } = await releasedOrder(t.db, customerId, [{ productId: p, quantity: 5 }]);
    const [s] = await create({ orderId });
    const checked = await check(s!);
    const noLogger = await logistics.post(`/api/shipments/${s!.id}/dispatch`, { version: checked.version, ...dispatchBody, startTempTenths: 50, endTempTenths: 60 });
    expect(noLogger.statusCode).toBe(422);
    expect(noLogger.json().error.code).toBe('SHIPMENT_COLD_CHAIN_LOGGER_REQUIRED');
    expect(noLogger.json().error.fields.map((f: { path: string }) => f.path)).toContain('temperatureLoggerId');
    const tooWarm = await logistics.post(`/api/shipments/${s!.id}/dispatch`, { version: checked.version, ...dispatchBody, temperatureLoggerId: 'TL-01', startTempTenths: 50, endTempTenths: 85 });
    expect(tooWarm.statusCode).toBe(422);
    expect(tooWarm.json().error.code).toBe('SHIPMENT_COLD_CHAIN_TEMPERATURE_OUT_OF_RANGE');
    expect(tooWarm.json().error.message).toContain('8.5');
    const tooCold = await logistics.post(`/api/shipments/${s!.id}/dispatch`, { version: checked.version, ...dispatchBody, temperatureLoggerId: 'TL-01', startTempTenths: 19, endTempTenths: 50 });
    expect(tooCold.json().error.code).toBe('SHIPMENT_COLD_CHAIN_TEMPERATURE_OUT_OF_RANGE');
    // Nothing left the warehouse.
    expect(await balance(t.db, 'LK', batch)).toEqual({ on_hand: 5, reserved: 5 });
    // Code bypassed: the database still refuses a cold-chain shipment dispatched without its record.
    await expect(
      t.db.execute(sql`update shipments set status = 'dispatched', dispatched_on = ${companyToday()}, temperature_logger_id = 'TL-01', start_temp_tenths = 50, end_temp_tenths = 81 where id = ${s!.id}`),
    ).rejects.toThrow();
    await expect(t.db.execute(sql`update shipments set status = 'dispatched', dispatched_on = ${companyToday()} where id = ${s!.id}`)).rejects.toThrow();
    const ok = await logistics.post(`/api/shipments/${s!.id}/dispatch`, { version: checked.version, ...dispatchBody, temperatureLoggerId: 'TL-01', startTempTenths: 42, endTempTenths: 58 });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'dispatched', temperatureLoggerId: 'TL-01', startTempTenths: 42, endTempTenths: 58 });
  });

  it('needs a tracking number unless the goods go by self-delivery', async () => {
    const p = await makeProduct(t.db);
    await receiveStock(t.db, { productId: p, batchNo: 'T-1', expiresOn: EXPIRY_LATE, quantity: 3 });
    const { orderId } = await releasedOrder(t.db, customerId, [{ productId: p, quantity: 3 }]);
    const [s] = await create({ orderId });
    const checked = await check(s!);
    const missing = await logistics.post(`/api/shipments/${s!.id}/dispatch`, { version: checked.version, carrier: '顺丰速运' });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().error.fields).toEqual([{ path: 'trackingNo', message: '请填写运单号（自送可不填）' }]);
    const self = await logistics.post(`/api/shipments/${s!.id}/dispatch`, { version: checked.version, carrier: '自送', selfDelivery: true });
    expect(self.statusCode, self.body).toBe(200);
    expect(self.json().trackingNo).toBeNull();
  });

  it('refuses to dispatch to a customer whose qualification has expired (GSP)', async () => {
    const lapsed = await makeQualifiedCustomer(t.db, { name: '资质过期医院', expiresOn: '2024-12-31' });
    const p = await makeProduct(t.db);
    const batch = await receiveStock(t.db, { productId: p, batchNo: 'G-1', expiresOn: EXPIRY_LATE, quantity: 4 });
    const { orderId, lineIds } = await releasedOrder(t.db, lapsed, [{ productId: p, quantity: 4 }]);
    const [s] = await create({ orderId });
    const checked = await check(s!);
    const res = await logistics.post(`/api/shipments/${s!.id}/dispatch`, { version: checked.version, ...dispatchBody });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('SHIPMENT_CUSTOMER_NOT_ELIGIBLE');
    expect(res.json().error.message).toContain('GSP');
    expect(res.json().error.message).toContain('医疗机构执业许可证 已于 2024-12-31 过期');
    expect(await balance(t.db, 'ZC', batch)).toEqual({ on_hand: 4, reserved: 4 });
    expect(await orderLine(t.db, lineIds[0]!)).toMatchObject({ shipped_qty: 0 });
  });

  it('moves the stock out and ships the order when the last shipment leaves; delivery is confirmed after', async () => {
    const p = await makeProduct(t.db);
    const batch = await receiveStock(t.db, { productId: p, batchNo: 'M-1', expiresOn: EXPIRY_LATE, quantity: 9 });
    const { orderId, lineIds } = await releasedOrder(t.db, customerId, [{ productId: p, quantity: 7 }]);
    const [s] = await create({ orderId });
    const checked = await check(s!);
    const sent = await logistics.post(`/api/shipments/${s!.id}/dispatch`, { version: checked.version, ...dispatchBody });
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.json()).toMatchObject({ status: 'dispatched', dispatchedOn: companyToday(), carrier: '顺丰速运', trackingNo: 'SF1234567890' });
    expect(await balance(t.db, 'ZC', batch)).toEqual({ on_hand: 2, reserved: 0 });
    expect(await orderLine(t.db, lineIds[0]!)).toMatchObject({ reserved_qty: 0, shipped_qty: 7 });
    expect(await orderStatus(t.db, orderId)).toBe('shipped');
    const [m] = rowsOf<{ kind: string; quantity: number; doc_number: string }>(
      await t.db.execute(sql`select kind, quantity, doc_number from stock_movements where doc_type = 'shipment' and doc_id = ${s!.id}`),
    );
    expect(m).toEqual({ kind: 'shipment', quantity: -7, doc_number: s!.number });
    // Cancelling after dispatch is refused; delivery is confirmed.
    const cancel = await logistics.post(`/api/shipments/${s!.id}/cancel`, { version: sent.json().version, reason: '客户取消' });
    expect(cancel.statusCode).toBe(409);
    const delivered = await logistics.post(`/api/shipments/${s!.id}/deliver`, { version: sent.json().version, note: '药剂科签收' });
    expect(delivered.statusCode, delivered.body).toBe(200);
    expect(delivered.json()).toMatchObject({ status: 'delivered', deliveredNote: '药剂科签收' });
  });

  it('keeps the reservations with the order when a shipment is cancelled before dispatch', async () => {
    const p = await makeProduct(t.db);
    const batch = await receiveStock(t.db, { productId: p, batchNo: 'X-1', expiresOn: EXPIRY_LATE, quantity: 5 });
    const { orderId, lineIds } = await releasedOrder(t.db, customerId, [{ productId: p, quantity: 5 }]);
    const [s] = await create({ orderId });
    const noReason = await logistics.post(`/api/shipments/${s!.id}/cancel`, { version: s!.version, reason: '' });
    expect([400, 422]).toContain(noReason.statusCode);
    const cancelled = await logistics.post(`/api/shipments/${s!.id}/cancel`, { version: s!.version, reason: '客户要求改期' });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', cancelReason: '客户要求改期' });
    expect(await orderLine(t.db, lineIds[0]!)).toMatchObject({ reserved_qty: 5, shipped_qty: 0 });
    expect(await balance(t.db, 'ZC', batch)).toEqual({ on_hand: 5, reserved: 5 });
    const [again] = await create({ orderId });
    expect(again!.lines[0]!.quantity).toBe(5);
  });

  it('never ships more than is reserved when two shipments of one reservation are dispatched at once', async () => {
    const p = await makeProduct(t.db);
    const batch = await receiveStock(t.db, { productId: p, batchNo: 'R-1', expiresOn: EXPIRY_LATE, quantity: 10 });
    const zc = await warehouseId(t.db, 'ZC');
    const { orderId, lineIds } = await releasedOrder(t.db, customerId, [{ productId: p, quantity: 10 }]);
    const [a] = await create({ orderId, lines: [{ orderLineId: lineIds[0], warehouseId: zc, batchId: batch, quantity: 6 }] });
    const [b] = await create({ orderId, lines: [{ orderLineId: lineIds[0], warehouseId: zc, batchId: batch, quantity: 4 }] });
    const ca = await check(a!);
    const cb = await check(b!);
    // The order gives up 3 of its reservation (e.g. a back-order closed) while both shipments are open.
    await t.db.transaction((tx) => releaseReservations(tx, lineIds[0]!, 3));
    const results = await Promise.all([
      logistics.post(`/api/shipments/${a!.id}/dispatch`, { version: ca.version, ...dispatchBody }),
      logistics.post(`/api/shipments/${b!.id}/dispatch`, { version: cb.version, ...dispatchBody }),
    ]);
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([200, 409]);
    expect(results.find((r) => r.statusCode === 409)!.json().error.code).toBe('STOCK_INSUFFICIENT');
    const line = await orderLine(t.db, lineIds[0]!);
    expect(line.shipped_qty).toBeLessThanOrEqual(7);
    expect(line.shipped_qty + line.reserved_qty).toBe(7);
    const bal = await balance(t.db, 'ZC', batch);
    expect(bal.on_hand).toBe(10 - line.shipped_qty);
    const [sum] = rowsOf<{ s: number }>(await t.db.execute(sql`select sum(quantity)::int as s from stock_movements where warehouse_id = ${zc} and batch_id = ${batch}`));
    expect(sum!.s).toBe(bal.on_hand);
  });

  it('never puts more on shipments than is reserved, whatever shipments are cut, cancelled or dispatched (property)', async () => {
    const zc = await warehouseId(t.db, 'ZC');
    type Op = { kind: 'cut'; quantity: number } | { kind: 'cancel' | 'dispatch'; pick: number };
    const opArb: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ kind: fc.constant('cut' as const), quantity: fc.integer({ min: 1, max: 12 }) }),
      fc.record({ kind: fc.constantFrom('cancel' as const, 'dispatch' as const), pick: fc.integer({ min: 0, max: 99 }) }),
    );
    // Every run (and every shrink attempt) ships its own product from its own order, so runs do not see each other.
    const seen = { refused: 0, cancelled: 0, dispatched: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 6 }), async (ops) => {
        const p = await makeProduct(t.db);
        const batch = await receiveStock(t.db, { productId: p, batchNo: 'PB-1', expiresOn: EXPIRY_LATE, quantity: 15 });
        const { orderId, lineIds } = await releasedOrder(t.db, customerId, [{ productId: p, quantity: 10 }]);
        const open: { id: number; version: number }[] = [];
        for (const [i, o] of ops.entries()) {
          const label = `step ${i}: ${JSON.stringify(o)}`;
          if (o.kind === 'cut') {
            const res = await logistics.post('/api/shipments', { orderId, lines: [{ orderLineId: lineIds[0], warehouseId: zc, batchId: batch, quantity: o.quantity }] });
            expect([200, 409], `${label} ${res.body}`).toContain(res.statusCode);
            if (res.statusCode === 409) seen.refused += 1;
            if (res.statusCode === 200) open.push({ id: res.json().shipments[0].id, version: res.json().shipments[0].version });
          } else if (open.length > 0) {
            const s = open.splice(o.pick % open.length, 1)[0]!;
            if (o.kind === 'cancel') {
              const res = await logistics.post(`/api/shipments/${s.id}/cancel`, { version: s.version, reason: '测试' });
              expect(res.statusCode, `${label} ${res.body}`).toBe(200);
              seen.cancelled += 1;
            } else {
              const checked = (await admin.post(`/api/shipments/${s.id}/check`, { version: s.version })).json();
              const res = await logistics.post(`/api/shipments/${s.id}/dispatch`, { version: checked.version, ...dispatchBody });
              expect(res.statusCode, `${label} ${res.body}`).toBe(200);
              seen.dispatched += 1;
            }
          }
          const [claimed] = rowsOf<{ open: number; sent: number }>(
            await t.db.execute(sql`select coalesce(sum(l.quantity) filter (where s.status in ('picking','checked')), 0)::int as open,
                coalesce(sum(l.quantity) filter (where s.status in ('dispatched','delivered')), 0)::int as sent
              from shipment_lines l join shipments s on s.id = l.shipment_id where s.order_id = ${orderId}`),
          );
          const line = await orderLine(t.db, lineIds[0]!);
          expect(claimed!.sent, label).toBe(line.shipped_qty);
          expect(claimed!.open, label).toBeLessThanOrEqual(line.reserved_qty);
          expect(line.reserved_qty + line.shipped_qty, label).toBe(10);
          const bal = await balance(t.db, 'ZC', batch);
          expect(bal.on_hand, label).toBe(15 - line.shipped_qty);
        }
      }),
      {
        ...propertyParameters<[Op[]]>(SHIPPING_RUNS, 200_000),
        // One sequence that surely cuts too much, cancels and dispatches, besides the random ones.
        examples: [
          [
            [
              { kind: 'cut', quantity: 6 },
              { kind: 'cut', quantity: 6 },
              { kind: 'dispatch', pick: 0 },
              { kind: 'cut', quantity: 4 },
              { kind: 'cancel', pick: 0 },
              { kind: 'cut', quantity: 3 },
              { kind: 'dispatch', pick: 0 },
            ],
          ],
        ],
      },
    );
    // The sequences did refuse, cancel and dispatch (else the property proves little).
    expect(seen.refused).toBeGreaterThan(0);
    expect(seen.cancelled).toBeGreaterThan(0);
    expect(seen.dispatched).toBeGreaterThan(0);
  }, 240_000);

  it('prints a delivery note with batch, expiry, manufacturer and approval number, escaped, in A4 and continuous layouts', async () => {
    const p = await makeProduct(t.db, { name: '<b>阿莫西林</b>' });
    await receiveStock(t.db, { productId: p, batchNo: 'DN-2026', expiresOn: EXPIRY_LATE, quantity: 3 });
    const { orderId } = await releasedOrder(t.db, customerId, [{ productId: p, quantity: 3 }]);
    const [s] = await create({ orderId });
    const res = await rep.get(`/api/shipments/${s!.id}/delivery-note`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    const page = res.body;
    expect(page).toContain('随货同行单');
    expect(page).toContain('DN-2026');
    expect(page).toContain(EXPIRY_LATE);
    expect(page).toMatch(/国药准字H2026\d{4}/);
    expect(page).toContain('上海测试制药有限公司');
    expect(page).toContain(s!.number);
    expect(page).toContain('收货人');
    expect(page).toContain('&lt;b&gt;阿莫西林&lt;/b&gt;');
    expect(page).not.toContain('<b>阿莫西林');
    const continuous = await rep.get(`/api/shipments/${s!.id}/delivery-note?layout=continuous`);
    expect(continuous.statusCode).toBe(200);
    expect(continuous.body).toContain('241mm');
    const picking = await logistics.get(`/api/shipments/${s!.id}/picking-list`);
    expect(picking.body).toContain('拣货单');
    const pdf = await logistics.get(`/api/shipments/${s!.id}/delivery-note.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toContain('application/pdf');
    // Another rep's customer: not found, as for reading the shipment.
    expect((await rep2.get(`/api/shipments/${s!.id}/delivery-note`)).statusCode).toBe(404);
  }, 60_000);

  it('shows shipments only of visible customers and lets only the warehouse create them', async () => {
    const other = await makeQualifiedCustomer(t.db, { name: '别人的医院', owner: 'rep2' });
    const p = await makeProduct(t.db);
    await receiveStock(t.db, { productId: p, batchNo: 'S-1', expiresOn: EXPIRY_LATE, quantity: 4 });
    const { orderId } = await releasedOrder(t.db, other, [{ productId: p, quantity: 4 }]);
    const denied = await rep2.post('/api/shipments', { orderId });
    expect(denied.statusCode).toBe(403);
    const [s] = await create({ orderId });
    expect((await rep.get(`/api/shipments/${s!.id}`)).statusCode).toBe(404);
    expect((await rep2.get(`/api/shipments/${s!.id}`)).statusCode).toBe(200);
    const mine = (await rep.get(`/api/shipments?orderId=${orderId}`)).json();
    expect(mine.total).toBe(0);
    const theirs = (await rep2.get(`/api/shipments?orderId=${orderId}&coldChain=false&status=picking`)).json();
    expect(theirs.items.map((i: { id: number }) => i.id)).toEqual([s!.id]);
    const exported = await rep2.get(`/api/shipments/export?orderId=${orderId}`);
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toContain('spreadsheet');
  });

  it('refuses a dispatch in a closed month', async () => {
    const p = await makeProduct(t.db);
    await receiveStock(t.db, { productId: p, batchNo: 'PC-1', expiresOn: EXPIRY_LATE, quantity: 2 });
    const { orderId } = await releasedOrder(t.db, customerId, [{ productId: p, quantity: 2 }]);
    const [s] = await create({ orderId });
    const checked = await check(s!);
    const period = companyToday().slice(0, 7);
    await t.db.execute(sql`insert into period_closings (period, closed_by) values (${period}, (select id from users where username = 'finance'))`);
    try {
      const res = await logistics.post(`/api/shipments/${s!.id}/dispatch`, { version: checked.version, ...dispatchBody });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('PERIOD_CLOSED');
      expect((await logistics.get(`/api/shipments/${s!.id}`)).json().status).toBe('checked');
    } finally {
      await t.db.execute(sql`delete from period_closings where period = ${period}`);
    }
  });
});
