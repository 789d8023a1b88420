import { type SQL, and, count, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Actor } from '../../kernel/access/actor.js';
import { approvalTrail, cancelApproval, startApproval } from '../../kernel/approvals/approvals.service.js';
import { audit } from '../../kernel/audit/audit.js';
import { type Db, type Queryable, rowsOf, type Tx } from '../../kernel/db/client.js';
import { containsPattern } from '../../kernel/db/like.js';
import { type DocumentTypeDef, recordEvent, registerDocumentType, transition } from '../../kernel/documents/lifecycle.js';
import { nextDocumentNumber } from '../../kernel/documents/numbering.js';
import { DomainError, notFound, versionConflict } from '../../kernel/errors.js';
import { type Page, type PageQuery, orderByOf } from '../../kernel/http/paging.js';
import type { Locale } from '../../kernel/i18n.js';
import { customerScope, customerVisible } from '../customers/customers.scope.js';
import { customers } from '../customers/customers.tables.js';
import { type CreditStatus, creditStatus } from '../finance/credit.js';
import { assertPeriodOpen } from '../finance/periods.js';
import { resolvePrice } from '../products/price-resolution.js';
import { products } from '../products/products.tables.js';
import { availableStock, releaseReservations, reserveFefo } from '../stock/stock.ledger.js';
import { approvalFacts, checkOrder, hasShortage, needsApproval, problemMessage } from './order-checks.js';
import { refreshOrderStatus } from './order-fulfilment.js';
import { type OrderChannel, type OrderProblem, type OrderStatus, type OrderUrgency, salesOrderLines, salesOrders } from './orders.tables.js';

/**
 * 订单 (sales orders, DOMAIN.md flow 2 "order to cash"). Rules:
 * - Entered by the office or a rep (orders.write) for a customer in the actor's scope; everything of an
 *   order is visible exactly when its customer is (customerVisible).
 * - Lines are priced from the price list / contract (resolvePrice on the order date); a unit price other
 *   than the list price needs a reason. amount = quantity × unit price − discount (server side); the VAT
 *   rate is copied from the product. Editable while draft, with the version read.
 * - Submission runs the checks (order-checks.ts). No problem, or only a stock shortage: straight to the
 *   office review (pending_review). Otherwise 异常订单: pending_approval through the kernel flow
 *   (creditProblem → office lead, then finance; else office lead); approval → pending_review, rejection → draft.
 * - 双人复核: the review releases the order and may not be done by whoever entered or submitted it
 *   (ORDER_REVIEW_OWN; sales_orders_four_eyes_chk backs it). Release reserves stock FEFO per line inside
 *   the same transaction; what cannot be reserved stays back-ordered and "reserve again" retries.
 * - Cancel (reason required) while nothing has been shipped: reservations and a pending approval are released.
 *   Close back-order (partially shipped): the remainder becomes closed_qty, its reservations released.
 * - Lock order: the order row first, then the ledger locks balances (stock.ledger.ts).
 * - Every dated write (the order date) checks the period is open (finance/periods.ts).
 */
export const DOC_TYPE = 'sales_order';
export const ORDER_NUMBER_PATTERN = 'SO{yyyy}{mm}{dd}-{seq:4}';

export type Order = typeof salesOrders.$inferSelect;
export type OrderLineInput = {
  productId: number;
  quantity: number;
  unitPriceFen?: bigint | null;
  discountFen?: bigint | null;
  priceOverrideReason?: string | null;
  notes?: string | null;
};
export type OrderInput = {
  customerId: number;
  channel?: OrderChannel;
  orderDate?: string | null;
  requestedDeliveryOn?: string | null;
  urgency?: OrderUrgency;
  allowBatchSplit?: boolean;
  packagingNote?: string | null;
  deliveryNote?: string | null;
  shipToAddress?: string | null;
  shipToContact?: string | null;
  shipToPhone?: string | null;
  customerPoNumber?: string | null;
  notes?: string | null;
  lines: OrderLineInput[];
};

const visibleOrder = (actor: Actor): SQL => customerVisible(actor, salesOrders.customerId);
const loadOrder = async (db: Queryable, id: number) => (await db.select().from(salesOrders).where(eq(salesOrders.id, id)))[0] ?? null;

