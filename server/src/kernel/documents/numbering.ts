import { eq, sql } from 'drizzle-orm';
import type { Tx } from '../db/client.js';
import { DomainError } from '../errors.js';
import { documentNumberPatterns, documentSequences } from './documents.tables.js';

/**
 * Document numbers such as `SO-202611-00042`. A pattern has literal text and tokens:
 * {yyyy} {yy} {mm} {dd} — the document date in the company's time zone — and {seq:N}, the counter
 * zero-padded to N digits. The counter restarts with each period, the date part of the pattern
 * ('202611' for {yyyy}{mm}; one period for ever when the pattern has no date token).
 *
 * Gap-free and unique: the counter row is upserted inside the transaction that creates the
 * document, so concurrent creators queue on its row lock, and a rolled-back document also rolls
 * back its number.
 */
const TOKEN = /\{(yyyy|yy|mm|dd|seq(?::(\d{1,2}))?)\}/g;

export function validatePattern(pattern: string): void {
  const seqs = [...pattern.matchAll(TOKEN)].filter((m) => m[1].startsWith('seq'));
  const stray = pattern.replace(TOKEN, '').match(/[{}]/);
  if (seqs.length !== 1 || stray || pattern.length > 60) throw new DomainError('NUMBER_PATTERN_INVALID', { pattern }, 422, [{ path: 'pattern', code: 'NUMBER_PATTERN_INVALID', params: { pattern } }]);
}

function dateParts(date: Date, timeZone: string) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(date).map((p) => [p.type, p.value]),
  );
  return { yyyy: parts.year, yy: parts.year.slice(2), mm: parts.month, dd: parts.day };
}

export function periodOf(pattern: string, date: Date, timeZone: string): string {
  const d = dateParts(date, timeZone);
  const used = [...pattern.matchAll(TOKEN)].map((m) => m[1]).filter((t) => !t.startsWith('seq')) as ('yyyy' | 'yy' | 'mm' | 'dd')[];
  return used.length ? used.map((t) => d[t]).join('') : '-';
}

export function formatNumber(pattern: string, date: Date, timeZone: string, seq: number): string {
  const d = dateParts(date, timeZone);
  return pattern.replace(TOKEN, (_, token: string, width?: string) =>
    token.startsWith('seq') ? String(seq).padStart(Number(width ?? 1), '0') : d[token as keyof typeof d],
  );
}

export async function patternFor(tx: Tx, docType: string, fallback: string): Promise<string> {
  const [row] = await tx.select({ pattern: documentNumberPatterns.pattern }).from(documentNumberPatterns).where(eq(documentNumberPatterns.docType, docType));
  return row?.pattern ?? fallback;
}

/** The next number for a new document of this type, taken inside the creating transaction. */
export async function nextDocumentNumber(tx: Tx, docType: string, defaultPattern: string, date: Date, timeZone: string): Promise<string> {
  const pattern = await patternFor(tx, docType, defaultPattern);
  const period = periodOf(pattern, date, timeZone);
  const [row] = await tx
    .insert(documentSequences)
    .values({ docType, period, lastValue: 1 })
    .onConflictDoUpdate({ target: [documentSequences.docType, documentSequences.period], set: { lastValue: sql`${documentSequences.lastValue} + 1` } })
    .returning({ value: documentSequences.lastValue });
  return formatNumber(pattern, date, timeZone, row.value);
}
