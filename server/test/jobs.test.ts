import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { auditLog } from '../src/kernel/audit/audit.tables.js';
import { sessions } from '../src/kernel/auth/auth.tables.js';
import { type Database, openDatabase } from '../src/kernel/db/client.js';
import { jobRuns } from '../src/kernel/jobs/jobs.tables.js';
import type { JobDefinition } from '../src/kernel/jobs/scheduler.js';
import { Client, setupTest } from './support.js';

let t: Awaited<ReturnType<typeof setupTest>>;
let admin: Client;

beforeAll(async () => {
  t = await setupTest({ demo: true });
  admin = await Client.as(t.app, 'admin');
});
afterAll(() => t.close());

/** A job that waits until the test lets it finish, so two runs can overlap for certain. */
function gatedJob(name: string) {
  let release!: () => void;
  let started!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const hasStarted = new Promise<void>((r) => (started = r));
  let runs = 0;
  const job: JobDefinition = {
    name,
    description: { 'zh-CN': '测试', 'en-US': 'test' },
    cron: '0 0 1 1 *',
    run: async () => {
      runs++;
      started();
      await gate;
      return 'done';
    },
  };
  return { job, release, hasStarted, runs: () => runs };
}

describe('running jobs once across server processes', () => {
  it('runs a job triggered at the same instant by two app instances on one database exactly once', async () => {
    // A second server process: its own connection pool on PostgreSQL; the same embedded database on PGlite.
    let second: Database | null = null;
    let db2 = t.db;
    if (process.env.DATABASE_URL) {
      const url = new URL(process.env.DATABASE_URL);
      url.pathname = `/${t.database.name}`;
      second = await openDatabase({ url: url.toString() });
      db2 = second.db;
    }
    const app2 = await buildApp({ db: db2, config: t.config });
    try {
      const a = gatedJob('test.overlap');
      const b = gatedJob('test.overlap');
      t.app.scheduler.register(a.job);
      app2.scheduler.register(b.job);
      const scheduledFor = new Date('2026-01-01T00:00:00Z');
      const first = t.app.scheduler.run('test.overlap', { scheduledFor });
      await a.hasStarted;
      const other = await app2.scheduler.run('test.overlap', { scheduledFor });
      a.release();
      b.release();
      const done = await first;
      expect(done.outcome).toBe('ok');
      expect(done.message).toBe('done');
      expect(other.outcome).toBe('skipped_locked');
      expect(a.runs() + b.runs()).toBe(1);

      // A process that comes late for the same instant, after the lock is free, does not run it again.
      const late = await app2.scheduler.run('test.overlap', { scheduledFor });
      expect(late.outcome).toBe('skipped_locked');
      expect(b.runs()).toBe(0);

      const rows = await t.db.select().from(jobRuns).where(eq(jobRuns.job, 'test.overlap'));
      expect(rows.map((r) => r.outcome).sort()).toEqual(['ok', 'skipped_locked', 'skipped_locked']);
    } finally {
      await app2.close();
      await second?.close();
    }
  });

  it('logs a job that throws as failed with its message, and keeps scheduling it', async () => {
    let calls = 0;
    t.app.scheduler.register({
      name: 'test.throws',
      description: { 'zh-CN': '总是失败', 'en-US': 'always fails' },
      cron: '* * * * * *',
      run: async () => {
        calls++;
        throw new Error(`SMTP server refused the connection (${calls})`);
      },
    });
    t.app.scheduler.start();
    try {
      const deadline = Date.now() + 8000;
      while (calls < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    } finally {
      t.app.scheduler.stop();
    }
    await new Promise((r) => setTimeout(r, 200)); // the last run's bookkeeping
    expect(calls).toBeGreaterThanOrEqual(2);
    const rows = await t.db.select().from(jobRuns).where(eq(jobRuns.job, 'test.throws'));
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.every((r) => r.outcome === 'failed' && r.triggeredBy === null)).toBe(true);
    expect(rows.map((r) => r.message)).toContain('SMTP server refused the connection (1)');
  });
});

describe('jobs in the administration', () => {
  it('lists the built-in jobs with cron, next run and last outcome', async () => {
    const res = await admin.get('/api/jobs');
    expect(res.statusCode).toBe(200);
    const purge = res.json().items.find((j: { name: string }) => j.name === 'sessions.purge');
    expect(purge).toMatchObject({ cron: '0 * * * *', description: '清理过期会话和 90 天前的登录记录', lastRun: null });
    expect(new Date(purge.nextRunAt).getTime()).toBeGreaterThan(Date.now());
  });

  it('runs a job now for an administrator, purges expired sessions, and audits who did it', async () => {
    const [someone] = await t.db.select({ userId: sessions.userId }).from(sessions).limit(1);
    await t.db.insert(sessions).values({ id: 'expired-session', userId: someone.userId, csrfToken: 'x', expiresAt: new Date(Date.now() - 1000) });
    const res = await admin.post('/api/jobs/sessions.purge/run');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ job: 'sessions.purge', outcome: 'ok' });
    expect(await t.db.select().from(sessions).where(eq(sessions.id, 'expired-session'))).toEqual([]);
    const [entry] = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'job.triggered'), eq(auditLog.entityId, 'sessions.purge')));
    expect(entry.actorName).toBe('王敏');
    expect(entry.after).toMatchObject({ runId: res.json().id, outcome: 'ok' });

    const list = (await admin.get('/api/jobs')).json().items.find((j: { name: string }) => j.name === 'sessions.purge');
    expect(list.lastRun).toMatchObject({ id: res.json().id, outcome: 'ok' });
    const history = await admin.get('/api/jobs/runs?job=sessions.purge');
    expect(history.json()).toMatchObject({ total: 1, items: [{ id: res.json().id, triggeredBy: expect.any(Number) }] });
  });

  it('filters the run history by outcome and pages it', async () => {
    const res = await admin.get('/api/jobs/runs?outcome=failed&pageSize=1');
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toHaveLength(1);
    expect(res.json().items[0].job).toBe('test.throws');
    expect(res.json().total).toBeGreaterThanOrEqual(2);
    expect((await admin.get('/api/jobs/runs?outcome=exploded')).statusCode).toBe(400);
  });

  it('answers 404 for a job that does not exist and logs nothing', async () => {
    const before = (await t.db.select().from(jobRuns)).length;
    const res = await admin.post('/api/jobs/no.such.job/run');
    expect(res.statusCode).toBe(404);
    expect((await t.db.select().from(jobRuns)).length).toBe(before);
  });

  it('refuses run-now to management (read-only) and the job list to a sales rep', async () => {
    const management = await Client.as(t.app, 'management');
    expect((await management.get('/api/jobs')).statusCode).toBe(200);
    const res = await management.post('/api/jobs/sessions.purge/run');
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
    const rep = await Client.as(t.app, 'rep');
    expect((await rep.get('/api/jobs')).statusCode).toBe(403);
    expect((await rep.get('/api/jobs/runs')).statusCode).toBe(403);
  });
});