export const salesOrderType: DocumentTypeDef<Order> = registerDocumentType<Order>({
  type: DOC_TYPE,
  name: { 'zh-CN': '销售订单', 'en-US': 'Sales order' },
  numberPattern: ORDER_NUMBER_PATTERN,
  table: salesOrders,
  states: {
    draft: { 'zh-CN': '草稿', 'en-US': 'Draft' },
    pending_approval: { 'zh-CN': '审批中', 'en-US': 'Pending approval' },
    pending_review: { 'zh-CN': '待复核', 'en-US': 'Pending review' },
    released: { 'zh-CN': '已下达', 'en-US': 'Released' },
    partially_shipped: { 'zh-CN': '部分发货', 'en-US': 'Partially shipped' },
    shipped: { 'zh-CN': '已发货', 'en-US': 'Shipped' },
    cancelled: { 'zh-CN': '已取消', 'en-US': 'Cancelled' },
  },
  transitions: {
    submit: { from: ['draft'], to: 'pending_review', label: { 'zh-CN': '提交', 'en-US': 'Submit' } },
    submit_for_approval: { from: ['draft'], to: 'pending_approval', label: { 'zh-CN': '提交（异常订单审批）', 'en-US': 'Submit for approval (exceptions)' } },
    approve: { from: ['pending_approval'], to: 'pending_review', label: { 'zh-CN': '审批通过', 'en-US': 'Approve' }, system: true },
    reject: { from: ['pending_approval'], to: 'draft', label: { 'zh-CN': '驳回', 'en-US': 'Reject' }, system: true },
    review: { from: ['pending_review'], to: 'released', label: { 'zh-CN': '复核下达', 'en-US': 'Review and release' }, guard: (actor) => actor.permissions.has('orders.review') },
    cancel: { from: ['draft', 'pending_approval', 'pending_review', 'released'], to: 'cancelled', label: { 'zh-CN': '取消', 'en-US': 'Cancel' } },
  },
  load: loadOrder,
  loadVisible: async (db, actor, id) => (await db.select().from(salesOrders).where(and(eq(salesOrders.id, id), visibleOrder(actor))))[0] ?? null,
  summaries: async (db, ids) =>
    ids.length === 0
      ? []
      : (
          await db
            .select({ id: salesOrders.id, number: salesOrders.number, customer: customers.name, totalFen: salesOrders.totalFen })
            .from(salesOrders)
            .innerJoin(customers, eq(customers.id, salesOrders.customerId))
            .where(inArray(salesOrders.id, ids))
        ).map((r) => ({ id: r.id, number: r.number, title: `${r.customer} ¥${(Number(r.totalFen) / 100).toFixed(2)}` })),
  facts: (doc) => approvalFacts(doc.problems, doc.totalFen),
  link: (id) => `/orders/${id}`,
});

// ---- Pricing the lines ---------------------------------------------------------------------------

type PricedLine = {
  lineNo: number;
  productId: number;
  quantity: number;
  listPriceFen: bigint | null;
  priceSource: string | null;
  unitPriceFen: bigint;
  priceOverrideReason: string | null;
  discountFen: bigint;
  amountFen: bigint;
  vatRateBp: number;
  notes: string | null;
};

const invalid = (path: string, code: string, params: Record<string, unknown> = {}) => new DomainError('VALIDATION_FAILED', {}, 422, [{ path, code, params }]);

async function priceLines(db: Queryable, customerId: number, orderDate: string, lines: OrderLineInput[]): Promise<PricedLine[]> {
  if (lines.length === 0) throw invalid('lines', 'ORDER_LINES_REQUIRED');
  const ids = [...new Set(lines.map((l) => l.productId))];
  const rows = await db.select({ id: products.id, vatRateBp: products.vatRateBp }).from(products).where(inArray(products.id, ids));
  const vatOf = new Map(rows.map((r) => [r.id, r.vatRateBp]));
  const priced: PricedLine[] = [];
  for (const [i, l] of lines.entries()) {
    if (!vatOf.has(l.productId)) throw invalid(`lines.${i}.productId`, 'ORDER_PRODUCT_UNKNOWN');
    if (!Number.isInteger(l.quantity) || l.quantity <= 0) throw invalid(`lines.${i}.quantity`, 'ORDER_QUANTITY_INVALID');
    const resolved = await resolvePrice(db, { customerId, productId: l.productId, on: orderDate });
    const listPriceFen = resolved.found ? resolved.amountFen : null;
    const unitPriceFen = l.unitPriceFen ?? listPriceFen;
    if (unitPriceFen === null || unitPriceFen === undefined) throw invalid(`lines.${i}.unitPriceFen`, 'ORDER_PRICE_REQUIRED');
    const reason = l.priceOverrideReason?.trim() || null;
    if (unitPriceFen !== listPriceFen && !reason) {
      throw new DomainError('ORDER_PRICE_OVERRIDE_REASON_REQUIRED', { line: i + 1 }, 422, [{ path: `lines.${i}.priceOverrideReason`, code: 'ORDER_PRICE_OVERRIDE_REASON_REQUIRED', params: { line: i + 1 } }]);
    }
    const discountFen = l.discountFen ?? 0n;
    const gross = BigInt(l.quantity) * unitPriceFen;
    if (discountFen < 0n || discountFen > gross) throw invalid(`lines.${i}.discountFen`, 'ORDER_DISCOUNT_INVALID');
    priced.push({
      lineNo: i + 1,
      productId: l.productId,
      quantity: l.quantity,
      listPriceFen,
      priceSource: resolved.source ? `${resolved.source.kind}:${resolved.source.rule}` : null,
      unitPriceFen,
      priceOverrideReason: unitPriceFen === listPriceFen ? null : reason,
      discountFen,
      amountFen: gross - discountFen,
      vatRateBp: vatOf.get(l.productId)!,
      notes: l.notes?.trim() || null,
    });
  }
  return priced;
}

