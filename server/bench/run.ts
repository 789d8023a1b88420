// `npm run bench [-- --scale N --duration S --connections C]`, `npm run bench -- crm` for the CRM bench (bench/crm.ts), `npm run bench -- orders` for order submit (bench/orders.ts)
//
// Builds a company at scale in a throwaway database (PGlite under the OS temp dir, or a fresh
// `rxdesk_bench` database on the DATABASE_URL server, dropped afterwards), starts the real RxDesk
// server and a bare Fastify app as child processes, loads both over loopback with autocannon and
// prints req/s and latency of each scenario next to the bare route's. The figures are written into
// docs/benchmarks.md between the bench:results markers, one block per database kind and scale.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { repoRoot } from '../src/config.js';
import { DEMO_PASSWORD, loadDemoCompany } from '../src/demo/demo-company.js';
import { seedReferenceData } from '../src/demo/reference-data.js';
import { describeScaleResult, generateCompany, SCALE_PASSWORD } from '../src/demo/scale.js';
import { openDatabase, rowsOf } from '../src/kernel/db/client.js';
import { applyMigrations } from '../src/kernel/db/migrate.js';
import { runCrmBench } from './crm.js';
import { runOrdersBench } from './orders.js';
import { explainCustomerSearch, pickSearchInitials } from './customer-search.js';
import { cleanUp, type Figures, login, measure, type Scenario, startChild, table, waitUntilAnswering, benchDatabase } from './harness.js';

const docsFile = path.join(repoRoot, 'docs', 'benchmarks.md');
/** BENCH_DB lets two people bench on one PostgreSQL server without dropping each other's database. */
const BENCH_DB = process.env.BENCH_DB || 'rxdesk_bench';
const START = '<!-- bench:results:start -->';
const END = '<!-- bench:results:end -->';

// ---------------------------------------------------------------------------------------------
// Options: --scale/--duration/--connections (`npm run bench -- --scale 10` from the repository root),
// or BENCH_SCALE… in the environment.

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    scale: { type: 'string' },
    duration: { type: 'string' },
    connections: { type: 'string' },
    'skip-docs': { type: 'boolean', default: false },
  },
});
/** `npm run bench -- crm`: the CRM bench of issue 5 (bench/crm.ts) instead of the base scenarios. */
const crmBench = positionals[0] === 'crm';
/** `npm run bench -- orders`: order submit with 50 users on 1 M order lines (bench/orders.ts). */
const ordersBench = positionals[0] === 'orders';
if (positionals.length > (crmBench || ordersBench ? 1 : 0)) {
  console.error(
    `unexpected argument(s) ${positionals.join(' ')}: write npm run bench -- --scale 10, npm run bench -- crm, npm run bench -- orders, or BENCH_SCALE=10`,
  );
  process.exit(2);
}
const options = {
  scale: intOption('scale', values.scale, 1),
  duration: intOption('duration', values.duration, 10),
  connections: intOption('connections', values.connections, 20),
  writeDocs: !(values['skip-docs'] || process.env.npm_config_skip_docs === 'true' || process.env.BENCH_SKIP_DOCS === '1'),
};
const warmupSeconds = Math.max(1, Math.min(2, Math.floor(options.duration / 5)));

