import { parseYuanText } from '../../shared/money';
import type { OrderLineInput } from './orders.api';

/** One line of the entry form as typed: money as yuan text, empty price = the list price. */
export interface DraftLine {
  key: number;
  productId?: number;
  quantity?: number | null;
  priceYuan: string;
  discountYuan: string;
  reason: string;
}

let nextKey = 1;
export const emptyLine = (): DraftLine => ({ key: nextKey++, priceYuan: '', discountYuan: '', reason: '' });

/** The unit price a line will have in fen: the typed one, else the list price; null when neither is known. */
export function unitPriceOf(line: DraftLine, listPriceFen: string | null | undefined): bigint | null {
  if (line.priceYuan.trim()) return parseYuanText(line.priceYuan);
  return listPriceFen ? BigInt(listPriceFen) : null;
}

/** quantity × unit price − discount, as the server computes it (fen); null when not computable yet. */
export function lineAmount(line: DraftLine, listPriceFen: string | null | undefined): bigint | null {
  const price = unitPriceOf(line, listPriceFen);
  if (price === null || !line.quantity) return null;
  const discount = line.discountYuan.trim() ? parseYuanText(line.discountYuan) : 0n;
  if (discount === null) return null;
  return BigInt(line.quantity) * price - discount;
}

/**
 * A typed price other than the list price needs a reason (the server refuses it otherwise); so does a
 * product known to have no list price (null). While the list price is still loading (undefined) an
 * untyped price asks for nothing, so fast typing is not sent into the reason cell.
 */
export function needsReason(line: DraftLine, listPriceFen: string | null | undefined): boolean {
  if (!line.priceYuan.trim()) return listPriceFen === null && !!line.productId;
  const typed = parseYuanText(line.priceYuan);
  return typed !== null && (listPriceFen == null || typed !== BigInt(listPriceFen));
}

/** The lines to send: blank rows dropped, empty price and discount left to the server's defaults. */
export function linesToInput(lines: DraftLine[]): OrderLineInput[] {
  return lines
    .filter((l) => l.productId)
    .map((l) => {
      const price = l.priceYuan.trim() ? parseYuanText(l.priceYuan) : null;
      const discount = l.discountYuan.trim() ? parseYuanText(l.discountYuan) : null;
      return {
        productId: l.productId!,
        quantity: l.quantity ?? 0,
        unitPriceFen: price === null ? undefined : price.toString(),
        discountFen: discount === null ? undefined : discount.toString(),
        priceOverrideReason: l.reason.trim() || undefined,
      };
    });
}
