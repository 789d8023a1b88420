import path from 'node:path';
import { sql } from 'drizzle-orm';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { repoRoot } from '../../config.js';
import type { Database } from './client.js';

export const migrationsFolder = path.join(repoRoot, 'server', 'drizzle');

/** Applies the committed SQL migrations. On PostgreSQL an advisory lock makes concurrent starts take turns. */
export async function applyMigrations(database: Database): Promise<void> {
  if (database.kind === 'pglite') {
    await migratePglite(database.db as never, { migrationsFolder });
    return;
  }
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(7291001)`);
    await migratePg(tx as never, { migrationsFolder });
  });
}
