import { sql } from 'drizzle-orm';
import { bigint, boolean, check, date, foreignKey, index, integer, pgTable, primaryKey, text, timestamp, unique, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from '../../kernel/access/access.tables.js';
import { products } from '../products/products.tables.js';
import { salesOrderLines } from '../orders/orders.tables.js';

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(','));

/** normal 合格品库 (goods that may be sold), quarantine 不合格品/待验库 (returns awaiting a decision, rejected goods: never allocated). */
export const WAREHOUSE_KINDS = ['normal', 'quarantine'] as const;
export type WarehouseKind = (typeof WAREHOUSE_KINDS)[number];

export const warehouses = pgTable(
  'warehouses',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    kind: text('kind').$type<WarehouseKind>().notNull().default('normal'),
    /** May hold 2–8 °C goods (冷库). */
    coldChain: boolean('cold_chain').notNull().default(false),
    address: text('address'),
    status: text('status').$type<'active' | 'inactive'>().notNull().default('active'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('warehouses_code_uq').on(t.code),
    check('warehouses_kind_chk', sql`${t.kind} in (${inList(WAREHOUSE_KINDS)})`),
    check('warehouses_status_chk', sql`${t.status} in ('active','inactive')`),
  ],
);

/** 批号: one lot of one product, with its manufacture and expiry dates (from the certificate of analysis). */
export const stockBatches = pgTable(
  'stock_batches',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    productId: integer('product_id').notNull().references(() => products.id),
    batchNo: text('batch_no').notNull(),
    manufacturedOn: date('manufactured_on', { mode: 'string' }),
    expiresOn: date('expires_on', { mode: 'string' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('stock_batches_product_batch_uq').on(t.productId, t.batchNo),
    // Lets balances, movements and reservations prove (by foreign key) that the batch is of their product.
    unique('stock_batches_id_product_uq').on(t.id, t.productId),
    index('stock_batches_expires_idx').on(t.expiresOn),
    check('stock_batches_batch_no_chk', sql`length(${t.batchNo}) between 1 and 40`),
    check('stock_batches_dates_chk', sql`${t.manufacturedOn} is null or ${t.expiresOn} > ${t.manufacturedOn}`),
  ],
);

/**
 * Quantity on hand and reserved per warehouse and batch: a running total of stock_movements
 * (on_hand) and of stock_reservations (reserved), changed only by stock.ledger.ts under a row lock.
 * The checks are the invariant "stock never negative, never reserved twice".
 */
export const stockBalances = pgTable(
  'stock_balances',
  {
    warehouseId: integer('warehouse_id').notNull().references(() => warehouses.id),
    batchId: integer('batch_id').notNull(),
    productId: integer('product_id').notNull().references(() => products.id),
    onHand: integer('on_hand').notNull().default(0),
    reserved: integer('reserved').notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.warehouseId, t.batchId] }),
    foreignKey({ columns: [t.batchId, t.productId], foreignColumns: [stockBatches.id, stockBatches.productId], name: 'stock_balances_batch_product_fk' }),
    index('stock_balances_product_idx').on(t.productId, t.warehouseId),
    index('stock_balances_batch_idx').on(t.batchId),
    check('stock_balances_on_hand_chk', sql`${t.onHand} >= 0`),
    check('stock_balances_reserved_chk', sql`${t.reserved} >= 0 and ${t.reserved} <= ${t.onHand}`),
  ],
);

/** receipt 入库, shipment 出库, return 退货入库, adjustment 盘点调整, transfer_out/transfer_in 调拨, destroy 销毁. */
export const MOVEMENT_KINDS = ['receipt', 'shipment', 'return', 'adjustment', 'transfer_out', 'transfer_in', 'destroy'] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

/** The stock ledger: append-only, one row per change of quantity on hand (signed). */
export const stockMovements = pgTable(
  'stock_movements',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    /** The company-time-zone date the movement belongs to (daily clearing, monthly closing). */
    businessDate: date('business_date', { mode: 'string' }).notNull(),
    warehouseId: integer('warehouse_id').notNull().references(() => warehouses.id),
    batchId: integer('batch_id').notNull(),
    productId: integer('product_id').notNull().references(() => products.id),
    kind: text('kind').$type<MovementKind>().notNull(),
    quantity: integer('quantity').notNull(),
    /** The document that caused it: 'stock_receipt', 'shipment', 'return_request', 'stock_adjustment', 'stock_transfer'… */
    docType: text('doc_type'),
    docId: integer('doc_id'),
    docNumber: text('doc_number'),
    note: text('note'),
    actorId: integer('actor_id').references(() => users.id),
  },
  (t) => [
    foreignKey({ columns: [t.batchId, t.productId], foreignColumns: [stockBatches.id, stockBatches.productId], name: 'stock_movements_batch_product_fk' }),
    index('stock_movements_balance_idx').on(t.warehouseId, t.batchId, t.id),
    index('stock_movements_product_idx').on(t.productId, t.at),
    index('stock_movements_doc_idx').on(t.docType, t.docId),
    index('stock_movements_date_idx').on(t.businessDate),
    index('stock_movements_batch_idx').on(t.batchId),
    index('stock_movements_actor_idx').on(t.actorId),
    check('stock_movements_kind_chk', sql`${t.kind} in (${inList(MOVEMENT_KINDS)})`),
    check('stock_movements_quantity_chk', sql`${t.quantity} <> 0`),
    check(
      'stock_movements_sign_chk',
      sql`(${t.kind} in ('receipt','return','transfer_in') and ${t.quantity} > 0) or (${t.kind} in ('shipment','transfer_out','destroy') and ${t.quantity} < 0) or ${t.kind} = 'adjustment'`,
    ),
  ],
);

