import { and, eq, ne, or, sql } from 'drizzle-orm';
import { users } from '../../kernel/access/access.tables.js';
import type { Queryable } from '../../kernel/db/client.js';
import { normaliseCreditCode } from '../../kernel/credit-code.js';
import { DomainError } from '../../kernel/errors.js';
import { normaliseName } from '../../kernel/names.js';
import { customers } from './customers.tables.js';

/**
 * Duplicate customers (DOMAIN.md flow 1): the same unified social credit code is refused, and so is
 * a name that matches an existing customer after normalisation (kernel/names.ts) — both also as
 * unique indexes, so two simultaneous account openings cannot both win. Similar names (trigram
 * similarity of the normalised names) are shown before submission as likely duplicates.
 *
 * The check looks across all customers, not only those the user may see: a rep must learn that the
 * hospital already belongs to a colleague (they see its name, code and owner, nothing more).
 */
export type DuplicateCandidate = {
  id: number;
  code: string;
  name: string;
  creditCode: string | null;
  ownerName: string | null;
  reason: 'credit_code' | 'name' | 'similar_name';
  similarity: number;
};

const SIMILARITY_THRESHOLD = 0.45;

export async function findDuplicateCustomers(
  db: Queryable,
  input: { name?: string | null; creditCode?: string | null; excludeId?: number | null },
  limit = 10,
): Promise<DuplicateCandidate[]> {
  const nameKey = input.name ? normaliseName(input.name) : '';
  const creditCode = input.creditCode ? normaliseCreditCode(input.creditCode) : '';
  if (!nameKey && !creditCode) return [];
  const similarity = nameKey ? sql<number>`similarity(${customers.nameKey}, ${nameKey})` : sql<number>`0::real`;
  const matches = [
    nameKey ? sql`${customers.nameKey} = ${nameKey}` : undefined,
    nameKey ? sql`${customers.nameKey} % ${nameKey}` : undefined,
    creditCode ? eq(customers.creditCode, creditCode) : undefined,
  ].filter((x) => x !== undefined);
  const rows = await db
    .select({
      id: customers.id,
      code: customers.code,
      name: customers.name,
      creditCode: customers.creditCode,
      nameKey: customers.nameKey,
      ownerName: users.displayName,
      similarity,
    })
    .from(customers)
    .leftJoin(users, eq(users.id, customers.ownerId))
    .where(and(ne(customers.status, 'merged'), input.excludeId ? ne(customers.id, input.excludeId) : undefined, or(...matches)))
    .orderBy(sql`${similarity} desc`, customers.id)
    .limit(limit * 3);
  return rows
    .map(({ nameKey: key, ...r }) => ({
      ...r,
      similarity: Number(r.similarity),
      reason: (creditCode && r.creditCode === creditCode ? 'credit_code' : key === nameKey ? 'name' : 'similar_name') as DuplicateCandidate['reason'],
    }))
    .filter((r) => r.reason !== 'similar_name' || r.similarity >= SIMILARITY_THRESHOLD)
    .sort((a, b) => rank(a.reason) - rank(b.reason) || b.similarity - a.similarity)
    .slice(0, limit);
}

function rank(reason: DuplicateCandidate['reason']): number {
  return reason === 'credit_code' ? 0 : reason === 'name' ? 1 : 2;
}

/** Refuses a customer that would duplicate another by credit code or normalised name. */
export async function assertNotDuplicate(db: Queryable, input: { name: string; creditCode?: string | null; excludeId?: number | null }): Promise<void> {
  const hits = (await findDuplicateCustomers(db, input, 3)).filter((d) => d.reason !== 'similar_name');
  const hit = hits[0];
  if (!hit) return;
  throw duplicateError(hit.reason === 'credit_code' ? 'creditCode' : 'name', hit);
}

export function duplicateError(field: 'creditCode' | 'name', hit: { name: string; code: string; ownerName?: string | null }): DomainError {
  const code = field === 'creditCode' ? 'CUSTOMER_DUPLICATE_CREDIT_CODE' : 'CUSTOMER_DUPLICATE_NAME';
  const params = { name: hit.name, code: hit.code, owner: hit.ownerName ?? '-' };
  return new DomainError(code, params, 409, [{ path: field, code, params }]);
}
