import { sql } from 'drizzle-orm';
import type { Actor } from '../../kernel/access/actor.js';
import { type Queryable, rowsOf, type Tx } from '../../kernel/db/client.js';
import { DomainError } from '../../kernel/errors.js';
import { assertPeriodOpen } from '../finance/periods.js';
import type { MovementKind } from './stock.tables.js';

/**
 * The stock ledger (库存台账): the only code that changes stock_balances, stock_movements and
 * stock_reservations. Rules:
 * - Quantity on hand per warehouse + batch is the sum of its movements; it never goes below what is
 *   reserved, and never below zero (checks on stock_balances back this up if code is ever wrong).
 * - Every function locks the balances it touches FOR UPDATE in (warehouse_id, batch_id) order, so
 *   concurrent orders, shipments and returns serialise per batch and cannot deadlock among themselves.
 *   Callers lock their own document (the order row) before calling.
 * - Allocation is first-expiry-first-out (FEFO) over normal warehouses; expired batches and
 *   quarantine warehouses are never allocated.
 * - Reservations and the order line's reserved_qty / shipped_qty move together here.
 */
export type DocRef = { docType: string; docId: number; docNumber: string };
export type StockMove = { warehouseId: number; batchId: number; productId: number; kind: MovementKind; quantity: number; note?: string | null };
export type Allocation = { warehouseId: number; batchId: number; productId: number; quantity: number };

type BalanceRow = { warehouse_id: number; batch_id: number; product_id: number; on_hand: number; reserved: number };

const key = (w: number, b: number) => `${w}:${b}`;

/** Creates missing balance rows, then locks them all in (warehouse, batch) order. */
async function lockBalances(tx: Tx, pairs: { warehouseId: number; batchId: number; productId: number }[]): Promise<Map<string, BalanceRow>> {
  const unique = new Map<string, { warehouseId: number; batchId: number; productId: number }>();
  for (const p of pairs) unique.set(key(p.warehouseId, p.batchId), p);
  const sorted = [...unique.values()].sort((a, b) => a.warehouseId - b.warehouseId || a.batchId - b.batchId);
  if (sorted.length === 0) return new Map();
  const values = sql.join(sorted.map((p) => sql`(${p.warehouseId}::int, ${p.batchId}::int, ${p.productId}::int)`), sql`, `);
  await tx.execute(sql`insert into stock_balances (warehouse_id, batch_id, product_id) values ${values} on conflict do nothing`);
  const rows = rowsOf<BalanceRow>(
    await tx.execute(sql`select warehouse_id, batch_id, product_id, on_hand, reserved from stock_balances
      where (warehouse_id, batch_id) in (${sql.join(sorted.map((p) => sql`(${p.warehouseId}::int, ${p.batchId}::int)`), sql`, `)})
      order by warehouse_id, batch_id for update`),
  );
  const map = new Map(rows.map((r) => [key(r.warehouse_id, r.batch_id), { ...r, on_hand: Number(r.on_hand), reserved: Number(r.reserved) }]));
  for (const p of sorted) {
    const row = map.get(key(p.warehouseId, p.batchId));
    if (!row || row.product_id !== p.productId) throw new DomainError('STOCK_BATCH_PRODUCT_MISMATCH', {}, 422);
  }
  return map;
}

async function insufficient(tx: Tx, batchId: number, available: number, requested: number): Promise<never> {
  const [b] = rowsOf<{ batch_no: string; name: string }>(
    await tx.execute(sql`select b.batch_no, p.generic_name || ' ' || p.specification as name from stock_batches b join products p on p.id = b.product_id where b.id = ${batchId}`),
  );
  throw new DomainError('STOCK_INSUFFICIENT', { product: b?.name ?? '', batch: b?.batch_no ?? '', available, requested }, 409);
}

/**
 * Records movements (signed quantities) and updates on-hand. A decrease may not take on-hand below
 * what is reserved: reserved stock leaves only through shipReserved.
 */
