import { type SQL, and, count, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Actor } from '../../kernel/access/actor.js';
import { audit } from '../../kernel/audit/audit.js';
import { type Db, type Queryable, rowsOf, type Tx } from '../../kernel/db/client.js';
import { type DocumentTypeDef, recordEvent, registerDocumentType, transition } from '../../kernel/documents/lifecycle.js';
import { nextDocumentNumber } from '../../kernel/documents/numbering.js';
import { DomainError, notFound, versionConflict } from '../../kernel/errors.js';
import type { Page, PageQuery } from '../../kernel/http/paging.js';
import { orderByOf } from '../../kernel/http/paging.js';
import { companyToday, customerVisible } from '../customers/customers.scope.js';
import { checkCustomerEligibility, KIND_NAMES } from '../customers/qualifications.js';
import { assertPeriodOpen } from '../finance/periods.js';
import { lockOrderRow, refreshOrderStatus } from '../orders/order-fulfilment.js';
import { shipReserved } from '../stock/stock.ledger.js';
import { COLD_CHAIN_MAX_TENTHS, COLD_CHAIN_MIN_TENTHS, type ShipmentKind, type ShipmentStatus, shipments } from './shipping.tables.js';

/**
 * 发货 (DOMAIN.md flow 2, "delivery note printed, shipped (cold chain recorded) → delivered"). Rules:
 * - A shipment is cut from a released or partially shipped order's reservations (stock.ledger reserveFefo):
 *   batch by batch as reserved, never more than is reserved and not yet on another open shipment
 *   (picking/checked). One warehouse per shipment: reservations over several warehouses give several shipments.
 * - Nothing leaves stock before dispatch: an open shipment only claims part of the reservations;
 *   cancelling it (before dispatch) leaves the reservations with the order.
 * - 双人复核: a second person (shipments.check) checks the picked goods; never the creator (DB CHECK too).
 * - Dispatch needs a carrier and a tracking number (self-delivery 自送: no tracking number), the
 *   customer's GSP qualifications valid on the dispatch date, an open period, and for cold-chain goods
 *   (any product stored 2–8 °C) the logger id and start/end temperatures within 2–8 °C (DB CHECK too).
 *   Then shipReserved moves the stock out and grows the order lines' shipped quantities, and the
 *   order's status follows (refreshOrderStatus), all in one transaction under the order's lock.
 * - Lock order: the sales_orders row, then the shipment row, then (inside the ledger) the balances.
 * - Visible exactly when the customer is (customerVisible).
 */
export type Shipment = typeof shipments.$inferSelect;
const DOC_TYPE = 'shipment';

const isCreator = (actor: Actor, doc: Shipment) => doc.createdBy === actor.id;

export const shipmentType: DocumentTypeDef<Shipment> = registerDocumentType<Shipment>({
  type: DOC_TYPE,
  name: { 'zh-CN': '发货单', 'en-US': 'Shipment' },
  numberPattern: 'FH{yyyy}{mm}{dd}-{seq:4}',
  table: shipments,
  states: {
    picking: { 'zh-CN': '拣货中', 'en-US': 'Picking' },
    checked: { 'zh-CN': '已复核', 'en-US': 'Checked' },
    dispatched: { 'zh-CN': '已发出', 'en-US': 'Dispatched' },
    delivered: { 'zh-CN': '已签收', 'en-US': 'Delivered' },
    cancelled: { 'zh-CN': '已取消', 'en-US': 'Cancelled' },
  },
  transitions: {
    check: { from: ['picking'], to: 'checked', label: { 'zh-CN': '复核', 'en-US': 'Check' }, guard: (actor, doc) => !isCreator(actor, doc) },
    dispatch: { from: ['checked'], to: 'dispatched', label: { 'zh-CN': '发出', 'en-US': 'Dispatch' } },
    deliver: { from: ['dispatched'], to: 'delivered', label: { 'zh-CN': '确认签收', 'en-US': 'Confirm delivery' } },
    cancel: { from: ['picking', 'checked'], to: 'cancelled', label: { 'zh-CN': '取消', 'en-US': 'Cancel' } },
  },
  load: async (db, id) => (await db.select().from(shipments).where(eq(shipments.id, id)))[0] ?? null,
  loadVisible: async (db, actor, id) => (await db.select().from(shipments).where(and(eq(shipments.id, id), customerVisible(actor, shipments.customerId))))[0] ?? null,
  summaries: async (db, ids) =>
    ids.length === 0
      ? []
      : (
          await db
            .select({ id: shipments.id, number: shipments.number, customer: sql<string>`(select c.name from customers c where c.id = shipments.customer_id)` })
            .from(shipments)
            .where(inArray(shipments.id, ids))
        ).map((r) => ({ id: r.id, number: r.number, title: r.customer })),
  link: (id) => `/shipments/${id}`,
});

