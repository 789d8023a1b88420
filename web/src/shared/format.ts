import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';

dayjs.extend(utc);
dayjs.extend(timezone);

/** The company's clock: instants are shown in this zone wherever the browser is. */
export const COMPANY_TIME_ZONE = 'Asia/Shanghai';

const EMPTY = '—';

/** An instant (ISO string from the server) as company-local date and time: 2025-03-01 09:30. */
export function formatDateTime(value: string | Date | null | undefined, withSeconds = false): string {
  if (value === null || value === undefined || value === '') return EMPTY;
  const instant = dayjs(value);
  if (!instant.isValid()) return EMPTY;
  return instant.tz(COMPANY_TIME_ZONE).format(withSeconds ? 'YYYY-MM-DD HH:mm:ss' : 'YYYY-MM-DD HH:mm');
}

/**
 * A business date. A plain 'YYYY-MM-DD' has no time zone and is shown as is;
 * an instant is shown as the company-local calendar day.
 */
export function formatDate(value: string | Date | null | undefined): string {
  if (value === null || value === undefined || value === '') return EMPTY;
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const instant = dayjs(value);
  if (!instant.isValid()) return EMPTY;
  return instant.tz(COMPANY_TIME_ZONE).format('YYYY-MM-DD');
}

function toFen(value: bigint | number | string): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`Not an amount of fen: ${value}`);
    return BigInt(Math.round(value));
  }
  const text = value.trim();
  if (!/^-?\d+$/.test(text)) throw new TypeError(`Not an amount of fen: ${JSON.stringify(value)}`);
  return BigInt(text);
}

/**
 * Money is kept as integer fen (分) end to end and formatted only here: 123450 → ¥1,234.50.
 * Bigint arithmetic so amounts beyond 2^53 fen stay exact.
 */
export function formatFen(value: bigint | number | string, symbol = '¥'): string {
  const fen = toFen(value);
  const negative = fen < 0n;
  const abs = negative ? -fen : fen;
  const yuan = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${symbol}${yuan}.${cents}`;
}
