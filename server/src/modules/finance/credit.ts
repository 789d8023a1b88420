import { sql } from 'drizzle-orm';
import { rowsOf, type Queryable } from '../../kernel/db/client.js';

/**
 * Credit status of customers (信用额度 / 账期), read by the order checks, the order page and the
 * receivables pages. All figures are fen.
 * - receivable: open amounts of issued blue invoices, less unapplied red-invoice credit and unapplied cash.
 * - uninvoiced: the value of goods ordered (orders past draft, not cancelled) not yet invoiced:
 *   per line amount × (quantity − closed − invoiced) / quantity, rounded down — the exposure not yet on an invoice.
 * - exposure = receivable + uninvoiced; available = limit − exposure (a limit of 0 means cash in advance).
 * - overdue: open amounts of blue invoices past due_on (issue date + the customer's 账期), and the oldest days overdue.
 */
export type CreditStatus = {
  customerId: number;
  limitFen: bigint;
  paymentTermsDays: number;
  receivableFen: bigint;
  uninvoicedFen: bigint;
  exposureFen: bigint;
  availableFen: bigint;
  overdueFen: bigint;
  oldestOverdueDays: number;
};

/** One query for any number of customers (no query per customer). `excludeOrderId`: leave that order out of the uninvoiced part. */
export async function creditStatus(db: Queryable, customerIds: number[], today: string, excludeOrderId?: number): Promise<Map<number, CreditStatus>> {
  const result = new Map<number, CreditStatus>();
  if (customerIds.length === 0) return result;
  const ids = sql`array[${sql.join([...new Set(customerIds)].map((id) => sql`${id}`), sql`, `)}]::int[]`;
  const rows = rowsOf<{
    id: number;
    credit_limit_fen: string;
    payment_terms_days: number;
    open_blue: string;
    open_red: string;
    unapplied_cash: string;
    uninvoiced: string;
    overdue: string;
    oldest_due: string | null;
  }>(
    await db.execute(sql`
      select c.id, c.credit_limit_fen::text, c.payment_terms_days,
        coalesce((select sum(i.amount_fen - i.paid_fen - i.credited_fen) from invoices i
                  where i.customer_id = c.id and i.status = 'issued' and i.kind = 'blue'), 0)::text as open_blue,
        coalesce((select sum(-(i.amount_fen + i.credited_fen)) from invoices i
                  where i.customer_id = c.id and i.status = 'issued' and i.kind = 'red'), 0)::text as open_red,
        coalesce((select sum(r.amount_fen - r.allocated_fen) from receipts r where r.customer_id = c.id and r.status = 'posted'), 0)::text as unapplied_cash,
        coalesce((select sum(l.amount_fen * (l.quantity - l.closed_qty - l.invoiced_qty) / l.quantity)
                  from sales_orders o join sales_order_lines l on l.order_id = o.id
                  where o.customer_id = c.id and o.status not in ('draft', 'cancelled')
                    ${excludeOrderId ? sql`and o.id <> ${excludeOrderId}` : sql``}
                    and l.quantity - l.closed_qty - l.invoiced_qty > 0), 0)::text as uninvoiced,
        coalesce((select sum(i.amount_fen - i.paid_fen - i.credited_fen) from invoices i
                  where i.customer_id = c.id and i.status = 'issued' and i.kind = 'blue' and i.due_on < ${today}::date), 0)::text as overdue,
        (select min(i.due_on)::text from invoices i
          where i.customer_id = c.id and i.status = 'issued' and i.kind = 'blue' and i.due_on < ${today}::date
            and i.amount_fen > i.paid_fen + i.credited_fen) as oldest_due
      from customers c where c.id = any(${ids})`),
  );
  const todayMs = Date.parse(`${today}T00:00:00Z`);
  for (const r of rows) {
    const receivable = BigInt(r.open_blue) - BigInt(r.open_red) - BigInt(r.unapplied_cash);
    const uninvoiced = BigInt(r.uninvoiced);
    const limit = BigInt(r.credit_limit_fen);
    const exposure = receivable + uninvoiced;
    result.set(r.id, {
      customerId: r.id,
      limitFen: limit,
      paymentTermsDays: r.payment_terms_days,
      receivableFen: receivable,
      uninvoicedFen: uninvoiced,
      exposureFen: exposure,
      availableFen: limit - exposure,
      overdueFen: BigInt(r.overdue),
      oldestOverdueDays: r.oldest_due ? Math.round((todayMs - Date.parse(`${r.oldest_due}T00:00:00Z`)) / 86_400_000) : 0,
    });
  }
  return result;
}
