import { and, count, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Actor } from '../../kernel/access/actor.js';
import { cancelApproval, startApproval } from '../../kernel/approvals/approvals.service.js';
import { audit } from '../../kernel/audit/audit.js';
import { type Db, type Queryable, rowsOf, type Tx } from '../../kernel/db/client.js';
import { type DocumentTypeDef, recordEvent, registerDocumentType, transition } from '../../kernel/documents/lifecycle.js';
import { nextDocumentNumber } from '../../kernel/documents/numbering.js';
import { DomainError, notFound, versionConflict } from '../../kernel/errors.js';
import type { Page, PageQuery } from '../../kernel/http/paging.js';
import { orderByOf } from '../../kernel/http/paging.js';
import { companyToday, customerVisible } from '../customers/customers.scope.js';
import { assertPeriodOpen } from '../finance/periods.js';
import { lockOrderRow, refreshOrderStatus } from '../orders/order-fulfilment.js';
import { writeShipments } from '../shipping/shipping.service.js';
import { moveStock, reserveFefo, type StockMove } from '../stock/stock.ledger.js';
import {
  type InspectionResult,
  type ReturnReason,
  type ReturnResolution,
  type ReturnStatus,
  returnLines,
  returnRequests,
} from './returns.tables.js';

/**
 * 退换货 (DOMAIN.md flow 2: "returns and exchanges run backwards with a reason"). Rules:
 * - A return names what left: shipment lines (batch by batch) of dispatched or delivered shipments of
 *   one order, each for at most what was shipped on that line less what other returns (not cancelled)
 *   already ask for. The order row is locked while the quantities are checked, so two requests cannot
 *   both take the last unit.
 * - Reason 质量/破损/近效期/错发/其他, resolution refund (finance issues the red-letter invoice from the
 *   returned quantities) or exchange (the same goods shipped again).
 * - Approval through the kernel flow of 'return_request' (seeded: the sales office lead).
 * - Receipt (returns.inspect): the goods come back into a quarantine warehouse (movement 'return'), and
 *   the order lines' returned_qty grows in the same transaction under the order's lock. A refund
 *   closes the returned quantity (closed_qty) so the order does not wait for goods again; an exchange
 *   leaves the line open for the replacement shipment.
 * - Inspection (returns.inspect), per line: restock (transfer quarantine → a normal warehouse), keep in
 *   quarantine, or destroy; then the return is completed.
 * - Exchange: after receipt, stock is reserved again (FEFO) for the returned quantities and a shipment of
 *   kind 'exchange' is cut from it; it goes through the normal check and dispatch.
 * - Every dated write checks the period is open. Visible exactly when the customer is.
 */
export type ReturnRequest = typeof returnRequests.$inferSelect;
const DOC_TYPE = 'return_request';

