/**
 * Money crosses the API as integer fen; people type and read yuan. Conversion goes through the
 * text, never through floating-point arithmetic, so 0.07 yuan is 7 fen and not 7.000000000000001.
 */
export function yuanToFen(text: string): number | null {
  const s = text.normalize('NFKC').replace(/[¥,\s]/g, '');
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return null;
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return Number.isSafeInteger(fen) ? fen : null;
}

/** 123450 → '1234.50' (for inputs). */
export function fenToYuanText(fen: number): string {
  const neg = fen < 0;
  const a = Math.abs(fen);
  return `${neg ? '-' : ''}${Math.trunc(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

/** 123450 → '¥1,234.50' (for display). */
export function formatFen(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return '—';
  const [int, dec] = fenToYuanText(Math.abs(fen)).split('.');
  return `${fen < 0 ? '-' : ''}¥${int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${dec}`;
}
