// `npm run bench [-- --scale N --duration S --connections C]`
//
// Builds a company at scale in a throwaway database (PGlite under the OS temp dir, or a fresh
// `rxdesk_bench` database on the DATABASE_URL server, dropped afterwards), starts the real RxDesk
// server and a bare Fastify app as child processes, loads both over loopback with autocannon and
// prints req/s and latency of each scenario next to the bare route's. The figures are written into
// docs/benchmarks.md between the bench:results markers, one block per database kind and scale.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import { repoRoot } from '../src/config.js';
import { DEMO_PASSWORD, loadDemoCompany } from '../src/demo/demo-company.js';
import { seedReferenceData } from '../src/demo/reference-data.js';
import { describeScaleResult, generateCompany, SCALE_PASSWORD } from '../src/demo/scale.js';
import { openDatabase, rowsOf } from '../src/kernel/db/client.js';
import { applyMigrations } from '../src/kernel/db/migrate.js';
import { withAdminClient } from '../src/kernel/db/admin-client.js';
import { explainCustomerSearch, pickSearchInitials } from './customer-search.js';

const serverDir = path.join(repoRoot, 'server');
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
if (positionals.length) {
  console.error(
    `unexpected argument(s) ${positionals.join(' ')}: write npm run bench -- --scale 10, or BENCH_SCALE=10`,
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
// Clean-up: children and the throwaway database go, on success, on error and on Ctrl-C.

const cleanups: (() => Promise<void>)[] = [];
let cleaning: Promise<void> | null = null;
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch (e) {
        console.error('clean-up:', (e as Error).message);
      }
    }
  })();
  return cleaning;
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping…`);
    void cleanUp().then(() => process.exit(130));
  });
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
  const adminUrl = process.env.DATABASE_URL;
  let target: { url: string } | { dataDir: string };
  let serverEnv: Record<string, string>;
  if (adminUrl) {
    await withAdminClient(adminUrl, async (c) => {
      await c.query(`drop database if exists ${BENCH_DB} with (force)`);
      await c.query(`create database ${BENCH_DB}`);
    });
    cleanups.push(() => withAdminClient(adminUrl, (c) => c.query(`drop database if exists ${BENCH_DB} with (force)`)).then(() => {}));
    const url = new URL(adminUrl);
    url.pathname = `/${BENCH_DB}`;
    target = { url: url.toString() };
    serverEnv = { DATABASE_URL: url.toString() };
  } else {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rxdesk-bench-'));
    cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
    target = { dataDir };
    serverEnv = { DATA_DIR: dataDir };
  }

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
// Child processes: own process group each, so that stopping one stops npx, tsx and node beneath.

type Child = { name: string; process: ChildProcess; base: string };

async function startChild(name: string, script: string, env: Record<string, string>): Promise<Child> {
  const child = spawn('npx', ['tsx', script], {
    cwd: serverDir,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanups.push(() => stopChild(name, child));
  const tail: string[] = [];
  const remember = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim()) tail.push(line);
    tail.splice(0, Math.max(0, tail.length - 40));
  };
  child.stderr!.on('data', remember);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 180 s:\n${tail.join('\n')}`)), 180_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      remember(chunk);
      const m = chunk.toString().match(/running at http:\/\/[^:/]+:(\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code ?? signal}) before listening:\n${tail.join('\n')}`));
    });
  });
  child.on('exit', (code, signal) => {
    if (!cleaning) console.error(`${name} exited unexpectedly (${code ?? signal}):\n${tail.join('\n')}`);
  });
  return { name, process: child, base: `http://127.0.0.1:${port}` };
}

