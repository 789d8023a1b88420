import { and, eq, sql } from 'drizzle-orm';
import type { Actor } from '../../kernel/access/actor.js';
import { rowsOf, type Queryable } from '../../kernel/db/client.js';
import { notFound } from '../../kernel/errors.js';
import { customerScope } from '../customers/customers.scope.js';
import { customers } from '../customers/customers.tables.js';
import type { PriceKind } from './products.tables.js';

/**
 * Which price a customer pays for a product on a day — the one place this is decided.
 *
 * Only prices valid on that day count (valid_from ≤ day ≤ valid_to, valid_to null = open-ended).
 * Precedence, first match wins:
 *
 *  1. named_customer  — a supply price (供货价) for this very customer;
 *  2. region_and_type — a supply price for the customer's type AND a territory containing the customer;
 *  3. region          — a supply price for a territory containing the customer (any type);
 *  4. customer_type   — a supply price for the customer's type (anywhere);
 *  5. tender          — the tender price (中标价) of the customer's province, for hospital and clinic
 *                       terminals only (distributors and pharmacies do not buy at tender prices);
 *  6. ex_factory      — the ex-factory price (出厂价).
 *
 * Within levels 2 and 3 the most specific territory wins: county > city > province ("a province
 * covers its cities": a price for 广东省 applies to a customer in 广州市天河区 unless 广州市 has one).
 * Two prices of one kind, product and target never overlap (exclusion constraint prices_no_overlap),
 * so each level has at most one price per territory. Retail guide prices (零售指导价) are reference
 * prices for pharmacies and never resolve a selling price.
 *
 * No match: { found: false } (NO_PRICE) — the caller decides (an order line cannot be priced).
 */
export const PRICE_RULES = ['named_customer', 'region_and_type', 'region', 'customer_type', 'tender', 'ex_factory'] as const;
export type PriceRule = (typeof PRICE_RULES)[number];

const TENDER_TERMINALS = new Set(['hospital', 'clinic']);
const LEVEL_DEPTH: Record<string, number> = { province: 1, city: 2, county: 3 };

export type PriceCandidate = {
  priceId: number;
  kind: PriceKind;
  rule: PriceRule;
  amountFen: bigint;
  validFrom: string;
  validTo: string | null;
  territory: { id: string; name: string; level: string } | null;
  customerType: string | null;
  tenderName: string | null;
};

export type ResolvedPrice = {
  found: boolean;
  amountFen: bigint | null;
  source: PriceCandidate | null;
  /** Every price that applies on the day, best first (the winner is the first). */
  candidates: PriceCandidate[];
  customer: { id: number; name: string; type: string; territoryPath: string };
};

type Row = {
  id: number;
  kind: PriceKind;
  amount_fen: string;
  valid_from: string;
  valid_to: string | null;
  customer_type: string | null;
  territory_id: string | null;
  customer_id: number | null;
  tender_name: string | null;
  territory_name: string | null;
  territory_level: string | null;
  territory_path: string | null;
};

function ruleOf(row: Row, customer: { id: number; type: string; territoryPath: string }): PriceRule | null {
  const inTerritory = row.territory_path !== null && customer.territoryPath.startsWith(row.territory_path);
  switch (row.kind) {
    case 'ex_factory':
      return 'ex_factory';
    case 'tender':
      return TENDER_TERMINALS.has(customer.type) && row.territory_level === 'province' && inTerritory ? 'tender' : null;
    case 'supply':
      if (row.customer_id !== null) return row.customer_id === customer.id ? 'named_customer' : null;
      if (row.customer_type !== null && row.customer_type !== customer.type) return null;
      if (row.territory_id !== null && !inTerritory) return null;
      if (row.customer_type !== null && row.territory_id !== null) return 'region_and_type';
      return row.territory_id !== null ? 'region' : 'customer_type';
    default:
      return null;
  }
}

/**
 * Resolves the price of a product for a customer on a day. With an actor, the customer must be in
 * the actor's data scope (404 otherwise); without one (system callers such as order pricing) it is not checked.
 */
export async function resolvePrice(db: Queryable, input: { customerId: number; productId: number; on: string }, actor?: Actor): Promise<ResolvedPrice> {
  const [customer] = await db
    .select({ id: customers.id, name: customers.name, type: customers.type, territoryPath: customers.territoryPath })
    .from(customers)
    .where(and(eq(customers.id, input.customerId), actor ? customerScope(actor) : undefined));
  if (!customer) throw notFound();
  // One query: every price of the product valid on the day whose target could concern this customer.
  const rows = rowsOf<Row>(
    await db.execute(sql`
      select p.id, p.kind, p.amount_fen::text as amount_fen, p.valid_from::text as valid_from, p.valid_to::text as valid_to,
             p.customer_type, p.territory_id, p.customer_id, p.tender_name,
             t.name as territory_name, t.level as territory_level, t.path as territory_path
      from prices p left join territories t on t.id = p.territory_id
      where p.product_id = ${input.productId}
        and p.kind in ('ex_factory', 'supply', 'tender')
        and p.valid_from <= ${input.on}::date and (p.valid_to is null or p.valid_to >= ${input.on}::date)
        and (p.customer_id is null or p.customer_id = ${customer.id})
        and (p.territory_id is null or ${customer.territoryPath} like t.path || '%')`),
  );
  const candidates: (PriceCandidate & { depth: number })[] = [];
  for (const row of rows) {
    const rule = ruleOf(row, customer);
    if (!rule) continue;
    candidates.push({
      priceId: row.id,
      kind: row.kind,
      rule,
      amountFen: BigInt(row.amount_fen),
      validFrom: row.valid_from,
      validTo: row.valid_to,
      territory: row.territory_id ? { id: row.territory_id, name: row.territory_name ?? '', level: row.territory_level ?? '' } : null,
      customerType: row.customer_type,
      tenderName: row.tender_name,
      depth: row.territory_level ? (LEVEL_DEPTH[row.territory_level] ?? 0) : 0,
    });
  }
  candidates.sort((a, b) => PRICE_RULES.indexOf(a.rule) - PRICE_RULES.indexOf(b.rule) || b.depth - a.depth || a.priceId - b.priceId);
  const sorted = candidates.map(({ depth: _, ...c }) => c);
  const source = sorted[0] ?? null;
  return { found: source !== null, amountFen: source?.amountFen ?? null, source, candidates: sorted, customer };
}
