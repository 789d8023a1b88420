import { sql } from 'drizzle-orm';
import { boolean, check, date, foreignKey, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from '../../kernel/access/access.tables.js';
import { customers } from '../customers/customers.tables.js';
import { products } from '../products/products.tables.js';
import { salesOrderLines, salesOrders } from '../orders/orders.tables.js';
import { stockBatches, warehouses } from '../stock/stock.tables.js';

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(','));

/**
 * picking 拣货中 → (second person checks the picked goods) checked 已复核 → dispatched 已发出 (stock leaves
 * the ledger) → delivered 已签收; cancelled 已取消 before dispatch (reservations stay with the order).
 */
export const SHIPMENT_STATUSES = ['picking', 'checked', 'dispatched', 'delivered', 'cancelled'] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

/** order: goods for an order; exchange: replacement goods for a return (换货). */
export const SHIPMENT_KINDS = ['order', 'exchange'] as const;
export type ShipmentKind = (typeof SHIPMENT_KINDS)[number];

/** Cold chain (冷链) temperatures are kept in tenths of a degree Celsius; 2–8 °C is 20–80. */
export const COLD_CHAIN_MIN_TENTHS = 20;
export const COLD_CHAIN_MAX_TENTHS = 80;

export const shipments = pgTable(
  'shipments',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    number: text('number').notNull(),
    status: text('status').$type<ShipmentStatus>().notNull().default('picking'),
    kind: text('kind').$type<ShipmentKind>().notNull().default('order'),
    orderId: integer('order_id').notNull().references(() => salesOrders.id),
    customerId: integer('customer_id').notNull().references(() => customers.id),
    warehouseId: integer('warehouse_id').notNull().references(() => warehouses.id),
    shipToAddress: text('ship_to_address'),
    shipToContact: text('ship_to_contact'),
    shipToPhone: text('ship_to_phone'),
    carrier: text('carrier'),
    trackingNo: text('tracking_no'),
    /** Any line is a 2–8 °C product: the temperature record below is required before dispatch. */
    coldChain: boolean('cold_chain').notNull().default(false),
    temperatureLoggerId: text('temperature_logger_id'),
    startTempTenths: integer('start_temp_tenths'),
    endTempTenths: integer('end_temp_tenths'),
    createdBy: integer('created_by').notNull().references(() => users.id),
    checkedBy: integer('checked_by').references(() => users.id),
    checkedAt: timestamp('checked_at', { withTimezone: true }),
    dispatchedBy: integer('dispatched_by').references(() => users.id),
    dispatchedAt: timestamp('dispatched_at', { withTimezone: true }),
    /** Company-time-zone date of dispatch (daily clearing, monthly closing, invoice due dates). */
    dispatchedOn: date('dispatched_on', { mode: 'string' }),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    deliveredNote: text('delivered_note'),
    cancelReason: text('cancel_reason'),
    notes: text('notes'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('shipments_number_uq').on(t.number),
    index('shipments_order_idx').on(t.orderId),
    index('shipments_customer_idx').on(t.customerId, t.createdAt),
    index('shipments_status_idx').on(t.status, t.createdAt),
    index('shipments_dispatched_on_idx').on(t.dispatchedOn),
    index('shipments_warehouse_idx').on(t.warehouseId),
    index('shipments_created_by_idx').on(t.createdBy),
    index('shipments_checked_by_idx').on(t.checkedBy),
    index('shipments_dispatched_by_idx').on(t.dispatchedBy),
    check('shipments_status_chk', sql`${t.status} in (${inList(SHIPMENT_STATUSES)})`),
    check('shipments_kind_chk', sql`${t.kind} in (${inList(SHIPMENT_KINDS)})`),
    // Four eyes: the person who checks the picked goods is not the one who picked them.
    check('shipments_four_eyes_chk', sql`${t.checkedBy} is null or ${t.checkedBy} <> ${t.createdBy}`),
    check('shipments_dispatch_chk', sql`${t.status} not in ('dispatched','delivered') or (${t.checkedBy} is not null and ${t.dispatchedOn} is not null)`),
    // GSP cold chain: no 2–8 °C shipment leaves without a logger and start/end temperatures within range.
    check(
      'shipments_cold_chain_chk',
      sql`not ${t.coldChain} or ${t.status} not in ('dispatched','delivered') or (${t.temperatureLoggerId} is not null and length(${t.temperatureLoggerId}) > 0
        and ${t.startTempTenths} between ${sql.raw(String(COLD_CHAIN_MIN_TENTHS))} and ${sql.raw(String(COLD_CHAIN_MAX_TENTHS))}
        and ${t.endTempTenths} between ${sql.raw(String(COLD_CHAIN_MIN_TENTHS))} and ${sql.raw(String(COLD_CHAIN_MAX_TENTHS))})`,
    ),
    check('shipments_cancel_chk', sql`${t.status} <> 'cancelled' or ${t.cancelReason} is not null`),
  ],
);

/** One batch of one order line in a shipment (the picking list and the delivery note list these). */
export const shipmentLines = pgTable(
  'shipment_lines',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    shipmentId: integer('shipment_id').notNull().references(() => shipments.id, { onDelete: 'cascade' }),
    orderLineId: integer('order_line_id').notNull().references(() => salesOrderLines.id),
    productId: integer('product_id').notNull().references(() => products.id),
    batchId: integer('batch_id').notNull(),
    warehouseId: integer('warehouse_id').notNull().references(() => warehouses.id),
    quantity: integer('quantity').notNull(),
  },
  (t) => [
    foreignKey({ columns: [t.batchId, t.productId], foreignColumns: [stockBatches.id, stockBatches.productId], name: 'shipment_lines_batch_product_fk' }),
    index('shipment_lines_shipment_idx').on(t.shipmentId),
    index('shipment_lines_order_line_idx').on(t.orderLineId),
    index('shipment_lines_batch_idx').on(t.batchId),
    index('shipment_lines_product_idx').on(t.productId),
    index('shipment_lines_warehouse_idx').on(t.warehouseId),
    check('shipment_lines_quantity_chk', sql`${t.quantity} > 0`),
  ],
);
