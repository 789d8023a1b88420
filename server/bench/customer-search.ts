// The customer search of issue 4 on a company at scale: which initials to search for, and how
// PostgreSQL runs the list's two queries (count and page) for a rep, a regional manager and the office.
import { and, asc, count, eq, sql } from 'drizzle-orm';
import { loadActor } from '../src/kernel/access/actor.js';
import { users } from '../src/kernel/access/access.tables.js';
import { type Db, rowsOf } from '../src/kernel/db/client.js';
import { initialsOf } from '../src/kernel/pinyin.js';
import { customerScope } from '../src/modules/customers/customers.scope.js';
import { customerFilterCondition, listQuery } from '../src/modules/customers/customers.service.js';
import { customers } from '../src/modules/customers/customers.tables.js';

/** The first 4 pinyin initials (3 when the name is short) of a random customer of `repUsername`. */
export async function pickSearchInitials(db: Db, repUsername: string): Promise<{ initials: string; name: string }> {
  const [row] = rowsOf<{ name: string }>(
    await db.execute(sql`select c.name from customers c join users u on u.id = c.owner_id where u.username = ${repUsername} order by random() limit 1`),
  );
  if (!row) throw new Error(`rep ${repUsername} owns no customers: was the company generated?`);
  const all = initialsOf(row.name).replace(/[^a-z0-9]/g, '');
  return { initials: all.slice(0, all.length >= 6 ? 4 : 3), name: row.name };
}

/** EXPLAIN (ANALYZE, BUFFERS) of the count and of page 1 of GET /api/customers?q=… as each user. */
export async function explainCustomerSearch(db: Db, q: string, who: Record<string, string>): Promise<string> {
  const out: string[] = [];
  for (const [label, username] of Object.entries(who)) {
    const [u] = await db.select({ id: users.id }).from(users).where(eq(users.username, username));
    const actor = await loadActor(db, u!.id);
    const where = and(customerScope(actor!), customerFilterCondition({ q }));
    const queries = {
      count: db.select({ n: count() }).from(customers).where(where).toSQL(),
      page: listQuery(db, where).orderBy(asc(customers.id)).limit(20).offset(0).toSQL(),
    };
    for (const [part, query] of Object.entries(queries)) {
      const plan = rowsOf<Record<string, string>>(await db.execute(sql.raw(`explain (analyze, buffers, costs off) ${inline(query.sql, query.params)}`)));
      out.push(`-- ${label} (${username}), ${part}`, ...plan.map((r) => Object.values(r)[0]!), '');
    }
  }
  return out.join('\n');
}

/** The statement with its parameters written in, for EXPLAIN (which takes no bind parameters here). */
export function inline(text: string, params: unknown[]): string {
  return text.replace(/\$(\d+)/g, (_, n: string) => {
    const v = params[Number(n) - 1];
    if (typeof v === 'number' || typeof v === 'bigint') return String(v);
    if (v === null || v === undefined) return 'null';
    return `'${String(v).replace(/'/g, "''")}'`;
  });
}
