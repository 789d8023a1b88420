import argon2 from 'argon2';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { users } from '../src/kernel/access/access.tables.js';
import { auditLog } from '../src/kernel/audit/audit.tables.js';
import { purgeStaleLoginData, THROTTLE } from '../src/kernel/auth/auth.service.js';
import { loginAttempts, sessions } from '../src/kernel/auth/auth.tables.js';
import { Client, makeUser, setupTest } from './support.js';

let t: Awaited<ReturnType<typeof setupTest>>;
beforeAll(async () => {
  t = await setupTest({ demo: true });
});
afterAll(() => t.close());

describe('logging in', () => {
  it('logs in with the right password and sets an httpOnly SameSite session cookie', async () => {
    const c = new Client(t.app);
    const res = await c.login('office');
    expect(res.statusCode).toBe(200);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/rxdesk_sid=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(res.json().user).toMatchObject({ username: 'office', locale: 'zh-CN', mustChangePassword: false });
    expect((await c.get('/api/auth/me')).json().user.displayName).toBe('李娜');
  });

  it('says clearly, in the caller’s language, that the username or password is wrong', async () => {
    const zh = await new Client(t.app).login('quality', 'wrong-password');
    expect(zh.statusCode).toBe(401);
    expect(zh.json().error).toEqual({ code: 'AUTH_INVALID_CREDENTIALS', message: '用户名或密码错误' });
    const en = await new Client(t.app, { 'accept-language': 'en-US,en;q=0.9' }).login('nobody-at-all', 'x');
    expect(en.json().error.message).toBe('Wrong username or password');
  });

  it('validates the login form with field errors instead of failing', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: '' } });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['password', 'username']);
  });

  it('locks an account after repeated failures, even for the right password, and logs it', async () => {
    const victim = await makeUser(t.db, { username: 'lock_me', roles: ['rep'] });
    for (let i = 0; i < THROTTLE.accountMaxFailures; i++) {
      // Different source addresses: it is the account that gets locked.
      const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'lock_me', password: 'nope' }, remoteAddress: `10.0.0.${i + 1}` });
      expect(res.statusCode).toBe(401);
    }
    const locked = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'lock_me', password: victim.password }, remoteAddress: '10.0.1.1' });
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.code).toBe('AUTH_LOCKED');
    expect(locked.json().error.message).toMatch(/请 \d+ 分钟后再试/);
    const events = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'auth.locked'), eq(auditLog.entityId, String(victim.id))));
    expect(events).toHaveLength(1);
  });

  it('locks an IP address that tries many accounts', async () => {
    const ip = '10.9.9.9';
    for (let i = 0; i < THROTTLE.ipMaxFailures; i++) {
      await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: `guess${i}`, password: 'x' }, remoteAddress: ip });
    }
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: 'rxdesk2026' }, remoteAddress: ip });
    expect(res.statusCode).toBe(429);
    const fromElsewhere = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: 'rxdesk2026' }, remoteAddress: '10.9.9.10' });
    expect(fromElsewhere.statusCode).toBe(200);
  });

  it('lets an account in again once the lock window has passed', async () => {
    const u = await makeUser(t.db, { username: 'was_locked', roles: ['rep'] });
    const old = new Date(Date.now() - (THROTTLE.windowMinutes + 1) * 60_000);
    await t.db.insert(loginAttempts).values(Array.from({ length: THROTTLE.accountMaxFailures }, () => ({ username: 'was_locked', ip: '10.1.1.1', success: false, at: old })));
    expect((await new Client(t.app).login('was_locked', u.password)).statusCode).toBe(200);
  });

  it('upgrades a password hash made with older parameters at the next login', async () => {
    const u = await makeUser(t.db, { username: 'old_hash', roles: ['rep'] });
    await t.db.update(users).set({ passwordHash: await argon2.hash(u.password, { type: argon2.argon2id, memoryCost: 65536, timeCost: 3, parallelism: 4 }) }).where(eq(users.id, u.id));
    expect((await new Client(t.app).login('old_hash', u.password)).statusCode).toBe(200);
    const [after] = await t.db.select().from(users).where(eq(users.id, u.id));
    expect(after.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect((await new Client(t.app).login('old_hash', u.password)).statusCode).toBe(200);
  });

  it('refuses a disabled account with its own message', async () => {
    const u = await makeUser(t.db, { username: 'gone', roles: ['rep'] });
    const admin = await Client.as(t.app, 'admin');
    expect((await admin.post(`/api/users/${u.id}/disable`)).statusCode).toBe(200);
    const res = await new Client(t.app).login('gone', u.password);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('AUTH_USER_DISABLED');
  });
});

