import { sql } from 'drizzle-orm';
import { type AnyPgColumn, bigint, check, date, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from '../../kernel/access/access.tables.js';
import { customers } from '../customers/customers.tables.js';
import { products } from '../products/products.tables.js';
import { salesOrderLines, salesOrders } from '../orders/orders.tables.js';
import { returnRequests } from '../returns/returns.tables.js';

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(','));

/** blue 蓝字发票 (a sale); red 红字发票 (a credit for a return or a correction, amounts negative). */
export const INVOICE_KINDS = ['blue', 'red'] as const;
export type InvoiceKind = (typeof INVOICE_KINDS)[number];
/** special 增值税专用发票 (专票), normal 增值税普通发票 (普票). */
export const INVOICE_TYPES = ['special', 'normal'] as const;
export type InvoiceType = (typeof INVOICE_TYPES)[number];
/** draft 待开 → issued 已开 (tax number and date entered or imported); cancelled 作废 (before issue only). */
export const INVOICE_STATUSES = ['draft', 'issued', 'cancelled'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/**
 * 发票. Amounts are tax-inclusive fen, signed (red invoices negative). A blue invoice is settled by
 * receipts (paid_fen) and by red invoices written against it (credited_fen); what is left is open
 * and ages from due_on (issue date + the customer's 账期). A red invoice's credited_fen is how much
 * of it was set against blue invoices; the rest is a credit the customer holds.
 * Invariant (tested): for every customer, Σ invoice amounts − Σ receipts = Σ open blue − Σ open red credit − unapplied cash.
 */
export const invoices = pgTable(
  'invoices',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    number: text('number').notNull(),
    kind: text('kind').$type<InvoiceKind>().notNull().default('blue'),
    invoiceType: text('invoice_type').$type<InvoiceType>().notNull().default('special'),
    status: text('status').$type<InvoiceStatus>().notNull().default('draft'),
    customerId: integer('customer_id').notNull().references(() => customers.id),
    /** Set when every line is of one order (the usual case); null for an invoice over several orders. */
    orderId: integer('order_id').references(() => salesOrders.id),
    originalInvoiceId: integer('original_invoice_id').references((): AnyPgColumn => invoices.id),
    returnId: integer('return_id').references(() => returnRequests.id),
    /** 发票代码 / 发票号码 from the tax system (全电发票 have only a 20-digit number). */
    taxInvoiceCode: text('tax_invoice_code'),
    taxInvoiceNo: text('tax_invoice_no'),
    issuedOn: date('issued_on', { mode: 'string' }),
    dueOn: date('due_on', { mode: 'string' }),
    amountFen: bigint('amount_fen', { mode: 'bigint' }).notNull(),
    taxFen: bigint('tax_fen', { mode: 'bigint' }).notNull(),
    paidFen: bigint('paid_fen', { mode: 'bigint' }).notNull().default(sql`0`),
    creditedFen: bigint('credited_fen', { mode: 'bigint' }).notNull().default(sql`0`),
    reason: text('reason'),
    createdBy: integer('created_by').notNull().references(() => users.id),
    issuedBy: integer('issued_by').references(() => users.id),
    notes: text('notes'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('invoices_number_uq').on(t.number),
    uniqueIndex('invoices_tax_number_uq').on(sql`coalesce(${t.taxInvoiceCode}, '')`, t.taxInvoiceNo).where(sql`${t.taxInvoiceNo} is not null and ${t.status} <> 'cancelled'`),
    index('invoices_customer_idx').on(t.customerId, t.issuedOn),
    index('invoices_status_idx').on(t.status, t.issuedOn),
    index('invoices_open_due_idx').on(t.customerId, t.dueOn).where(sql`${t.status} = 'issued' and ${t.kind} = 'blue' and ${t.amountFen} > ${t.paidFen} + ${t.creditedFen}`),
    index('invoices_order_idx').on(t.orderId),
    index('invoices_original_idx').on(t.originalInvoiceId),
    index('invoices_return_idx').on(t.returnId),
    index('invoices_created_by_idx').on(t.createdBy),
    index('invoices_issued_by_idx').on(t.issuedBy),
    check('invoices_kind_chk', sql`${t.kind} in (${inList(INVOICE_KINDS)})`),
    check('invoices_type_chk', sql`${t.invoiceType} in (${inList(INVOICE_TYPES)})`),
    check('invoices_status_chk', sql`${t.status} in (${inList(INVOICE_STATUSES)})`),
    check(
      'invoices_sign_chk',
      sql`(${t.kind} = 'blue' and ${t.amountFen} > 0 and ${t.taxFen} >= 0 and ${t.taxFen} < ${t.amountFen})
       or (${t.kind} = 'red' and ${t.amountFen} < 0 and ${t.taxFen} <= 0 and ${t.taxFen} > ${t.amountFen} and ${t.originalInvoiceId} is not null)`,
    ),
    check(
      'invoices_settlement_chk',
      sql`${t.paidFen} >= 0 and ${t.creditedFen} >= 0 and ((${t.kind} = 'blue' and ${t.paidFen} + ${t.creditedFen} <= ${t.amountFen})
       or (${t.kind} = 'red' and ${t.paidFen} = 0 and ${t.creditedFen} <= -${t.amountFen}))`,
    ),
    check('invoices_issued_chk', sql`${t.status} <> 'issued' or (${t.issuedOn} is not null and ${t.dueOn} is not null and ${t.taxInvoiceNo} is not null)`),
    check('invoices_settled_only_issued_chk', sql`${t.status} = 'issued' or (${t.paidFen} = 0 and ${t.creditedFen} = 0)`),
  ],
);

/** 票货相符: each invoice line is one order line's shipped quantity at its order price. */
export const invoiceLines = pgTable(
  'invoice_lines',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    invoiceId: integer('invoice_id').notNull().references(() => invoices.id, { onDelete: 'cascade' }),
    orderLineId: integer('order_line_id').notNull().references(() => salesOrderLines.id),
    productId: integer('product_id').notNull().references(() => products.id),
    /** Signed like the invoice: negative on a red invoice. */
    quantity: integer('quantity').notNull(),
    unitPriceFen: bigint('unit_price_fen', { mode: 'bigint' }).notNull(),
    amountFen: bigint('amount_fen', { mode: 'bigint' }).notNull(),
    vatRateBp: integer('vat_rate_bp').notNull(),
    taxFen: bigint('tax_fen', { mode: 'bigint' }).notNull(),
  },
  (t) => [
    index('invoice_lines_invoice_idx').on(t.invoiceId),
    index('invoice_lines_order_line_idx').on(t.orderLineId),
    index('invoice_lines_product_idx').on(t.productId),
    check('invoice_lines_quantity_chk', sql`${t.quantity} <> 0`),
    check('invoice_lines_price_chk', sql`${t.unitPriceFen} >= 0`),
    check('invoice_lines_sign_chk', sql`sign(${t.amountFen}) * sign(${t.quantity}) >= 0 and sign(${t.taxFen}) * sign(${t.quantity}) >= 0`),
    check('invoice_lines_vat_chk', sql`${t.vatRateBp} between 0 and 10000`),
  ],
);

