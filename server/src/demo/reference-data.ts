import { count, sql } from 'drizzle-orm';
import { roles, territories } from '../kernel/access/access.tables.js';
import { audit } from '../kernel/audit/audit.js';
import { systemActor } from '../kernel/access/actor.js';
import type { Db } from '../kernel/db/client.js';
import { chinaTerritories } from '../modules/territories/territories.data.js';
import { BUILTIN_ROLES } from './builtin-roles.js';

/** Data every installation needs, demo or not: the territory tree and the builtin roles. Idempotent. */
export async function seedReferenceData(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(7291004)`);
    const [{ n }] = await tx.select({ n: count() }).from(territories);
    if (Number(n) === 0) {
      const rows = chinaTerritories();
      for (let i = 0; i < rows.length; i += 1000) await tx.insert(territories).values(rows.slice(i, i + 1000));
      await audit(tx, systemActor(), { action: 'territories.loaded', entity: 'territory', after: { count: rows.length } });
    }
    const inserted = await tx
      .insert(roles)
      .values(BUILTIN_ROLES.map((r) => ({ ...r, builtin: true })))
      .onConflictDoNothing({ target: roles.code })
      .returning({ id: roles.id, code: roles.code });
    for (const r of inserted) await audit(tx, systemActor(), { action: 'role.created', entity: 'role', entityId: r.id, after: r });
  });
}
