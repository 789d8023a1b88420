import { createHash } from 'node:crypto';
import { asc, desc, gt, sql } from 'drizzle-orm';
import type { Actor } from '../access/actor.js';
import type { Queryable, Tx } from '../db/client.js';
import { auditLog } from './audit.tables.js';

/**
 * Every write calls `audit(tx, actor, …)` inside its own transaction, so the entry commits or rolls
 * back with the change it describes. Appends are serialised by a transaction-scoped advisory lock:
 * seq is gap-free and each entry's prevHash is the previous entry's hash.
 */
export type AuditInput = {
  action: string;
  entity: string;
  entityId?: string | number | null;
  before?: unknown;
  after?: unknown;
};

const AUDIT_LOCK = 7291002;
export const GENESIS_HASH = '0'.repeat(64);

/** JSON with sorted keys, bigints as strings and dates as ISO strings: the same bytes before and after a jsonb round trip. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalise(value));
}

export function normalise(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(normalise);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as object).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = normalise(v);
    }
    return out;
  }
  return value;
}

type HashedFields = {
  seq: number;
  at: Date;
  actorId: number | null;
  actorName: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
  prevHash: string;
};

export function entryHash(e: HashedFields): string {
  const payload = canonicalJson({
    seq: e.seq,
    at: e.at.toISOString(),
    actorId: e.actorId,
    actorName: e.actorName,
    action: e.action,
    entity: e.entity,
    entityId: e.entityId,
    before: e.before ?? null,
    after: e.after ?? null,
    ip: e.ip,
  });
  return createHash('sha256').update(e.prevHash).update('\n').update(payload).digest('hex');
}

export async function audit(tx: Tx, actor: Actor | null, input: AuditInput): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`);
  const [last] = await tx.select({ seq: auditLog.seq, hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
  const fields: HashedFields = {
    seq: (last?.seq ?? 0) + 1,
    at: new Date(),
    actorId: actor && actor.id !== 0 ? actor.id : null,
    actorName: actor ? actor.displayName : null,
    action: input.action,
    entity: input.entity,
    entityId: input.entityId === undefined || input.entityId === null ? null : String(input.entityId),
    before: normalise(input.before),
    after: normalise(input.after),
    ip: actor?.ip ?? null,
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  await tx.insert(auditLog).values({ ...fields, hash: entryHash(fields) });
}

/** Appends several entries under one lock with one insert (bulk imports): the same chain as calling audit() for each. */
export async function auditMany(tx: Tx, actor: Actor | null, inputs: AuditInput[]): Promise<void> {
  if (inputs.length === 0) return;
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`);
  const [last] = await tx.select({ seq: auditLog.seq, hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
  let seq = last?.seq ?? 0;
  let prevHash = last?.hash ?? GENESIS_HASH;
  const at = new Date();
  const values = inputs.map((input) => {
    const fields: HashedFields = {
      seq: ++seq,
      at,
      actorId: actor && actor.id !== 0 ? actor.id : null,
      actorName: actor ? actor.displayName : null,
      action: input.action,
      entity: input.entity,
      entityId: input.entityId === undefined || input.entityId === null ? null : String(input.entityId),
      before: normalise(input.before),
      after: normalise(input.after),
      ip: actor?.ip ?? null,
      prevHash,
    };
    const hash = entryHash(fields);
    prevHash = hash;
    return { ...fields, hash };
  });
  for (let i = 0; i < values.length; i += 1000) await tx.insert(auditLog).values(values.slice(i, i + 1000));
}

export type ChainProblem = { seq: number; problem: 'missing' | 'altered' | 'broken_link' };
export type ChainReport = { ok: boolean; checked: number; problems: ChainProblem[] };

/** Walks the whole chain in pages; reports gaps (deleted entries), altered entries and broken links. */
export async function verifyAuditChain(db: Queryable, pageSize = 2000): Promise<ChainReport> {
  const problems: ChainProblem[] = [];
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  for (;;) {
    const rows = await db.select().from(auditLog).where(gt(auditLog.seq, expectedSeq - 1)).orderBy(asc(auditLog.seq)).limit(pageSize);
    if (rows.length === 0) break;
    for (const row of rows) {
      checked++;
      if (row.seq !== expectedSeq) {
        for (let s = expectedSeq; s < row.seq && problems.length < 1000; s++) problems.push({ seq: s, problem: 'missing' });
      }
      if (row.prevHash !== prevHash) problems.push({ seq: row.seq, problem: 'broken_link' });
      const recomputed = entryHash({ ...row, before: row.before, after: row.after });
      if (recomputed !== row.hash) problems.push({ seq: row.seq, problem: 'altered' });
      prevHash = row.hash;
      expectedSeq = row.seq + 1;
    }
  }
  return { ok: problems.length === 0, checked, problems: problems.slice(0, 1000) };
}
