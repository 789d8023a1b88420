import { and, eq, sql } from 'drizzle-orm';
import type { Actor } from '../../kernel/access/actor.js';
import { rowsOf, type Queryable } from '../../kernel/db/client.js';
import { notFound } from '../../kernel/errors.js';
import { customerVisible } from '../customers/customers.scope.js';
import { salesOrders } from './orders.tables.js';

/**
 * 订单全链路: "have the goods left, is the invoice out, has the money arrived" for one order, read from
 * the tables of shipping, invoicing, receipts and returns (read-only, one query each).
 * - shipped: net shipped (shipped − returned) against what is to deliver (quantity − closed);
 *   value = Σ amount × net shipped / quantity (rounded down per line).
 * - invoiced: issued invoices (blue and red, signed) of the order; state from the lines' invoiced
 *   quantities against what is to invoice (quantity − closed − returned).
 * - paid: allocations of posted receipts to those invoices; fully when everything to invoice is invoiced
 *   and every issued blue invoice is settled (paid + credited = amount).
 * Each indicator is none / partly / fully, with its amount in fen.
 */
export type Progress = 'none' | 'partly' | 'fully';
export type Indicator = { state: Progress; amountFen: string; ofFen: string };

export async function orderChain(db: Queryable, actor: Actor, orderId: number) {
  const [order] = await db
    .select({ id: salesOrders.id, status: salesOrders.status, totalFen: salesOrders.totalFen })
    .from(salesOrders)
    .where(and(eq(salesOrders.id, orderId), customerVisible(actor, salesOrders.customerId)));
  if (!order) throw notFound();

  const [q] = rowsOf<{ to_ship: number; net_shipped: number; to_invoice: number; invoiced: number; short_lines: number; shipped_value: string; to_ship_value: string; to_invoice_value: string; uninvoiced_lines: number }>(
    await db.execute(sql`select
        coalesce(sum(quantity - closed_qty), 0)::int as to_ship,
        coalesce(sum(shipped_qty - returned_qty), 0)::int as net_shipped,
        coalesce(sum(quantity - closed_qty - returned_qty), 0)::int as to_invoice,
        coalesce(sum(invoiced_qty), 0)::int as invoiced,
        count(*) filter (where shipped_qty - returned_qty < quantity - closed_qty)::int as short_lines,
        count(*) filter (where invoiced_qty < quantity - closed_qty - returned_qty)::int as uninvoiced_lines,
        coalesce(sum(amount_fen * (shipped_qty - returned_qty) / quantity), 0)::text as shipped_value,
        coalesce(sum(amount_fen * (quantity - closed_qty) / quantity), 0)::text as to_ship_value,
        coalesce(sum(amount_fen * (quantity - closed_qty - returned_qty) / quantity), 0)::text as to_invoice_value
      from sales_order_lines where order_id = ${orderId}`),
  );

  const shipments = rowsOf<{ id: number; number: string; status: string; kind: string; warehouse_name: string; dispatched_on: string | null; carrier: string | null; tracking_no: string | null; delivered_at: Date | null; quantity: number; created_at: Date }>(
    await db.execute(sql`select s.id, s.number, s.status, s.kind, w.name as warehouse_name, s.dispatched_on::text as dispatched_on, s.carrier, s.tracking_no, s.delivered_at,
        coalesce((select sum(sl.quantity) from shipment_lines sl where sl.shipment_id = s.id), 0)::int as quantity, s.created_at
      from shipments s join warehouses w on w.id = s.warehouse_id where s.order_id = ${orderId} order by s.id`),
  );
  // Invoices of the order: by their order_id, or by a line of one of its order lines.
  const invoices = rowsOf<{ id: number; number: string; kind: string; invoice_type: string; status: string; tax_invoice_no: string | null; issued_on: string | null; due_on: string | null; amount_fen: string; tax_fen: string; paid_fen: string; credited_fen: string }>(
    await db.execute(sql`select i.id, i.number, i.kind, i.invoice_type, i.status, i.tax_invoice_no, i.issued_on::text as issued_on, i.due_on::text as due_on,
        i.amount_fen::text, i.tax_fen::text, i.paid_fen::text, i.credited_fen::text
      from invoices i
      where i.order_id = ${orderId}
         or exists (select 1 from invoice_lines il join sales_order_lines l on l.id = il.order_line_id where il.invoice_id = i.id and l.order_id = ${orderId})
      order by i.id`),
  );
  const invoiceIds = invoices.map((i) => i.id);
  const receipts = invoiceIds.length
    ? rowsOf<{ id: number; receipt_id: number; number: string; method: string; status: string; received_on: string; invoice_id: number; invoice_number: string; amount_fen: string; allocated_at: Date }>(
        await db.execute(sql`select a.id, r.id as receipt_id, r.number, r.method, r.status, r.received_on::text as received_on, a.invoice_id, i.number as invoice_number,
            a.amount_fen::text, a.allocated_at
          from receipt_allocations a join receipts r on r.id = a.receipt_id join invoices i on i.id = a.invoice_id
          where a.invoice_id = any(${sql`array[${sql.join(invoiceIds.map((id) => sql`${id}`), sql`, `)}]::int[]`})
          order by r.received_on, a.id`),
      )
    : [];
  const returns = rowsOf<{ id: number; number: string; status: string; reason: string; resolution: string; quantity: number; created_at: Date }>(
    await db.execute(sql`select r.id, r.number, r.status, r.reason, r.resolution,
        coalesce((select sum(rl.quantity) from return_lines rl where rl.return_id = r.id), 0)::int as quantity, r.created_at
      from return_requests r where r.order_id = ${orderId} order by r.id`),
  );

  const issued = invoices.filter((i) => i.status === 'issued');
  const invoicedFen = issued.reduce((s, i) => s + BigInt(i.amount_fen), 0n);
  const blue = issued.filter((i) => i.kind === 'blue');
  const paidFen = receipts.filter((r) => r.status === 'posted').reduce((s, r) => s + BigInt(r.amount_fen), 0n);
  const settled = blue.every((i) => BigInt(i.paid_fen) + BigInt(i.credited_fen) >= BigInt(i.amount_fen));
  const live = order.status !== 'draft' && order.status !== 'cancelled';

  const state = (done: number, target: number, complete: boolean): Progress => (done <= 0 ? 'none' : complete && target > 0 ? 'fully' : 'partly');
  const shippedState = live ? state(q!.net_shipped, q!.to_ship, q!.short_lines === 0) : 'none';
  const invoicedState = live ? state(q!.invoiced, q!.to_invoice, q!.uninvoiced_lines === 0) : 'none';
  const paidState: Progress = paidFen <= 0n ? 'none' : invoicedState === 'fully' && settled ? 'fully' : 'partly';

  return {
    orderId,
    indicators: {
      shipped: { state: shippedState, amountFen: q!.shipped_value, ofFen: q!.to_ship_value } satisfies Indicator,
      invoiced: { state: invoicedState, amountFen: invoicedFen.toString(), ofFen: q!.to_invoice_value } satisfies Indicator,
      paid: { state: paidState, amountFen: paidFen.toString(), ofFen: invoicedFen.toString() } satisfies Indicator,
    },
    shipments: shipments.map((s) => ({
      id: s.id,
      number: s.number,
      status: s.status,
      kind: s.kind,
      warehouseName: s.warehouse_name,
      dispatchedOn: s.dispatched_on,
      carrier: s.carrier,
      trackingNo: s.tracking_no,
      deliveredAt: s.delivered_at ? new Date(s.delivered_at) : null,
      quantity: Number(s.quantity),
      createdAt: new Date(s.created_at),
    })),
    invoices: invoices.map((i) => ({
      id: i.id,
      number: i.number,
      kind: i.kind,
      invoiceType: i.invoice_type,
      status: i.status,
      taxInvoiceNo: i.tax_invoice_no,
      issuedOn: i.issued_on,
      dueOn: i.due_on,
      amountFen: i.amount_fen,
      taxFen: i.tax_fen,
      paidFen: i.paid_fen,
      creditedFen: i.credited_fen,
    })),
    receipts: receipts.map((r) => ({
      allocationId: r.id,
      receiptId: r.receipt_id,
      number: r.number,
      method: r.method,
      status: r.status,
      receivedOn: r.received_on,
      invoiceId: r.invoice_id,
      invoiceNumber: r.invoice_number,
      amountFen: r.amount_fen,
    })),
    returns: returns.map((r) => ({ id: r.id, number: r.number, status: r.status, reason: r.reason, resolution: r.resolution, quantity: Number(r.quantity), createdAt: new Date(r.created_at) })),
  };
}