async function visibleCustomer(db: Queryable, actor: Actor, customerId: number) {
  const [c] = await db
    .select({ id: customers.id, ownerId: customers.ownerId, ownerDepartmentId: customers.ownerDepartmentId, address: customers.address, phone: customers.phone, status: customers.status })
    .from(customers)
    .where(and(eq(customers.id, customerId), customerScope(actor)));
  if (!c) throw new DomainError('VALIDATION_FAILED', {}, 422, [{ path: 'customerId', code: 'ORDER_CUSTOMER_NOT_VISIBLE' }]);
  return c;
}

function headerOf(input: OrderInput, customer: { address: string | null; phone: string | null }, orderDate: string) {
  if (input.requestedDeliveryOn && input.requestedDeliveryOn < orderDate) throw invalid('requestedDeliveryOn', 'ORDER_DELIVERY_BEFORE_ORDER');
  const text = (v: string | null | undefined) => v?.trim() || null;
  return {
    channel: input.channel ?? 'phone',
    orderDate,
    requestedDeliveryOn: input.requestedDeliveryOn ?? null,
    urgency: input.urgency ?? 'normal',
    allowBatchSplit: input.allowBatchSplit ?? true,
    packagingNote: text(input.packagingNote),
    deliveryNote: text(input.deliveryNote),
    // Ship-to defaults from the customer's address and phone when not given.
    shipToAddress: input.shipToAddress === undefined ? customer.address : text(input.shipToAddress),
    shipToContact: text(input.shipToContact),
    shipToPhone: input.shipToPhone === undefined ? customer.phone : text(input.shipToPhone),
    customerPoNumber: text(input.customerPoNumber),
    notes: text(input.notes),
  };
}

async function writeLines(tx: Tx, orderId: number, lines: PricedLine[]) {
  await tx.delete(salesOrderLines).where(eq(salesOrderLines.orderId, orderId));
  await tx.insert(salesOrderLines).values(lines.map((l) => ({ ...l, orderId })));
}

// ---- Entry ---------------------------------------------------------------------------------------

export async function createOrder(db: Db, actor: Actor, input: OrderInput, today: string, timeZone: string): Promise<number> {
  return db.transaction(async (tx) => {
    const customer = await visibleCustomer(tx, actor, input.customerId);
    const orderDate = input.orderDate ?? today;
    await assertPeriodOpen(tx, orderDate);
    const lines = await priceLines(tx, input.customerId, orderDate, input.lines);
    const number = await nextDocumentNumber(tx, DOC_TYPE, ORDER_NUMBER_PATTERN, new Date(`${orderDate}T12:00:00Z`), timeZone);
    const [row] = await tx
      .insert(salesOrders)
      .values({
        ...headerOf(input, customer, orderDate),
        number,
        customerId: input.customerId,
        ownerId: customer.ownerId,
        ownerDepartmentId: customer.ownerDepartmentId,
        enteredBy: actor.id,
        totalFen: lines.reduce((s, l) => s + l.amountFen, 0n),
      })
      .returning();
    await writeLines(tx, row!.id, lines);
    await recordEvent(tx, actor, DOC_TYPE, row!.id, { kind: 'created' });
    await audit(tx, actor, { action: 'sales_order.created', entity: DOC_TYPE, entityId: row!.id, after: { ...row, lines } });
    return row!.id;
  });
}