// ---- Reading ------------------------------------------------------------------------------------

export type ShipmentRow = Shipment & {
  orderNumber: string;
  customerName: string;
  warehouseName: string;
  createdByName: string;
  checkedByName: string | null;
  dispatchedByName: string | null;
  totalQuantity: number;
};
export type ShipmentLineRow = {
  id: number;
  orderLineId: number;
  lineNo: number;
  productId: number;
  productCode: string;
  productName: string;
  specification: string;
  packageUnit: string;
  manufacturer: string;
  approvalNumber: string;
  storageCondition: string;
  batchId: number;
  batchNo: string;
  manufacturedOn: string | null;
  expiresOn: string;
  warehouseId: number;
  quantity: number;
  /** Already on return requests that are not cancelled. */
  returnedOrRequested: number;
};
export type ShipmentDetail = ShipmentRow & { lines: ShipmentLineRow[]; returns: { id: number; number: string; status: string }[]; exchangeForReturnId: number | null };

const rowColumns = {
  s: shipments,
  orderNumber: sql<string>`(select o.number from sales_orders o where o.id = shipments.order_id)`,
  customerName: sql<string>`(select c.name from customers c where c.id = shipments.customer_id)`,
  warehouseName: sql<string>`(select w.name from warehouses w where w.id = shipments.warehouse_id)`,
  createdByName: sql<string>`(select u.display_name from users u where u.id = shipments.created_by)`,
  checkedByName: sql<string | null>`(select u.display_name from users u where u.id = shipments.checked_by)`,
  dispatchedByName: sql<string | null>`(select u.display_name from users u where u.id = shipments.dispatched_by)`,
  totalQuantity: sql<number>`(select coalesce(sum(l.quantity), 0)::int from shipment_lines l where l.shipment_id = shipments.id)`,
};
type RawRow = { s: Shipment; orderNumber: string; customerName: string; warehouseName: string; createdByName: string; checkedByName: string | null; dispatchedByName: string | null; totalQuantity: number };
const flatten = (r: RawRow): ShipmentRow => ({ ...r.s, orderNumber: r.orderNumber, customerName: r.customerName, warehouseName: r.warehouseName, createdByName: r.createdByName, checkedByName: r.checkedByName, dispatchedByName: r.dispatchedByName, totalQuantity: Number(r.totalQuantity) });

export type ShipmentFilter = {
  status?: ShipmentStatus;
  customerId?: number;
  orderId?: number;
  /** Created on or after / on or before (company dates). */
  from?: string;
  to?: string;
  coldChain?: boolean;
  q?: string;
};

export async function listShipments(db: Queryable, actor: Actor, filter: ShipmentFilter, page: PageQuery, timeZone: string): Promise<Page<ShipmentRow>> {
  const where = and(
    customerVisible(actor, shipments.customerId),
    filter.status ? eq(shipments.status, filter.status) : undefined,
    filter.customerId ? eq(shipments.customerId, filter.customerId) : undefined,
    filter.orderId ? eq(shipments.orderId, filter.orderId) : undefined,
    filter.coldChain !== undefined ? eq(shipments.coldChain, filter.coldChain) : undefined,
    // Instants compared with the bounds of company days, so the created_at indexes serve.
    filter.from ? sql`${shipments.createdAt} >= (${filter.from}::date::timestamp at time zone ${timeZone})` : undefined,
    filter.to ? sql`${shipments.createdAt} < ((${filter.to}::date + 1)::timestamp at time zone ${timeZone})` : undefined,
    filter.q ? sql`(${shipments.number} ilike ${`%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`} or ${shipments.trackingNo} = ${filter.q})` : undefined,
  );
  const order = orderByOf(page.sort, { number: shipments.number, createdAt: shipments.createdAt, status: shipments.status, dispatchedOn: shipments.dispatchedOn }, [desc(shipments.id)]);
  const [[{ n }], rows] = await Promise.all([
    db.select({ n: count() }).from(shipments).where(where),
    db.select(rowColumns).from(shipments).where(where).orderBy(...order).limit(page.pageSize).offset((page.page - 1) * page.pageSize),
  ]);
  return { items: rows.map(flatten), total: Number(n), page: page.page, pageSize: page.pageSize };
}

