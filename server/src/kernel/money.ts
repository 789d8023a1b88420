/**
 * Money is integer fen (1 yuan = 100 fen) in bigint columns and bigint in code; it is parsed from
 * and formatted to yuan only at the edges. Rounding happens once per line, half-up (roundHalfUp).
 */
export type Fen = bigint;

/** '1,234.5' / '1234.50' / '¥12' → fen; null when the text is not an amount with at most 2 decimals. */
export function parseYuan(text: string): Fen | null {
  const s = text.normalize('NFKC').replace(/[¥,\s]/g, '');
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return null;
  const fen = BigInt(m[2]!) * 100n + BigInt((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -fen : fen;
}

/** fen → '1234.50' (no grouping, no symbol: for inputs and files). */
export function fenToYuan(fen: Fen): string {
  const neg = fen < 0n;
  const a = neg ? -fen : fen;
  return `${neg ? '-' : ''}${a / 100n}.${(a % 100n).toString().padStart(2, '0')}`;
}

/** fen → '¥1,234.50' (for print and messages). */
export function formatMoney(fen: Fen): string {
  const [int, dec] = fenToYuan(fen).replace('-', '').split('.');
  return `${fen < 0n ? '-' : ''}¥${int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${dec}`;
}

/** numerator / denominator rounded half away from zero (e.g. a percentage of an amount). */
export function roundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError('denominator must be positive');
  const neg = numerator < 0n;
  const n = neg ? -numerator : numerator;
  const q = (n * 2n + denominator) / (denominator * 2n);
  return neg ? -q : q;
}

/**
 * VAT contained in a tax-inclusive amount (China's drug prices include VAT): amount × rate / (1 + rate),
 * rate in basis points (1300 = 13 %), rounded half away from zero once per line. Signed amounts
 * (red-letter invoices) give the mirrored tax.
 */
export function vatOfGross(grossFen: bigint, rateBp: number): bigint {
  return roundHalfUp(grossFen * BigInt(rateBp), 10_000n + BigInt(rateBp));
}