/** The order row locked FOR UPDATE, if the actor may see it (404 otherwise). Lock it before the ledger. */
async function lockOrder(tx: Tx, actor: Actor, id: number, version?: number): Promise<Order> {
  const [row] = await tx.select().from(salesOrders).where(and(eq(salesOrders.id, id), visibleOrder(actor))).for('update');
  if (!row) throw notFound();
  if (version !== undefined && row.version !== version) throw versionConflict();
  return row;
}

export async function updateOrder(db: Db, actor: Actor, id: number, input: OrderInput & { version: number }): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await lockOrder(tx, actor, id, input.version);
    if (before.status !== 'draft') throw new DomainError('DOCUMENT_NOT_EDITABLE', {}, 409);
    const customer = await visibleCustomer(tx, actor, input.customerId);
    const orderDate = input.orderDate ?? before.orderDate;
    await assertPeriodOpen(tx, before.orderDate, orderDate);
    const lines = await priceLines(tx, input.customerId, orderDate, input.lines);
    const [after] = await tx
      .update(salesOrders)
      .set({
        ...headerOf(input, customer, orderDate),
        customerId: input.customerId,
        ownerId: customer.ownerId,
        ownerDepartmentId: customer.ownerDepartmentId,
        totalFen: lines.reduce((s, l) => s + l.amountFen, 0n),
        problems: [],
        version: before.version + 1,
        updatedAt: new Date(),
      })
      .where(eq(salesOrders.id, id))
      .returning();
    await writeLines(tx, id, lines);
    await recordEvent(tx, actor, DOC_TYPE, id, { kind: 'edit' });
    await audit(tx, actor, { action: 'sales_order.updated', entity: DOC_TYPE, entityId: id, before, after: { ...after, lines } });
  });
}

// ---- Submission, approval, review ----------------------------------------------------------------

async function linesOf(db: Queryable, orderId: number) {
  return db.select().from(salesOrderLines).where(eq(salesOrderLines.orderId, orderId)).orderBy(salesOrderLines.lineNo);
}

export type SubmitResult = { status: OrderStatus; problems: OrderProblem[]; approvalStarted: boolean };

export async function submitOrder(db: Db, actor: Actor, id: number, version: number, today: string): Promise<SubmitResult> {
  return db.transaction(async (tx) => {
    const doc = await lockOrder(tx, actor, id, version);
    if (doc.status !== 'draft') throw new DomainError('TRANSITION_NOT_ALLOWED', { transition: salesOrderType.transitions.submit!.label[actor.locale], state: salesOrderType.states[doc.status]![actor.locale] }, 409);
    await assertPeriodOpen(tx, doc.orderDate);
    // One submission per customer at a time: two orders checked at once could each fit the credit limit alone.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'sales_order_credit:' + doc.customerId}))`);
    const lines = await linesOf(tx, id);
    const problems = await checkOrder(tx, { ...doc, lines }, today);
    await tx.update(salesOrders).set({ problems, submittedBy: actor.id, submittedAt: new Date() }).where(eq(salesOrders.id, id));
    const checked: Order = { ...doc, problems, submittedBy: actor.id };
    if (!needsApproval(problems)) {
      const next = await transition(tx, actor, salesOrderType, checked, 'submit', { data: { problems } });
      return { status: next.status as OrderStatus, problems, approvalStarted: false };
    }
    const pending = await transition(tx, actor, salesOrderType, checked, 'submit_for_approval', { data: { problems } });
    const outcome = await startApproval(tx, actor, salesOrderType, pending);
    return { status: outcome.doc.status as OrderStatus, problems, approvalStarted: !outcome.approved };
  });
}

/** Reserves FEFO what each line still lacks (quantity − reserved − net shipped − closed). Caller holds the order lock. */
async function reserveOpenLines(tx: Tx, order: Order, today: string): Promise<number> {
  let reserved = 0;
  for (const l of await linesOf(tx, order.id)) {
    const open = l.quantity - l.reservedQty - (l.shippedQty - l.returnedQty) - l.closedQty;
    if (open <= 0) continue;
    const allocations = await reserveFefo(tx, { orderLineId: l.id, productId: l.productId, quantity: open }, today, { allowSplit: order.allowBatchSplit });
    reserved += allocations.reduce((s, a) => s + a.quantity, 0);
  }
  return reserved;
}

