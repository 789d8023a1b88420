import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Db } from '../db/client.js';

/**
 * "Only one server process runs this job now." On PostgreSQL: a session-level advisory lock
 * (pg_try_advisory_lock) taken on a dedicated pooled connection and held while the job runs, so the
 * job itself may use the pool freely. PGlite is one connection inside one process (advisory locks in
 * one session are re-entrant, so they cannot exclude anything there); the equivalent is an
 * in-process set of held names per database.
 */
export async function withJobLock<T>(db: Db, job: string, fn: () => Promise<T>): Promise<{ locked: true; value: T } | { locked: false }> {
  const client = (db as unknown as { $client: unknown }).$client;
  if (client instanceof pg.Pool) {
    const conn = await client.connect();
    let release = true;
    try {
      const { rows } = await conn.query<{ ok: boolean }>('select pg_try_advisory_lock($1::bigint) as ok', [jobLockKey(job)]);
      if (!rows[0].ok) return { locked: false };
      try {
        return { locked: true, value: await fn() };
      } finally {
        await conn.query('select pg_advisory_unlock($1::bigint)', [jobLockKey(job)]).catch(() => {
          release = false; // a broken connection: destroy it, which drops the lock with the session
        });
      }
    } finally {
      conn.release(release ? undefined : true);
    }
  }
  const held = heldInProcess.get(client as object) ?? new Set<string>();
  heldInProcess.set(client as object, held);
  if (held.has(job)) return { locked: false };
  held.add(job);
  try {
    return { locked: true, value: await fn() };
  } finally {
    held.delete(job);
  }
}

const heldInProcess = new WeakMap<object, Set<string>>();

/** A stable signed 64-bit key per job name (pg advisory locks take a bigint). */
export function jobLockKey(job: string): string {
  return createHash('sha256').update(`rxdesk.job:${job}`).digest().readBigInt64BE(0).toString();
}