export const returnRequestType: DocumentTypeDef<ReturnRequest> = registerDocumentType<ReturnRequest>({
  type: DOC_TYPE,
  name: { 'zh-CN': '退换货申请', 'en-US': 'Return request' },
  numberPattern: 'TH{yyyy}{mm}-{seq:4}',
  table: returnRequests,
  states: {
    draft: { 'zh-CN': '草稿', 'en-US': 'Draft' },
    pending_approval: { 'zh-CN': '审批中', 'en-US': 'Pending approval' },
    approved: { 'zh-CN': '已批准', 'en-US': 'Approved' },
    received: { 'zh-CN': '已收货', 'en-US': 'Received' },
    completed: { 'zh-CN': '已完成', 'en-US': 'Completed' },
    cancelled: { 'zh-CN': '已取消', 'en-US': 'Cancelled' },
  },
  transitions: {
    submit: { from: ['draft'], to: 'pending_approval', label: { 'zh-CN': '提交', 'en-US': 'Submit' } },
    approve: { from: ['pending_approval'], to: 'approved', label: { 'zh-CN': '审批通过', 'en-US': 'Approve' }, system: true },
    reject: { from: ['pending_approval'], to: 'draft', label: { 'zh-CN': '驳回', 'en-US': 'Reject' }, system: true },
    receive: { from: ['approved'], to: 'received', label: { 'zh-CN': '收货', 'en-US': 'Receive' } },
    complete: { from: ['received'], to: 'completed', label: { 'zh-CN': '质检完成', 'en-US': 'Inspect' } },
    cancel: { from: ['draft', 'pending_approval', 'approved'], to: 'cancelled', label: { 'zh-CN': '取消', 'en-US': 'Cancel' } },
  },
  load: async (db, id) => (await db.select().from(returnRequests).where(eq(returnRequests.id, id)))[0] ?? null,
  loadVisible: async (db, actor, id) => (await db.select().from(returnRequests).where(and(eq(returnRequests.id, id), customerVisible(actor, returnRequests.customerId))))[0] ?? null,
  summaries: async (db, ids) =>
    ids.length === 0
      ? []
      : (
          await db
            .select({ id: returnRequests.id, number: returnRequests.number, customer: sql<string>`(select c.name from customers c where c.id = return_requests.customer_id)` })
            .from(returnRequests)
            .where(inArray(returnRequests.id, ids))
        ).map((r) => ({ id: r.id, number: r.number, title: r.customer })),
  facts: (doc) => ({ reason: doc.reason, resolution: doc.resolution }),
  requireFlow: false,
  link: (id) => `/returns/${id}`,
});

// ---- Reading ------------------------------------------------------------------------------------

export type ReturnRow = ReturnRequest & { orderNumber: string; customerName: string; createdByName: string; totalQuantity: number; exchangeShipmentNumber: string | null };
export type ReturnLineRow = {
  id: number;
  orderLineId: number;
  shipmentLineId: number;
  shipmentId: number;
  shipmentNumber: string;
  productId: number;
  productName: string;
  specification: string;
  packageUnit: string;
  batchId: number;
  batchNo: string;
  expiresOn: string;
  quantity: number;
  inspectionResult: InspectionResult | null;
  restockWarehouseId: number | null;
  inspectionNote: string | null;
};
export type ReturnDetail = ReturnRow & { lines: ReturnLineRow[]; receivedWarehouseName: string | null };

const rowColumns = {
  r: returnRequests,
  orderNumber: sql<string>`(select o.number from sales_orders o where o.id = return_requests.order_id)`,
  customerName: sql<string>`(select c.name from customers c where c.id = return_requests.customer_id)`,
  createdByName: sql<string>`(select u.display_name from users u where u.id = return_requests.created_by)`,
  totalQuantity: sql<number>`(select coalesce(sum(l.quantity), 0)::int from return_lines l where l.return_id = return_requests.id)`,
  exchangeShipmentNumber: sql<string | null>`(select s.number from shipments s where s.id = return_requests.exchange_shipment_id)`,
};
type RawRow = { r: ReturnRequest; orderNumber: string; customerName: string; createdByName: string; totalQuantity: number; exchangeShipmentNumber: string | null };
const flatten = (x: RawRow): ReturnRow => ({ ...x.r, orderNumber: x.orderNumber, customerName: x.customerName, createdByName: x.createdByName, totalQuantity: Number(x.totalQuantity), exchangeShipmentNumber: x.exchangeShipmentNumber });

export type ReturnFilter = { status?: ReturnStatus; customerId?: number; orderId?: number; reason?: ReturnReason; resolution?: ReturnResolution; q?: string };