export async function reviewOrder(db: Db, actor: Actor, id: number, version: number, comment: string | null, today: string): Promise<void> {
  await db.transaction(async (tx) => {
    const doc = await lockOrder(tx, actor, id, version);
    if (doc.status === 'pending_review' && (doc.enteredBy === actor.id || doc.submittedBy === actor.id)) throw new DomainError('ORDER_REVIEW_OWN', {}, 409);
    const released = await transition(tx, actor, salesOrderType, doc, 'review', { comment });
    // The four-eyes CHECK on the row refuses a reviewer who entered or submitted the order, whatever the code above does.
    await tx.update(salesOrders).set({ reviewedBy: actor.id, reviewedAt: new Date(), releasedAt: new Date() }).where(eq(salesOrders.id, id));
    const reserved = await reserveOpenLines(tx, released, today);
    await audit(tx, actor, { action: 'sales_order.reserved', entity: DOC_TYPE, entityId: id, after: { reserved } });
  });
}

/** 再次备货: retries the reservation of back-ordered quantities once stock has arrived. */
export async function reserveAgain(db: Db, actor: Actor, id: number, version: number, today: string): Promise<{ reserved: number }> {
  return db.transaction(async (tx) => {
    const doc = await lockOrder(tx, actor, id, version);
    if (!['released', 'partially_shipped'].includes(doc.status)) throw new DomainError('ORDER_NOT_RELEASED', {}, 409);
    const reserved = await reserveOpenLines(tx, doc, today);
    await tx.update(salesOrders).set({ version: doc.version + 1, updatedAt: new Date() }).where(eq(salesOrders.id, id));
    await recordEvent(tx, actor, DOC_TYPE, id, { kind: 'transition', transition: 'reserve', data: { reserved } });
    await audit(tx, actor, { action: 'sales_order.reserved', entity: DOC_TYPE, entityId: id, after: { reserved } });
    return { reserved };
  });
}

/** The back-office job: every released / partially shipped order with open quantities, oldest first. */
export async function reserveBackorders(db: Db, actor: Actor, today: string): Promise<number> {
  const ids = rowsOf<{ id: number }>(
    await db.execute(sql`select distinct o.id from sales_orders o join sales_order_lines l on l.order_id = o.id
      where o.status in ('released', 'partially_shipped') and l.quantity - l.reserved_qty - (l.shipped_qty - l.returned_qty) - l.closed_qty > 0
      order by o.id`),
  );
  let total = 0;
  for (const { id } of ids) {
    total += await db.transaction(async (tx) => {
      const doc = await lockOrder(tx, actor, id);
      if (!['released', 'partially_shipped'].includes(doc.status)) return 0;
      const reserved = await reserveOpenLines(tx, doc, today);
      if (reserved > 0) await audit(tx, actor, { action: 'sales_order.reserved', entity: DOC_TYPE, entityId: id, after: { reserved, job: true } });
      return reserved;
    });
  }
  return total;
}

export async function cancelOrder(db: Db, actor: Actor, id: number, version: number, reason: string): Promise<void> {
  await db.transaction(async (tx) => {
    const doc = await lockOrder(tx, actor, id, version);
    const lines = await linesOf(tx, id);
    if (lines.some((l) => l.shippedQty > 0)) throw new DomainError('ORDER_ALREADY_SHIPPED', {}, 409);
    if (!reason.trim()) throw invalid('reason', 'ORDER_CANCEL_REASON_REQUIRED');
    await tx.update(salesOrders).set({ cancelReason: reason.trim(), cancelledBy: actor.id, cancelledAt: new Date() }).where(eq(salesOrders.id, id));
    await transition(tx, actor, salesOrderType, doc, 'cancel', { comment: reason.trim() });
    for (const l of lines) if (l.reservedQty > 0) await releaseReservations(tx, l.id);
    if (doc.status === 'pending_approval') await cancelApproval(tx, DOC_TYPE, id);
  });
}

