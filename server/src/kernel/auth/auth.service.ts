import { createHash, randomBytes } from 'node:crypto';
import { and, count, eq, gt, lt, sql } from 'drizzle-orm';
import { type Actor, loadActor, loadSessionActor } from '../access/actor.js';
import { users } from '../access/access.tables.js';
import { audit } from '../audit/audit.js';
import type { Db } from '../db/client.js';
import { DomainError } from '../errors.js';
import { loginAttempts, sessions } from './auth.tables.js';
import { dummyPasswordHash, hashPassword, passwordNeedsRehash, verifyPassword } from './passwords.js';

/**
 * Login, sessions and throttling.
 * - An account with ACCOUNT_MAX_FAILURES failed logins within the window is locked until the window
 *   after its last failure has passed; an IP with IP_MAX_FAILURES failures likewise. The lock is
 *   checked before the password, and the moment a lock starts is written to the audit log.
 * - Sessions: a random token in an httpOnly cookie; the database keeps only its sha256, with a CSRF
 *   token and a sliding expiry.
 */
export const THROTTLE = {
  windowMinutes: 15,
  accountMaxFailures: 5,
  ipMaxFailures: 20,
};
export const SESSION_IDLE_HOURS = 12;

export const sessionIdOf = (token: string) => createHash('sha256').update(token).digest('hex');

export type LoginResult = { token: string; csrfToken: string; actor: Actor };

export async function login(db: Db, username: string, password: string, ip: string, userAgent: string | null): Promise<LoginResult> {
  const name = username.trim().toLowerCase();
  const since = new Date(Date.now() - THROTTLE.windowMinutes * 60_000);
  await assertNotLocked(db, name, ip, since);

  const [user] = await db.select().from(users).where(sql`lower(${users.username}) = ${name}`);
  const ok = user ? await verifyPassword(user.passwordHash, password) : (await verifyPassword(await dummyPasswordHash(), password), false);

  if (!ok || !user) {
    await db.transaction(async (tx) => {
      await tx.insert(loginAttempts).values({ username: name, ip, success: false });
      await audit(tx, null, { action: 'auth.login_failed', entity: 'user', entityId: user?.id ?? null, after: { username: name, ip } });
      const failures = await countFailures(tx, name, ip, since);
      if (failures.account === THROTTLE.accountMaxFailures || failures.ip === THROTTLE.ipMaxFailures) {
        await audit(tx, null, {
          action: 'auth.locked',
          entity: 'user',
          entityId: user?.id ?? null,
          after: { username: name, ip, accountFailures: failures.account, ipFailures: failures.ip, minutes: THROTTLE.windowMinutes },
        });
      }
    });
    throw new DomainError('AUTH_INVALID_CREDENTIALS', {}, 401);
  }
  if (user.status !== 'active') {
    await db.transaction(async (tx) => {
      await tx.insert(loginAttempts).values({ username: name, ip, success: false });
      await audit(tx, null, { action: 'auth.login_refused_disabled', entity: 'user', entityId: user.id, after: { ip } });
    });
    throw new DomainError('AUTH_USER_DISABLED', {}, 403);
  }

  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const upgradedHash = passwordNeedsRehash(user.passwordHash) ? await hashPassword(password) : null;
  await db.transaction(async (tx) => {
    if (upgradedHash) await tx.update(users).set({ passwordHash: upgradedHash }).where(eq(users.id, user.id));
    await tx.insert(loginAttempts).values({ username: name, ip, success: true });
    await tx.insert(sessions).values({
      id: sessionIdOf(token),
      userId: user.id,
      csrfToken,
      ip,
      userAgent: userAgent?.slice(0, 300) ?? null,
      expiresAt: new Date(Date.now() + SESSION_IDLE_HOURS * 3600_000),
    });
    await tx.update(users).set({ lastLoginAt: new Date() }).where(eq(users.id, user.id));
    await audit(tx, { ...(await loadActor(tx, user.id, ip))! }, { action: 'auth.login', entity: 'user', entityId: user.id, after: { ip } });
  });
  const actor = (await loadActor(db, user.id, ip))!;
  return { token, csrfToken, actor };
}

