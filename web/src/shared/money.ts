/**
 * People type and read yuan; the API carries integer fen. Conversion goes through the text with
 * bigint, never through floating-point arithmetic, so 0.07 yuan is 7 fen and not 7.000000000000001.
 * (Formatting for display is `formatFen` in format.ts.)
 */

/** '1,234.5' / '¥12' / full-width digits → fen; null unless a non-negative amount with at most 2 decimals. */
export function parseYuanText(text: string, options: { maxIntegerDigits?: number } = {}): bigint | null {
  const s = text.normalize('NFKC').replace(/[¥,\s]/g, '');
  const digits = options.maxIntegerDigits ? `{1,${options.maxIntegerDigits}}` : '+';
  const m = new RegExp(`^(\\d${digits})(?:\\.(\\d{1,2}))?$`).exec(s);
  if (!m) return null;
  return BigInt(m[1]!) * 100n + BigInt((m[2] ?? '').padEnd(2, '0'));
}

/** Yuan text → the API's money: whole fen as a string ('0.07' → '7'); null unless an amount of at most 13 integer digits. */
export function yuanToFen(text: string): string | null {
  const fen = parseYuanText(text, { maxIntegerDigits: 13 });
  return fen === null ? null : fen.toString();
}

/** 123450 / '123450' / 123450n → '1234.50' (for inputs). */
export function fenToYuanText(fen: number | string | bigint): string {
  const value = BigInt(fen);
  const neg = value < 0n;
  const a = neg ? -value : value;
  return `${neg ? '-' : ''}${a / 100n}.${(a % 100n).toString().padStart(2, '0')}`;
}
