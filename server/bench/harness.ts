// What every bench script shares: the child processes (the server under test, the bare Fastify app) in
// their own process groups, the clean-up on exit and Ctrl-C, logging in, and measuring a scenario with
// autocannon (req/s, p50, p99) after a warm-up, waiting for the server to go idle between scenarios.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { repoRoot } from '../src/config.js';
import { withAdminClient } from '../src/kernel/db/admin-client.js';

const serverDir = path.join(repoRoot, 'server');

/** How long and how hard each scenario is loaded. */
export type Load = { connections: number; duration: number; warmup: number };

// ---------------------------------------------------------------------------------------------
// Clean-up: children and the throwaway database go, on success, on error and on Ctrl-C.

export const cleanups: (() => Promise<void>)[] = [];
let cleaning: Promise<void> | null = null;
export function cleanUp(): Promise<void> {
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
// Child processes: own process group each, so that stopping one stops npx, tsx and node beneath.

export type Child = { name: string; process: ChildProcess; base: string };

export async function startChild(name: string, script: string, env: Record<string, string>): Promise<Child> {
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

export async function waitUntilAnswering(url: string, seconds = 60): Promise<void> {
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

export async function login(base: string, username: string, password: string): Promise<string> {
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

export type Scenario = { name: string; url: string; method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string };
export type Figures = { name: string; rps: number; p50: number; p99: number; non2xx: number; errors: number; requests: number; rows: number | null };

/** One request first: the scenario must answer 2xx before it is measured (and lists tell how many rows they see). */
export async function check(s: Scenario): Promise<number | null> {
  const res = await fetch(s.url, { method: s.method ?? 'GET', headers: s.headers, body: s.body });
  const text = await res.text();
  if (!res.ok) throw new Error(`${s.name}: ${res.status} ${text.slice(0, 300)}`);
  const total = (JSON.parse(text) as { total?: unknown }).total;
  return typeof total === 'number' ? total : null;
}

export async function measure(s: Scenario, server: Child, load: Load): Promise<Figures> {
  const rows = await check(s);
  // A generous timeout: queued logins wait seconds behind argon2, and a timeout would hide their latency.
  const run = (duration: number) =>
    autocannon({ url: s.url, method: s.method ?? 'GET', headers: s.headers, body: s.body, connections: load.connections, duration, timeout: 60 });
  await run(load.warmup);
  await settle(server);
  const r = await run(load.duration);
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

/** The figures as a Markdown table; `bare` adds each scenario's req/s as a share of the first row's (the bare route). */
export function table(figures: Figures[], options: { bare: boolean } = { bare: true }): string {
  const bare = figures[0].rps;
  const head = ['scenario', 'req/s (mean)', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', ...(options.bare ? ['req/s vs bare'] : []), 'rows in scope'];
  const rows = figures.map((f) => [
    f.name,
    f.rps >= 100 ? f.rps.toFixed(0) : f.rps.toFixed(1),
    String(f.p50),
    String(f.p99),
    String(f.non2xx),
    String(f.errors),
    ...(options.bare ? [`${((f.rps / bare) * 100).toFixed(f.rps / bare < 0.1 ? 2 : 1)} %`] : []),
    f.rows === null ? '' : String(f.rows),
  ]);
  return [head, head.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/**
 * The database a bench runs against, empty: a fresh `name` database on the PostgreSQL server of
 * DATABASE_URL (dropped again at clean-up), or a new PGlite directory under the system temp dir.
 * `serverEnv` points a started server at it.
 */
export async function benchDatabase(
  name: string,
  tmpPrefix: string,
): Promise<{ adminUrl: string | undefined; target: { url: string } | { dataDir: string }; serverEnv: Record<string, string> }> {
  const adminUrl = process.env.DATABASE_URL;
  if (adminUrl) {
    await withAdminClient(adminUrl, async (c) => {
      await c.query(`drop database if exists ${name} with (force)`);
      await c.query(`create database ${name}`);
    });
    cleanups.push(() => withAdminClient(adminUrl, (c) => c.query(`drop database if exists ${name} with (force)`)).then(() => {}));
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return { adminUrl, target: { url: url.toString() }, serverEnv: { DATABASE_URL: url.toString() } };
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), tmpPrefix));
  cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
  return { adminUrl, target: { dataDir }, serverEnv: { DATA_DIR: dataDir } };
}