export async function shipmentLines(db: Queryable, shipmentIds: number[]): Promise<(ShipmentLineRow & { shipmentId: number })[]> {
  if (shipmentIds.length === 0) return [];
  const rows = rowsOf<Record<string, unknown>>(
    await db.execute(sql`select l.id, l.shipment_id, l.order_line_id, ol.line_no, l.product_id, p.code as product_code,
        coalesce(p.trade_name || '（' || p.generic_name || '）', p.generic_name) as product_name, p.specification, p.package_unit,
        p.manufacturer, p.approval_number, p.storage_condition, l.batch_id, b.batch_no, b.manufactured_on::text as manufactured_on,
        b.expires_on::text as expires_on, l.warehouse_id, l.quantity,
        coalesce((select sum(rl.quantity) from return_lines rl join return_requests r on r.id = rl.return_id
                  where rl.shipment_line_id = l.id and r.status <> 'cancelled'), 0)::int as returned_or_requested
      from shipment_lines l join products p on p.id = l.product_id join stock_batches b on b.id = l.batch_id
      join sales_order_lines ol on ol.id = l.order_line_id
      where l.shipment_id in (${sql.join(shipmentIds.map((id) => sql`${id}`), sql`, `)})
      order by l.shipment_id, ol.line_no, b.expires_on, l.id`),
  );
  return rows.map((r) => ({
    id: Number(r.id),
    shipmentId: Number(r.shipment_id),
    orderLineId: Number(r.order_line_id),
    lineNo: Number(r.line_no),
    productId: Number(r.product_id),
    productCode: String(r.product_code),
    productName: String(r.product_name),
    specification: String(r.specification),
    packageUnit: String(r.package_unit),
    manufacturer: String(r.manufacturer),
    approvalNumber: String(r.approval_number),
    storageCondition: String(r.storage_condition),
    batchId: Number(r.batch_id),
    batchNo: String(r.batch_no),
    manufacturedOn: (r.manufactured_on as string | null) ?? null,
    expiresOn: String(r.expires_on),
    warehouseId: Number(r.warehouse_id),
    quantity: Number(r.quantity),
    returnedOrRequested: Number(r.returned_or_requested),
  }));
}

export async function getShipment(db: Queryable, actor: Actor, id: number): Promise<ShipmentDetail> {
  const [row] = await db.select(rowColumns).from(shipments).where(and(eq(shipments.id, id), customerVisible(actor, shipments.customerId)));
  if (!row) throw notFound();
  const lines = (await shipmentLines(db, [id])).map(({ shipmentId: _, ...l }) => l);
  const returns = rowsOf<{ id: number; number: string; status: string }>(
    await db.execute(sql`select distinct r.id, r.number, r.status from return_requests r join return_lines rl on rl.return_id = r.id
      join shipment_lines l on l.id = rl.shipment_line_id where l.shipment_id = ${id} order by r.id`),
  );
  const [exchange] = rowsOf<{ id: number }>(await db.execute(sql`select id from return_requests where exchange_shipment_id = ${id} limit 1`));
  return { ...flatten(row), lines, returns, exchangeForReturnId: exchange?.id ?? null };
}

// ---- What may be shipped ------------------------------------------------------------------------

export type ShippableLine = {
  orderLineId: number;
  lineNo: number;
  productId: number;
  productName: string;
  specification: string;
  packageUnit: string;
  coldChain: boolean;
  warehouseId: number;
  warehouseName: string;
  batchId: number;
  batchNo: string;
  expiresOn: string;
  reserved: number;
  /** On open shipments (picking / checked) already. */
  onOpenShipments: number;
  available: number;
};

