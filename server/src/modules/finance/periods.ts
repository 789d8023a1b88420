import { sql } from 'drizzle-orm';
import { rowsOf, type Tx } from '../../kernel/db/client.js';
import { DomainError } from '../../kernel/errors.js';

/**
 * 月结 (monthly closing): once a month is closed nothing dated in it may be written — orders,
 * shipments, stock movements, invoices, receipts. Every service that writes a dated record calls
 * assertPeriodOpen(tx, date) inside its transaction. The check takes a shared advisory lock on the
 * month and closing takes the exclusive one, so a write and the closing of its month cannot interleave.
 */
const PERIOD_LOCK_BASE = 0x52_78_50_00; // 'RxP\0'

export function periodOf(date: string): string {
  return date.slice(0, 7);
}

function lockKey(period: string): number {
  return PERIOD_LOCK_BASE + Number(period.slice(0, 4)) * 12 + Number(period.slice(5, 7));
}

/** Refuses (409 PERIOD_CLOSED) when any of the dates falls in a closed month. */
export async function assertPeriodOpen(tx: Tx, ...dates: (string | null | undefined)[]): Promise<void> {
  const periods = [...new Set(dates.filter((d): d is string => !!d).map(periodOf))].sort();
  for (const period of periods) {
    await tx.execute(sql`select pg_advisory_xact_lock_shared(${lockKey(period)})`);
    const [closed] = rowsOf<{ period: string }>(await tx.execute(sql`select period from period_closings where period = ${period}`));
    if (closed) throw new DomainError('PERIOD_CLOSED', { period }, 409);
  }
}

/** For the closing itself: waits for writes in the month to finish and keeps new ones out until commit. */
export async function lockPeriodExclusive(tx: Tx, period: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${lockKey(period)})`);
}
