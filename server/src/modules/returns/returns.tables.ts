import { sql } from 'drizzle-orm';
import { check, foreignKey, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from '../../kernel/access/access.tables.js';
import { customers } from '../customers/customers.tables.js';
import { products } from '../products/products.tables.js';
import { salesOrderLines, salesOrders } from '../orders/orders.tables.js';
import { shipmentLines, shipments } from '../shipping/shipping.tables.js';
import { stockBatches, warehouses } from '../stock/stock.tables.js';

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(','));

/** 退换货原因: quality 质量问题, damage 破损, near_expiry 近效期, wrong_goods 错发, other 其他. */
export const RETURN_REASONS = ['quality', 'damage', 'near_expiry', 'wrong_goods', 'other'] as const;
export type ReturnReason = (typeof RETURN_REASONS)[number];

/** refund: goods back, red-letter invoice; exchange: goods back, the same goods shipped again. */
export const RETURN_RESOLUTIONS = ['refund', 'exchange'] as const;
export type ReturnResolution = (typeof RETURN_RESOLUTIONS)[number];

/**
 * draft → pending_approval (kernel approval) → approved → received 已收货 (goods in quarantine) →
 * completed 已完成 (quality inspected: restocked, kept in quarantine or destroyed); cancelled.
 */
export const RETURN_STATUSES = ['draft', 'pending_approval', 'approved', 'received', 'completed', 'cancelled'] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];

/** 质检结论: restock 合格入库 (to a normal warehouse), quarantine 留待处理 (stays in the quarantine warehouse), destroy 销毁. */
export const INSPECTION_RESULTS = ['restock', 'quarantine', 'destroy'] as const;
export type InspectionResult = (typeof INSPECTION_RESULTS)[number];

export const returnRequests = pgTable(
  'return_requests',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    number: text('number').notNull(),
    status: text('status').$type<ReturnStatus>().notNull().default('draft'),
    orderId: integer('order_id').notNull().references(() => salesOrders.id),
    customerId: integer('customer_id').notNull().references(() => customers.id),
    reason: text('reason').$type<ReturnReason>().notNull(),
    resolution: text('resolution').$type<ReturnResolution>().notNull().default('refund'),
    description: text('description').notNull(),
    createdBy: integer('created_by').notNull().references(() => users.id),
    /** The quarantine warehouse the goods came back into. */
    receivedWarehouseId: integer('received_warehouse_id').references(() => warehouses.id),
    receivedBy: integer('received_by').references(() => users.id),
    receivedAt: timestamp('received_at', { withTimezone: true }),
    inspectedBy: integer('inspected_by').references(() => users.id),
    inspectedAt: timestamp('inspected_at', { withTimezone: true }),
    exchangeShipmentId: integer('exchange_shipment_id').references(() => shipments.id),
    cancelReason: text('cancel_reason'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('return_requests_number_uq').on(t.number),
    index('return_requests_order_idx').on(t.orderId),
    index('return_requests_customer_idx').on(t.customerId, t.createdAt),
    index('return_requests_status_idx').on(t.status, t.createdAt),
    index('return_requests_created_by_idx').on(t.createdBy),
    index('return_requests_received_warehouse_idx').on(t.receivedWarehouseId),
    index('return_requests_received_by_idx').on(t.receivedBy),
    index('return_requests_inspected_by_idx').on(t.inspectedBy),
    index('return_requests_exchange_shipment_idx').on(t.exchangeShipmentId),
    check('return_requests_status_chk', sql`${t.status} in (${inList(RETURN_STATUSES)})`),
    check('return_requests_reason_chk', sql`${t.reason} in (${inList(RETURN_REASONS)})`),
    check('return_requests_resolution_chk', sql`${t.resolution} in (${inList(RETURN_RESOLUTIONS)})`),
    check('return_requests_description_chk', sql`length(${t.description}) > 0`),
  ],
);

export const returnLines = pgTable(
  'return_lines',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    returnId: integer('return_id').notNull().references(() => returnRequests.id, { onDelete: 'cascade' }),
    orderLineId: integer('order_line_id').notNull().references(() => salesOrderLines.id),
    /** The shipped batch the goods come back from (a return names what left, batch by batch). */
    shipmentLineId: integer('shipment_line_id').notNull().references(() => shipmentLines.id),
    productId: integer('product_id').notNull().references(() => products.id),
    batchId: integer('batch_id').notNull(),
    quantity: integer('quantity').notNull(),
    inspectionResult: text('inspection_result').$type<InspectionResult>(),
    restockWarehouseId: integer('restock_warehouse_id').references(() => warehouses.id),
    inspectionNote: text('inspection_note'),
  },
  (t) => [
    foreignKey({ columns: [t.batchId, t.productId], foreignColumns: [stockBatches.id, stockBatches.productId], name: 'return_lines_batch_product_fk' }),
    index('return_lines_return_idx').on(t.returnId),
    index('return_lines_order_line_idx').on(t.orderLineId),
    index('return_lines_shipment_line_idx').on(t.shipmentLineId),
    index('return_lines_product_idx').on(t.productId),
    index('return_lines_batch_idx').on(t.batchId),
    index('return_lines_restock_warehouse_idx').on(t.restockWarehouseId),
    check('return_lines_quantity_chk', sql`${t.quantity} > 0`),
    check('return_lines_inspection_chk', sql`${t.inspectionResult} is null or ${t.inspectionResult} in (${inList(INSPECTION_RESULTS)})`),
    check('return_lines_restock_chk', sql`${t.inspectionResult} is distinct from 'restock' or ${t.restockWarehouseId} is not null`),
  ],
);
