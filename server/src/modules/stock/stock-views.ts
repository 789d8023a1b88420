import { type SQL, sql } from 'drizzle-orm';
import { type Queryable, rowsOf } from '../../kernel/db/client.js';
import { containsPattern } from '../../kernel/db/like.js';
import type { Page, PageQuery } from '../../kernel/http/paging.js';
import { searchQuery } from '../../kernel/pinyin.js';
import type { MovementKind } from './stock.tables.js';

/**
 * What the warehouse and the sales side read about stock (company-wide, stock.read). Definitions:
 * - on hand / reserved: sums over the balances (all warehouses, or the chosen one);
 * - available 可用: on hand − reserved in active normal warehouses, batches not expired (what reserveFefo
 *   could allocate; the same as availableStock in the ledger);
 * - open demand 未满足需求: ordered and neither reserved nor shipped nor closed, on order lines of orders
 *   waiting for review, released or partially shipped;
 * - below safety 低于安全库存: available < the product's safety stock (when it has one);
 * - shortage 缺货: open demand > available;
 * - near-expiry 近效期: stock of batches expiring within stock_settings.near_expiry_months (not yet expired);
 * - expired 已过期: stock of batches whose expiry date is today or earlier — blocked, never allocated.
 */
export type BatchState = 'ok' | 'near_expiry' | 'expired';

export type BalanceRow = {
  productId: number;
  code: string;
  genericName: string;
  tradeName: string | null;
  specification: string;
  manufacturer: string;
  storageCondition: string;
  safetyStock: number;
  onHand: number;
  reserved: number;
  available: number;
  openDemand: number;
  nearExpiryQty: number;
  expiredQty: number;
  belowSafety: boolean;
  shortage: boolean;
};

export type BalanceFilter = { q?: string; warehouseId?: number; onlyWarnings?: boolean; nearExpiry?: boolean; productIds?: number[] };

const SORTS: Record<string, string> = {
  code: 'code',
  name: 'generic_name',
  onHand: 'on_hand',
  available: 'available',
  openDemand: 'open_demand',
  nearExpiryQty: 'near_expiry_qty',
};

export const nearExpiryLimit = (today: string, months: number) => sql`(${today}::date + make_interval(months => ${months}))::date`;

/** Per product: the query behind the stock page, its export and the warnings job. */
function balancesQuery(filter: BalanceFilter, today: string, nearMonths: number): SQL {
  const q = filter.q ? searchQuery(filter.q) : '';
  const conditions: SQL[] = [sql`(p.status = 'active' or coalesce(bal.on_hand, 0) > 0)`];
  if (q) conditions.push(sql`(p.search_text like ${containsPattern(q)} or p.code ilike ${containsPattern(filter.q!)})`);
  if (filter.productIds) conditions.push(filter.productIds.length ? sql`p.id in (${sql.join(filter.productIds.map((id) => sql`${id}`), sql`, `)})` : sql`false`);
  if (filter.warehouseId) conditions.push(sql`coalesce(bal.on_hand, 0) > 0`);
  const inner = sql`
    with bal as (
      select s.product_id,
        sum(s.on_hand)::int as on_hand,
        sum(s.reserved)::int as reserved,
        coalesce(sum(s.on_hand - s.reserved) filter (where w.kind = 'normal' and w.status = 'active' and b.expires_on > ${today}::date), 0)::int as available,
        coalesce(sum(s.on_hand) filter (where b.expires_on > ${today}::date and b.expires_on <= ${nearExpiryLimit(today, nearMonths)}), 0)::int as near_expiry_qty,
        coalesce(sum(s.on_hand) filter (where b.expires_on <= ${today}::date), 0)::int as expired_qty
      from stock_balances s join stock_batches b on b.id = s.batch_id join warehouses w on w.id = s.warehouse_id
      where s.on_hand > 0 ${filter.warehouseId ? sql`and s.warehouse_id = ${filter.warehouseId}` : sql``}
      group by s.product_id
    ), demand as (
      select l.product_id, sum(greatest(l.quantity - l.reserved_qty - l.shipped_qty - l.closed_qty, 0))::int as open_demand
      from sales_order_lines l join sales_orders o on o.id = l.order_id
      where o.status in ('pending_review', 'released', 'partially_shipped')
      group by l.product_id
    )
    select p.id as product_id, p.code, p.generic_name, p.trade_name, p.specification, p.manufacturer, p.storage_condition, p.safety_stock,
      coalesce(bal.on_hand, 0) as on_hand, coalesce(bal.reserved, 0) as reserved, coalesce(bal.available, 0) as available,
      coalesce(demand.open_demand, 0) as open_demand, coalesce(bal.near_expiry_qty, 0) as near_expiry_qty, coalesce(bal.expired_qty, 0) as expired_qty,
      (p.safety_stock > 0 and coalesce(bal.available, 0) < p.safety_stock) as below_safety,
      (coalesce(demand.open_demand, 0) > coalesce(bal.available, 0)) as shortage
    from products p left join bal on bal.product_id = p.id left join demand on demand.product_id = p.id
    where ${sql.join(conditions, sql` and `)}`;
  const outer: SQL[] = [];
  if (filter.onlyWarnings) outer.push(sql`(below_safety or shortage or near_expiry_qty > 0 or expired_qty > 0)`);
  if (filter.nearExpiry) outer.push(sql`near_expiry_qty > 0`);
  return sql`select * from (${inner}) x ${outer.length ? sql`where ${sql.join(outer, sql` and `)}` : sql``}`;
}

