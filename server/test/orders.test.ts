import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinJobs } from '../src/app.js';
import { systemActor } from '../src/kernel/access/actor.js';
import { rowsOf } from '../src/kernel/db/client.js';
import { refreshOrderStatus } from '../src/modules/orders/order-fulfilment.js';
import { shipReserved } from '../src/modules/stock/stock.ledger.js';
import { propertyParameters } from './property-support.js';
import { Client, setupTest, userIdOf } from './support.js';
import { type OrderJson, createOrder, decideTask, makeProduct, makeQualifiedCustomer, priceFor, receiveStock, review, submit, warehouseId } from './orders-support.js';

const ORDER_RUNS = 25;

/** Orders through the API: approval, four-eyes review and release, reservations, cancel, back-orders, scope. */
describe('sales orders', () => {
  let t: Awaited<ReturnType<typeof setupTest>>;
  let office: Client;
  let lead: Client;
  let finance: Client;
  let n = 0;

  beforeAll(async () => {
    t = await setupTest({ demo: true, demoCustomers: false });
    office = await Client.as(t.app, 'office');
    lead = await Client.as(t.app, 'office_lead');
    finance = await Client.as(t.app, 'finance');
  });
  afterAll(async () => t.close());

  async function scenario(options: { owner?: string; creditLimitYuan?: number; batches?: { no: string; expires: string; qty: number }[] } = {}) {
    n += 1;
    const customerId = await makeQualifiedCustomer(t.db, `订单医院${n}`, options.owner ?? 'rep', options.creditLimitYuan ?? 1_000_000);
    const productId = await makeProduct(t.db, `订单药${n}号`);
    await priceFor(t.db, productId, customerId, 1000);
    const batchIds: number[] = [];
    for (const b of options.batches ?? [{ no: `B${n}`, expires: '2029-12-31', qty: 100 }]) batchIds.push(await receiveStock(t.db, productId, b.no, b.expires, b.qty));
    return { customerId, productId, batchIds };
  }
  const get = async (c: Client, id: number) => (await c.get(`/api/orders/${id}`)).json() as OrderJson;
  const balance = async (batchId: number) =>
    rowsOf<{ on_hand: number; reserved: number }>(await t.db.execute(sql`select on_hand, reserved from stock_balances where batch_id = ${batchId}`))[0]!;

  /** Entered and submitted by the office, released by the office lead. */
  async function releasedOrder(customerId: number, lines: Record<string, unknown>[], extra: Record<string, unknown> = {}) {
    const { order } = await submit(office, await createOrder(office, customerId, lines, extra));
    expect(order.status).toBe('pending_review');
    const res = await review(lead, order);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as OrderJson;
  }

  it('takes an order with a credit problem through the office lead and finance, then to review', async () => {
    const { customerId, productId } = await scenario({ creditLimitYuan: 10 });
    const { order } = await submit(office, await createOrder(office, customerId, [{ productId, quantity: 5 }]));
    expect(order.status).toBe('pending_approval');
    await decideTask(lead, order.id, 'approve');
    expect((await get(office, order.id)).status).toBe('pending_approval');
    await decideTask(finance, order.id, 'approve', '已确认回款计划');
    const after = await get(office, order.id);
    expect(after.status).toBe('pending_review');
    expect(after.approvals[0]!.status).toBe('approved');
    expect(after.approvals[0]!.tasks.map((x) => [x.stepName, x.status])).toEqual([
      ['内勤主管审核', 'approved'],
      ['财务审批', 'approved'],
    ]);
  });

  it('returns a rejected order to draft, editable and submittable again', async () => {
    const { customerId, productId } = await scenario();
    const { order } = await submit(office, await createOrder(office, customerId, [{ productId, quantity: 2, unitPriceFen: '800', priceOverrideReason: '促销' }]));
    expect(order.status).toBe('pending_approval');
    await decideTask(lead, order.id, 'reject', '不同意降价');
    const draft = await get(office, order.id);
    expect(draft.status).toBe('draft');
    const edited = await office.request({ method: 'PUT', url: `/api/orders/${order.id}`, payload: { customerId, version: draft.version, lines: [{ productId, quantity: 2 }] } });
    expect(edited.statusCode, edited.body).toBe(200);
    const again = await submit(office, edited.json());
    expect(again.order.status).toBe('pending_review');
  });

  it('refuses a stale version with 409', async () => {
    const { customerId, productId } = await scenario();
    const order = await createOrder(office, customerId, [{ productId, quantity: 1 }]);
    const first = await office.request({ method: 'PUT', url: `/api/orders/${order.id}`, payload: { customerId, version: order.version, lines: [{ productId, quantity: 3 }] } });
    expect(first.statusCode).toBe(200);
    const stale = await office.request({ method: 'PUT', url: `/api/orders/${order.id}`, payload: { customerId, version: order.version, lines: [{ productId, quantity: 4 }] } });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('CONFLICT_VERSION');
    expect((await office.post(`/api/orders/${order.id}/submit`, { version: order.version })).statusCode).toBe(409);
  });

  it('does not let whoever entered or submitted an order review it, and the database refuses it too', async () => {
    const { customerId, productId } = await scenario();
    const { order } = await submit(office, await createOrder(office, customerId, [{ productId, quantity: 1 }]));
    const own = await review(office, order);
    expect(own.statusCode).toBe(409);
    expect(own.json().error.code).toBe('ORDER_REVIEW_OWN');
    expect((await get(office, order.id)).status).toBe('pending_review');
    const officeId = await userIdOf(t.db, 'office');
    await expect(t.db.execute(sql`update sales_orders set reviewed_by = ${officeId} where id = ${order.id}`)).rejects.toThrow();
    // Entered by the lead, submitted by the office: neither may review.
    const byLead = await createOrder(lead, customerId, [{ productId, quantity: 1 }]);
    const submitted = await submit(office, byLead);
    expect((await review(lead, submitted.order)).json().error.code).toBe('ORDER_REVIEW_OWN');
    expect((await review(office, submitted.order)).json().error.code).toBe('ORDER_REVIEW_OWN');
  });

  it('releases on review and reserves first expiry first out, showing the batches on the order', async () => {
    const { customerId, productId, batchIds } = await scenario({
      batches: [
        { no: `LATE${n + 1}`, expires: '2029-06-30', qty: 50 },
        { no: `EARLY${n + 1}`, expires: '2027-03-31', qty: 20 },
      ],
    });
    const released = await releasedOrder(customerId, [{ productId, quantity: 30 }]);
    expect(released.status).toBe('released');
    expect(released.lines[0]).toMatchObject({ reservedQty: 30, backorderQty: 0 });
    expect(released.reservations.map((r) => [r.batchNo, r.quantity, r.expiresOn])).toEqual([
      [`EARLY${n}`, 20, '2027-03-31'],
      [`LATE${n}`, 10, '2029-06-30'],
    ]);
    expect(released.reservations[0]!.warehouseName).toContain('合格品');
    expect(await balance(batchIds[1]!)).toEqual({ on_hand: 20, reserved: 20 });
  });

  it('keeps what cannot be reserved as a back-order and reserves it again once stock arrives', async () => {
    const { customerId, productId } = await scenario({ batches: [{ no: `S${n + 1}`, expires: '2028-01-31', qty: 4 }] });
    const released = await releasedOrder(customerId, [{ productId, quantity: 10 }]);
    expect(released.lines[0]).toMatchObject({ reservedQty: 4, backorderQty: 6 });
    await receiveStock(t.db, productId, `S2-${n}`, '2028-06-30', 10);
    const res = await office.post(`/api/orders/${released.id}/reserve`, { version: released.version });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().reservedNow).toBe(6);
    expect(res.json().lines[0]).toMatchObject({ reservedQty: 10, backorderQty: 0 });
  });

  it('reserves back-orders on the hourly job once stock has arrived', async () => {
    const { customerId, productId } = await scenario({ batches: [{ no: `J${n + 1}`, expires: '2028-01-31', qty: 2 }] });
    const released = await releasedOrder(customerId, [{ productId, quantity: 5 }]);
    expect(released.lines[0]).toMatchObject({ reservedQty: 2, backorderQty: 3 });
    await receiveStock(t.db, productId, `J2-${n}`, '2028-03-31', 1);
    const job = builtinJobs(t.db).find((j) => j.name === 'orders.backorders')!;
    expect(await job.run({ scheduledFor: new Date() } as never)).toMatch(/^reserved \d+ back-ordered units$/);
    expect((await get(office, released.id)).lines[0]).toMatchObject({ reservedQty: 3, backorderQty: 2 });
  });

  it('reserves from a single batch only when the order does not allow batch splitting', async () => {
    const { customerId, productId } = await scenario({
      batches: [
        { no: `A${n + 1}`, expires: '2027-01-31', qty: 5 },
        { no: `C${n + 1}`, expires: '2028-01-31', qty: 8 },
      ],
    });
    const released = await releasedOrder(customerId, [{ productId, quantity: 7 }], { allowBatchSplit: false });
    expect(released.reservations.map((r) => [r.batchNo, r.quantity])).toEqual([[`C${n}`, 7]]);
  });

  it('never over-reserves when two orders for the last stock are released at the same time', async () => {
    const { customerId, productId, batchIds } = await scenario({ batches: [{ no: `LAST${n + 1}`, expires: '2028-01-31', qty: 10 }] });
    const a = (await submit(office, await createOrder(office, customerId, [{ productId, quantity: 8 }]))).order;
    const b = (await submit(office, await createOrder(office, customerId, [{ productId, quantity: 8 }]))).order;
    const results = await Promise.all([review(lead, a), review(lead, b)]);
    expect(results.map((r) => r.statusCode)).toEqual([200, 200]);
    const reserved = results.map((r) => (r.json() as OrderJson).lines[0]!.reservedQty).sort();
    expect(reserved).toEqual([2, 8]);
    expect(await balance(batchIds[0]!)).toEqual({ on_hand: 10, reserved: 10 });
  });

  it('never reserves more than on hand for random orders and stock, released one by one or all at once (property)', async () => {
    // Every run gets its own customer, product and batch (scenario()), so runs and shrink attempts do not see each other.
    const caseArb = fc.record({
      stock: fc.integer({ min: 0, max: 20 }),
      quantities: fc.array(fc.integer({ min: 1, max: 15 }), { minLength: 1, maxLength: 4 }),
      together: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ stock, quantities, together }) => {
        const { customerId, productId } = await scenario({ batches: stock > 0 ? [{ no: `P${n + 1}`, expires: '2028-01-31', qty: stock }] : [] });
        const orders: OrderJson[] = [];
        for (const q of quantities) orders.push((await submit(office, await createOrder(office, customerId, [{ productId, quantity: q }]))).order);
        // The office lead releases the orders in turn, or all of them at the same time.
        const responses = together ? await Promise.all(orders.map((o) => review(lead, o))) : [];
        if (!together) for (const o of orders) responses.push(await review(lead, o));
        let total = 0;
        for (const res of responses) {
          expect(res.statusCode, res.body).toBe(200);
          const r = res.json() as OrderJson;
          expect(r.lines[0]!.reservedQty + r.lines[0]!.backorderQty).toBe(r.lines[0]!.quantity);
          total += r.lines[0]!.reservedQty;
        }
        expect(total).toBe(Math.min(stock, quantities.reduce((s, q) => s + q, 0)));
        const [sum] = rowsOf<{ on_hand: number; reserved: number }>(
          await t.db.execute(sql`select coalesce(sum(on_hand), 0)::int as on_hand, coalesce(sum(reserved), 0)::int as reserved from stock_balances where product_id = ${productId}`),
        );
        expect(sum!.reserved).toBe(total);
        expect(sum!.reserved).toBeLessThanOrEqual(sum!.on_hand);
        expect(sum!.on_hand).toBe(stock);
      }),
      propertyParameters(ORDER_RUNS, 100_000),
    );
  }, 120_000);

  it('cancels a released order with a reason and gives its stock back', async () => {
    const { customerId, productId, batchIds } = await scenario();
    const released = await releasedOrder(customerId, [{ productId, quantity: 12 }]);
    expect(await balance(batchIds[0]!)).toMatchObject({ reserved: 12 });
    const noReason = await office.post(`/api/orders/${released.id}/cancel`, { version: released.version, reason: ' ' });
    expect(noReason.statusCode).toBe(400);
    const res = await office.post(`/api/orders/${released.id}/cancel`, { version: released.version, reason: '客户取消采购计划' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'cancelled', cancelReason: '客户取消采购计划' });
    expect(await balance(batchIds[0]!)).toEqual({ on_hand: 100, reserved: 0 });
  });

  it('withdraws the approval when an order waiting for it is cancelled', async () => {
    const { customerId, productId } = await scenario({ creditLimitYuan: 1 });
    const { order } = await submit(office, await createOrder(office, customerId, [{ productId, quantity: 1 }]));
    const res = await office.post(`/api/orders/${order.id}/cancel`, { version: order.version, reason: '重复下单' });
    expect(res.statusCode).toBe(200);
    const tasks = (await lead.get('/api/approvals/tasks')).json().items as { docType: string; docId: number }[];
    expect(tasks.some((x) => x.docType === 'sales_order' && x.docId === order.id)).toBe(false);
  });

  it('closes the back-order of a partially shipped order and frees its reservation', async () => {
    const { customerId, productId, batchIds } = await scenario();
    const released = await releasedOrder(customerId, [{ productId, quantity: 10 }]);
    const w = await warehouseId(t.db);
    await t.db.transaction(async (tx) => {
      await shipReserved(tx, systemActor(), { docType: 'test', docId: 1, docNumber: 'T' }, '2026-11-26', [{ orderLineId: released.lines[0]!.id, warehouseId: w, batchId: batchIds[0]!, productId, quantity: 6 }]);
      await refreshOrderStatus(tx, released.id);
    });
    const partial = await get(office, released.id);
    expect(partial.status).toBe('partially_shipped');
    expect((await office.post(`/api/orders/${released.id}/cancel`, { version: partial.version, reason: 'x' })).json().error.code).toBe('ORDER_ALREADY_SHIPPED');
    const res = await office.post(`/api/orders/${released.id}/close-backorder`, { version: partial.version, reason: '客户接受部分到货' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().status).toBe('shipped');
    expect(res.json().lines[0]).toMatchObject({ shippedQty: 6, reservedQty: 0, closedQty: 4, backorderQty: 0 });
    expect(await balance(batchIds[0]!)).toEqual({ on_hand: 94, reserved: 0 });
  });

  it('shows the order chain: shipped, invoiced and paid with amounts', async () => {
    const { customerId, productId, batchIds } = await scenario();
    const released = await releasedOrder(customerId, [{ productId, quantity: 10 }]);
    const empty = (await office.get(`/api/orders/${released.id}/chain`)).json();
    expect(empty.indicators.shipped.state).toBe('none');
    const w = await warehouseId(t.db);
    const officeId = await userIdOf(t.db, 'office');
    const financeId = await userIdOf(t.db, 'finance');
    await t.db.transaction(async (tx) => {
      await shipReserved(tx, systemActor(), { docType: 'test', docId: 1, docNumber: 'T' }, '2026-11-26', [{ orderLineId: released.lines[0]!.id, warehouseId: w, batchId: batchIds[0]!, productId, quantity: 10 }]);
      await refreshOrderStatus(tx, released.id);
      await tx.execute(sql`insert into shipments (number, status, order_id, customer_id, warehouse_id, created_by) values (${`FH-${released.id}`}, 'picking', ${released.id}, ${customerId}, ${w}, ${officeId})`);
      const [inv] = rowsOf<{ id: number }>(
        await tx.execute(sql`insert into invoices (number, kind, invoice_type, status, customer_id, order_id, tax_invoice_no, issued_on, due_on, amount_fen, tax_fen, paid_fen, created_by)
          values (${`FP-${released.id}`}, 'blue', 'special', 'issued', ${customerId}, ${released.id}, ${`T${released.id}`}, '2026-11-26', '2026-12-26', 10000, 1150, 4000, ${financeId}) returning id`),
      );
      await tx.execute(sql`update sales_order_lines set invoiced_qty = 10 where id = ${released.lines[0]!.id}`);
      const [rc] = rowsOf<{ id: number }>(
        await tx.execute(sql`insert into receipts (number, customer_id, method, amount_fen, allocated_fen, received_on, created_by)
          values (${`HK-${released.id}`}, ${customerId}, 'bank_transfer', 4000, 4000, '2026-11-26', ${financeId}) returning id`),
      );
      await tx.execute(sql`insert into receipt_allocations (receipt_id, invoice_id, amount_fen, allocated_by) values (${rc!.id}, ${inv!.id}, 4000, ${financeId})`);
    });
    const chain = (await office.get(`/api/orders/${released.id}/chain`)).json();
    expect(chain.indicators).toEqual({
      shipped: { state: 'fully', amountFen: '10000', ofFen: '10000' },
      invoiced: { state: 'fully', amountFen: '10000', ofFen: '10000' },
      paid: { state: 'partly', amountFen: '4000', ofFen: '10000' },
    });
    expect(chain.shipments[0].number).toBe(`FH-${released.id}`);
    expect(chain.receipts[0]).toMatchObject({ number: `HK-${released.id}`, invoiceNumber: `FP-${released.id}`, amountFen: '4000' });
  });

  it('shows a rep only their own customers’ orders and refuses orders for another rep’s customer', async () => {
    const mine = await scenario({ owner: 'rep' });
    const theirs = await scenario({ owner: 'rep2' });
    const rep = await Client.as(t.app, 'rep');
    const own = await createOrder(rep, mine.customerId, [{ productId: mine.productId, quantity: 1 }]);
    expect(own.status).toBe('draft');
    const other = await createOrder(office, theirs.customerId, [{ productId: theirs.productId, quantity: 1 }]);
    expect((await rep.get(`/api/orders/${other.id}`)).statusCode).toBe(404);
    expect((await rep.get(`/api/orders/${other.id}/chain`)).statusCode).toBe(404);
    expect((await rep.post(`/api/orders/${other.id}/submit`, { version: other.version })).statusCode).toBe(404);
    const refused = await rep.post('/api/orders', { customerId: theirs.customerId, lines: [{ productId: theirs.productId, quantity: 1 }] });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.fields[0].path).toBe('customerId');
    const list = (await rep.get('/api/orders?pageSize=200')).json();
    expect(list.items.map((o: { id: number }) => o.id)).toContain(own.id);
    expect(list.items.map((o: { id: number }) => o.id)).not.toContain(other.id);
    expect((await rep.get(`/api/orders/last-prices?customerId=${theirs.customerId}&productIds=${theirs.productId}`)).statusCode).toBe(404);
  });

  it('refuses order entry to logistics and the review to a rep', async () => {
    const { customerId, productId } = await scenario();
    const logistics = await Client.as(t.app, 'logistics');
    const rep = await Client.as(t.app, 'rep');
    expect((await logistics.post('/api/orders', { customerId, lines: [{ productId, quantity: 1 }] })).statusCode).toBe(403);
    const { order } = await submit(office, await createOrder(office, customerId, [{ productId, quantity: 1 }]));
    const res = await review(rep, order);
    expect(res.statusCode).toBe(403);
    expect((await get(office, order.id)).status).toBe('pending_review');
  });

  it('refuses an order dated in a closed month', async () => {
    const { customerId, productId } = await scenario();
    const financeId = await userIdOf(t.db, 'finance');
    await t.db.execute(sql`insert into period_closings (period, closed_by) values ('2026-09', ${financeId}) on conflict do nothing`);
    const res = await office.post('/api/orders', { customerId, orderDate: '2026-09-15', lines: [{ productId, quantity: 1 }] });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('PERIOD_CLOSED');
    expect(rowsOf<{ n: number }>(await t.db.execute(sql`select count(*)::int as n from sales_orders where order_date = '2026-09-15'`))[0]!.n).toBe(0);
  });

  it('lists with filters, exports to Excel and shows the customer’s last prices', async () => {
    const { customerId, productId } = await scenario();
    // A price override makes it abnormal (异常订单): approved by the lead, then reviewed by the lead (entered by the office).
    const { order } = await submit(office, await createOrder(office, customerId, [{ productId, quantity: 3, unitPriceFen: '950', priceOverrideReason: '协议价' }], { urgency: 'urgent' }));
    expect(order.status).toBe('pending_approval');
    await decideTask(lead, order.id, 'approve');
    expect((await review(lead, await get(office, order.id))).statusCode).toBe(200);
    const list = (await office.get(`/api/orders?customerId=${customerId}&urgency=urgent&abnormal=true&status=released,pending_review`)).json();
    expect(list.items.map((o: { id: number }) => o.id)).toEqual([order.id]);
    expect((await office.get(`/api/orders?customerId=${customerId}&abnormal=false`)).json().total).toBe(0);
    const byNumber = (await office.get(`/api/orders?q=${encodeURIComponent(order.number)}`)).json();
    expect(byNumber.items[0].id).toBe(order.id);
    const file = await office.get(`/api/orders/export?customerId=${customerId}`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toContain('spreadsheetml');
    const last = (await office.get(`/api/orders/last-prices?customerId=${customerId}&productIds=${productId}`)).json();
    expect(last).toEqual([expect.objectContaining({ productId, unitPriceFen: '950', orderNumber: order.number })]);
    const ctx = (await office.get(`/api/orders/entry-context?customerId=${customerId}&productIds=${productId}`)).json();
    expect(ctx.products[0]).toMatchObject({ productId, listPriceFen: '1000', available: 97 });
    expect(ctx.credit.limitFen).toBe('100000000');
  });
});