/** The order's reservations, batch by batch, less what open shipments already claim. */
export async function shippableLines(db: Queryable, orderId: number): Promise<ShippableLine[]> {
  const rows = rowsOf<Record<string, unknown>>(
    await db.execute(sql`select r.order_line_id, ol.line_no, r.product_id, p.generic_name as product_name, p.specification, p.package_unit,
        p.storage_condition = 'cold_chain' as cold_chain, r.warehouse_id, w.name as warehouse_name, r.batch_id, b.batch_no,
        b.expires_on::text as expires_on, r.quantity as reserved,
        coalesce((select sum(sl.quantity) from shipment_lines sl join shipments s on s.id = sl.shipment_id
                  where sl.order_line_id = r.order_line_id and sl.warehouse_id = r.warehouse_id and sl.batch_id = r.batch_id
                    and s.status in ('picking', 'checked')), 0)::int as on_open
      from stock_reservations r join sales_order_lines ol on ol.id = r.order_line_id join products p on p.id = r.product_id
      join stock_batches b on b.id = r.batch_id join warehouses w on w.id = r.warehouse_id
      where ol.order_id = ${orderId}
      order by ol.line_no, b.expires_on, r.warehouse_id, r.batch_id`),
  );
  return rows.map((r) => ({
    orderLineId: Number(r.order_line_id),
    lineNo: Number(r.line_no),
    productId: Number(r.product_id),
    productName: String(r.product_name),
    specification: String(r.specification),
    packageUnit: String(r.package_unit),
    coldChain: Boolean(r.cold_chain),
    warehouseId: Number(r.warehouse_id),
    warehouseName: String(r.warehouse_name),
    batchId: Number(r.batch_id),
    batchNo: String(r.batch_no),
    expiresOn: String(r.expires_on),
    reserved: Number(r.reserved),
    onOpenShipments: Number(r.on_open),
    available: Math.max(0, Number(r.reserved) - Number(r.on_open)),
  }));
}

async function visibleOrder(db: Queryable, actor: Actor, orderId: number) {
  const [order] = rowsOf<{ id: number; number: string; status: string; customer_id: number; customer_name: string }>(
    await db.execute(sql`select o.id, o.number, o.status, o.customer_id, c.name as customer_name from sales_orders o join customers c on c.id = o.customer_id
      where o.id = ${orderId} and ${customerVisible(actor, sql`o.customer_id`)}`),
  );
  if (!order) throw notFound();
  return order;
}

export async function getShippable(db: Queryable, actor: Actor, orderId: number) {
  const order = await visibleOrder(db, actor, orderId);
  return { orderId: order.id, orderNumber: order.number, status: order.status, customerId: order.customer_id, customerName: order.customer_name, lines: await shippableLines(db, orderId) };
}

/** Orders with reserved stock not yet on an open shipment (the order picker of "create shipment"). */
export async function shippableOrders(db: Queryable, actor: Actor, q: string | undefined, limit = 20) {
  const rows = rowsOf<{ id: number; number: string; status: string; customer_id: number; customer_name: string; order_date: string; open: number }>(
    await db.execute(sql`select o.id, o.number, o.status, o.customer_id, c.name as customer_name, o.order_date::text as order_date, x.open
      from sales_orders o join customers c on c.id = o.customer_id
      cross join lateral (
        select (coalesce(sum(r.quantity), 0) - coalesce((select sum(sl.quantity) from shipment_lines sl join shipments s on s.id = sl.shipment_id
                 join sales_order_lines l2 on l2.id = sl.order_line_id where l2.order_id = o.id and s.status in ('picking', 'checked')), 0))::int as open
        from stock_reservations r join sales_order_lines l on l.id = r.order_line_id where l.order_id = o.id) x
      where o.status in ('released', 'partially_shipped') and x.open > 0 and ${customerVisible(actor, sql`o.customer_id`)}
        ${q ? sql`and (o.number ilike ${`%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`} or c.name ilike ${`%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`})` : sql``}
      order by o.order_date, o.id limit ${limit}`),
  );
  return rows.map((r) => ({ id: r.id, number: r.number, status: r.status, customerId: r.customer_id, customerName: r.customer_name, orderDate: r.order_date, openQuantity: Number(r.open) }));
}

// ---- Creating -----------------------------------------------------------------------------------

export type ShipmentPick = { orderLineId: number; warehouseId: number; batchId: number; quantity: number };
export type CreateShipmentInput = {
  orderId: number;
  /** Omitted: everything reserved and not yet on an open shipment (whole shipment). */
  lines?: ShipmentPick[] | null;
  shipToAddress?: string | null;
  shipToContact?: string | null;
  shipToPhone?: string | null;
  notes?: string | null;
};

/**
 * Inside the caller's transaction, with the order row already locked: splits the picks by warehouse
 * and writes one shipment per warehouse. Returns the new shipments' ids.
 */
