import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/kernel/access/actor.js';
import { rowsOf } from '../src/kernel/db/client.js';
import { ensureBatch, moveStock, releaseReservations, reserveFefo, shipReserved } from '../src/modules/stock/stock.ledger.js';
import { makeCustomer, setupTest } from './support.js';

/** The ledger primitives every order-to-cash module builds on (stock.ledger.ts). */
describe('stock ledger', () => {
  let t: Awaited<ReturnType<typeof setupTest>>;
  let productId: number;
  let warehouseId: number;
  let quarantineId: number;
  let orderLineId: number;
  const doc = { docType: 'test', docId: 1, docNumber: 'T-1' };

  beforeAll(async () => {
    t = await setupTest({ demo: true, demoCustomers: false });
    const [p] = rowsOf<{ id: number }>(await t.db.execute(sql`select id from products order by id limit 1`));
    productId = p!.id;
    const [w] = rowsOf<{ id: number }>(await t.db.execute(sql`insert into warehouses (code, name) values ('T1', '测试仓') returning id`));
    warehouseId = w!.id;
    const [q] = rowsOf<{ id: number }>(await t.db.execute(sql`insert into warehouses (code, name, kind) values ('TQ', '不合格品库', 'quarantine') returning id`));
    quarantineId = q!.id;
    const customer = await makeCustomer(t.db, { name: '台账测试医院' });
    const [o] = rowsOf<{ id: number }>(
      await t.db.execute(sql`insert into sales_orders (number, customer_id, entered_by, order_date) values ('SO-T-1', ${customer.id}, (select id from users where username = 'office'), '2026-11-20') returning id`),
    );
    const [l] = rowsOf<{ id: number }>(
      await t.db.execute(sql`insert into sales_order_lines (order_id, line_no, product_id, quantity, unit_price_fen, amount_fen) values (${o!.id}, 1, ${productId}, 30, 1000, 30000) returning id`),
    );
    orderLineId = l!.id;
  });
  afterAll(async () => t.close());

  const balance = async (batchId: number, w = warehouseId) =>
    rowsOf<{ on_hand: number; reserved: number }>(await t.db.execute(sql`select on_hand, reserved from stock_balances where warehouse_id = ${w} and batch_id = ${batchId}`))[0];

  it('reserves first expiry first out, skips expired batches and quarantine, and ships only what is reserved', async () => {
    const ids = await t.db.transaction(async (tx) => {
      const late = await ensureBatch(tx, { productId, batchNo: 'L-2029', expiresOn: '2029-01-31' });
      const early = await ensureBatch(tx, { productId, batchNo: 'E-2027', expiresOn: '2027-06-30' });
      const expired = await ensureBatch(tx, { productId, batchNo: 'X-2025', expiresOn: '2025-12-31' });
      await moveStock(tx, systemActor(), doc, '2026-11-20', [
        { warehouseId, batchId: late, productId, kind: 'receipt', quantity: 50 },
        { warehouseId, batchId: early, productId, kind: 'receipt', quantity: 20 },
        { warehouseId, batchId: expired, productId, kind: 'receipt', quantity: 99 },
        { warehouseId: quarantineId, batchId: early, productId, kind: 'receipt', quantity: 99 },
      ]);
      return { late, early };
    });
    const allocations = await t.db.transaction((tx) => reserveFefo(tx, { orderLineId, productId, quantity: 30 }, '2026-11-26'));
    expect(allocations.map((a) => [a.batchId, a.warehouseId, a.quantity])).toEqual([
      [ids.early, warehouseId, 20],
      [ids.late, warehouseId, 10],
    ]);
    expect(await balance(ids.early)).toEqual({ on_hand: 20, reserved: 20 });
    // Reserved stock cannot leave by any other movement…
    await expect(
      t.db.transaction((tx) => moveStock(tx, systemActor(), doc, '2026-11-20', [{ warehouseId, batchId: ids.early, productId, kind: 'adjustment', quantity: -1 }])),
    ).rejects.toMatchObject({ code: 'STOCK_INSUFFICIENT' });
    // …nor be shipped beyond the reservation.
    await expect(
      t.db.transaction((tx) => shipReserved(tx, systemActor(), doc, '2026-11-26', [{ orderLineId, warehouseId, batchId: ids.early, productId, quantity: 21 }])),
    ).rejects.toMatchObject({ code: 'STOCK_INSUFFICIENT' });
    await t.db.transaction((tx) => shipReserved(tx, systemActor(), doc, '2026-11-26', [{ orderLineId, warehouseId, batchId: ids.early, productId, quantity: 20 }]));
    expect(await balance(ids.early)).toEqual({ on_hand: 0, reserved: 0 });
    const released = await t.db.transaction((tx) => releaseReservations(tx, orderLineId));
    expect(released).toBe(10);
    const [line] = rowsOf<{ reserved_qty: number; shipped_qty: number }>(await t.db.execute(sql`select reserved_qty, shipped_qty from sales_order_lines where id = ${orderLineId}`));
    expect(line).toEqual({ reserved_qty: 0, shipped_qty: 20 });
    const [sum] = rowsOf<{ s: number }>(await t.db.execute(sql`select sum(quantity)::int as s from stock_movements where warehouse_id = ${warehouseId} and batch_id = ${ids.early}`));
    expect(sum!.s).toBe(0);
  });

  it('never lets on-hand go negative, even when the code is bypassed', async () => {
    const batchId = await t.db.transaction((tx) => ensureBatch(tx, { productId, batchNo: 'N-1', expiresOn: '2028-01-01' }));
    await expect(
      t.db.transaction((tx) => moveStock(tx, systemActor(), doc, '2026-11-20', [{ warehouseId, batchId, productId, kind: 'adjustment', quantity: -1 }])),
    ).rejects.toMatchObject({ code: 'STOCK_INSUFFICIENT' });
    await t.db.transaction((tx) => moveStock(tx, systemActor(), doc, '2026-11-20', [{ warehouseId, batchId, productId, kind: 'receipt', quantity: 5 }]));
    expect(await balance(batchId)).toEqual({ on_hand: 5, reserved: 0 });
    await expect(t.db.execute(sql`update stock_balances set on_hand = -1 where warehouse_id = ${warehouseId} and batch_id = ${batchId}`)).rejects.toThrow();
  });
});
