import { inArray, sql } from 'drizzle-orm';
import { rowsOf, type Queryable } from '../../kernel/db/client.js';
import { formatMoney } from '../../kernel/money.js';
import { translate, type Locale } from '../../kernel/i18n.js';
import { KIND_NAMES, checkCustomerEligibility } from '../customers/qualifications.js';
import { creditStatus } from '../finance/credit.js';
import { resolvePrice } from '../products/price-resolution.js';
import { products } from '../products/products.tables.js';
import { availableStock } from '../stock/stock.ledger.js';
import type { OrderProblem } from './orders.tables.js';

/**
 * The checks an order passes on submission (DOMAIN.md flow 2). Each finding is an OrderProblem with a
 * stable code (message ORDER_PROBLEM_<CODE> in kernel/i18n.ts, zh-CN and en-US). Rules:
 * - customer_inactive / customer_unqualified: GSP — never sell to a customer that is not active or whose
 *   required qualifications (checkCustomerEligibility) are missing or expired on the day of submission.
 * - product_inactive / product_not_priced: "product allowed for this customer" = the product is active
 *   AND a price list / contract price (resolvePrice) applies to this customer on the order date.
 *   A product no price rule reaches for the customer is not on sale to them.
 * - price_override: the unit price differs from the resolved list price (the reason typed on the line
 *   goes with the problem); price_discount: a discount on the line (a price below the list, too).
 * - credit_limit: the customer's exposure without this order (receivable + uninvoiced, credit.ts) plus
 *   this order's total exceeds the credit limit (a limit of 0 = cash in advance: every order exceeds).
 * - overdue: the customer has overdue receivables (overdueFen > 0).
 * - stock_short: available stock of a product (all lines of it together) is below the quantity. This is
 *   NOT a reason for approval: the order is flagged 缺货 and the missing part stays back-ordered at release.
 * Any problem other than stock_short makes the order 异常订单: it goes to the approval flow instead of
 * straight to the office review. creditProblem (credit_limit or overdue) routes it via finance too.
 */
export const PROBLEM_CODES = [
  'customer_inactive',
  'customer_unqualified',
  'product_inactive',
  'product_not_priced',
  'price_override',
  'price_discount',
  'credit_limit',
  'overdue',
  'stock_short',
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

/** Findings that only inform (back-order), never send the order to approval. */
const INFORMATIONAL = new Set<string>(['stock_short']);
const CREDIT = new Set<string>(['credit_limit', 'overdue']);

export const needsApproval = (problems: OrderProblem[]) => problems.some((p) => !INFORMATIONAL.has(p.code));
export const hasCreditProblem = (problems: OrderProblem[]) => problems.some((p) => CREDIT.has(p.code));
export const hasShortage = (problems: OrderProblem[]) => problems.some((p) => p.code === 'stock_short');

export type CheckedOrder = {
  id: number;
  customerId: number;
  orderDate: string;
  totalFen: bigint;
  lines: { lineNo: number; productId: number; quantity: number; unitPriceFen: bigint; discountFen: bigint; priceOverrideReason: string | null }[];
};

export async function checkOrder(db: Queryable, order: CheckedOrder, today: string): Promise<OrderProblem[]> {
  const problems: OrderProblem[] = [];
  const [customer] = rowsOf<{ name: string; status: string }>(await db.execute(sql`select name, status from customers where id = ${order.customerId}`));
  if (customer?.status !== 'active') problems.push({ code: 'customer_inactive', params: { status: customer?.status ?? '' } });
  const eligibility = await checkCustomerEligibility(db, order.customerId, today);
  if (!eligibility.eligible) {
    problems.push({ code: 'customer_unqualified', params: { kinds: eligibility.problems.map((p) => p.kind), details: eligibility.problems } });
  }

  const productIds = [...new Set(order.lines.map((l) => l.productId))];
  const productRows = productIds.length
    ? await db.select({ id: products.id, status: products.status, name: sql<string>`${products.genericName} || ' ' || ${products.specification}` }).from(products).where(inArray(products.id, productIds))
    : [];
  const productOf = new Map(productRows.map((p) => [p.id, p]));
  for (const line of order.lines) {
    const product = productOf.get(line.productId);
    const name = product?.name ?? String(line.productId);
    if (product?.status !== 'active') problems.push({ code: 'product_inactive', lineNo: line.lineNo, params: { product: name } });
    const price = await resolvePrice(db, { customerId: order.customerId, productId: line.productId, on: order.orderDate });
    if (!price.found || price.amountFen === null) {
      problems.push({ code: 'product_not_priced', lineNo: line.lineNo, params: { product: name } });
    } else if (price.amountFen !== line.unitPriceFen) {
      problems.push({
        code: 'price_override',
        lineNo: line.lineNo,
        params: { product: name, listPriceFen: price.amountFen.toString(), unitPriceFen: line.unitPriceFen.toString(), reason: line.priceOverrideReason ?? '' },
      });
    }
    if (line.discountFen > 0n) problems.push({ code: 'price_discount', lineNo: line.lineNo, params: { product: name, discountFen: line.discountFen.toString() } });
  }

  const credit = (await creditStatus(db, [order.customerId], today, order.id)).get(order.customerId);
  if (credit) {
    if (credit.exposureFen + order.totalFen > credit.limitFen) {
      problems.push({
        code: 'credit_limit',
        params: { limitFen: credit.limitFen.toString(), exposureFen: credit.exposureFen.toString(), orderFen: order.totalFen.toString(), excessFen: (credit.exposureFen + order.totalFen - credit.limitFen).toString() },
      });
    }
    if (credit.overdueFen > 0n) problems.push({ code: 'overdue', params: { overdueFen: credit.overdueFen.toString(), days: credit.oldestOverdueDays } });
  }

  const available = await availableStock(db, productIds, today);
  const wanted = new Map<number, number>();
  for (const l of order.lines) wanted.set(l.productId, (wanted.get(l.productId) ?? 0) + l.quantity);
  for (const line of order.lines) {
    const have = available.get(line.productId) ?? 0;
    const need = wanted.get(line.productId)!;
    if (have < need) {
      problems.push({ code: 'stock_short', lineNo: line.lineNo, params: { product: productOf.get(line.productId)?.name ?? '', available: Math.max(have, 0), requested: need } });
      wanted.set(line.productId, -Infinity); // one finding per product
    }
  }
  return problems;
}

/** The facts the sales_order approval flows test (reference-data.ts seeds creditProblem = true → finance too). */
export function approvalFacts(problems: OrderProblem[], totalFen: bigint) {
  return { creditProblem: hasCreditProblem(problems), problems: problems.map((p) => p.code), totalFen: Number(totalFen) };
}

/** One problem as a sentence in the reader's language (shown on the order and to the approvers). */
export function problemMessage(p: OrderProblem, locale: Locale): string {
  const params: Record<string, unknown> = { ...(p.params ?? {}) };
  for (const k of Object.keys(params)) if (k.endsWith('Fen') && typeof params[k] === 'string') params[k] = formatMoney(BigInt(params[k] as string));
  if (Array.isArray(params.kinds)) {
    params.kinds = (params.kinds as string[]).map((k) => KIND_NAMES[k as keyof typeof KIND_NAMES]?.[locale] ?? k).join(locale === 'zh-CN' ? '、' : ', ');
  }
  const text = translate(`ORDER_PROBLEM_${p.code.toUpperCase()}`, locale, params);
  if (p.lineNo === undefined) return text;
  return locale === 'zh-CN' ? `第 ${p.lineNo} 行：${text}` : `Line ${p.lineNo}: ${text}`;
}