export async function writeShipments(
  tx: Tx,
  actor: Actor,
  order: { id: number; customerId: number },
  picks: ShipmentPick[],
  kind: ShipmentKind,
  extra: Omit<CreateShipmentInput, 'orderId' | 'lines'>,
  timeZone: string,
): Promise<number[]> {
  const shippable = await shippableLines(tx, order.id);
  const key = (p: { orderLineId: number; warehouseId: number; batchId: number }) => `${p.orderLineId}:${p.warehouseId}:${p.batchId}`;
  const byKey = new Map(shippable.map((s) => [key(s), s]));
  const merged = new Map<string, ShipmentPick>();
  for (const p of picks) {
    if (p.quantity <= 0) continue;
    const m = merged.get(key(p));
    merged.set(key(p), m ? { ...m, quantity: m.quantity + p.quantity } : { ...p });
  }
  if (merged.size === 0) throw new DomainError('SHIPMENT_NOTHING_TO_SHIP', {}, 409);
  for (const [k, p] of merged) {
    const s = byKey.get(k);
    if (!s || s.available < p.quantity) {
      throw new DomainError('SHIPMENT_OVER_RESERVED', { batch: s?.batchNo ?? '', available: s?.available ?? 0, requested: p.quantity }, 409);
    }
  }
  const [defaults] = rowsOf<{ ship_to_address: string | null; ship_to_contact: string | null; ship_to_phone: string | null }>(
    await tx.execute(sql`select ship_to_address, ship_to_contact, ship_to_phone from sales_orders where id = ${order.id}`),
  );
  const byWarehouse = new Map<number, ShipmentPick[]>();
  for (const p of merged.values()) byWarehouse.set(p.warehouseId, [...(byWarehouse.get(p.warehouseId) ?? []), p]);
  const ids: number[] = [];
  for (const [warehouseId, lines] of [...byWarehouse].sort((a, b) => a[0] - b[0])) {
    const coldChain = lines.some((l) => byKey.get(key(l))!.coldChain);
    const number = await nextDocumentNumber(tx, DOC_TYPE, shipmentType.numberPattern, new Date(), timeZone);
    const [row] = await tx
      .insert(shipments)
      .values({
        number,
        kind,
        orderId: order.id,
        customerId: order.customerId,
        warehouseId,
        shipToAddress: extra.shipToAddress?.trim() || defaults?.ship_to_address || null,
        shipToContact: extra.shipToContact?.trim() || defaults?.ship_to_contact || null,
        shipToPhone: extra.shipToPhone?.trim() || defaults?.ship_to_phone || null,
        coldChain,
        notes: extra.notes?.trim() || null,
        createdBy: actor.id,
      })
      .returning();
    await tx.execute(sql`insert into shipment_lines (shipment_id, order_line_id, product_id, batch_id, warehouse_id, quantity) values ${sql.join(
      lines.map((l) => sql`(${row!.id}, ${l.orderLineId}, ${byKey.get(key(l))!.productId}, ${l.batchId}, ${warehouseId}, ${l.quantity})`),
      sql`, `,
    )}`);
    await recordEvent(tx, actor, DOC_TYPE, row!.id, { kind: 'created', data: { kind } });
    await audit(tx, actor, { action: 'shipment.created', entity: DOC_TYPE, entityId: row!.id, after: { ...row, lines } });
    ids.push(row!.id);
  }
  return ids;
}

/** Creates the shipment(s) of an order: whole (no lines given) or the chosen batches and quantities. */
export async function createShipments(db: Db, actor: Actor, input: CreateShipmentInput, timeZone: string): Promise<ShipmentDetail[]> {
  const ids = await db.transaction(async (tx) => {
    await visibleOrder(tx, actor, input.orderId);
    const order = await lockOrderRow(tx, input.orderId);
    if (order.status !== 'released' && order.status !== 'partially_shipped') throw new DomainError('SHIPMENT_ORDER_NOT_RELEASED', { number: order.number }, 409);
    const picks = input.lines ?? (await shippableLines(tx, order.id)).filter((s) => s.available > 0).map((s) => ({ orderLineId: s.orderLineId, warehouseId: s.warehouseId, batchId: s.batchId, quantity: s.available }));
    return writeShipments(tx, actor, order, picks, 'order', input, timeZone);
  });
  return Promise.all(ids.map((id) => getShipment(db, actor, id)));
}

// ---- The lifecycle --------------------------------------------------------------------------------

