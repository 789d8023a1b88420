/**
 * Prices cross the API as whole fen in a string (the server keeps bigint); people type yuan with
 * up to two decimals. Conversion goes through the text with bigint, never through floating point:
 * '0.07' is 7 fen, '12.345' (a fraction of a fen) and '-1' are refused.
 */
export function yuanTextToFen(text: string): string | null {
  const s = text.normalize('NFKC').replace(/[¥,\s]/g, '');
  const m = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return null;
  const fen = BigInt(m[1]!) * 100n + BigInt((m[2] ?? '').padEnd(2, '0'));
  return fen > 0n ? fen.toString() : null;
}

/** '123450' → '1234.50' (for inputs). */
export function fenToYuanText(fen: string | bigint): string {
  const value = typeof fen === 'bigint' ? fen : BigInt(fen);
  const neg = value < 0n;
  const a = neg ? -value : value;
  return `${neg ? '-' : ''}${a / 100n}.${(a % 100n).toString().padStart(2, '0')}`;
}