export async function moveStock(tx: Tx, actor: Actor | null, doc: DocRef | null, businessDate: string, moves: StockMove[]): Promise<void> {
  if (moves.length === 0) return;
  await assertPeriodOpen(tx, businessDate); // 月结: the ledger itself refuses a closed month, whoever calls it
  const balances = await lockBalances(tx, moves);
  const delta = new Map<string, number>();
  for (const m of moves) {
    if (!Number.isInteger(m.quantity) || m.quantity === 0) throw new DomainError('STOCK_QUANTITY_INVALID', {}, 422);
    delta.set(key(m.warehouseId, m.batchId), (delta.get(key(m.warehouseId, m.batchId)) ?? 0) + m.quantity);
  }
  for (const [k, d] of delta) {
    const b = balances.get(k)!;
    if (b.on_hand + d < b.reserved) await insufficient(tx, b.batch_id, b.on_hand - b.reserved, -d);
  }
  await tx.execute(sql`insert into stock_movements (business_date, warehouse_id, batch_id, product_id, kind, quantity, doc_type, doc_id, doc_number, note, actor_id)
    values ${sql.join(
      moves.map(
        (m) => sql`(${businessDate}::date, ${m.warehouseId}, ${m.batchId}, ${m.productId}, ${m.kind}, ${m.quantity}, ${doc?.docType ?? null}, ${doc?.docId ?? null}, ${doc?.docNumber ?? null}, ${m.note ?? null}, ${actor && actor.id !== 0 ? actor.id : null})`,
      ),
      sql`, `,
    )}`);
  for (const [k, d] of delta) {
    const b = balances.get(k)!;
    await tx.execute(sql`update stock_balances set on_hand = on_hand + ${d}, updated_at = now() where warehouse_id = ${b.warehouse_id} and batch_id = ${b.batch_id}`);
  }
}

/**
 * Reserves up to `quantity` of an order line's product, first expiry first out, over normal active
 * warehouses and batches that expire after `today` (optionally only `warehouseId`). Returns what it
 * could reserve (less than asked = back-order). When the order does not allow batch splitting
 * (allowSplit = false) it reserves only from a single batch that can cover the whole quantity, or nothing.
 */
export async function reserveFefo(
  tx: Tx,
  line: { orderLineId: number; productId: number; quantity: number },
  today: string,
  options: { warehouseId?: number; allowSplit?: boolean } = {},
): Promise<Allocation[]> {
  if (line.quantity <= 0) return [];
  const candidates = rowsOf<{ warehouse_id: number; batch_id: number }>(
    await tx.execute(sql`select s.warehouse_id, s.batch_id from stock_balances s
      join stock_batches b on b.id = s.batch_id join warehouses w on w.id = s.warehouse_id
      where s.product_id = ${line.productId} and s.on_hand > s.reserved and b.expires_on > ${today}::date
        and w.kind = 'normal' and w.status = 'active' ${options.warehouseId ? sql`and s.warehouse_id = ${options.warehouseId}` : sql``}`),
  );
  if (candidates.length === 0) return [];
  const balances = await lockBalances(tx, candidates.map((c) => ({ warehouseId: c.warehouse_id, batchId: c.batch_id, productId: line.productId })));
  const expiries = new Map(
    rowsOf<{ id: number; expires_on: string }>(
      await tx.execute(sql`select id, expires_on::text from stock_batches where id in (${sql.join([...new Set(candidates.map((c) => c.batch_id))].map((id) => sql`${id}`), sql`, `)})`),
    ).map((r) => [r.id, r.expires_on]),
  );
  const ordered = [...balances.values()]
    .filter((b) => b.on_hand > b.reserved)
    .sort((a, b) => (expiries.get(a.batch_id)! < expiries.get(b.batch_id)! ? -1 : expiries.get(a.batch_id)! > expiries.get(b.batch_id)! ? 1 : a.batch_id - b.batch_id || a.warehouse_id - b.warehouse_id));
  const allocations: Allocation[] = [];
  let left = line.quantity;
  if (options.allowSplit === false) {
    const whole = ordered.find((b) => b.on_hand - b.reserved >= line.quantity);
    if (whole) allocations.push({ warehouseId: whole.warehouse_id, batchId: whole.batch_id, productId: line.productId, quantity: line.quantity });
  } else {
    for (const b of ordered) {
      if (left === 0) break;
      const take = Math.min(left, b.on_hand - b.reserved);
      allocations.push({ warehouseId: b.warehouse_id, batchId: b.batch_id, productId: line.productId, quantity: take });
      left -= take;
    }
  }
  if (allocations.length === 0) return [];
  for (const a of allocations) {
    await tx.execute(sql`update stock_balances set reserved = reserved + ${a.quantity}, updated_at = now() where warehouse_id = ${a.warehouseId} and batch_id = ${a.batchId}`);
    await tx.execute(sql`insert into stock_reservations (order_line_id, warehouse_id, batch_id, product_id, quantity)
      values (${line.orderLineId}, ${a.warehouseId}, ${a.batchId}, ${a.productId}, ${a.quantity})
      on conflict (order_line_id, warehouse_id, batch_id) do update set quantity = stock_reservations.quantity + excluded.quantity`);
  }
  const total = allocations.reduce((s, a) => s + a.quantity, 0);
  await tx.execute(sql`update sales_order_lines set reserved_qty = reserved_qty + ${total} where id = ${line.orderLineId}`);
  return allocations;
}

