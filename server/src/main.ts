// Start: config → database → migrations → demo company (first start only) → HTTP.
import { loadConfig } from './config.js';
import { configureSecrets } from './kernel/secrets.js';
import { buildApp } from './app.js';
import { openDatabase } from './kernel/db/client.js';
import { applyMigrations } from './kernel/db/migrate.js';
import { purgeStaleLoginData } from './kernel/auth/auth.service.js';
import { DEMO_PASSWORD, loadDemoCompany } from './demo/demo-company.js';
import { seedReferenceData } from './demo/reference-data.js';

const config = loadConfig();
configureSecrets(config.dataDir);
const database = await openDatabase(config.databaseUrl ? { url: config.databaseUrl } : { dataDir: config.dataDir });
await applyMigrations(database);
await seedReferenceData(database.db);
await purgeStaleLoginData(database.db);
const demo = config.loadDemo ? await loadDemoCompany(database.db) : null;

const app = await buildApp({ db: database.db, config }, { logger: true });
app.scheduler.start();
await app.listen({ port: config.port, host: config.host });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : config.port;

const where = config.databaseUrl ? `PostgreSQL (${new URL(config.databaseUrl).host})` : `embedded PGlite in ${config.dataDir}`;
console.log(`\nRxDesk is running at http://localhost:${port}  (API docs: http://localhost:${port}/api/docs)`);
console.log(`Database: ${where}`);
if (demo) {
  console.log(`Demo company ${demo.created ? 'loaded' : 'already present'}. Logins (password ${DEMO_PASSWORD} for all):`);
  for (const u of demo.logins) console.log(`  ${u.username.padEnd(16)} ${u.role}`);
}
console.log('');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    await app.close();
    await database.close();
    process.exit(0);
  });
}