type RawBalance = {
  product_id: number;
  code: string;
  generic_name: string;
  trade_name: string | null;
  specification: string;
  manufacturer: string;
  storage_condition: string;
  safety_stock: number;
  on_hand: number;
  reserved: number;
  available: number;
  open_demand: number;
  near_expiry_qty: number;
  expired_qty: number;
  below_safety: boolean;
  shortage: boolean;
  total?: number;
};

const toBalance = (r: RawBalance): BalanceRow => ({
  productId: r.product_id,
  code: r.code,
  genericName: r.generic_name,
  tradeName: r.trade_name,
  specification: r.specification,
  manufacturer: r.manufacturer,
  storageCondition: r.storage_condition,
  safetyStock: Number(r.safety_stock),
  onHand: Number(r.on_hand),
  reserved: Number(r.reserved),
  available: Number(r.available),
  openDemand: Number(r.open_demand),
  nearExpiryQty: Number(r.near_expiry_qty),
  expiredQty: Number(r.expired_qty),
  belowSafety: !!r.below_safety,
  shortage: !!r.shortage,
});

function orderOf(sort: string | undefined): SQL {
  const desc = sort?.startsWith('-');
  const column = sort ? SORTS[desc ? sort.slice(1) : sort] : undefined;
  return column ? sql.raw(`order by ${column} ${desc ? 'desc' : 'asc'}, code asc`) : sql.raw('order by code asc');
}

