import { sql } from 'drizzle-orm';
import type { Actor } from '../../kernel/access/actor.js';
import { audit } from '../../kernel/audit/audit.js';
import { type Queryable, rowsOf, type Tx } from '../../kernel/db/client.js';
import { DomainError } from '../../kernel/errors.js';
import { lockPeriodExclusive, periodOf } from './periods.js';

/**
 * 月结 (monthly closing). A closed month accepts no write dated in it (finance/periods.ts
 * assertPeriodOpen, called by every writer); closing takes the month's exclusive advisory lock, so it
 * waits for writes in flight and keeps new ones out until it commits.
 *
 * Rules (and why):
 * - Only a month that is over may be closed (the company calendar's today is in a later month):
 *   a month still running has work to come.
 * - Months close in order: refused while an earlier month with any dated record is still open.
 *   The month-end receivables of a closed month are the opening balance of the next one; an open
 *   earlier month could still take an invoice or a receipt that changes a closed month's figures.
 * - Drafts dated in the month (orders not yet submitted or still in review, shipments picked or
 *   checked but not dispatched, draft invoices, returns in progress) do not block the closing but must
 *   be acknowledged: they will have to be dated in a later month.
 * - Only the last closed month may be reopened, with a reason (audited), for the same reason as the order.
 * - The summary stored with the closing holds the month's figures and the receivables at month end:
 *   Σ issued invoices (blue and red) − Σ posted receipts dated up to the month's last day.
 */

export type MonthFigures = {
  period: string;
  ordersCount: number;
  ordersFen: bigint;
  shipmentsCount: number;
  blueInvoicedFen: bigint;
  redInvoicedFen: bigint;
  receivedFen: bigint;
  receivableAtEndFen: bigint;
};

export type ClosingWarning = { kind: 'draft_orders' | 'undispatched_shipments' | 'draft_invoices' | 'open_returns'; count: number };

export type PeriodRow = MonthFigures & {
  status: 'open' | 'closed';
  over: boolean;
  closedAt: Date | null;
  closedByName: string | null;
  summary: Record<string, string | number> | null;
};

const PERIOD_RE = /^\d{4}-(0[1-9]|1[0-2])$/;

export function monthEnd(period: string): string {
  const [y, m] = period.split('-').map(Number);
  return new Date(Date.UTC(y!, m!, 0)).toISOString().slice(0, 10);
}
function monthStart(period: string): string {
  return `${period}-01`;
}
function addMonths(period: string, n: number): string {
  const [y, m] = period.split('-').map(Number);
  const d = new Date(Date.UTC(y!, m! - 1 + n, 1));
  return d.toISOString().slice(0, 7);
}

/** The first month with any dated record (orders, dispatches, invoices, receipts, stock movements), or null. */
export async function firstActiveMonth(db: Queryable): Promise<string | null> {
  const [row] = rowsOf<{ first: string | null }>(
    await db.execute(sql`select to_char(least(
        (select min(order_date) from sales_orders),
        (select min(dispatched_on) from shipments),
        (select min(issued_on) from invoices where status = 'issued'),
        (select min(received_on) from receipts),
        (select min(business_date) from stock_movements)), 'YYYY-MM') as first`),
  );
  return row?.first ?? null;
}

