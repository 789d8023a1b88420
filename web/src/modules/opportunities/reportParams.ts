import dayjs from 'dayjs';

/** A 'YYYY-MM' from the URL, or the current month. */
export function monthParam(raw: string | null, fallback = dayjs().format('YYYY-MM')): string {
  return raw && /^\d{4}-(0[1-9]|1[0-2])$/.test(raw) ? raw : fallback;
}

/** Fen string → yuan as a number, for chart axes only (never for sums). */
export function fenToYuanNumber(fen: string): number {
  const value = BigInt(fen);
  return Number(value / 100n) + Number(value % 100n) / 100;
}