function intOption(name: string, given: string | undefined, fallback: number): number {
  const raw = given ?? process.env[`BENCH_${name.toUpperCase()}`] ?? process.env[`npm_config_${name}`];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got "${raw}"`);
  return n;
}

// ---------------------------------------------------------------------------------------------
// The database: fresh, migrated, reference data, demo company, then the company at scale.

type Prepared = {
  kind: 'pglite' | 'postgres';
  label: string;
  serverEnv: Record<string, string>;
  users: number;
  surname: string;
  managerScopeRows: number;
  customers: number;
  /** Pinyin initials (3–4 letters) of a random customer of rep r00001: the customer-search query. */
  initials: string;
  initialsOf: string;
  explain: string;
};

async function prepareDatabase(): Promise<Prepared> {
  const { adminUrl, target, serverEnv } = await benchDatabase(BENCH_DB, 'rxdesk-bench-');

  const database = await openDatabase(target);
  try {
    await applyMigrations(database);
    await seedReferenceData(database.db);
    await loadDemoCompany(database.db);
    const generated = await generateCompany(database.db, { scale: options.scale });
    console.log(describeScaleResult(generated, database.kind === 'postgres' ? `PostgreSQL ${BENCH_DB}` : 'PGlite'));
    await database.db.execute(sql`analyze`); // as autovacuum would soon after a bulk load
    const [{ version }] = rowsOf<{ version: string }>(await database.db.execute(sql`select version()`));
    const [{ n }] = rowsOf<{ n: number }>(await database.db.execute(sql`select count(*)::int as n from users`));
    // The search scenario looks for the most common surname in the regional manager's region.
    const [top] = rowsOf<{ surname: string; n: number }>(
      await database.db.execute(sql`
        select left(u.display_name, 1) as surname, count(*)::int as n
        from users u join departments d on d.id = u.department_id
        where d.path like (select rd.path || '%' from users m join departments rd on rd.id = m.department_id where m.username = ${generated.sampleLogins.regionalManager})
        group by 1 order by 2 desc, 1 limit 1`),
    );
    const pgVersion = version.match(/PostgreSQL [\d.]+/)?.[0] ?? version;
    const label = database.kind === 'postgres' ? `${pgVersion} (${new URL(adminUrl!).host})` : `PGlite (embedded, ${pgVersion})`;
    const [{ c }] = rowsOf<{ c: number }>(await database.db.execute(sql`select count(*)::int as c from customers`));
    const picked = await pickSearchInitials(database.db, generated.sampleLogins.rep);
    const explain = await explainCustomerSearch(database.db, picked.initials, {
      rep: generated.sampleLogins.rep,
      manager: generated.sampleLogins.regionalManager,
      office: 'office',
    });
    console.log(`customer search: q=${picked.initials} (initials of ${picked.name})\n${explain}`);
    return { kind: database.kind, label, serverEnv, users: n, surname: top.surname, managerScopeRows: top.n, customers: c, initials: picked.initials, initialsOf: picked.name, explain };
  } finally {
    await database.close(); // PGlite admits one process: the server child opens the directory next
  }
}


// ---------------------------------------------------------------------------------------------
// docs/benchmarks.md: one block per database kind and scale between the results markers.

function writeDocs(prepared: Prepared, figures: Figures[]): void {
  const key = `${prepared.kind} scale=${options.scale}`;
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  const block = [
    `<!-- bench:run ${key} -->`,
    `### ${prepared.kind === 'postgres' ? 'PostgreSQL' : 'PGlite'}, scale ${options.scale}`,
    '',
    `- date: ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`,
    `- machine: ${os.availableParallelism()} CPUs (nproc; ${cpu}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB memory, ${os.type()} ${os.release()}`,
    `- node ${process.version}; database ${prepared.label}`,
    `- data: scale ${options.scale} = ${prepared.users} users (demo company + generated org), ${prepared.customers} customers; customer search q=${prepared.initials} (initials of ${prepared.initialsOf})`,
    `- 1-minute load average ${loadAverage.before.toFixed(2)} before and ${loadAverage.after.toFixed(2)} after the run (other work on the machine skews the figures)`,
    `- load: autocannon over loopback, ${options.connections} connections, ${options.duration} s per scenario after a ${warmupSeconds} s warm-up; ` +
      `server and load generator share the machine`,
    '',
    table(figures),
    '<!-- bench:run:end -->',
  ].join('\n');

  let text = fs.existsSync(docsFile) ? fs.readFileSync(docsFile, 'utf8') : '# Benchmarks\n';
  if (!text.includes(START) || !text.includes(END)) text = `${text.trimEnd()}\n\n## Results\n\n${START}\n${END}\n`;
  const [before, rest] = text.split(START);
  const [inside, after] = rest.split(END);
  const blocks = new Map<string, string>();
  for (const m of inside.matchAll(/<!-- bench:run (.+?) -->[\s\S]*?<!-- bench:run:end -->/g)) blocks.set(m[1], m[0]);
  blocks.set(key, block);
  const order = (k: string) => `${k.startsWith('pglite') ? 0 : 1}${k.replace(/\D+/g, '').padStart(6, '0')}`;
  const sorted = [...blocks.entries()].sort((a, b) => order(a[0]).localeCompare(order(b[0]))).map(([, b]) => b);
  fs.writeFileSync(docsFile, `${before}${START}\n${sorted.join('\n\n')}\n${END}${after}`);
  console.log(`\nwritten to ${path.relative(repoRoot, docsFile)} (${key})`);
}