/** 关闭欠货: the customer accepts the partial delivery; what is not shipped is closed and its stock freed. */
export async function closeBackorder(db: Db, actor: Actor, id: number, version: number, reason: string): Promise<void> {
  await db.transaction(async (tx) => {
    const doc = await lockOrder(tx, actor, id, version);
    if (doc.status !== 'partially_shipped') throw new DomainError('ORDER_NOT_PARTIALLY_SHIPPED', {}, 409);
    if (!reason.trim()) throw invalid('reason', 'ORDER_CLOSE_REASON_REQUIRED');
    const closed: { lineNo: number; quantity: number }[] = [];
    for (const l of await linesOf(tx, id)) {
      const released = l.reservedQty > 0 ? await releaseReservations(tx, l.id) : 0;
      const rest = l.quantity - (l.reservedQty - released) - (l.shippedQty - l.returnedQty) - l.closedQty;
      if (rest <= 0) continue;
      await tx.update(salesOrderLines).set({ closedQty: sql`${salesOrderLines.closedQty} + ${rest}` }).where(eq(salesOrderLines.id, l.id));
      closed.push({ lineNo: l.lineNo, quantity: rest });
    }
    await tx.update(salesOrders).set({ version: doc.version + 1, updatedAt: new Date() }).where(eq(salesOrders.id, id));
    const status = await refreshOrderStatus(tx, id);
    await recordEvent(tx, actor, DOC_TYPE, id, { kind: 'transition', transition: 'close_backorder', fromState: doc.status, toState: status, comment: reason.trim(), data: { closed } });
    await audit(tx, actor, { action: 'sales_order.close_backorder', entity: DOC_TYPE, entityId: id, before: { status: doc.status }, after: { status, closed, reason: reason.trim() } });
  });
}

// ---- Reading -------------------------------------------------------------------------------------

const rowColumns = {
  o: salesOrders,
  customerName: sql<string>`(select c.name from customers c where c.id = ${salesOrders.customerId})`,
  customerCode: sql<string>`(select c.code from customers c where c.id = ${salesOrders.customerId})`,
  ownerName: sql<string | null>`(select u.display_name from users u where u.id = ${salesOrders.ownerId})`,
  enteredByName: sql<string>`(select u.display_name from users u where u.id = ${salesOrders.enteredBy})`,
  submittedByName: sql<string | null>`(select u.display_name from users u where u.id = ${salesOrders.submittedBy})`,
  reviewedByName: sql<string | null>`(select u.display_name from users u where u.id = ${salesOrders.reviewedBy})`,
};
type RawRow = { o: Order; customerName: string; customerCode: string; ownerName: string | null; enteredByName: string; submittedByName: string | null; reviewedByName: string | null };

export type OrderRow = Omit<Order, 'problems' | 'totalFen'> & Omit<RawRow, 'o'> & {
  totalFen: string;
  problems: (OrderProblem & { message: string })[];
  abnormal: boolean;
  shortage: boolean;
};
const flatten = (r: RawRow, locale: Locale): OrderRow => ({
  ...r.o,
  totalFen: r.o.totalFen.toString(),
  customerName: r.customerName,
  customerCode: r.customerCode,
  ownerName: r.ownerName,
  enteredByName: r.enteredByName,
  submittedByName: r.submittedByName,
  reviewedByName: r.reviewedByName,
  problems: r.o.problems.map((p) => ({ ...p, message: problemMessage(p, locale) })),
  abnormal: needsApproval(r.o.problems),
  shortage: hasShortage(r.o.problems),
});

export type OrderFilter = {
  status?: OrderStatus[];
  customerId?: number;
  ownerId?: number;
  from?: string;
  to?: string;
  urgency?: OrderUrgency;
  abnormal?: boolean;
  q?: string;
};

/** Abnormal = a problem other than a stock shortage (jsonb; the list filter). */
const abnormalSql = sql`exists (select 1 from jsonb_array_elements(${salesOrders.problems}) p where p->>'code' <> 'stock_short')`;

export async function listOrders(db: Queryable, actor: Actor, filter: OrderFilter, page: PageQuery): Promise<Page<OrderRow>> {
  const where = and(
    visibleOrder(actor),
    filter.status?.length ? inArray(salesOrders.status, filter.status) : undefined,
    filter.customerId ? eq(salesOrders.customerId, filter.customerId) : undefined,
    filter.ownerId ? eq(salesOrders.ownerId, filter.ownerId) : undefined,
    filter.from ? sql`${salesOrders.orderDate} >= ${filter.from}::date` : undefined,
    filter.to ? sql`${salesOrders.orderDate} <= ${filter.to}::date` : undefined,
    filter.urgency ? eq(salesOrders.urgency, filter.urgency) : undefined,
    filter.abnormal === true ? abnormalSql : filter.abnormal === false ? sql`not ${abnormalSql}` : undefined,
    filter.q
      ? sql`(${salesOrders.number} ilike ${containsPattern(filter.q)} or ${salesOrders.customerPoNumber} ilike ${containsPattern(filter.q)}
          or exists (select 1 from customers c where c.id = ${salesOrders.customerId} and (c.name ilike ${containsPattern(filter.q)} or c.search_text like ${containsPattern(filter.q.toLowerCase())} or c.code ilike ${containsPattern(filter.q)})))`
      : undefined,
  );
  const order = orderByOf(
    page.sort,
    { number: salesOrders.number, orderDate: salesOrders.orderDate, totalFen: salesOrders.totalFen, status: salesOrders.status, createdAt: salesOrders.createdAt, submittedAt: salesOrders.submittedAt, requestedDeliveryOn: salesOrders.requestedDeliveryOn },
    [desc(salesOrders.id)],
  );
  const [[{ n }], rows] = await Promise.all([
    db.select({ n: count() }).from(salesOrders).where(where),
    db.select(rowColumns).from(salesOrders).where(where).orderBy(...order).limit(page.pageSize).offset((page.page - 1) * page.pageSize),
  ]);
  return { items: rows.map((r) => flatten(r, actor.locale)), total: Number(n), page: page.page, pageSize: page.pageSize };
}

