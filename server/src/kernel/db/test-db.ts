import { randomBytes } from 'node:crypto';
import { seedReferenceData } from '../../demo/reference-data.js';
import { type Database, openDatabase } from './client.js';
import { applyMigrations } from './migrate.js';
import { withAdminClient } from './admin-client.js';

/**
 * A fresh database for one test file: PGlite in memory (default), or, when DATABASE_URL is set,
 * a new PostgreSQL database cloned from the template that the global set-up migrated. Either way
 * it holds the migrations and the reference data (territories, builtin roles) and nothing else.
 */
export const TEMPLATE_DB = 'rxdesk_test_template';

export async function createTestDatabase(): Promise<Database & { name: string }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const database = await openDatabase({ memory: true });
    await applyMigrations(database);
    await seedReferenceData(database.db);
    return { ...database, name: 'pglite-memory' };
  }
  const name = `rxdesk_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdminClient(url, (c) => c.query(`create database ${name} template ${TEMPLATE_DB}`));
  const target = new URL(url);
  target.pathname = `/${name}`;
  const database = await openDatabase({ url: target.toString() });
  return {
    ...database,
    name,
    close: async () => {
      await database.close();
      await withAdminClient(url, (c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
}

/** Builds the migrated template database once per test run (called by the global set-up). */
export async function prepareTemplateDatabase(url: string): Promise<void> {
  await withAdminClient(url, async (c) => {
    await c.query(`drop database if exists ${TEMPLATE_DB} with (force)`);
    await c.query(`create database ${TEMPLATE_DB}`);
  });
  const target = new URL(url);
  target.pathname = `/${TEMPLATE_DB}`;
  const database = await openDatabase({ url: target.toString() });
  try {
    await applyMigrations(database);
    await seedReferenceData(database.db);
  } finally {
    await database.close();
  }
}

