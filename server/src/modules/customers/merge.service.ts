import { sql } from 'drizzle-orm';
import { eq } from 'drizzle-orm';
import type { Actor } from '../../kernel/access/actor.js';
import { audit } from '../../kernel/audit/audit.js';
import { type Db, type Queryable, type Tx, rowsOf } from '../../kernel/db/client.js';
import { DomainError } from '../../kernel/errors.js';
import { customerSearchText, getCustomer, lockCustomer, type CustomerDetail } from './customers.service.js';
import { customers } from './customers.tables.js';

/**
 * Merging duplicate customers (合并重复客户, customers.merge: administrator and sales office lead).
 * Merge B (the duplicate) into A (the one that stays):
 * - every row of every table that references customers(id) moves from B to A. The foreign keys are
 *   read from the catalog (pg_constraint) at merge time, NOT listed here, so a module added later
 *   (orders, contracts, activities…) is covered the day its table has a foreign key to customers.
 *   A module whose rows must not simply move (a unique "one per customer" row that would collide)
 *   gets a clear 409 CUSTOMER_MERGE_CONFLICT naming the constraint; it must then add a rule here.
 * - customers' own references are handled explicitly: children of B (parent_id) move to A (A stops
 *   being its own parent if B was A's parent); merged_into_id of customers merged earlier into B
 *   follows to A so no chain points at a dead row.
 * - B becomes status 'merged' with merged_into_id = A and cannot be edited any more; B's name,
 *   short name and aliases become aliases of A (still found by search); A takes B's credit code
 *   when A has none.
 * - both customers are locked FOR UPDATE in id order (two merges cannot deadlock or cross), the
 *   actor must see both; merging into itself or into/from a merged customer is refused.
 * - one audit entry on A with the moved counts per table, one on B.
 */

type ReferencingColumn = { schema: string; table: string; column: string };

/** Single-column foreign keys to customers(id) from other tables, from the catalog. */
export async function columnsReferencingCustomers(db: Queryable): Promise<ReferencingColumn[]> {
  const result = await db.execute(sql`
    select n.nspname as "schema", cl.relname as "table", a.attname as "column"
    from pg_constraint c
    join pg_class cl on cl.oid = c.conrelid
    join pg_namespace n on n.oid = cl.relnamespace
    join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
    where c.contype = 'f' and c.confrelid = 'customers'::regclass and array_length(c.conkey, 1) = 1
      and c.conrelid <> 'customers'::regclass
    order by cl.relname, a.attname`);
  return rowsOf<ReferencingColumn>(result);
}

const target = (c: ReferencingColumn) => sql`${sql.identifier(c.schema)}.${sql.identifier(c.table)}`;
const key = (c: ReferencingColumn) => `${c.table}.${c.column}`;

/** What a merge would move: rows per referencing table.column pointing at the duplicate. */
export async function mergePreview(db: Queryable, actor: Actor, targetId: number, duplicateId: number) {
  const [a, b] = await Promise.all([getCustomer(db, actor, targetId), getCustomer(db, actor, duplicateId)]);
  const counts: Record<string, number> = {};
  for (const c of await columnsReferencingCustomers(db)) {
    const r = rowsOf<{ n: number | string }>(await db.execute(sql`select count(*) as n from ${target(c)} where ${sql.identifier(c.column)} = ${duplicateId}`));
    const n = Number(r[0]?.n ?? 0);
    if (n > 0) counts[key(c)] = n;
  }
  return { target: a, duplicate: b, counts };
}

export async function mergeCustomers(db: Db, actor: Actor, targetId: number, input: { duplicateId: number }): Promise<{ customer: CustomerDetail; moved: Record<string, number> }> {
  const duplicateId = input.duplicateId;
  if (duplicateId === targetId) throw new DomainError('VALIDATION_FAILED', {}, 422, [{ path: 'duplicateId', code: 'CUSTOMER_MERGE_SELF' }]);
  const moved = await db.transaction(async (tx) => {
    const [first, second] = [Math.min(targetId, duplicateId), Math.max(targetId, duplicateId)];
    const locked = new Map([[first, await lockCustomer(tx, actor, first)], [second, await lockCustomer(tx, actor, second)]]);
    const a = locked.get(targetId)!;
    const b = locked.get(duplicateId)!;
    for (const c of [a, b]) if (c.status === 'merged') throw new DomainError('CUSTOMER_MERGED', { code: c.code }, 409);

    // B leaves the unique name / credit code indexes first, so A may take its credit code.
    await tx.update(customers).set({ status: 'merged', mergedIntoId: targetId, version: b.version + 1, updatedAt: new Date() }).where(eq(customers.id, duplicateId));

    const counts: Record<string, number> = {};
    for (const c of await columnsReferencingCustomers(tx)) {
      counts[key(c)] = await moveRows(tx, c, duplicateId, targetId);
    }
    counts['customers.parent_id'] = await countOf(
      tx,
      sql`with m as (update customers set parent_id = case when id = ${targetId} then null else ${targetId}::int end, version = version + 1, updated_at = now()
          where parent_id = ${duplicateId} returning 1) select count(*) as n from m`,
    );
    counts['customers.merged_into_id'] = await countOf(
      tx,
      sql`with m as (update customers set merged_into_id = ${targetId} where merged_into_id = ${duplicateId} and id <> ${duplicateId} returning 1) select count(*) as n from m`,
    );
    for (const k of Object.keys(counts)) if (counts[k] === 0) delete counts[k];

    const aliases = [...new Set([...a.aliases, b.name, ...(b.shortName ? [b.shortName] : []), ...b.aliases])].filter((n) => n && n !== a.name);
    const creditCode = a.creditCode ?? b.creditCode;
    await tx
      .update(customers)
      .set({ aliases, creditCode, searchText: customerSearchText({ ...a, aliases, creditCode }), version: a.version + 1, updatedAt: new Date() })
      .where(eq(customers.id, targetId));
    await audit(tx, actor, {
      action: 'customer.merged',
      entity: 'customer',
      entityId: targetId,
      before: { aliases: a.aliases, creditCode: a.creditCode },
      after: { duplicateId, duplicateCode: b.code, duplicateName: b.name, aliases, creditCode, moved: counts },
    });
    await audit(tx, actor, { action: 'customer.merged_into', entity: 'customer', entityId: duplicateId, before: { status: b.status }, after: { status: 'merged', mergedIntoId: targetId } });
    return counts;
  });
  return { customer: await getCustomer(db, actor, targetId), moved };
}

async function countOf(tx: Tx, query: ReturnType<typeof sql>): Promise<number> {
  return Number(rowsOf<{ n: number | string }>(await tx.execute(query))[0]?.n ?? 0);
}

/** Moves one table's rows; a unique constraint that the move would break becomes a clear 409. */
async function moveRows(tx: Tx, c: ReferencingColumn, from: number, to: number): Promise<number> {
  const col = sql.identifier(c.column);
  try {
    return await countOf(tx, sql`with m as (update ${target(c)} set ${col} = ${to} where ${col} = ${from} returning 1) select count(*) as n from m`);
  } catch (e) {
    const pg = ((e as { cause?: { code?: string; constraint?: string } }).cause ?? e) as { code?: string; constraint?: string };
    if (pg.code === '23505' || pg.code === '23P01') throw new DomainError('CUSTOMER_MERGE_CONFLICT', { table: c.table, constraint: pg.constraint ?? '' }, 409);
    throw e;
  }
}