describe('sessions', () => {
  it('keeps sessions in the database so a second server process accepts them', async () => {
    const c = await Client.as(t.app, 'finance');
    const second = await buildApp({ db: t.db, config: t.config });
    try {
      const res = await second.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: c.cookie! } });
      expect(res.statusCode).toBe(200);
      expect(res.json().user.username).toBe('finance');
    } finally {
      await second.close();
    }
  });

  it('forgets expired sessions and old login attempts at start-up housekeeping', async () => {
    const live = await Client.as(t.app, 'quality');
    const [row] = await t.db.select().from(sessions).limit(1);
    await t.db.insert(sessions).values({ id: 'expired-session', userId: row.userId, csrfToken: 'x', expiresAt: new Date(Date.now() - 1000) });
    await t.db.insert(loginAttempts).values({ username: 'ancient', ip: '10.2.2.2', success: false, at: new Date(Date.now() - 200 * 86_400_000) });
    await purgeStaleLoginData(t.db);
    expect(await t.db.select().from(sessions).where(eq(sessions.id, 'expired-session'))).toHaveLength(0);
    expect(await t.db.select().from(loginAttempts).where(eq(loginAttempts.username, 'ancient'))).toHaveLength(0);
    expect((await live.get('/api/auth/me')).statusCode).toBe(200);
  });

  it('ends the session on logout', async () => {
    const c = await Client.as(t.app, 'logistics');
    expect((await c.post('/api/auth/logout')).statusCode).toBe(204);
    expect((await c.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('refuses a write without the CSRF token, and a write from another site', async () => {
    const c = await Client.as(t.app, 'admin');
    const noToken = await t.app.inject({ method: 'POST', url: '/api/departments', headers: { cookie: c.cookie! }, payload: { parentId: 1, name: 'x', kind: 'team' } });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().error.code).toBe('CSRF_INVALID');
    const crossSite = await c.request({ method: 'POST', url: '/api/departments', headers: { origin: 'https://evil.example' }, payload: { parentId: 1, name: 'x', kind: 'team' } });
    expect(crossSite.statusCode).toBe(403);
    const deps = (await c.get('/api/departments')).json().items as { name: string }[];
    expect(deps.some((d) => d.name === 'x')).toBe(false);
  });

  it('sends security headers', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBeDefined();
  });
});

describe('passwords and language', () => {
  it('makes a new user change the initial password before doing anything else', async () => {
    const admin = await Client.as(t.app, 'admin');
    const roles = (await admin.get('/api/roles')).json().items as { id: number; code: string }[];
    const created = await admin.post('/api/users', {
      username: 'newbie', displayName: '新人', password: 'initial123', departmentId: 1, roleIds: [roles.find((r) => r.code === 'sales_office')!.id],
    });
    expect(created.statusCode).toBe(200);
    const newbie = await Client.as(t.app, 'newbie', 'initial123');
    expect((await newbie.get('/api/auth/me')).json().user.mustChangePassword).toBe(true);
    const blocked = await newbie.get('/api/users');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('AUTH_PASSWORD_CHANGE_REQUIRED');

    const weak = await newbie.post('/api/auth/me/password', { currentPassword: 'initial123', newPassword: 'onlyletters' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.fields[0]).toEqual({ path: 'newPassword', message: '密码须同时包含字母和数字' });
    const wrong = await newbie.post('/api/auth/me/password', { currentPassword: 'nope', newPassword: 'better2026' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().error.fields[0].path).toBe('currentPassword');

    const other = await Client.as(t.app, 'newbie', 'initial123');
    expect((await newbie.post('/api/auth/me/password', { currentPassword: 'initial123', newPassword: 'better2026' })).statusCode).toBe(204);
    expect((await newbie.get('/api/users')).statusCode).toBe(200);
    expect((await other.get('/api/auth/me')).statusCode).toBe(401); // the other session ended
    expect((await new Client(t.app).login('newbie', 'initial123')).statusCode).toBe(401);
    expect((await new Client(t.app).login('newbie', 'better2026')).statusCode).toBe(200);
  });

  it('remembers the chosen language per user and answers in it', async () => {
    const c = await Client.as(t.app, 'rep_gd');
    const res = await c.patch('/api/auth/me/preferences', { locale: 'en-US' });
    expect(res.json().user.locale).toBe('en-US');
    const again = await Client.as(t.app, 'rep_gd');
    expect((await again.get('/api/auth/me')).json().user.locale).toBe('en-US');
    const denied = await again.post('/api/users', {});
    expect(denied.json().error.message).toBe('You do not have permission to do this');
    expect((await again.patch('/api/auth/me/preferences', { locale: 'fr-FR' })).statusCode).toBe(400);
  });
});