/** Figures of every month in [from, to], one statement (each source grouped by month once). */
export async function monthFigures(db: Queryable, from: string, to: string): Promise<MonthFigures[]> {
  const rows = rowsOf<Record<string, string | number>>(
    await db.execute(sql`
      with months as (
        select to_char(m, 'YYYY-MM') as period, (m + interval '1 month' - interval '1 day')::date as last_day
        from generate_series(${monthStart(from)}::date, ${monthStart(to)}::date, interval '1 month') m
      ), o as (
        select to_char(order_date, 'YYYY-MM') as period, count(*) as n, sum(total_fen) as fen from sales_orders
        where status not in ('draft', 'cancelled') and order_date between ${monthStart(from)}::date and ${monthEnd(to)}::date group by 1
      ), s as (
        select to_char(dispatched_on, 'YYYY-MM') as period, count(*) as n from shipments
        where status in ('dispatched', 'delivered') and dispatched_on between ${monthStart(from)}::date and ${monthEnd(to)}::date group by 1
      ), i as (
        select to_char(issued_on, 'YYYY-MM') as period, sum(amount_fen) filter (where kind = 'blue') as blue, sum(amount_fen) filter (where kind = 'red') as red
        from invoices where status = 'issued' and issued_on between ${monthStart(from)}::date and ${monthEnd(to)}::date group by 1
      ), r as (
        select to_char(received_on, 'YYYY-MM') as period, sum(amount_fen) as fen from receipts
        where status = 'posted' and received_on between ${monthStart(from)}::date and ${monthEnd(to)}::date group by 1
      ), opening as (
        select coalesce((select sum(amount_fen) from invoices where status = 'issued' and issued_on < ${monthStart(from)}::date), 0)
             - coalesce((select sum(amount_fen) from receipts where status = 'posted' and received_on < ${monthStart(from)}::date), 0) as fen
      )
      select m.period, coalesce(o.n, 0)::int as orders_count, coalesce(o.fen, 0)::text as orders_fen, coalesce(s.n, 0)::int as shipments_count,
        coalesce(i.blue, 0)::text as blue_fen, coalesce(i.red, 0)::text as red_fen, coalesce(r.fen, 0)::text as received_fen,
        ((select fen from opening) + sum(coalesce(i.blue, 0) + coalesce(i.red, 0) - coalesce(r.fen, 0)) over (order by m.period))::text as receivable_fen
      from months m left join o using (period) left join s using (period) left join i using (period) left join r using (period)
      order by m.period`),
  );
  return rows.map((r) => ({
    period: String(r.period),
    ordersCount: Number(r.orders_count),
    ordersFen: BigInt(r.orders_fen!),
    shipmentsCount: Number(r.shipments_count),
    blueInvoicedFen: BigInt(r.blue_fen!),
    redInvoicedFen: BigInt(r.red_fen!),
    receivedFen: BigInt(r.received_fen!),
    receivableAtEndFen: BigInt(r.receivable_fen!),
  }));
}

/** Months from the first active (or the earliest closed) up to the current one, newest first, with status and figures. */
export async function listPeriods(db: Queryable, today: string): Promise<PeriodRow[]> {
  const current = periodOf(today);
  const closed = rowsOf<{ period: string; closed_at: Date; closed_by_name: string | null; summary: string | null }>(
    await db.execute(sql`select p.period, p.closed_at, u.display_name as closed_by_name, p.summary
      from period_closings p left join users u on u.id = p.closed_by order by p.period`),
  );
  const first = [await firstActiveMonth(db), closed[0]?.period, current].filter((p): p is string => !!p).sort()[0]!;
  const figures = await monthFigures(db, first, current);
  const byPeriod = new Map(closed.map((c) => [c.period, c]));
  return figures
    .map((f) => {
      const c = byPeriod.get(f.period);
      return {
        ...f,
        status: c ? ('closed' as const) : ('open' as const),
        over: f.period < current,
        closedAt: c ? new Date(c.closed_at) : null,
        closedByName: c?.closed_by_name ?? null,
        summary: c?.summary ? (JSON.parse(c.summary) as Record<string, string | number>) : null,
      };
    })
    .reverse();
}

/** What is still in progress with a date in the month (shown before closing; acknowledged to close). */
export async function closingWarnings(db: Queryable, period: string, timeZone: string): Promise<ClosingWarning[]> {
  const from = monthStart(period);
  const to = monthEnd(period);
  const inMonth = (col: string) => sql`(${sql.raw(col)} at time zone ${timeZone})::date between ${from}::date and ${to}::date`;
  const [w] = rowsOf<Record<string, number>>(
    await db.execute(sql`select
      (select count(*) from sales_orders where status in ('draft', 'pending_approval', 'pending_review') and order_date between ${from}::date and ${to}::date)::int as draft_orders,
      (select count(*) from shipments where status in ('picking', 'checked') and ${inMonth('created_at')})::int as undispatched_shipments,
      (select count(*) from invoices where status = 'draft' and ${inMonth('created_at')})::int as draft_invoices,
      (select count(*) from return_requests where status in ('draft', 'pending_approval', 'approved', 'received') and ${inMonth('created_at')})::int as open_returns`),
  );
  const out: ClosingWarning[] = [];
  for (const kind of ['draft_orders', 'undispatched_shipments', 'draft_invoices', 'open_returns'] as const) {
    if (Number(w?.[kind] ?? 0) > 0) out.push({ kind, count: Number(w![kind]) });
  }
  return out;
}

