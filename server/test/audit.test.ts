import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { asc, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../src/kernel/audit/audit.tables.js';
import { verifyAuditChain } from '../src/kernel/audit/audit.js';
import { openDatabase } from '../src/kernel/db/client.js';
import { applyMigrations } from '../src/kernel/db/migrate.js';
import { seedReferenceData } from '../src/demo/reference-data.js';
import { Client, setupTest } from './support.js';

let t: Awaited<ReturnType<typeof setupTest>>;
let admin: Client;
beforeAll(async () => {
  t = await setupTest({ demo: true });
  admin = await Client.as(t.app, 'admin');
});
afterAll(() => t.close());

describe('audit log', () => {
  it('records who changed which record, with before and after', async () => {
    const fj = ((await admin.get('/api/departments')).json().items as { id: number; name: string; version: number }[]).find((d) => d.name === '福建组')!;
    await admin.patch(`/api/departments/${fj.id}`, { name: '福建销售组', version: fj.version });
    const res = await admin.get(`/api/audit?entity=department&entityId=${fj.id}&action=department.updated`);
    expect(res.statusCode).toBe(200);
    const [entry] = res.json().items;
    expect(entry.actor.displayName).toBe('王敏');
    expect(entry.before.name).toBe('福建组');
    expect(entry.after.name).toBe('福建销售组');
    expect(entry.ip).toBeTruthy();
  });

  it('filters by actor and dates, newest first, paged', async () => {
    const me = (await admin.get('/api/auth/me')).json().user;
    const mine = (await admin.get(`/api/audit?actorId=${me.id}&pageSize=50`)).json();
    expect(mine.items.length).toBeGreaterThan(0);
    expect(mine.items.every((e: { actor: { id: number } | null }) => e.actor?.id === me.id)).toBe(true);
    const seqs = mine.items.map((e: { seq: number }) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a: number, b: number) => b - a));
    const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
    expect((await admin.get(`/api/audit?from=${today}&to=${today}`)).json().total).toBeGreaterThan(0);
    expect((await admin.get('/api/audit?from=2000-01-01&to=2000-01-02')).json().total).toBe(0);
    expect((await admin.get('/api/audit?from=yesterday')).statusCode).toBe(400);
  });

  it('rolls back the audit entry with a write that fails half-way', async () => {
    const before = (await t.db.select().from(auditLog)).length;
    const res = await admin.post('/api/users', {
      username: 'halfway', displayName: 'x', password: 'abc12345', departmentId: 1, roleIds: [1], territoryIds: ['000000'],
    });
    expect(res.statusCode).toBe(422);
    expect((await t.db.select().from(auditLog)).length).toBe(before);
  });

  it('refuses to update, delete or truncate audit entries', async () => {
    const refusal = (statement: ReturnType<typeof sql>) =>
      t.db.execute(statement).then(
        () => 'accepted',
        (e: Error & { cause?: Error }) => (e.cause ?? e).message,
      );
    expect(await refusal(sql`update audit_log set action = 'x' where seq = 1`)).toMatch(/append-only \(UPDATE refused\)/);
    expect(await refusal(sql`delete from audit_log where seq = 1`)).toMatch(/append-only \(DELETE refused\)/);
    expect(await refusal(sql`truncate audit_log`)).toMatch(/append-only \(TRUNCATE refused\)/);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });

  it('keeps an unbroken chain under concurrent writes', async () => {
    const root = ((await admin.get('/api/departments')).json().items as { id: number; parentId: number | null }[]).find((d) => d.parentId === null)!;
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => admin.post('/api/departments', { parentId: root.id, name: `并发部门${i}`, kind: 'other' })),
    );
    expect(results.every((r) => r.statusCode === 200)).toBe(true);
    const report = await verifyAuditChain(t.db);
    expect(report).toMatchObject({ ok: true, problems: [] });
    const seqs = (await t.db.select({ seq: auditLog.seq }).from(auditLog).orderBy(asc(auditLog.seq))).map((r) => r.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect((await admin.get('/api/audit/verify')).json()).toMatchObject({ ok: true, checked: seqs.length });
  });
});

describe('detecting tampering', () => {
  // Someone with database owner rights switches the trigger off and edits history.
  const tamper = async (db: typeof t.db, statement: ReturnType<typeof sql>) => {
    await db.execute(sql`alter table audit_log disable trigger user`);
    await db.execute(statement);
    await db.execute(sql`alter table audit_log enable trigger user`);
  };

  it('reports an altered entry and a deleted entry', async () => {
    const u = await setupTest({ demo: true });
    try {
      expect((await verifyAuditChain(u.db)).ok).toBe(true);
      await tamper(u.db, sql`update audit_log set after = jsonb_set(after, '{displayName}', '"张三"') where seq = 40`);
      await tamper(u.db, sql`delete from audit_log where seq = 45`);
      const report = await verifyAuditChain(u.db);
      expect(report.ok).toBe(false);
      expect(report.problems).toEqual(
        expect.arrayContaining([
          { seq: 40, problem: 'altered' },
          { seq: 45, problem: 'missing' },
        ]),
      );
    } finally {
      await u.close();
    }
  });

  it('exits non-zero from `npm run audit:verify` when the chain is broken', { skip: !!process.env.DATABASE_URL, timeout: 240_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rxdesk-audit-'));
    const database = await openDatabase({ dataDir: dir });
    await applyMigrations(database);
    await seedReferenceData(database.db);
    await database.close();
    const run = () =>
      promisify(execFile)('npx', ['tsx', 'src/kernel/audit/verify-cli.ts'], { cwd: path.resolve(__dirname, '..'), env: { ...process.env, DATA_DIR: dir } });
    const ok = await run();
    expect(ok.stdout).toMatch(/audit log OK: \d+ entries/);
    const again = await openDatabase({ dataDir: dir });
    await tamper(again.db, sql`update audit_log set action = 'forged' where seq = 1`);
    await again.close();
    await expect(run()).rejects.toMatchObject({ code: 1, stdout: expect.stringMatching(/seq 1: altered/) });
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
