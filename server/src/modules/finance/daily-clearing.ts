import { type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../kernel/access/actor.js';
import { type Queryable, rowsOf } from '../../kernel/db/client.js';
import { customerVisible } from '../customers/customers.scope.js';

/**
 * 日清报表 (daily clearing): what happened on one company-calendar day in the order-to-cash chain,
 * and what is still open at its end, so the office and finance can reconcile every evening.
 *
 * Rules:
 * - A day is a company-time-zone date. Business dates (order date, dispatch date, invoice issue date,
 *   receipt date) are compared as dates; instants (submitted, reviewed, released, delivered) are
 *   compared with the day's bounds in the company time zone (an order reviewed at 23:30 Shanghai time
 *   belongs to that day).
 * - Scope: everything belongs to a customer and is counted only when the actor may see the customer
 *   (customerVisible), the same rule as every other list.
 * - "Open at the end of the day" counts documents dated up to that day in their state now (a state
 *   history is not kept per document): for today it is exact; for a past day it is what of that day's
 *   and earlier work is still open. Overdue receivables: open blue invoices due before the next day.
 * - Each section is one set-based statement (no query per row); the per-rep and per-customer
 *   breakdowns are one statement each.
 * - The rep of an order is its owner when entered (sales_orders.owner_id); of a shipment, invoice
 *   or receipt the customer's owner now.
 */

export type DailyClearing = {
  date: string;
  orders: {
    enteredCount: number;
    enteredFen: bigint;
    submittedCount: number;
    submittedFen: bigint;
    abnormalCount: number;
    reviewedCount: number;
    releasedCount: number;
    releasedFen: bigint;
    cancelledCount: number;
  };
  shipments: { dispatchedCount: number; dispatchedLines: number; dispatchedQuantity: number; coldChainCount: number; deliveredCount: number };
  invoices: { blueCount: number; blueFen: bigint; blueTaxFen: bigint; redCount: number; redFen: bigint; redTaxFen: bigint; netFen: bigint };
  receipts: { count: number; totalFen: bigint; byMethod: { method: string; count: number; amountFen: bigint }[] };
  open: {
    pendingApprovalCount: number;
    pendingReviewCount: number;
    releasedNotShippedCount: number;
    releasedNotShippedFen: bigint;
    shippedNotInvoicedFen: bigint;
    overdueCount: number;
    overdueFen: bigint;
    overdueCustomers: number;
  };
  byRep: ByRepRow[];
  byCustomer: ByCustomerRow[];
};

export type ByRepRow = {
  userId: number | null;
  displayName: string | null;
  ordersCount: number;
  ordersFen: bigint;
  dispatchedCount: number;
  invoicedFen: bigint;
  receivedFen: bigint;
  overdueFen: bigint;
};

export type ByCustomerRow = {
  customerId: number;
  customerName: string;
  ownerName: string | null;
  ordersCount: number;
  ordersFen: bigint;
  dispatchedCount: number;
  invoicedFen: bigint;
  receivedFen: bigint;
};

const big = (v: string | number | null | undefined) => BigInt(v ?? 0);
const num = (v: string | number | null | undefined) => Number(v ?? 0);

/** The instants bounding a company-calendar day: [start, end). */
function dayBounds(date: string, timeZone: string): { start: SQL; end: SQL } {
  return {
    start: sql`(${date}::date::timestamp at time zone ${timeZone})`,
    end: sql`((${date}::date + 1)::timestamp at time zone ${timeZone})`,
  };
}

export async function dailyClearing(db: Queryable, actor: Actor, date: string, timeZone: string): Promise<DailyClearing> {
  const { start, end } = dayBounds(date, timeZone);
  const within = (col: SQL) => sql`${col} >= ${start} and ${col} < ${end}`;
  const seeOrder = customerVisible(actor, sql`o.customer_id`);

  const [o] = rowsOf<Record<string, string | number>>(
    await db.execute(sql`
      select
        count(*) filter (where o.order_date = ${date}::date and o.status <> 'cancelled')::int as entered_count,
        coalesce(sum(o.total_fen) filter (where o.order_date = ${date}::date and o.status <> 'cancelled'), 0)::text as entered_fen,
        count(*) filter (where ${within(sql`o.submitted_at`)})::int as submitted_count,
        coalesce(sum(o.total_fen) filter (where ${within(sql`o.submitted_at`)}), 0)::text as submitted_fen,
        count(*) filter (where ${within(sql`o.submitted_at`)} and jsonb_array_length(o.problems) > 0)::int as abnormal_count,
        count(*) filter (where ${within(sql`o.reviewed_at`)})::int as reviewed_count,
        count(*) filter (where ${within(sql`o.released_at`)})::int as released_count,
        coalesce(sum(o.total_fen) filter (where ${within(sql`o.released_at`)}), 0)::text as released_fen,
        count(*) filter (where ${within(sql`o.cancelled_at`)})::int as cancelled_count
      from sales_orders o
      where (o.order_date = ${date}::date or ${within(sql`o.submitted_at`)} or ${within(sql`o.reviewed_at`)}
             or ${within(sql`o.released_at`)} or ${within(sql`o.cancelled_at`)})
        and ${seeOrder}`),
  );

  const [s] = rowsOf<Record<string, string | number>>(
    await db.execute(sql`
      select
        count(*) filter (where s.dispatched_on = ${date}::date)::int as dispatched_count,
        coalesce(sum(l.lines) filter (where s.dispatched_on = ${date}::date), 0)::int as dispatched_lines,
        coalesce(sum(l.qty) filter (where s.dispatched_on = ${date}::date), 0)::int as dispatched_qty,
        count(*) filter (where s.dispatched_on = ${date}::date and s.cold_chain)::int as cold_chain_count,
        count(*) filter (where ${within(sql`s.delivered_at`)})::int as delivered_count
      from shipments s
      left join lateral (select count(*) as lines, sum(sl.quantity) as qty from shipment_lines sl where sl.shipment_id = s.id) l on true
      where s.status in ('dispatched', 'delivered') and (s.dispatched_on = ${date}::date or ${within(sql`s.delivered_at`)})
        and ${customerVisible(actor, sql`s.customer_id`)}`),
  );

  const [i] = rowsOf<Record<string, string | number>>(
    await db.execute(sql`
      select
        count(*) filter (where i.kind = 'blue')::int as blue_count,
        coalesce(sum(i.amount_fen) filter (where i.kind = 'blue'), 0)::text as blue_fen,
        coalesce(sum(i.tax_fen) filter (where i.kind = 'blue'), 0)::text as blue_tax,
        count(*) filter (where i.kind = 'red')::int as red_count,
        coalesce(sum(i.amount_fen) filter (where i.kind = 'red'), 0)::text as red_fen,
        coalesce(sum(i.tax_fen) filter (where i.kind = 'red'), 0)::text as red_tax
      from invoices i
      where i.status = 'issued' and i.issued_on = ${date}::date and ${customerVisible(actor, sql`i.customer_id`)}`),
  );

  const methods = rowsOf<{ method: string; count: number; amount: string }>(
    await db.execute(sql`
      select r.method, count(*)::int as count, sum(r.amount_fen)::text as amount
      from receipts r
      where r.status = 'posted' and r.received_on = ${date}::date and ${customerVisible(actor, sql`r.customer_id`)}
      group by r.method order by r.method`),
  );

  const [open] = rowsOf<Record<string, string | number>>(
    await db.execute(sql`
      with ord as (
        select o.id, o.status from sales_orders o
        where o.order_date <= ${date}::date and o.status in ('pending_approval', 'pending_review', 'released', 'partially_shipped', 'shipped')
          and ${seeOrder}
      ), lines as (
        select ord.id as order_id, ord.status,
          l.amount_fen * greatest(l.quantity - l.shipped_qty + l.returned_qty - l.closed_qty, 0) / l.quantity as unshipped_fen,
          l.amount_fen * greatest(l.shipped_qty - l.returned_qty - l.invoiced_qty, 0) / l.quantity as uninvoiced_fen
        from ord join sales_order_lines l on l.order_id = ord.id
      ), overdue as (
        select i.customer_id, i.amount_fen - i.paid_fen - i.credited_fen as open_fen from invoices i
        where i.status = 'issued' and i.kind = 'blue' and i.due_on <= ${date}::date and i.issued_on <= ${date}::date
          and i.amount_fen > i.paid_fen + i.credited_fen and ${customerVisible(actor, sql`i.customer_id`)}
      )
      select
        (select count(*) from ord where status = 'pending_approval')::int as pending_approval,
        (select count(*) from ord where status = 'pending_review')::int as pending_review,
        (select count(*) from ord where status in ('released', 'partially_shipped'))::int as released_open,
        (select coalesce(sum(unshipped_fen), 0) from lines where status in ('released', 'partially_shipped'))::text as released_open_fen,
        (select coalesce(sum(uninvoiced_fen), 0) from lines where status in ('released', 'partially_shipped', 'shipped'))::text as uninvoiced_fen,
        (select count(*) from overdue)::int as overdue_count,
        (select coalesce(sum(open_fen), 0) from overdue)::text as overdue_fen,
        (select count(distinct customer_id) from overdue)::int as overdue_customers`),
  );

  // Per rep: the day's work of each section and the overdue at the end of the day, one statement.
  const repRows = rowsOf<Record<string, string | number | null>>(
    await db.execute(sql`
      with facts as (
        select o.owner_id as user_id, 1 as orders, o.total_fen as orders_fen, 0 as dispatched, 0::bigint as invoiced, 0::bigint as received, 0::bigint as overdue
          from sales_orders o where o.order_date = ${date}::date and o.status <> 'cancelled' and ${seeOrder}
        union all
        select c.owner_id, 0, 0, 1, 0, 0, 0 from shipments s join customers c on c.id = s.customer_id
          where s.dispatched_on = ${date}::date and s.status in ('dispatched', 'delivered') and ${customerVisible(actor, sql`s.customer_id`)}
        union all
        select c.owner_id, 0, 0, 0, i.amount_fen, 0, 0 from invoices i join customers c on c.id = i.customer_id
          where i.status = 'issued' and i.issued_on = ${date}::date and ${customerVisible(actor, sql`i.customer_id`)}
        union all
        select c.owner_id, 0, 0, 0, 0, r.amount_fen, 0 from receipts r join customers c on c.id = r.customer_id
          where r.status = 'posted' and r.received_on = ${date}::date and ${customerVisible(actor, sql`r.customer_id`)}
        union all
        select c.owner_id, 0, 0, 0, 0, 0, i.amount_fen - i.paid_fen - i.credited_fen from invoices i join customers c on c.id = i.customer_id
          where i.status = 'issued' and i.kind = 'blue' and i.due_on <= ${date}::date and i.issued_on <= ${date}::date
            and i.amount_fen > i.paid_fen + i.credited_fen and ${customerVisible(actor, sql`i.customer_id`)}
      )
      select f.user_id, u.display_name, sum(f.orders)::int as orders_count, sum(f.orders_fen)::text as orders_fen,
        sum(f.dispatched)::int as dispatched_count, sum(f.invoiced)::text as invoiced_fen, sum(f.received)::text as received_fen,
        sum(f.overdue)::text as overdue_fen
      from facts f left join users u on u.id = f.user_id
      group by f.user_id, u.display_name
      order by sum(f.orders_fen) desc, sum(f.received) desc, u.display_name nulls last`),
  );

  // Per customer: only the day's work (the drill-down to the customer's page).
  const customerRows = rowsOf<Record<string, string | number | null>>(
    await db.execute(sql`
      with facts as (
        select o.customer_id, 1 as orders, o.total_fen as orders_fen, 0 as dispatched, 0::bigint as invoiced, 0::bigint as received
          from sales_orders o where o.order_date = ${date}::date and o.status <> 'cancelled' and ${seeOrder}
        union all
        select s.customer_id, 0, 0, 1, 0, 0 from shipments s
          where s.dispatched_on = ${date}::date and s.status in ('dispatched', 'delivered') and ${customerVisible(actor, sql`s.customer_id`)}
        union all
        select i.customer_id, 0, 0, 0, i.amount_fen, 0 from invoices i
          where i.status = 'issued' and i.issued_on = ${date}::date and ${customerVisible(actor, sql`i.customer_id`)}
        union all
        select r.customer_id, 0, 0, 0, 0, r.amount_fen from receipts r
          where r.status = 'posted' and r.received_on = ${date}::date and ${customerVisible(actor, sql`r.customer_id`)}
      )
      select f.customer_id, c.name as customer_name, u.display_name as owner_name,
        sum(f.orders)::int as orders_count, sum(f.orders_fen)::text as orders_fen, sum(f.dispatched)::int as dispatched_count,
        sum(f.invoiced)::text as invoiced_fen, sum(f.received)::text as received_fen
      from facts f join customers c on c.id = f.customer_id left join users u on u.id = c.owner_id
      group by f.customer_id, c.name, u.display_name
      order by sum(f.orders_fen) + sum(f.invoiced) + sum(f.received) desc, c.name
      limit 500`),
  );

  const blueFen = big(i?.blue_fen);
  const redFen = big(i?.red_fen);
  return {
    date,
    orders: {
      enteredCount: num(o?.entered_count),
      enteredFen: big(o?.entered_fen),
      submittedCount: num(o?.submitted_count),
      submittedFen: big(o?.submitted_fen),
      abnormalCount: num(o?.abnormal_count),
      reviewedCount: num(o?.reviewed_count),
      releasedCount: num(o?.released_count),
      releasedFen: big(o?.released_fen),
      cancelledCount: num(o?.cancelled_count),
    },
    shipments: {
      dispatchedCount: num(s?.dispatched_count),
      dispatchedLines: num(s?.dispatched_lines),
      dispatchedQuantity: num(s?.dispatched_qty),
      coldChainCount: num(s?.cold_chain_count),
      deliveredCount: num(s?.delivered_count),
    },
    invoices: {
      blueCount: num(i?.blue_count),
      blueFen,
      blueTaxFen: big(i?.blue_tax),
      redCount: num(i?.red_count),
      redFen,
      redTaxFen: big(i?.red_tax),
      netFen: blueFen + redFen,
    },
    receipts: {
      count: methods.reduce((n, m) => n + Number(m.count), 0),
      totalFen: methods.reduce((n, m) => n + BigInt(m.amount), 0n),
      byMethod: methods.map((m) => ({ method: m.method, count: Number(m.count), amountFen: BigInt(m.amount) })),
    },
    open: {
      pendingApprovalCount: num(open?.pending_approval),
      pendingReviewCount: num(open?.pending_review),
      releasedNotShippedCount: num(open?.released_open),
      releasedNotShippedFen: big(open?.released_open_fen),
      shippedNotInvoicedFen: big(open?.uninvoiced_fen),
      overdueCount: num(open?.overdue_count),
      overdueFen: big(open?.overdue_fen),
      overdueCustomers: num(open?.overdue_customers),
    },
    byRep: repRows.map((r) => ({
      userId: r.user_id === null ? null : Number(r.user_id),
      displayName: (r.display_name as string | null) ?? null,
      ordersCount: num(r.orders_count),
      ordersFen: big(r.orders_fen),
      dispatchedCount: num(r.dispatched_count),
      invoicedFen: big(r.invoiced_fen),
      receivedFen: big(r.received_fen),
      overdueFen: big(r.overdue_fen),
    })),
    byCustomer: customerRows.map((r) => ({
      customerId: Number(r.customer_id),
      customerName: String(r.customer_name),
      ownerName: (r.owner_name as string | null) ?? null,
      ordersCount: num(r.orders_count),
      ordersFen: big(r.orders_fen),
      dispatchedCount: num(r.dispatched_count),
      invoicedFen: big(r.invoiced_fen),
      receivedFen: big(r.received_fen),
    })),
  };
}
