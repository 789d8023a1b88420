// `npm run audit:verify`: checks the audit hash chain of the configured database and exits 1 on any problem.
import { loadConfig } from '../../config.js';
import { openDatabase } from '../db/client.js';
import { verifyAuditChain } from './audit.js';

const config = loadConfig();
const database = await openDatabase(config.databaseUrl ? { url: config.databaseUrl } : { dataDir: config.dataDir });
try {
  const report = await verifyAuditChain(database.db);
  if (report.ok) {
    console.log(`audit log OK: ${report.checked} entries, chain intact`);
  } else {
    console.log(`audit log DAMAGED: ${report.problems.length} problem(s) in ${report.checked} entries`);
    for (const p of report.problems) console.log(`  seq ${p.seq}: ${p.problem}`);
    process.exitCode = 1;
  }
} finally {
  await database.close();
}
