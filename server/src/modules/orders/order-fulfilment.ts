import { sql } from 'drizzle-orm';
import { rowsOf, type Tx } from '../../kernel/db/client.js';
import { notFound } from '../../kernel/errors.js';
import type { OrderStatus } from './orders.tables.js';

/**
 * Shared by shipping, returns and invoicing, which change an order's lines after release.
 * Lock order everywhere: the sales_orders row first (lockOrderRow), then stock balances (the ledger).
 */
export async function lockOrderRow(tx: Tx, orderId: number): Promise<{ id: number; number: string; status: OrderStatus; customerId: number; version: number }> {
  const [row] = rowsOf<{ id: number; number: string; status: OrderStatus; customer_id: number; version: number }>(
    await tx.execute(sql`select id, number, status, customer_id, version from sales_orders where id = ${orderId} for update`),
  );
  if (!row) throw notFound();
  return { id: row.id, number: row.number, status: row.status, customerId: row.customer_id, version: row.version };
}

/**
 * After goods leave or come back, or a back-order is closed: released → partially_shipped → shipped
 * as the lines' net shipped (shipped − returned) plus closed quantities reach what was ordered. A return
 * that reopens a line (an exchange to ship again) moves a shipped order back to partially_shipped.
 * Only orders already released are touched. Bumps the version when the status changes.
 */
export async function refreshOrderStatus(tx: Tx, orderId: number): Promise<OrderStatus> {
  const [agg] = rowsOf<{ status: OrderStatus; open: number; moved: number }>(
    await tx.execute(sql`select o.status,
        count(*) filter (where l.shipped_qty - l.returned_qty + l.closed_qty < l.quantity)::int as open,
        count(*) filter (where l.shipped_qty > 0)::int as moved
      from sales_orders o join sales_order_lines l on l.order_id = o.id where o.id = ${orderId} group by o.status`),
  );
  if (!agg || !['released', 'partially_shipped', 'shipped'].includes(agg.status)) return agg?.status ?? 'draft';
  const next: OrderStatus = agg.open === 0 ? 'shipped' : agg.moved > 0 ? 'partially_shipped' : 'released';
  if (next !== agg.status) {
    await tx.execute(sql`update sales_orders set status = ${next}, version = version + 1, updated_at = now() where id = ${orderId}`);
  }
  return next;
}
