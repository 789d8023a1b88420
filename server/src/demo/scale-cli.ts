// `npm run demo:scale -- --scale 1`: grows the configured database (DATABASE_URL, else DATA_DIR) into
// a company at scale — migrations, reference data and the demo company first, as a start would.
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { openDatabase } from '../kernel/db/client.js';
import { applyMigrations } from '../kernel/db/migrate.js';
import { loadDemoCompany } from './demo-company.js';
import { seedReferenceData } from './reference-data.js';
import { describeScaleResult, generateCompany } from './scale.js';

const { values } = parseArgs({ options: { scale: { type: 'string', default: '1' } } });
const scale = Number(values.scale);
if (!Number.isInteger(scale) || scale < 1) {
  console.error(`--scale must be a positive integer, got "${values.scale}"`);
  process.exit(2);
}

const config = loadConfig();
const database = await openDatabase(config.databaseUrl ? { url: config.databaseUrl } : { dataDir: config.dataDir });
try {
  await applyMigrations(database);
  await seedReferenceData(database.db);
  await loadDemoCompany(database.db);
  const result = await generateCompany(database.db, { scale });
  const where = config.databaseUrl ? `PostgreSQL (${new URL(config.databaseUrl).host}${new URL(config.databaseUrl).pathname})` : `PGlite in ${config.dataDir}`;
  console.log(describeScaleResult(result, where));
} finally {
  await database.close();
}
