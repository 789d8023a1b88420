import { z } from 'zod';

/**
 * Money crosses the API as a string of whole fen ("123450" = ¥1,234.50): a bigint does not fit a
 * JSON number safely, and a string never tempts a client into float arithmetic. Every module uses
 * these two (prices keep their own stricter `fenString`: a price is above 0).
 */
export const fenAmount = z.string().regex(/^(0|[1-9]\d{0,15})$/, { message: 'money.fen' }).transform((v) => BigInt(v));

/** bigint fen → the API's string. */
export const fenText = (fen: bigint | number): string => BigInt(fen).toString();