async function countFailures(db: Pick<Db, 'select'>, name: string, ip: string, since: Date) {
  const [[account], [byIp]] = await Promise.all([
    db.select({ n: count() }).from(loginAttempts)
      .where(and(eq(loginAttempts.username, name), eq(loginAttempts.success, false), gt(loginAttempts.at, since), afterLastSuccess(name))),
    db.select({ n: count() }).from(loginAttempts)
      .where(and(eq(loginAttempts.ip, ip), eq(loginAttempts.success, false), gt(loginAttempts.at, since))),
  ]);
  return { account: Number(account?.n ?? 0), ip: Number(byIp?.n ?? 0) };
}

/** A successful login resets the account's failure count. */
function afterLastSuccess(name: string) {
  return sql`${loginAttempts.at} > coalesce((select max(la.at) from login_attempts la where la.username = ${name} and la.success), '-infinity'::timestamptz)`;
}

async function assertNotLocked(db: Db, name: string, ip: string, since: Date) {
  const failures = await countFailures(db, name, ip, since);
  if (failures.account < THROTTLE.accountMaxFailures && failures.ip < THROTTLE.ipMaxFailures) return;
  // Locked until the window after the most recent failure has passed.
  const [last] = await db
    .select({ at: sql<string>`max(${loginAttempts.at})` })
    .from(loginAttempts)
    .where(and(eq(loginAttempts.success, false), sql`(${loginAttempts.username} = ${name} or ${loginAttempts.ip} = ${ip})`));
  const until = new Date(new Date(last?.at ?? Date.now()).getTime() + THROTTLE.windowMinutes * 60_000);
  const minutes = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 60_000));
  throw new DomainError('AUTH_LOCKED', { minutes }, 429);
}

/** Finds a live session with its user, and slides its expiry (written at most once a minute to spare the database). */
export async function resumeSession(db: Db, token: string, ip: string | null): Promise<{ actor: Actor; csrfToken: string; sessionId: string } | null> {
  const id = sessionIdOf(token);
  const found = await loadSessionActor(db, id, ip);
  if (!found) return null;
  if (Date.now() - found.lastSeenAt.getTime() > 60_000) {
    await db
      .update(sessions)
      .set({ lastSeenAt: new Date(), expiresAt: new Date(Date.now() + SESSION_IDLE_HOURS * 3600_000) })
      .where(eq(sessions.id, id));
  }
  return { actor: found.actor, csrfToken: found.csrfToken, sessionId: id };
}

export async function logout(db: Db, actor: Actor, sessionId: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(sessions).where(eq(sessions.id, sessionId));
    await audit(tx, actor, { action: 'auth.logout', entity: 'user', entityId: actor.id });
  });
}

export async function changeOwnPassword(db: Db, actor: Actor, sessionId: string, current: string, next: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [u] = await tx.select().from(users).where(eq(users.id, actor.id)).for('update');
    if (!u || !(await verifyPassword(u.passwordHash, current))) {
      throw new DomainError('AUTH_PASSWORD_WRONG', {}, 422, [{ path: 'currentPassword', code: 'AUTH_PASSWORD_WRONG' }]);
    }
    await tx
      .update(users)
      .set({ passwordHash: await hashPassword(next), mustChangePassword: false, updatedAt: new Date(), version: sql`${users.version} + 1` })
      .where(eq(users.id, actor.id));
    // Other sessions of this user end: a changed password must lock out whoever knew the old one.
    await tx.delete(sessions).where(and(eq(sessions.userId, actor.id), sql`${sessions.id} <> ${sessionId}`));
    await audit(tx, actor, { action: 'user.password_changed', entity: 'user', entityId: actor.id });
  });
}

export async function setLocale(db: Db, actor: Actor, locale: Actor['locale']): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.update(users).set({ locale, updatedAt: new Date() }).where(eq(users.id, actor.id));
    await audit(tx, actor, { action: 'user.locale_changed', entity: 'user', entityId: actor.id, before: { locale: actor.locale }, after: { locale } });
  });
}

/** Housekeeping at start-up: expired sessions, and login attempts older than the retention period. */
export async function purgeStaleLoginData(db: Db, attemptRetentionDays = 90): Promise<void> {
  await db.delete(sessions).where(lt(sessions.expiresAt, new Date()));
  await db.delete(loginAttempts).where(lt(loginAttempts.at, new Date(Date.now() - attemptRetentionDays * 86_400_000)));
}