/** Releases an order line's reservations (all of them, or `quantity`, latest expiry first). Returns how much was released. */
export async function releaseReservations(tx: Tx, orderLineId: number, quantity?: number): Promise<number> {
  const rows = rowsOf<{ id: number; warehouse_id: number; batch_id: number; product_id: number; quantity: number; expires_on: string }>(
    await tx.execute(sql`select r.id, r.warehouse_id, r.batch_id, r.product_id, r.quantity, b.expires_on::text from stock_reservations r
      join stock_batches b on b.id = r.batch_id where r.order_line_id = ${orderLineId}`),
  );
  if (rows.length === 0) return 0;
  await lockBalances(tx, rows.map((r) => ({ warehouseId: r.warehouse_id, batchId: r.batch_id, productId: r.product_id })));
  rows.sort((a, b) => (a.expires_on > b.expires_on ? -1 : a.expires_on < b.expires_on ? 1 : b.id - a.id));
  let left = quantity ?? Number.MAX_SAFE_INTEGER;
  let released = 0;
  for (const r of rows) {
    if (left === 0) break;
    const take = Math.min(left, r.quantity);
    if (take === r.quantity) await tx.execute(sql`delete from stock_reservations where id = ${r.id}`);
    else await tx.execute(sql`update stock_reservations set quantity = quantity - ${take} where id = ${r.id}`);
    await tx.execute(sql`update stock_balances set reserved = reserved - ${take}, updated_at = now() where warehouse_id = ${r.warehouse_id} and batch_id = ${r.batch_id}`);
    left -= take;
    released += take;
  }
  if (released > 0) await tx.execute(sql`update sales_order_lines set reserved_qty = reserved_qty - ${released} where id = ${orderLineId}`);
  return released;
}

/**
 * Ships reserved stock: the reservation of the order line on that batch shrinks, on-hand drops by a
 * 'shipment' movement, and the line's shipped quantity grows. Refuses more than is reserved there.
 */
