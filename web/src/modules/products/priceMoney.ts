import { fenToYuanText, parseYuanText } from '../../shared/money';

export { fenToYuanText };

/**
 * Prices cross the API as whole fen in a string (the server keeps bigint); people type yuan with
 * up to two decimals (shared/money.ts parses, exactly): '0.07' is 7 fen; '12.345' (a fraction of a
 * fen), '-1', 0 and more than 12 integer digits are refused.
 */
export function yuanTextToFen(text: string): string | null {
  const fen = parseYuanText(text, { maxIntegerDigits: 12 });
  return fen !== null && fen > 0n ? fen.toString() : null;
}