/** Order row first, then the shipment row (the lock order of every write here). */
async function lockShipment(tx: Tx, actor: Actor, id: number, version: number): Promise<Shipment> {
  const [peek] = await tx.select({ orderId: shipments.orderId }).from(shipments).where(and(eq(shipments.id, id), customerVisible(actor, shipments.customerId)));
  if (!peek) throw notFound();
  await lockOrderRow(tx, peek.orderId);
  const [row] = await tx.select().from(shipments).where(eq(shipments.id, id)).for('update');
  if (!row) throw notFound();
  if (row.version !== version) throw versionConflict();
  return row;
}

function notInState(doc: Shipment, locale: Actor['locale'], action: keyof typeof shipmentType.transitions): never {
  throw new DomainError('TRANSITION_NOT_ALLOWED', { transition: shipmentType.transitions[action]!.label[locale], state: shipmentType.states[doc.status]![locale] }, 409);
}

/** 复核: a second person confirms the picked goods; the creator may not check their own picking. */
export async function checkShipment(db: Db, actor: Actor, id: number, version: number, note: string | null): Promise<ShipmentDetail> {
  await db.transaction(async (tx) => {
    const doc = await lockShipment(tx, actor, id, version);
    if (doc.status !== 'picking') notInState(doc, actor.locale, 'check');
    if (doc.createdBy === actor.id) throw new DomainError('SHIPMENT_FOUR_EYES', {}, 409);
    await tx.update(shipments).set({ checkedBy: actor.id, checkedAt: new Date() }).where(eq(shipments.id, id));
    await transition(tx, actor, shipmentType, doc, 'check', { comment: note });
  });
  return getShipment(db, actor, id);
}

export type DispatchInput = {
  version: number;
  carrier: string;
  trackingNo?: string | null;
  /** 自送: our own vehicle; no tracking number. */
  selfDelivery?: boolean;
  temperatureLoggerId?: string | null;
  startTempTenths?: number | null;
  endTempTenths?: number | null;
};

type FieldProblem = { path: string; code: string; params?: Record<string, unknown> };

/** What is missing or wrong for a dispatch, before the database's CHECKs would say so less kindly. */
export function dispatchProblems(coldChain: boolean, input: DispatchInput): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!input.carrier?.trim()) problems.push({ path: 'carrier', code: 'SHIPMENT_CARRIER_REQUIRED' });
  if (!input.selfDelivery && !input.trackingNo?.trim()) problems.push({ path: 'trackingNo', code: 'SHIPMENT_TRACKING_REQUIRED' });
  if (coldChain) {
    if (!input.temperatureLoggerId?.trim()) problems.push({ path: 'temperatureLoggerId', code: 'SHIPMENT_COLD_CHAIN_LOGGER_REQUIRED' });
    for (const path of ['startTempTenths', 'endTempTenths'] as const) {
      const v = input[path];
      if (v == null) problems.push({ path, code: 'SHIPMENT_COLD_CHAIN_TEMPERATURE_REQUIRED' });
      else if (!Number.isInteger(v) || v < COLD_CHAIN_MIN_TENTHS || v > COLD_CHAIN_MAX_TENTHS)
        problems.push({ path, code: 'SHIPMENT_COLD_CHAIN_TEMPERATURE_OUT_OF_RANGE', params: { value: (v / 10).toFixed(1), min: COLD_CHAIN_MIN_TENTHS / 10, max: COLD_CHAIN_MAX_TENTHS / 10 } });
    }
  }
  return problems;
}