/** 回款方式: bank_transfer 银行转账, acceptance_bill 承兑汇票 (with its due date), cash 现金, other 其他. */
export const RECEIPT_METHODS = ['bank_transfer', 'acceptance_bill', 'cash', 'other'] as const;
export type ReceiptMethod = (typeof RECEIPT_METHODS)[number];
export const RECEIPT_STATUSES = ['posted', 'voided'] as const;
export type ReceiptStatus = (typeof RECEIPT_STATUSES)[number];

/** 回款: money received from a customer; allocated to invoices (receipt_allocations), the rest is unapplied cash. */
export const receipts = pgTable(
  'receipts',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    number: text('number').notNull(),
    status: text('status').$type<ReceiptStatus>().notNull().default('posted'),
    customerId: integer('customer_id').notNull().references(() => customers.id),
    method: text('method').$type<ReceiptMethod>().notNull(),
    amountFen: bigint('amount_fen', { mode: 'bigint' }).notNull(),
    allocatedFen: bigint('allocated_fen', { mode: 'bigint' }).notNull().default(sql`0`),
    receivedOn: date('received_on', { mode: 'string' }).notNull(),
    /** Bank serial number (流水号) or other reference. */
    reference: text('reference'),
    payerName: text('payer_name'),
    billNo: text('bill_no'),
    billDueOn: date('bill_due_on', { mode: 'string' }),
    voidReason: text('void_reason'),
    createdBy: integer('created_by').notNull().references(() => users.id),
    notes: text('notes'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('receipts_number_uq').on(t.number),
    uniqueIndex('receipts_bill_uq').on(t.billNo).where(sql`${t.billNo} is not null and ${t.status} = 'posted'`),
    index('receipts_customer_idx').on(t.customerId, t.receivedOn),
    index('receipts_received_idx').on(t.receivedOn),
    index('receipts_unapplied_idx').on(t.customerId).where(sql`${t.status} = 'posted' and ${t.allocatedFen} < ${t.amountFen}`),
    index('receipts_created_by_idx').on(t.createdBy),
    check('receipts_method_chk', sql`${t.method} in (${inList(RECEIPT_METHODS)})`),
    check('receipts_status_chk', sql`${t.status} in (${inList(RECEIPT_STATUSES)})`),
    check('receipts_amount_chk', sql`${t.amountFen} > 0 and ${t.allocatedFen} >= 0 and ${t.allocatedFen} <= ${t.amountFen}`),
    check('receipts_voided_chk', sql`${t.status} <> 'voided' or (${t.allocatedFen} = 0 and ${t.voidReason} is not null)`),
    check('receipts_bill_chk', sql`${t.method} <> 'acceptance_bill' or (${t.billNo} is not null and ${t.billDueOn} is not null)`),
  ],
);

/** Which receipt paid how much of which invoice. Removing an allocation is audited (unallocate). */
export const receiptAllocations = pgTable(
  'receipt_allocations',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    receiptId: integer('receipt_id').notNull().references(() => receipts.id),
    invoiceId: integer('invoice_id').notNull().references(() => invoices.id),
    amountFen: bigint('amount_fen', { mode: 'bigint' }).notNull(),
    allocatedBy: integer('allocated_by').notNull().references(() => users.id),
    allocatedAt: timestamp('allocated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('receipt_allocations_receipt_idx').on(t.receiptId),
    index('receipt_allocations_invoice_idx').on(t.invoiceId),
    index('receipt_allocations_by_idx').on(t.allocatedBy),
    check('receipt_allocations_amount_chk', sql`${t.amountFen} > 0`),
  ],
);

/** 月结: a closed month ('2026-10'); nothing dated in it may be written (finance/periods.ts). */
export const periodClosings = pgTable(
  'period_closings',
  {
    period: text('period').primaryKey(),
    closedBy: integer('closed_by').notNull().references(() => users.id),
    closedAt: timestamp('closed_at', { withTimezone: true }).notNull().defaultNow(),
    /** Figures of the month when it closed (orders, shipments, invoices, receipts, receivables). */
    summary: text('summary'),
  },
  (t) => [check('period_closings_period_chk', sql`${t.period} ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'`), index('period_closings_by_idx').on(t.closedBy)],
);