export type OrderLineRow = typeof salesOrderLines.$inferSelect & {
  productCode: string;
  productName: string;
  specification: string;
  packageUnit: string;
  manufacturer: string;
  coldChain: boolean;
};
export type ReservationRow = { orderLineId: number; lineNo: number; productName: string; warehouseId: number; warehouseName: string; batchId: number; batchNo: string; expiresOn: string; quantity: number };

export async function getOrder(db: Queryable, actor: Actor, id: number, today: string) {
  const [row] = await db.select(rowColumns).from(salesOrders).where(and(eq(salesOrders.id, id), visibleOrder(actor)));
  if (!row) throw notFound();
  const lines = rowsOf<Record<string, unknown>>(
    await db.execute(sql`select l.id, l.line_no, l.product_id, l.quantity, l.list_price_fen::text, l.price_source, l.unit_price_fen::text, l.price_override_reason,
        l.discount_fen::text, l.amount_fen::text, l.vat_rate_bp, l.reserved_qty, l.shipped_qty, l.returned_qty, l.closed_qty, l.invoiced_qty, l.notes,
        p.code as product_code, p.generic_name || coalesce('（' || p.trade_name || '）', '') as product_name, p.specification, p.package_unit, p.manufacturer,
        p.storage_condition = 'cold_chain' as cold_chain
      from sales_order_lines l join products p on p.id = l.product_id where l.order_id = ${id} order by l.line_no`),
  ).map((l) => ({
    id: l.id as number,
    lineNo: l.line_no as number,
    productId: l.product_id as number,
    quantity: l.quantity as number,
    listPriceFen: (l.list_price_fen as string | null) ?? null,
    priceSource: l.price_source as string | null,
    unitPriceFen: l.unit_price_fen as string,
    priceOverrideReason: l.price_override_reason as string | null,
    discountFen: l.discount_fen as string,
    amountFen: l.amount_fen as string,
    vatRateBp: l.vat_rate_bp as number,
    reservedQty: l.reserved_qty as number,
    shippedQty: l.shipped_qty as number,
    returnedQty: l.returned_qty as number,
    closedQty: l.closed_qty as number,
    invoicedQty: l.invoiced_qty as number,
    backorderQty: Math.max(0, (l.quantity as number) - (l.reserved_qty as number) - ((l.shipped_qty as number) - (l.returned_qty as number)) - (l.closed_qty as number)),
    notes: l.notes as string | null,
    productCode: l.product_code as string,
    productName: l.product_name as string,
    specification: l.specification as string,
    packageUnit: l.package_unit as string,
    manufacturer: l.manufacturer as string,
    coldChain: Boolean(l.cold_chain),
  }));
  const reservations = rowsOf<{ order_line_id: number; line_no: number; product_name: string; warehouse_id: number; warehouse_name: string; batch_id: number; batch_no: string; expires_on: string; quantity: number }>(
    await db.execute(sql`select r.order_line_id, l.line_no, p.generic_name || ' ' || p.specification as product_name, r.warehouse_id, w.name as warehouse_name,
        r.batch_id, b.batch_no, b.expires_on::text as expires_on, r.quantity
      from stock_reservations r join sales_order_lines l on l.id = r.order_line_id join stock_batches b on b.id = r.batch_id
        join warehouses w on w.id = r.warehouse_id join products p on p.id = r.product_id
      where l.order_id = ${id} order by l.line_no, b.expires_on, r.id`),
  ).map((r): ReservationRow => ({
    orderLineId: r.order_line_id,
    lineNo: r.line_no,
    productName: r.product_name,
    warehouseId: r.warehouse_id,
    warehouseName: r.warehouse_name,
    batchId: r.batch_id,
    batchNo: r.batch_no,
    expiresOn: r.expires_on,
    quantity: Number(r.quantity),
  }));
  const trail = await approvalTrail(db, DOC_TYPE, id);
  const credit = (await creditStatus(db, [row.o.customerId], today)).get(row.o.customerId);
  // The order page offers review only to someone else than who entered or submitted the order.
  const mayReview = actor.permissions.has('orders.review') && row.o.status === 'pending_review' && row.o.enteredBy !== actor.id && row.o.submittedBy !== actor.id;
  return { ...flatten(row, actor.locale), lines, reservations, approvals: trail, credit: credit ? creditOut(credit) : null, mayReview };
}

