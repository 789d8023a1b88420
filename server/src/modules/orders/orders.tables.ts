import { sql } from 'drizzle-orm';
import { bigint, boolean, check, date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { departments, users } from '../../kernel/access/access.tables.js';
import { customers } from '../customers/customers.tables.js';
import { products } from '../products/products.tables.js';

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(','));

/**
 * draft 草稿 → (submit: all checks pass) pending_review 待复核, or (a check failed) pending_approval 审批中
 * → approved → pending_review → (four-eyes review) released 已下达 (stock reserved FEFO) → partially_shipped
 * → shipped 已发货 (every line shipped or its back-order closed); cancelled 已取消 with a reason.
 * Whether the order is invoiced and paid is read from its lines and invoices, not kept as a status.
 */
export const ORDER_STATUSES = ['draft', 'pending_approval', 'pending_review', 'released', 'partially_shipped', 'shipped', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** How the order reached us: typed by the office from a phone call, fax or e-mail; by a rep; in the agent portal. */
export const ORDER_CHANNELS = ['phone', 'fax', 'email', 'rep', 'portal', 'other'] as const;
export type OrderChannel = (typeof ORDER_CHANNELS)[number];

export const ORDER_URGENCIES = ['normal', 'urgent'] as const;
export type OrderUrgency = (typeof ORDER_URGENCIES)[number];

/** What the checks at submission found (each one a reason for approval): see orders/order-checks.ts. */
export type OrderProblem = { code: string; lineNo?: number; params?: Record<string, unknown> };

export const salesOrders = pgTable(
  'sales_orders',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    number: text('number').notNull(),
    status: text('status').$type<OrderStatus>().notNull().default('draft'),
    customerId: integer('customer_id').notNull().references(() => customers.id),
    channel: text('channel').$type<OrderChannel>().notNull().default('phone'),
    /** The customer's owner when the order was entered: the rep credited with the sale. */
    ownerId: integer('owner_id').references(() => users.id),
    ownerDepartmentId: integer('owner_department_id').references(() => departments.id),
    enteredBy: integer('entered_by').notNull().references(() => users.id),
    orderDate: date('order_date', { mode: 'string' }).notNull(),
    requestedDeliveryOn: date('requested_delivery_on', { mode: 'string' }),
    urgency: text('urgency').$type<OrderUrgency>().notNull().default('normal'),
    /** Delivery requirements: may the goods be split over batches, custom packaging, anything else. */
    allowBatchSplit: boolean('allow_batch_split').notNull().default(true),
    packagingNote: text('packaging_note'),
    deliveryNote: text('delivery_note'),
    shipToAddress: text('ship_to_address'),
    shipToContact: text('ship_to_contact'),
    shipToPhone: text('ship_to_phone'),
    customerPoNumber: text('customer_po_number'),
    /** Sum of the lines' amounts (tax included), fen. */
    totalFen: bigint('total_fen', { mode: 'bigint' }).notNull().default(sql`0`),
    /** The checks' findings at the last submission; non-empty = 异常订单, sent to approval. */
    problems: jsonb('problems').$type<OrderProblem[]>().notNull().default([]),
    submittedBy: integer('submitted_by').references(() => users.id),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    reviewedBy: integer('reviewed_by').references(() => users.id),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    releasedAt: timestamp('released_at', { withTimezone: true }),
    cancelReason: text('cancel_reason'),
    cancelledBy: integer('cancelled_by').references(() => users.id),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    notes: text('notes'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('sales_orders_number_uq').on(t.number),
    index('sales_orders_customer_idx').on(t.customerId, t.orderDate),
    index('sales_orders_status_idx').on(t.status, t.orderDate),
    index('sales_orders_date_idx').on(t.orderDate, t.id),
    index('sales_orders_owner_idx').on(t.ownerId, t.orderDate),
    index('sales_orders_owner_department_idx').on(t.ownerDepartmentId),
    index('sales_orders_entered_by_idx').on(t.enteredBy),
    index('sales_orders_submitted_by_idx').on(t.submittedBy),
    index('sales_orders_reviewed_by_idx').on(t.reviewedBy),
    index('sales_orders_cancelled_by_idx').on(t.cancelledBy),
    check('sales_orders_status_chk', sql`${t.status} in (${inList(ORDER_STATUSES)})`),
    check('sales_orders_channel_chk', sql`${t.channel} in (${inList(ORDER_CHANNELS)})`),
    check('sales_orders_urgency_chk', sql`${t.urgency} in (${inList(ORDER_URGENCIES)})`),
    check('sales_orders_total_chk', sql`${t.totalFen} >= 0`),
    // 双人复核: whoever entered or submitted the order may not be the one who reviews it.
    check('sales_orders_four_eyes_chk', sql`${t.reviewedBy} is null or (${t.reviewedBy} <> ${t.enteredBy} and ${t.reviewedBy} <> coalesce(${t.submittedBy}, 0))`),
    check('sales_orders_cancel_chk', sql`${t.status} <> 'cancelled' or (${t.cancelReason} is not null and length(${t.cancelReason}) > 0)`),
  ],
);

/**
 * One product of an order. Prices are tax-inclusive unit prices in fen (China's drug prices are
 * quoted with VAT); amount = quantity × unit price − discount. The quantities below are running
 * totals kept by the stock ledger, shipping, returns and invoicing under the order's lock, and the
 * checks keep them consistent: never reserve or ship more than was ordered, never invoice more than shipped.
 */
export const salesOrderLines = pgTable(
  'sales_order_lines',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    orderId: integer('order_id').notNull().references(() => salesOrders.id, { onDelete: 'cascade' }),
    lineNo: integer('line_no').notNull(),
    productId: integer('product_id').notNull().references(() => products.id),
    quantity: integer('quantity').notNull(),
    /** The price list / contract price resolved for this customer (null when none applies). */
    listPriceFen: bigint('list_price_fen', { mode: 'bigint' }),
    /** Which rule gave the list price (price-resolution.ts), e.g. 'supply:customer'. */
    priceSource: text('price_source'),
    unitPriceFen: bigint('unit_price_fen', { mode: 'bigint' }).notNull(),
    /** Required when the unit price differs from the list price (and the order then needs approval). */
    priceOverrideReason: text('price_override_reason'),
    discountFen: bigint('discount_fen', { mode: 'bigint' }).notNull().default(sql`0`),
    amountFen: bigint('amount_fen', { mode: 'bigint' }).notNull(),
    /** VAT rate in basis points (1300 = 13 %), copied from the product when the line is written. */
    vatRateBp: integer('vat_rate_bp').notNull().default(1300),
    reservedQty: integer('reserved_qty').notNull().default(0),
    shippedQty: integer('shipped_qty').notNull().default(0),
    returnedQty: integer('returned_qty').notNull().default(0),
    /** Back-order closed without shipping (partial delivery accepted, or cancelled remainder). */
    closedQty: integer('closed_qty').notNull().default(0),
    /** Net of red-letter invoices. */
    invoicedQty: integer('invoiced_qty').notNull().default(0),
    notes: text('notes'),
  },
  (t) => [
    uniqueIndex('sales_order_lines_order_line_uq').on(t.orderId, t.lineNo),
    index('sales_order_lines_product_idx').on(t.productId),
    check('sales_order_lines_quantity_chk', sql`${t.quantity} > 0`),
    check('sales_order_lines_price_chk', sql`${t.unitPriceFen} >= 0 and (${t.listPriceFen} is null or ${t.listPriceFen} >= 0)`),
    check('sales_order_lines_discount_chk', sql`${t.discountFen} >= 0 and ${t.discountFen} <= ${t.quantity} * ${t.unitPriceFen}`),
    check('sales_order_lines_amount_chk', sql`${t.amountFen} = ${t.quantity} * ${t.unitPriceFen} - ${t.discountFen}`),
    check('sales_order_lines_vat_chk', sql`${t.vatRateBp} between 0 and 10000`),
    check('sales_order_lines_counts_chk', sql`${t.reservedQty} >= 0 and ${t.shippedQty} >= 0 and ${t.returnedQty} >= 0 and ${t.closedQty} >= 0 and ${t.invoicedQty} >= 0`),
    check('sales_order_lines_returned_chk', sql`${t.returnedQty} <= ${t.shippedQty}`),
    check('sales_order_lines_fulfilment_chk', sql`${t.reservedQty} + ${t.shippedQty} - ${t.returnedQty} + ${t.closedQty} <= ${t.quantity}`),
    check('sales_order_lines_invoiced_chk', sql`${t.invoicedQty} <= ${t.shippedQty}`),
  ],
);