async function stopChild(name: string, child: ChildProcess): Promise<void> {
  const group = child.pid!;
  const alive = () => {
    try {
      process.kill(-group, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!alive()) return;
  process.kill(-group, 'SIGTERM');
  for (let i = 0; i < 100 && alive(); i++) await sleep(100);
  if (alive()) {
    console.error(`${name} ignored SIGTERM for 10 s; killing it`);
    process.kill(-group, 'SIGKILL');
    for (let i = 0; i < 50 && alive(); i++) await sleep(100);
  }
}

async function waitUntilAnswering(url: string, seconds = 60): Promise<void> {
  for (let i = 0; i < seconds * 10; i++) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`${url} did not answer 200 within ${seconds} s`);
}

async function login(base: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new Error(`login as ${username} failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('rxdesk_sid='));
  if (!cookie) throw new Error(`login as ${username}: no rxdesk_sid cookie in the reply`);
  return cookie;
}

// ---------------------------------------------------------------------------------------------
// Scenarios and measurement.

type Scenario = { name: string; url: string; method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string };
type Figures = { name: string; rps: number; p50: number; p99: number; non2xx: number; errors: number; requests: number; rows: number | null };

/** One request first: the scenario must answer 2xx before it is measured (and lists tell how many rows they see). */
async function check(s: Scenario): Promise<number | null> {
  const res = await fetch(s.url, { method: s.method ?? 'GET', headers: s.headers, body: s.body });
  const text = await res.text();
  if (!res.ok) throw new Error(`${s.name}: ${res.status} ${text.slice(0, 300)}`);
  const total = (JSON.parse(text) as { total?: unknown }).total;
  return typeof total === 'number' ? total : null;
}

async function measure(s: Scenario, server: Child): Promise<Figures> {
  const rows = await check(s);
  // A generous timeout: queued logins wait seconds behind argon2, and a timeout would hide their latency.
  const run = (duration: number) =>
    autocannon({ url: s.url, method: s.method ?? 'GET', headers: s.headers, body: s.body, connections: options.connections, duration, timeout: 60 });
  await run(warmupSeconds);
  await settle(server);
  const r = await run(options.duration);
  await settle(server);
  const f: Figures = {
    name: s.name,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
    requests: r.requests.total,
    rows,
  };
  console.log(`  ${s.name}: ${f.rps.toFixed(0)} req/s, p50 ${f.p50} ms, p99 ${f.p99} ms, non-2xx ${f.non2xx}, errors ${f.errors}`);
  return f;
}

/**
 * Waits until the server has worked off what autocannon left in flight when it stopped: abandoned
 * requests still run (a backlog of logins keeps argon2 busy for seconds after the run) and would
 * slow the next scenario down. On Linux "idle" is read from /proc: the server's process group must
 * use under 5 % of a core over two consecutive half seconds; elsewhere, health checks must be quick.
 */
async function settle(server: Child): Promise<void> {
  const started = Date.now();
  let calm = 0;
  let last = cpuTicksOfGroup(server.process.pid!);
  while (calm < 2 && Date.now() - started < 120_000) {
    if (last === null) {
      const t = performance.now();
      await fetch(`${server.base}/api/health`).then((r) => r.text(), () => '');
      calm = performance.now() - t < 100 ? calm + 1 : 0;
      await sleep(200);
      continue;
    }
    await sleep(500);
    const now = cpuTicksOfGroup(server.process.pid!)!;
    calm = now - last <= 2 ? calm + 1 : 0; // clock ticks are 1/100 s: 2 ticks in 0.5 s = 4 % of a core
    last = now;
  }
  const waited = (Date.now() - started) / 1000;
  if (waited > 2) console.log(`  (waited ${waited.toFixed(1)} s for the server to finish abandoned requests)`);
}

/** user + system CPU time (clock ticks) of every process in a process group, or null off Linux. */
function cpuTicksOfGroup(group: number): number | null {
  if (process.platform !== 'linux') return null;
  let total = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // state, ppid, pgrp, … utime at 11, stime at 12
      if (Number(fields[2]) === group) total += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

function table(figures: Figures[]): string {
  const bare = figures[0].rps;
  const head = ['scenario', 'req/s (mean)', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', 'req/s vs bare', 'rows in scope'];
  const rows = figures.map((f) => [
    f.name,
    f.rps >= 100 ? f.rps.toFixed(0) : f.rps.toFixed(1),
    String(f.p50),
    String(f.p99),
    String(f.non2xx),
    String(f.errors),
    `${((f.rps / bare) * 100).toFixed(f.rps / bare < 0.1 ? 2 : 1)} %`,
    f.rows === null ? '' : String(f.rows),
  ]);
  return [head, head.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
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
  for (const s of scenarios) figures.push(await measure(s, app));
  loadAverage.after = os.loadavg()[0];
  console.log(`\n${table(figures)}`);
  if (options.writeDocs) writeDocs(prepared, figures);
  console.log(`total ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

try {
  await main();
} catch (e) {
  console.error(`\nbench failed: ${(e as Error).stack ?? e}`);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