/**
 * Closes a month: checks the rules, takes the month's exclusive lock (waits for writes in flight),
 * computes the summary and records the closing, audited. Returns the summary.
 */
export async function closeMonth(tx: Tx, actor: Actor, input: { period: string; acknowledgeWarnings?: boolean }, today: string, timeZone: string): Promise<MonthFigures> {
  const { period } = input;
  if (!PERIOD_RE.test(period)) throw new DomainError('VALIDATION_FAILED', {}, 422, [{ path: 'period', code: 'period.format' }]);
  if (period >= periodOf(today)) throw new DomainError('PERIOD_NOT_OVER', { period }, 409);
  await lockPeriodExclusive(tx, period);
  // One closing at a time: two finance users closing consecutive months cannot both pass the order check.
  await tx.execute(sql`select pg_advisory_xact_lock(${0x52_78_50_ff})`);
  const [already] = rowsOf<{ period: string }>(await tx.execute(sql`select period from period_closings where period = ${period}`));
  if (already) throw new DomainError('PERIOD_ALREADY_CLOSED', { period }, 409);
  const [lastClosed] = rowsOf<{ period: string | null }>(await tx.execute(sql`select max(period) as period from period_closings`));
  const first = await firstActiveMonth(tx);
  // The earliest month that must be closed before this one: the month after the last closed, else the first active month.
  const due = lastClosed?.period ? addMonths(lastClosed.period, 1) : first;
  if (lastClosed?.period && lastClosed.period > period) throw new DomainError('PERIOD_ALREADY_CLOSED', { period }, 409);
  if (due && due < period) throw new DomainError('PERIOD_EARLIER_OPEN', { period: due }, 409);
  const warnings = await closingWarnings(tx, period, timeZone);
  if (warnings.length > 0 && !input.acknowledgeWarnings) {
    throw new DomainError('PERIOD_HAS_DRAFTS', { period, count: warnings.reduce((n, w) => n + w.count, 0) }, 409);
  }
  const [figures] = await monthFigures(tx, period, period);
  const summary = {
    ordersCount: figures!.ordersCount,
    ordersFen: figures!.ordersFen.toString(),
    shipmentsCount: figures!.shipmentsCount,
    blueInvoicedFen: figures!.blueInvoicedFen.toString(),
    redInvoicedFen: figures!.redInvoicedFen.toString(),
    receivedFen: figures!.receivedFen.toString(),
    receivableAtEndFen: figures!.receivableAtEndFen.toString(),
    warnings: warnings.map((w) => `${w.kind}:${w.count}`).join(','),
  };
  await tx.execute(sql`insert into period_closings (period, closed_by, summary) values (${period}, ${actor.id}, ${JSON.stringify(summary)})`);
  await audit(tx, actor, { action: 'period.closed', entity: 'period', entityId: period, after: summary });
  return figures!;
}

/** Reopens the last closed month (a correction is needed), with a reason; audited with the summary it had. */
export async function reopenMonth(tx: Tx, actor: Actor, input: { period: string; reason: string }): Promise<void> {
  const { period } = input;
  if (!PERIOD_RE.test(period)) throw new DomainError('VALIDATION_FAILED', {}, 422, [{ path: 'period', code: 'period.format' }]);
  if (!input.reason.trim()) throw new DomainError('VALIDATION_FAILED', {}, 422, [{ path: 'reason', code: 'required' }]);
  await lockPeriodExclusive(tx, period);
  await tx.execute(sql`select pg_advisory_xact_lock(${0x52_78_50_ff})`);
  const [row] = rowsOf<{ period: string; summary: string | null }>(await tx.execute(sql`select period, summary from period_closings where period = ${period}`));
  if (!row) throw new DomainError('PERIOD_NOT_CLOSED', { period }, 409);
  const [last] = rowsOf<{ period: string }>(await tx.execute(sql`select max(period) as period from period_closings`));
  if (last!.period !== period) throw new DomainError('PERIOD_NOT_LAST_CLOSED', { period, last: last!.period }, 409);
  await tx.execute(sql`delete from period_closings where period = ${period}`);
  await audit(tx, actor, { action: 'period.reopened', entity: 'period', entityId: period, before: row.summary ? JSON.parse(row.summary) : null, after: { reason: input.reason.trim() } });
}