export async function listReturns(db: Queryable, actor: Actor, filter: ReturnFilter, page: PageQuery): Promise<Page<ReturnRow>> {
  const where = and(
    customerVisible(actor, returnRequests.customerId),
    filter.status ? eq(returnRequests.status, filter.status) : undefined,
    filter.customerId ? eq(returnRequests.customerId, filter.customerId) : undefined,
    filter.orderId ? eq(returnRequests.orderId, filter.orderId) : undefined,
    filter.reason ? eq(returnRequests.reason, filter.reason) : undefined,
    filter.resolution ? eq(returnRequests.resolution, filter.resolution) : undefined,
    filter.q ? sql`${returnRequests.number} ilike ${`%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}` : undefined,
  );
  const order = orderByOf(page.sort, { number: returnRequests.number, createdAt: returnRequests.createdAt, status: returnRequests.status }, [desc(returnRequests.id)]);
  const [[{ n }], rows] = await Promise.all([
    db.select({ n: count() }).from(returnRequests).where(where),
    db.select(rowColumns).from(returnRequests).where(where).orderBy(...order).limit(page.pageSize).offset((page.page - 1) * page.pageSize),
  ]);
  return { items: rows.map(flatten), total: Number(n), page: page.page, pageSize: page.pageSize };
}

export async function getReturn(db: Queryable, actor: Actor, id: number): Promise<ReturnDetail> {
  const [row] = await db.select(rowColumns).from(returnRequests).where(and(eq(returnRequests.id, id), customerVisible(actor, returnRequests.customerId)));
  if (!row) throw notFound();
  const lines = rowsOf<Record<string, unknown>>(
    await db.execute(sql`select rl.id, rl.order_line_id, rl.shipment_line_id, sl.shipment_id, s.number as shipment_number, rl.product_id,
        p.generic_name as product_name, p.specification, p.package_unit, rl.batch_id, b.batch_no, b.expires_on::text as expires_on, rl.quantity,
        rl.inspection_result, rl.restock_warehouse_id, rl.inspection_note
      from return_lines rl join shipment_lines sl on sl.id = rl.shipment_line_id join shipments s on s.id = sl.shipment_id
      join products p on p.id = rl.product_id join stock_batches b on b.id = rl.batch_id
      where rl.return_id = ${id} order by rl.id`),
  ).map((r) => ({
    id: Number(r.id),
    orderLineId: Number(r.order_line_id),
    shipmentLineId: Number(r.shipment_line_id),
    shipmentId: Number(r.shipment_id),
    shipmentNumber: String(r.shipment_number),
    productId: Number(r.product_id),
    productName: String(r.product_name),
    specification: String(r.specification),
    packageUnit: String(r.package_unit),
    batchId: Number(r.batch_id),
    batchNo: String(r.batch_no),
    expiresOn: String(r.expires_on),
    quantity: Number(r.quantity),
    inspectionResult: (r.inspection_result as InspectionResult | null) ?? null,
    restockWarehouseId: r.restock_warehouse_id == null ? null : Number(r.restock_warehouse_id),
    inspectionNote: (r.inspection_note as string | null) ?? null,
  }));
  const [w] = row.r.receivedWarehouseId ? rowsOf<{ name: string }>(await db.execute(sql`select name from warehouses where id = ${row.r.receivedWarehouseId}`)) : [];
  return { ...flatten(row), lines, receivedWarehouseName: w?.name ?? null };
}

// ---- Requesting ---------------------------------------------------------------------------------

export type ReturnInput = {
  reason: ReturnReason;
  resolution: ReturnResolution;
  description: string;
  lines: { shipmentLineId: number; quantity: number }[];
};

type ShippedLine = { id: number; shipment_id: number; order_id: number; customer_id: number; order_line_id: number; product_id: number; batch_id: number; quantity: number; status: string; taken: number };

/** Checks the lines against what left and what other returns already ask for (the order row must be locked). */
async function checkReturnLines(tx: Tx, lines: ReturnInput['lines'], exceptReturnId: number | null) {
  if (lines.length === 0) throw new DomainError('VALIDATION_FAILED', {}, 422, [{ path: 'lines', code: 'RETURN_LINES_REQUIRED' }]);
  const ids = [...new Set(lines.map((l) => l.shipmentLineId))];
  if (ids.length !== lines.length) throw new DomainError('VALIDATION_FAILED', {}, 422, [{ path: 'lines', code: 'RETURN_LINE_TWICE' }]);
  const shipped = rowsOf<ShippedLine>(
    await tx.execute(sql`select sl.id, sl.shipment_id, s.order_id, s.customer_id, sl.order_line_id, sl.product_id, sl.batch_id, sl.quantity, s.status,
        coalesce((select sum(rl.quantity) from return_lines rl join return_requests r on r.id = rl.return_id
                  where rl.shipment_line_id = sl.id and r.status <> 'cancelled' ${exceptReturnId ? sql`and r.id <> ${exceptReturnId}` : sql``}), 0)::int as taken
      from shipment_lines sl join shipments s on s.id = sl.shipment_id where sl.id in (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`),
  );
  const byId = new Map(shipped.map((s) => [s.id, s]));
  lines.forEach((l, i) => {
    const s = byId.get(l.shipmentLineId);
    if (!s) throw notFound();
    if (s.status !== 'dispatched' && s.status !== 'delivered') throw new DomainError('VALIDATION_FAILED', {}, 422, [{ path: `lines.${i}.shipmentLineId`, code: 'RETURN_SHIPMENT_NOT_DISPATCHED' }]);
    const left = Number(s.quantity) - Number(s.taken);
    if (l.quantity > left) throw new DomainError('RETURN_QUANTITY_EXCEEDS_SHIPPED', { available: left, requested: l.quantity }, 422, [{ path: `lines.${i}.quantity`, code: 'RETURN_QUANTITY_EXCEEDS_SHIPPED', params: { available: left } }]);
  });
  const orders = new Set(shipped.map((s) => s.order_id));
  if (orders.size !== 1) throw new DomainError('VALIDATION_FAILED', {}, 422, [{ path: 'lines', code: 'RETURN_ONE_ORDER' }]);
  return { orderId: shipped[0]!.order_id, customerId: shipped[0]!.customer_id, shipped: byId };
}

/** Drafts a return request and sends it into approval (returns.write, customer in scope). */
export async function requestReturn(db: Db, actor: Actor, input: ReturnInput, timeZone: string) {
  const { id, outcome } = await db.transaction(async (tx) => {
    const [first] = rowsOf<{ order_id: number; customer_id: number }>(
      await tx.execute(sql`select s.order_id, s.customer_id from shipment_lines sl join shipments s on s.id = sl.shipment_id
        where sl.id = ${input.lines[0]?.shipmentLineId ?? 0} and ${customerVisible(actor, sql`s.customer_id`)}`),
    );
    if (!first) throw notFound();
    await lockOrderRow(tx, first.order_id);
    const { orderId, customerId, shipped } = await checkReturnLines(tx, input.lines, null);
    const description = input.description.trim();
    if (!description) throw new DomainError('VALIDATION_FAILED', {}, 422, [{ path: 'description', code: 'RETURN_DESCRIPTION_REQUIRED' }]);
    const number = await nextDocumentNumber(tx, DOC_TYPE, returnRequestType.numberPattern, new Date(), timeZone);
    const [row] = await tx.insert(returnRequests).values({ number, orderId, customerId, reason: input.reason, resolution: input.resolution, description, createdBy: actor.id }).returning();
    await tx.insert(returnLines).values(
      input.lines.map((l) => {
        const s = shipped.get(l.shipmentLineId)!;
        return { returnId: row!.id, orderLineId: s.order_line_id, shipmentLineId: s.id, productId: s.product_id, batchId: s.batch_id, quantity: l.quantity };
      }),
    );
    await recordEvent(tx, actor, DOC_TYPE, row!.id, { kind: 'created' });
    await audit(tx, actor, { action: 'return_request.created', entity: DOC_TYPE, entityId: row!.id, after: { ...row, lines: input.lines } });
    const pending = await transition(tx, actor, returnRequestType, row!, 'submit');
    const outcome = await startApproval(tx, actor, returnRequestType, pending);
    return { id: row!.id, outcome };
  });
  return { returnRequest: await getReturn(db, actor, id), approved: outcome.approved };
}

/** Lock order: the order row, then the return row. */
async function lockReturn(tx: Tx, actor: Actor, id: number, version: number): Promise<ReturnRequest> {
  const [peek] = await tx.select({ orderId: returnRequests.orderId }).from(returnRequests).where(and(eq(returnRequests.id, id), customerVisible(actor, returnRequests.customerId)));
  if (!peek) throw notFound();
  await lockOrderRow(tx, peek.orderId);
  const [row] = await tx.select().from(returnRequests).where(eq(returnRequests.id, id)).for('update');
  if (!row) throw notFound();
  if (row.version !== version) throw versionConflict();
  return row;
}

function notInState(doc: ReturnRequest, actor: Actor, action: keyof typeof returnRequestType.transitions): never {
  throw new DomainError('TRANSITION_NOT_ALLOWED', { transition: returnRequestType.transitions[action]!.label[actor.locale], state: returnRequestType.states[doc.status]![actor.locale] }, 409);
}

/** A draft sent back by the approver goes in again (the quantities are checked again). */
export async function resubmitReturn(db: Db, actor: Actor, id: number, version: number) {
  const outcome = await db.transaction(async (tx) => {
    const doc = await lockReturn(tx, actor, id, version);
    if (doc.status !== 'draft') notInState(doc, actor, 'submit');
    const lines = await tx.select().from(returnLines).where(eq(returnLines.returnId, id));
    await checkReturnLines(tx, lines.map((l) => ({ shipmentLineId: l.shipmentLineId, quantity: l.quantity })), id);
    const pending = await transition(tx, actor, returnRequestType, doc, 'submit');
    return startApproval(tx, actor, returnRequestType, pending);
  });
  return { returnRequest: await getReturn(db, actor, id), approved: outcome.approved };
}

export async function cancelReturn(db: Db, actor: Actor, id: number, input: { version: number; reason: string }) {
  await db.transaction(async (tx) => {
    const doc = await lockReturn(tx, actor, id, input.version);
    if (!['draft', 'pending_approval', 'approved'].includes(doc.status)) notInState(doc, actor, 'cancel');
    await tx.update(returnRequests).set({ cancelReason: input.reason.trim() }).where(eq(returnRequests.id, id));
    await transition(tx, actor, returnRequestType, doc, 'cancel', { comment: input.reason.trim() });
    await cancelApproval(tx, DOC_TYPE, id);
  });
  return getReturn(db, actor, id);
}

// ---- Receipt and inspection ---------------------------------------------------------------------

async function assertWarehouse(tx: Tx, warehouseId: number, kind: 'normal' | 'quarantine', path: string) {
  const [w] = rowsOf<{ kind: string; status: string }>(await tx.execute(sql`select kind, status from warehouses where id = ${warehouseId}`));
  if (!w || w.kind !== kind || w.status !== 'active') {
    throw new DomainError('VALIDATION_FAILED', {}, 422, [{ path, code: kind === 'quarantine' ? 'RETURN_WAREHOUSE_NOT_QUARANTINE' : 'RETURN_WAREHOUSE_NOT_NORMAL' }]);
  }
}

/** 退货收货: the goods come back into a quarantine warehouse; the order lines' returned quantities grow. */
export async function receiveReturn(db: Db, actor: Actor, id: number, input: { version: number; warehouseId: number; note?: string | null }, today = companyToday()) {
  await db.transaction(async (tx) => {
    const doc = await lockReturn(tx, actor, id, input.version);
    if (doc.status !== 'approved') notInState(doc, actor, 'receive');
    await assertWarehouse(tx, input.warehouseId, 'quarantine', 'warehouseId');
    await assertPeriodOpen(tx, today);
    const lines = await tx.select().from(returnLines).where(eq(returnLines.returnId, id)).orderBy(returnLines.id);
    await moveStock(
      tx,
      actor,
      { docType: DOC_TYPE, docId: doc.id, docNumber: doc.number },
      today,
      lines.map((l) => ({ warehouseId: input.warehouseId, batchId: l.batchId, productId: l.productId, kind: 'return' as const, quantity: l.quantity })),
    );
    for (const l of lines) {
      // A refund closes what came back, so the order does not wait for it again; an exchange reopens it.
      const closed = doc.resolution === 'refund' ? l.quantity : 0;
      await tx.execute(sql`update sales_order_lines set returned_qty = returned_qty + ${l.quantity}, closed_qty = closed_qty + ${closed} where id = ${l.orderLineId}`);
    }
    await tx.update(returnRequests).set({ receivedWarehouseId: input.warehouseId, receivedBy: actor.id, receivedAt: new Date() }).where(eq(returnRequests.id, id));
    await transition(tx, actor, returnRequestType, doc, 'receive', { comment: input.note?.trim() || null, data: { warehouseId: input.warehouseId, receivedOn: today } });
    await refreshOrderStatus(tx, doc.orderId);
  });
  return getReturn(db, actor, id);
}

export type InspectionInput = {
  version: number;
  lines: { returnLineId: number; result: InspectionResult; restockWarehouseId?: number | null; note?: string | null }[];
};

/** 质检: per line restock to a normal warehouse, keep in quarantine, or destroy; then completed. */
export async function inspectReturn(db: Db, actor: Actor, id: number, input: InspectionInput, today = companyToday()) {
  await db.transaction(async (tx) => {
    const doc = await lockReturn(tx, actor, id, input.version);
    if (doc.status !== 'received') notInState(doc, actor, 'complete');
    const lines = await tx.select().from(returnLines).where(eq(returnLines.returnId, id)).orderBy(returnLines.id);
    const decided = new Map(input.lines.map((l) => [l.returnLineId, l]));
    const missing = lines.findIndex((l) => !decided.has(l.id));
    if (missing >= 0 || decided.size !== lines.length || input.lines.length !== lines.length) {
      throw new DomainError('VALIDATION_FAILED', {}, 422, [{ path: 'lines', code: 'RETURN_INSPECTION_INCOMPLETE' }]);
    }
    await assertPeriodOpen(tx, today);
    const quarantine = doc.receivedWarehouseId!;
    const moves: StockMove[] = [];
    for (const [i, l] of lines.entries()) {
      const d = decided.get(l.id)!;
      if (d.result === 'restock') {
        if (!d.restockWarehouseId) throw new DomainError('VALIDATION_FAILED', {}, 422, [{ path: `lines.${i}.restockWarehouseId`, code: 'RETURN_RESTOCK_WAREHOUSE_REQUIRED' }]);
        await assertWarehouse(tx, d.restockWarehouseId, 'normal', `lines.${i}.restockWarehouseId`);
        moves.push({ warehouseId: quarantine, batchId: l.batchId, productId: l.productId, kind: 'transfer_out', quantity: -l.quantity });
        moves.push({ warehouseId: d.restockWarehouseId, batchId: l.batchId, productId: l.productId, kind: 'transfer_in', quantity: l.quantity });
      } else if (d.result === 'destroy') {
        moves.push({ warehouseId: quarantine, batchId: l.batchId, productId: l.productId, kind: 'destroy', quantity: -l.quantity, note: d.note?.trim() || null });
      }
      await tx
        .update(returnLines)
        .set({ inspectionResult: d.result, restockWarehouseId: d.result === 'restock' ? d.restockWarehouseId! : null, inspectionNote: d.note?.trim() || null })
        .where(eq(returnLines.id, l.id));
    }
    await moveStock(tx, actor, { docType: DOC_TYPE, docId: doc.id, docNumber: doc.number }, today, moves);
    await tx.update(returnRequests).set({ inspectedBy: actor.id, inspectedAt: new Date() }).where(eq(returnRequests.id, id));
    await transition(tx, actor, returnRequestType, doc, 'complete', { data: { lines: input.lines } });
  });
  return getReturn(db, actor, id);
}

/**
 * 换货: after receipt, reserves the returned quantities again (FEFO) and cuts an 'exchange' shipment
 * from those reservations; it is checked and dispatched like any other. Refused when stock is short.
 */
export async function createExchangeShipment(db: Db, actor: Actor, id: number, version: number, timeZone: string, today = companyToday()) {
  const shipmentId = await db.transaction(async (tx) => {
    const doc = await lockReturn(tx, actor, id, version);
    if (doc.resolution !== 'exchange') throw new DomainError('RETURN_NOT_EXCHANGE', {}, 409);
    if (doc.status !== 'received' && doc.status !== 'completed') throw new DomainError('RETURN_EXCHANGE_NOT_RECEIVED', {}, 409);
    if (doc.exchangeShipmentId) throw new DomainError('RETURN_EXCHANGE_EXISTS', {}, 409);
    const lines = await tx.select().from(returnLines).where(eq(returnLines.returnId, id)).orderBy(returnLines.id);
    const perLine = new Map<number, { productId: number; quantity: number }>();
    for (const l of lines) perLine.set(l.orderLineId, { productId: l.productId, quantity: (perLine.get(l.orderLineId)?.quantity ?? 0) + l.quantity });
    const picks = [];
    for (const [orderLineId, l] of perLine) {
      const allocations = await reserveFefo(tx, { orderLineId, productId: l.productId, quantity: l.quantity }, today);
      const got = allocations.reduce((n, a) => n + a.quantity, 0);
      if (got < l.quantity) throw new DomainError('RETURN_EXCHANGE_STOCK_SHORT', { available: got, requested: l.quantity }, 409);
      picks.push(...allocations.map((a) => ({ orderLineId, warehouseId: a.warehouseId, batchId: a.batchId, quantity: a.quantity })));
    }
    const ids = await writeShipments(tx, actor, { id: doc.orderId, customerId: doc.customerId }, picks, 'exchange', { notes: doc.number }, timeZone);
    await tx.update(returnRequests).set({ exchangeShipmentId: ids[0]!, version: doc.version + 1, updatedAt: new Date() }).where(eq(returnRequests.id, id));
    await recordEvent(tx, actor, DOC_TYPE, id, { kind: 'edit', data: { exchangeShipmentIds: ids } });
    await audit(tx, actor, { action: 'return_request.exchange_shipment', entity: DOC_TYPE, entityId: id, after: { exchangeShipmentIds: ids, picks } });
    return ids[0]!;
  });
  return { returnRequest: await getReturn(db, actor, id), shipmentId };
}

/** Shipment lines a return may still name, with what is left of each (the request form). */
export async function returnableLines(db: Queryable, actor: Actor, shipmentId: number) {
  const rows = rowsOf<Record<string, unknown>>(
    await db.execute(sql`select sl.id, s.number as shipment_number, s.status, p.generic_name as product_name, p.specification, p.package_unit, b.batch_no,
        b.expires_on::text as expires_on, sl.quantity,
        coalesce((select sum(rl.quantity) from return_lines rl join return_requests r on r.id = rl.return_id where rl.shipment_line_id = sl.id and r.status <> 'cancelled'), 0)::int as taken
      from shipment_lines sl join shipments s on s.id = sl.shipment_id join products p on p.id = sl.product_id join stock_batches b on b.id = sl.batch_id
      where s.id = ${shipmentId} and ${customerVisible(actor, sql`s.customer_id`)} order by sl.id`),
  );
  return rows.map((r) => ({
    shipmentLineId: Number(r.id),
    shipmentNumber: String(r.shipment_number),
    shipmentStatus: String(r.status),
    productName: String(r.product_name),
    specification: String(r.specification),
    packageUnit: String(r.package_unit),
    batchNo: String(r.batch_no),
    expiresOn: String(r.expires_on),
    shipped: Number(r.quantity),
    returnable: ['dispatched', 'delivered'].includes(String(r.status)) ? Number(r.quantity) - Number(r.taken) : 0,
  }));
}

/** Warehouses in use, for the receipt (quarantine) and restock (normal) choices. */
export async function activeWarehouses(db: Queryable) {
  return rowsOf<{ id: number; code: string; name: string; kind: string; cold_chain: boolean }>(
    await db.execute(sql`select id, code, name, kind, cold_chain from warehouses where status = 'active' order by kind, code`),
  ).map((w) => ({ id: w.id, code: w.code, name: w.name, kind: w.kind, coldChain: w.cold_chain }));
}