/** 发出: the goods leave; stock, the order's lines and its status change in the same transaction. */
export async function dispatchShipment(db: Db, actor: Actor, id: number, input: DispatchInput, today = companyToday()): Promise<ShipmentDetail> {
  await db.transaction(async (tx) => {
    const doc = await lockShipment(tx, actor, id, input.version);
    if (doc.status !== 'checked') notInState(doc, actor.locale, 'dispatch');
    const problems = dispatchProblems(doc.coldChain, input);
    if (problems.length > 0) {
      const cold = problems.find((p) => p.code.startsWith('SHIPMENT_COLD_CHAIN'));
      throw new DomainError(cold ? cold.code : 'VALIDATION_FAILED', cold?.params ?? {}, 422, problems);
    }
    // GSP: never hand goods to a customer whose qualifications are not valid on the day they leave.
    const eligibility = await checkCustomerEligibility(tx, doc.customerId, today);
    if (!eligibility.eligible) {
      const zh = actor.locale === 'zh-CN';
      const problems = eligibility.problems
        .map((p) => `${KIND_NAMES[p.kind][actor.locale]} ${p.problem === 'expired' ? `${zh ? '已于' : 'expired'} ${p.expiresOn}${zh ? ' 过期' : ''}` : zh ? '缺失' : 'missing'}`)
        .join(zh ? '；' : '; ');
      throw new DomainError('SHIPMENT_CUSTOMER_NOT_ELIGIBLE', { problems }, 409);
    }
    await assertPeriodOpen(tx, today);
    const lines = await tx.execute(sql`select order_line_id, warehouse_id, batch_id, product_id, quantity from shipment_lines where shipment_id = ${id} order by id`);
    const items = rowsOf<{ order_line_id: number; warehouse_id: number; batch_id: number; product_id: number; quantity: number }>(lines).map((l) => ({
      orderLineId: l.order_line_id,
      warehouseId: l.warehouse_id,
      batchId: l.batch_id,
      productId: l.product_id,
      quantity: Number(l.quantity),
    }));
    await shipReserved(tx, actor, { docType: DOC_TYPE, docId: doc.id, docNumber: doc.number }, today, items);
    const details = {
      carrier: input.carrier.trim(),
      trackingNo: input.selfDelivery ? input.trackingNo?.trim() || null : input.trackingNo!.trim(),
      temperatureLoggerId: doc.coldChain ? input.temperatureLoggerId!.trim() : input.temperatureLoggerId?.trim() || null,
      startTempTenths: input.startTempTenths ?? null,
      endTempTenths: input.endTempTenths ?? null,
    };
    await tx
      .update(shipments)
      .set({ ...details, dispatchedBy: actor.id, dispatchedAt: new Date(), dispatchedOn: today })
      .where(eq(shipments.id, id));
    await transition(tx, actor, shipmentType, doc, 'dispatch', { data: { ...details, selfDelivery: !!input.selfDelivery, dispatchedOn: today } });
    await audit(tx, actor, { action: 'shipment.dispatch_record', entity: DOC_TYPE, entityId: id, after: { ...details, selfDelivery: !!input.selfDelivery, dispatchedOn: today, items } });
    await refreshOrderStatus(tx, doc.orderId);
  });
  return getShipment(db, actor, id);
}

/** 签收: the customer confirmed receipt (from the signed delivery note, a call, the carrier's record). */
export async function confirmDelivery(db: Db, actor: Actor, id: number, input: { version: number; deliveredAt?: Date | null; note?: string | null }): Promise<ShipmentDetail> {
  await db.transaction(async (tx) => {
    const doc = await lockShipment(tx, actor, id, input.version);
    if (doc.status !== 'dispatched') notInState(doc, actor.locale, 'deliver');
    const at = input.deliveredAt ?? new Date();
    if (at.getTime() > Date.now() + 5 * 60_000 || (doc.dispatchedAt && at < doc.dispatchedAt)) {
      throw new DomainError('VALIDATION_FAILED', {}, 422, [{ path: 'deliveredAt', code: 'SHIPMENT_DELIVERED_AT_INVALID' }]);
    }
    await tx.update(shipments).set({ deliveredAt: at, deliveredNote: input.note?.trim() || null }).where(eq(shipments.id, id));
    await transition(tx, actor, shipmentType, doc, 'deliver', { comment: input.note?.trim() || null, data: { deliveredAt: at.toISOString() } });
  });
  return getShipment(db, actor, id);
}

/** Before dispatch only; the reservations stay with the order for the next shipment. */
export async function cancelShipment(db: Db, actor: Actor, id: number, input: { version: number; reason: string }): Promise<ShipmentDetail> {
  await db.transaction(async (tx) => {
    const doc = await lockShipment(tx, actor, id, input.version);
    if (doc.status !== 'picking' && doc.status !== 'checked') notInState(doc, actor.locale, 'cancel');
    const reason = input.reason.trim();
    if (!reason) throw new DomainError('VALIDATION_FAILED', {}, 422, [{ path: 'reason', code: 'SHIPMENT_CANCEL_REASON_REQUIRED' }]);
    await tx.update(shipments).set({ cancelReason: reason }).where(eq(shipments.id, id));
    await transition(tx, actor, shipmentType, doc, 'cancel', { comment: reason });
  });
  return getShipment(db, actor, id);
}

export const shipmentScope = (actor: Actor): SQL => customerVisible(actor, shipments.customerId);