export async function shipReserved(
  tx: Tx,
  actor: Actor | null,
  doc: DocRef,
  businessDate: string,
  items: { orderLineId: number; warehouseId: number; batchId: number; productId: number; quantity: number }[],
): Promise<void> {
  if (items.length === 0) return;
  await assertPeriodOpen(tx, businessDate);
  await lockBalances(tx, items);
  for (const it of items) {
    const [r] = rowsOf<{ id: number; quantity: number }>(
      await tx.execute(sql`select id, quantity from stock_reservations where order_line_id = ${it.orderLineId} and warehouse_id = ${it.warehouseId} and batch_id = ${it.batchId}`),
    );
    if (!r || r.quantity < it.quantity) await insufficient(tx, it.batchId, r?.quantity ?? 0, it.quantity);
    if (r!.quantity === it.quantity) await tx.execute(sql`delete from stock_reservations where id = ${r!.id}`);
    else await tx.execute(sql`update stock_reservations set quantity = quantity - ${it.quantity} where id = ${r!.id}`);
    await tx.execute(sql`update stock_balances set reserved = reserved - ${it.quantity}, on_hand = on_hand - ${it.quantity}, updated_at = now()
      where warehouse_id = ${it.warehouseId} and batch_id = ${it.batchId}`);
    await tx.execute(sql`update sales_order_lines set reserved_qty = reserved_qty - ${it.quantity}, shipped_qty = shipped_qty + ${it.quantity} where id = ${it.orderLineId}`);
  }
  await tx.execute(sql`insert into stock_movements (business_date, warehouse_id, batch_id, product_id, kind, quantity, doc_type, doc_id, doc_number, actor_id)
    values ${sql.join(
      items.map((it) => sql`(${businessDate}::date, ${it.warehouseId}, ${it.batchId}, ${it.productId}, 'shipment', ${-it.quantity}, ${doc.docType}, ${doc.docId}, ${doc.docNumber}, ${actor && actor.id !== 0 ? actor.id : null})`),
      sql`, `,
    )}`);
}

/** Creates (or finds) a batch of a product: receipts and imports name batches by number. */
export async function ensureBatch(tx: Tx, input: { productId: number; batchNo: string; manufacturedOn?: string | null; expiresOn: string }): Promise<number> {
  const [existing] = rowsOf<{ id: number; expires_on: string }>(
    await tx.execute(sql`select id, expires_on::text from stock_batches where product_id = ${input.productId} and batch_no = ${input.batchNo} for update`),
  );
  if (existing) {
    if (existing.expires_on !== input.expiresOn) throw new DomainError('STOCK_BATCH_EXPIRY_MISMATCH', { batch: input.batchNo, expiresOn: existing.expires_on }, 422);
    return existing.id;
  }
  const [row] = rowsOf<{ id: number }>(
    await tx.execute(sql`insert into stock_batches (product_id, batch_no, manufactured_on, expires_on) values (${input.productId}, ${input.batchNo}, ${input.manufacturedOn ?? null}, ${input.expiresOn})
      on conflict (product_id, batch_no) do nothing returning id`),
  );
  if (row) return row.id;
  return ensureBatch(tx, input); // a concurrent receipt created it first
}

/**
 * Stock that could be allocated today, per product: on hand − reserved over active normal warehouses,
 * batches expiring after `today` (one query for all products).
 */
export async function availableStock(db: Queryable, productIds: number[], today: string): Promise<Map<number, number>> {
  const result = new Map<number, number>(productIds.map((id) => [id, 0]));
  if (productIds.length === 0) return result;
  const rows = rowsOf<{ product_id: number; available: number }>(
    await db.execute(sql`select s.product_id, sum(s.on_hand - s.reserved)::int as available from stock_balances s
      join stock_batches b on b.id = s.batch_id join warehouses w on w.id = s.warehouse_id
      where s.product_id = any(${sql`array[${sql.join([...new Set(productIds)].map((id) => sql`${id}`), sql`, `)}]::int[]`})
        and b.expires_on > ${today}::date and w.kind = 'normal' and w.status = 'active'
      group by s.product_id`),
  );
  for (const r of rows) result.set(r.product_id, Number(r.available));
  return result;
}