export async function listBalances(db: Queryable, filter: BalanceFilter, page: PageQuery, today: string, nearMonths: number): Promise<Page<BalanceRow>> {
  const rows = rowsOf<RawBalance>(
    await db.execute(sql`select *, count(*) over ()::int as total from (${balancesQuery(filter, today, nearMonths)}) y ${orderOf(page.sort)}
      limit ${page.pageSize} offset ${(page.page - 1) * page.pageSize}`),
  );
  let total = rows[0]?.total ?? 0;
  if (rows.length === 0 && page.page > 1) {
    const [c] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from (${balancesQuery(filter, today, nearMonths)}) y`));
    total = c?.n ?? 0;
  }
  return { items: rows.map(toBalance), total: Number(total), page: page.page, pageSize: page.pageSize };
}

export async function allBalances(db: Queryable, filter: BalanceFilter, sort: string | undefined, today: string, nearMonths: number, limit = 20000): Promise<BalanceRow[]> {
  return rowsOf<RawBalance>(await db.execute(sql`${balancesQuery(filter, today, nearMonths)} ${orderOf(sort)} limit ${limit}`)).map(toBalance);
}

export type BatchRow = {
  warehouseId: number;
  warehouseCode: string;
  warehouseName: string;
  warehouseKind: string;
  coldChain: boolean;
  batchId: number;
  batchNo: string;
  manufacturedOn: string | null;
  expiresOn: string;
  onHand: number;
  reserved: number;
  state: BatchState;
};

/** A product's batches per warehouse that hold stock, first expiry first. */
export async function productBatches(db: Queryable, productId: number, today: string, nearMonths: number, warehouseId?: number): Promise<BatchRow[]> {
  const rows = rowsOf<{
    warehouse_id: number;
    warehouse_code: string;
    warehouse_name: string;
    warehouse_kind: string;
    cold_chain: boolean;
    batch_id: number;
    batch_no: string;
    manufactured_on: string | null;
    expires_on: string;
    on_hand: number;
    reserved: number;
    state: BatchState;
  }>(
    await db.execute(sql`select s.warehouse_id, w.code as warehouse_code, w.name as warehouse_name, w.kind as warehouse_kind, w.cold_chain,
        s.batch_id, b.batch_no, b.manufactured_on::text, b.expires_on::text, s.on_hand, s.reserved,
        case when b.expires_on <= ${today}::date then 'expired' when b.expires_on <= ${nearExpiryLimit(today, nearMonths)} then 'near_expiry' else 'ok' end as state
      from stock_balances s join stock_batches b on b.id = s.batch_id join warehouses w on w.id = s.warehouse_id
      where s.product_id = ${productId} and s.on_hand > 0 ${warehouseId ? sql`and s.warehouse_id = ${warehouseId}` : sql``}
      order by b.expires_on, b.batch_no, w.code`),
  );
  return rows.map((r) => ({
    warehouseId: r.warehouse_id,
    warehouseCode: r.warehouse_code,
    warehouseName: r.warehouse_name,
    warehouseKind: r.warehouse_kind,
    coldChain: !!r.cold_chain,
    batchId: r.batch_id,
    batchNo: r.batch_no,
    manufacturedOn: r.manufactured_on,
    expiresOn: r.expires_on,
    onHand: Number(r.on_hand),
    reserved: Number(r.reserved),
    state: r.state,
  }));
}

export type MovementFilter = {
  productId?: number;
  batchNo?: string;
  batchId?: number;
  warehouseId?: number;
  kind?: MovementKind;
  docNumber?: string;
  from?: string;
  to?: string;
};

export type MovementRow = {
  id: number;
  at: string;
  businessDate: string;
  warehouseId: number;
  warehouseName: string;
  productId: number;
  productCode: string;
  productName: string;
  specification: string;
  batchId: number;
  batchNo: string;
  expiresOn: string;
  kind: MovementKind;
  quantity: number;
  docType: string | null;
  docId: number | null;
  docNumber: string | null;
  note: string | null;
  actorName: string | null;
};

function movementWhere(f: MovementFilter): SQL {
  const c: SQL[] = [sql`true`];
  if (f.productId) c.push(sql`m.product_id = ${f.productId}`);
  if (f.batchId) c.push(sql`m.batch_id = ${f.batchId}`);
  if (f.batchNo) c.push(sql`b.batch_no = ${f.batchNo}`);
  if (f.warehouseId) c.push(sql`m.warehouse_id = ${f.warehouseId}`);
  if (f.kind) c.push(sql`m.kind = ${f.kind}`);
  if (f.docNumber) c.push(sql`m.doc_number = ${f.docNumber}`);
  if (f.from) c.push(sql`m.business_date >= ${f.from}::date`);
  if (f.to) c.push(sql`m.business_date <= ${f.to}::date`);
  return sql.join(c, sql` and `);
}

const MOVEMENT_SORTS: Record<string, string> = { at: 'm.id', businessDate: 'm.business_date', quantity: 'm.quantity' };

function movementsSql(f: MovementFilter, sort: string | undefined, limit: number, offset: number, withTotal: boolean): SQL {
  const desc = sort ? sort.startsWith('-') : true;
  const column = (sort && MOVEMENT_SORTS[sort.replace(/^-/, '')]) ?? 'm.id';
  return sql`select m.id, m.at, m.business_date::text, m.warehouse_id, w.name as warehouse_name, m.product_id, p.code as product_code,
      p.generic_name as product_name, p.specification, m.batch_id, b.batch_no, b.expires_on::text, m.kind, m.quantity,
      m.doc_type, m.doc_id, m.doc_number, m.note, u.display_name as actor_name ${withTotal ? sql`, count(*) over ()::int as total` : sql``}
    from stock_movements m join stock_batches b on b.id = m.batch_id join warehouses w on w.id = m.warehouse_id
      join products p on p.id = m.product_id left join users u on u.id = m.actor_id
    where ${movementWhere(f)}
    order by ${sql.raw(column)} ${sql.raw(desc ? 'desc' : 'asc')}, m.id desc
    limit ${limit} offset ${offset}`;
}

type RawMovement = {
  id: number;
  at: Date | string;
  business_date: string;
  warehouse_id: number;
  warehouse_name: string;
  product_id: number;
  product_code: string;
  product_name: string;
  specification: string;
  batch_id: number;
  batch_no: string;
  expires_on: string;
  kind: MovementKind;
  quantity: number;
  doc_type: string | null;
  doc_id: number | null;
  doc_number: string | null;
  note: string | null;
  actor_name: string | null;
  total?: number;
};

const toMovement = (r: RawMovement): MovementRow => ({
  id: Number(r.id),
  at: new Date(r.at).toISOString(),
  businessDate: r.business_date,
  warehouseId: r.warehouse_id,
  warehouseName: r.warehouse_name,
  productId: r.product_id,
  productCode: r.product_code,
  productName: r.product_name,
  specification: r.specification,
  batchId: r.batch_id,
  batchNo: r.batch_no,
  expiresOn: r.expires_on,
  kind: r.kind,
  quantity: Number(r.quantity),
  docType: r.doc_type,
  docId: r.doc_id,
  docNumber: r.doc_number,
  note: r.note,
  actorName: r.actor_name,
});

export async function listMovements(db: Queryable, filter: MovementFilter, page: PageQuery): Promise<Page<MovementRow>> {
  const rows = rowsOf<RawMovement>(await db.execute(movementsSql(filter, page.sort, page.pageSize, (page.page - 1) * page.pageSize, true)));
  let total = rows[0]?.total ?? 0;
  if (rows.length === 0 && page.page > 1) {
    const [c] = rowsOf<{ n: number }>(
      await db.execute(sql`select count(*)::int as n from stock_movements m join stock_batches b on b.id = m.batch_id where ${movementWhere(filter)}`),
    );
    total = c?.n ?? 0;
  }
  return { items: rows.map(toMovement), total: Number(total), page: page.page, pageSize: page.pageSize };
}

export async function allMovements(db: Queryable, filter: MovementFilter, sort: string | undefined, limit = 50000): Promise<MovementRow[]> {
  return rowsOf<RawMovement>(await db.execute(movementsSql(filter, sort, limit, 0, false))).map(toMovement);
}