// ---------------------------------------------------------------------------------------------

const loadAverage = { before: 0, after: 0 };

async function main(): Promise<void> {
  loadAverage.before = os.loadavg()[0];
  console.log(`RxDesk bench: scale ${options.scale}, ${options.duration} s per scenario, ${options.connections} connections`);
  const t0 = Date.now();
  const prepared = await prepareDatabase();
  console.log(`database ready in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${prepared.label}, ${prepared.users} users`);

  const [app, bare] = await Promise.all([
    startChild('RxDesk', 'src/main.ts', { ...prepared.serverEnv, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', DEMO: '1' }),
    startChild('bare Fastify', 'bench/bare-server.ts', { PORT: '0' }),
  ]);
  await Promise.all([waitUntilAnswering(`${app.base}/api/health`), waitUntilAnswering(`${bare.base}/`)]);

  const manager = await login(app.base, 'm00001', SCALE_PASSWORD);
  const admin = await login(app.base, 'admin', DEMO_PASSWORD);
  const rep = await login(app.base, 'r00001', SCALE_PASSWORD);
  const office = await login(app.base, 'office', DEMO_PASSWORD);
  const customerSearch = `/api/customers?page=1&pageSize=20&q=${prepared.initials}`;
  const json = { 'content-type': 'application/json' };
  const list = '/api/users?page=1&pageSize=20';
  const search = `${list}&sort=displayName&q=${encodeURIComponent(prepared.surname)}`;
  const scenarios: Scenario[] = [
    { name: 'bare Fastify GET /', url: `${bare.base}/` },
    { name: 'GET /api/health (select 1)', url: `${app.base}/api/health` },
    {
      name: 'POST /api/auth/login (rep r00001, argon2id)',
      url: `${app.base}/api/auth/login`,
      method: 'POST',
      headers: json,
      body: JSON.stringify({ username: 'r00001', password: SCALE_PASSWORD }),
    },
    { name: `GET ${list} (regional manager, department scope)`, url: `${app.base}${list}`, headers: { cookie: manager } },
    { name: `GET …&sort=displayName&q=${prepared.surname} (regional manager)`, url: `${app.base}${search}`, headers: { cookie: manager } },
    { name: `GET ${list} (administrator, all)`, url: `${app.base}${list}`, headers: { cookie: admin } },
    // Customer search by pinyin initials (issue 4): the same query in three data scopes.
    { name: `GET ${customerSearch} (rep r00001, own)`, url: `${app.base}${customerSearch}`, headers: { cookie: rep } },
    { name: `GET …customers?q=${prepared.initials} (regional manager, department)`, url: `${app.base}${customerSearch}`, headers: { cookie: manager } },
    { name: `GET …customers?q=${prepared.initials} (sales office, all)`, url: `${app.base}${customerSearch}`, headers: { cookie: office } },
  ];

  console.log('\nmeasuring:');
  const figures: Figures[] = [];
  for (const s of scenarios) figures.push(await measure(s, app, { connections: options.connections, duration: options.duration, warmup: warmupSeconds }));
  loadAverage.after = os.loadavg()[0];
  console.log(`\n${table(figures)}`);
  if (options.writeDocs) writeDocs(prepared, figures);
  console.log(`total ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

try {
  if (crmBench) await runCrmBench({ ...options, warmup: warmupSeconds });
  else if (ordersBench) await runOrdersBench({ duration: options.duration, connections: values.connections ? options.connections : 50, writeDocs: options.writeDocs });
  else await main();
} catch (e) {
  console.error(`\nbench failed: ${(e as Error).stack ?? e}`);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