export const creditOut = (c: CreditStatus) => ({
  limitFen: c.limitFen.toString(),
  paymentTermsDays: c.paymentTermsDays,
  receivableFen: c.receivableFen.toString(),
  uninvoicedFen: c.uninvoicedFen.toString(),
  exposureFen: c.exposureFen.toString(),
  availableFen: c.availableFen.toString(),
  overdueFen: c.overdueFen.toString(),
  oldestOverdueDays: c.oldestOverdueDays,
});

/** The customer's last price of each product (latest order past draft, not cancelled): for the entry form. */
export async function lastPrices(db: Queryable, actor: Actor, customerId: number, productIds: number[]) {
  if (productIds.length === 0) return [];
  const [c] = await db.select({ id: customers.id }).from(customers).where(and(eq(customers.id, customerId), customerScope(actor)));
  if (!c) throw notFound();
  const rows = rowsOf<{ product_id: number; unit_price_fen: string; discount_fen: string; quantity: number; order_date: string; order_id: number; number: string }>(
    await db.execute(sql`select distinct on (l.product_id) l.product_id, l.unit_price_fen::text, l.discount_fen::text, l.quantity, o.order_date::text as order_date, o.id as order_id, o.number
      from sales_order_lines l join sales_orders o on o.id = l.order_id
      where o.customer_id = ${customerId} and o.status not in ('draft', 'cancelled')
        and l.product_id = any(${sql`array[${sql.join(productIds.map((p) => sql`${p}`), sql`, `)}]::int[]`})
      order by l.product_id, o.order_date desc, o.id desc`),
  );
  return rows.map((r) => ({ productId: r.product_id, unitPriceFen: r.unit_price_fen, discountFen: r.discount_fen, quantity: r.quantity, orderDate: r.order_date, orderId: r.order_id, orderNumber: r.number }));
}

/** What the entry form shows beside the lines: list price, last price, available stock, and the customer's credit. */
export async function entryContext(db: Queryable, actor: Actor, customerId: number, productIds: number[], on: string, today: string) {
  const [c] = await db
    .select({ id: customers.id, address: customers.address, phone: customers.phone, qualificationState: customers.qualificationState, status: customers.status })
    .from(customers)
    .where(and(eq(customers.id, customerId), customerScope(actor)));
  if (!c) throw notFound();
  const ids = [...new Set(productIds)];
  const [credit, stock, last] = [await creditStatus(db, [customerId], today), await availableStock(db, ids, today), await lastPrices(db, actor, customerId, ids)];
  const vat = ids.length ? await db.select({ id: products.id, vatRateBp: products.vatRateBp, status: products.status }).from(products).where(inArray(products.id, ids)) : [];
  const items = [];
  for (const productId of ids) {
    const price = await resolvePrice(db, { customerId, productId, on });
    const p = vat.find((v) => v.id === productId);
    items.push({
      productId,
      listPriceFen: price.found && price.amountFen !== null ? price.amountFen.toString() : null,
      priceSource: price.source ? `${price.source.kind}:${price.source.rule}` : null,
      available: stock.get(productId) ?? 0,
      vatRateBp: p?.vatRateBp ?? 1300,
      active: p?.status === 'active',
      last: last.find((l) => l.productId === productId) ?? null,
    });
  }
  const cs = credit.get(customerId);
  return {
    customer: { id: c.id, shipToAddress: c.address, shipToPhone: c.phone, qualificationState: c.qualificationState, status: c.status },
    credit: cs ? creditOut(cs) : null,
    products: items,
  };
}
