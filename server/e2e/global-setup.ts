import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadDemoCompany } from '../src/demo/demo-company.js';
import { seedReferenceData } from '../src/demo/reference-data.js';
import { openDatabase } from '../src/kernel/db/client.js';
import { applyMigrations } from '../src/kernel/db/migrate.js';
import { configureSecrets } from '../src/kernel/secrets.js';

/**
 * Builds once per browser-test run what a first `npm start` builds on an empty data directory
 * (migrations, reference data, the demo company), so that each test file starts its server on a copy
 * (harness.ts startProduct) instead of loading the demo again. The copy is exactly a first start's data.
 */
export async function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rxdesk-e2e-template-'));
  configureSecrets(dir);
  const database = await openDatabase({ dataDir: dir });
  await applyMigrations(database);
  await seedReferenceData(database.db);
  await loadDemoCompany(database.db);
  await database.close();
  process.env.RXDESK_E2E_TEMPLATE = dir;
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