/** Stock set aside for a released order line, batch by batch (first expiry first out). */
export const stockReservations = pgTable(
  'stock_reservations',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    orderLineId: integer('order_line_id').notNull().references(() => salesOrderLines.id),
    warehouseId: integer('warehouse_id').notNull().references(() => warehouses.id),
    batchId: integer('batch_id').notNull(),
    productId: integer('product_id').notNull().references(() => products.id),
    quantity: integer('quantity').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ columns: [t.batchId, t.productId], foreignColumns: [stockBatches.id, stockBatches.productId], name: 'stock_reservations_batch_product_fk' }),
    uniqueIndex('stock_reservations_line_batch_uq').on(t.orderLineId, t.warehouseId, t.batchId),
    index('stock_reservations_balance_idx').on(t.warehouseId, t.batchId),
    index('stock_reservations_product_idx').on(t.productId),
    check('stock_reservations_quantity_chk', sql`${t.quantity} > 0`),
  ],
);

/** Stock settings (one row, id = 1): how many months before expiry a batch counts as near-expiry (近效期). */
export const stockSettings = pgTable(
  'stock_settings',
  {
    id: integer('id').primaryKey().default(1),
    nearExpiryMonths: integer('near_expiry_months').notNull().default(6),
    updatedBy: integer('updated_by').references(() => users.id),
    version: integer('version').notNull().default(1),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('stock_settings_single_row', sql`${t.id} = 1`), check('stock_settings_months_chk', sql`${t.nearExpiryMonths} between 0 and 36`)],
);

/**
 * 库存单据: the numbered record behind a receipt (入库 RK-), an adjustment (盘点调整 TZ-) or a transfer
 * (调拨 DB-). A plain record, not a lifecycle document: it is written once, complete, in the same
 * transaction as its movements, and never changes afterwards (a mistake is corrected by an adjustment),
 * so it has no statuses, approvals or versions. Its lines are its stock_movements (doc_type/doc_id).
 */
export const STOCK_DOCUMENT_KINDS = ['receipt', 'adjustment', 'transfer'] as const;
export type StockDocumentKind = (typeof STOCK_DOCUMENT_KINDS)[number];

export const stockDocuments = pgTable(
  'stock_documents',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    kind: text('kind').$type<StockDocumentKind>().notNull(),
    number: text('number').notNull(),
    businessDate: date('business_date', { mode: 'string' }).notNull(),
    /** How a receipt came in: the form or an Excel import. */
    source: text('source').$type<'form' | 'import'>().notNull().default('form'),
    /** Receipts: 生产入库 / 采购入库 etc. as typed; adjustments: the reason (required); transfers: a note. */
    note: text('note'),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('stock_documents_number_uq').on(t.number),
    index('stock_documents_kind_date_idx').on(t.kind, t.businessDate),
    index('stock_documents_created_by_idx').on(t.createdBy),
    check('stock_documents_kind_chk', sql`${t.kind} in (${inList(STOCK_DOCUMENT_KINDS)})`),
    check('stock_documents_source_chk', sql`${t.source} in ('form','import')`),
    check('stock_documents_reason_chk', sql`${t.kind} <> 'adjustment' or length(coalesce(${t.note}, '')) > 0`),
  ],
);

/**
 * Stock warnings already told (the daily 'stock.warnings' job): one row per warning kind and subject
 * (a product, or a batch in a warehouse) while the condition lasts. The job deletes the rows of
 * subjects no longer in that condition, so a condition that ends and comes back is a new episode.
 */
export const stockAlertsSent = pgTable(
  'stock_alerts_sent',
  {
    kind: text('kind').notNull(),
    subjectKey: text('subject_key').notNull(),
    sentOn: date('sent_on', { mode: 'string' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.subjectKey] })],
);
