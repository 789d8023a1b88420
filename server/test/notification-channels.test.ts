import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { users } from '../src/kernel/access/access.tables.js';
import { auditLog } from '../src/kernel/audit/audit.tables.js';
import { defaultTransports, type EmailMessage, type SmtpSettings } from '../src/kernel/notify/channels.js';
import { notificationDeliveries, notificationSettings } from '../src/kernel/notify/notify.tables.js';
import { decryptSecret, encryptSecret, loadOrCreateKeyFile } from '../src/kernel/secrets.js';
import { Client, makeUser, setupTest } from './support.js';

process.env.RXDESK_SECRET_KEY ??= randomBytes(32).toString('base64');

let t: Awaited<ReturnType<typeof setupTest>>;
let app: FastifyInstance;
let admin: Client;
/** E-mail is faked (an outbound channel); webhooks go over real HTTP to a receiver on 127.0.0.1. */
const sentMail: { smtp: SmtpSettings; message: EmailMessage }[] = [];
let mailFails = 0;
const received: { path: string; body: unknown }[] = [];
let answers: { status: number; body: unknown }[] = [];
let receiver: http.Server;
let base: string;

beforeAll(async () => {
  t = await setupTest({ demo: true });
  app = await buildApp({
    db: t.db,
    config: t.config,
    transports: {
      ...defaultTransports,
      sendEmail: async (smtp, message) => {
        if (mailFails > 0) {
          mailFails--;
          throw new Error('421 try again later');
        }
        sentMail.push({ smtp, message });
      },
    },
  });
  await app.ready();
  admin = await Client.as(app, 'admin');
  receiver = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: JSON.parse(data) });
      const answer = answers.shift() ?? { status: 200, body: { errcode: 0, errmsg: 'ok' } };
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => receiver.close(r));
  await app.close();
  await t.close();
});

async function configure(over: Record<string, unknown> = {}) {
  const current = (await admin.get('/api/notification-settings')).json();
  return admin.request({
    method: 'PUT',
    url: '/api/notification-settings',
    payload: {
      smtp: { host: 'smtp.example.cn', port: 465, secure: true, user: 'notice@example.cn', from: 'RxDesk <notice@example.cn>', password: 'Smtp-Secret-9' },
      wecomWebhookUrl: `${base}/cgi-bin/webhook/send?key=wecom-key`,
      dingtalkWebhookUrl: `${base}/robot/send?access_token=ding-token`,
      version: current.version,
      ...over,
    },
  });
}

async function resetPasswordOf(userId: number) {
  expect((await admin.post(`/api/users/${userId}/reset-password`, { newPassword: 'temp2026x' })).statusCode).toBe(204);
}
const deliver = (at: Date) => app.scheduler.run('notifications.deliver', { scheduledFor: at });

describe('the SMTP password', () => {
  it('is stored encrypted, reported only as set, audited without its text, and decrypted for sending', async () => {
    const res = await configure();
    expect(res.statusCode).toBe(200);
    expect(res.json().smtp).toEqual({ host: 'smtp.example.cn', port: 465, secure: true, user: 'notice@example.cn', from: 'RxDesk <notice@example.cn>', passwordSet: true });
    expect(res.body).not.toContain('Smtp-Secret-9');
    expect((await admin.get('/api/notification-settings')).body).not.toContain('Smtp-Secret-9');
    const [row] = await t.db.select().from(notificationSettings);
    expect(row.smtpPasswordEncrypted).not.toContain('Smtp-Secret-9');
    expect(decryptSecret(row.smtpPasswordEncrypted!)).toBe('Smtp-Secret-9');
    const entries = await t.db.select().from(auditLog).where(eq(auditLog.action, 'notification_settings.updated'));
    expect(JSON.stringify(entries)).not.toContain('Smtp-Secret-9');

    const u = await makeUser(t.db, { username: 'mail.user', roles: ['rep'] });
    await t.db.update(users).set({ email: 'mail.user@example.cn' }).where(eq(users.id, u.id));
    const c = await Client.as(app, u.username, u.password);
    await c.request({ method: 'PUT', url: '/api/notifications/preferences', payload: { items: [{ event: 'user.password_reset', channel: 'email', enabled: true }] } });
    await resetPasswordOf(u.id);
    const run = await deliver(new Date());
    expect(run).toMatchObject({ outcome: 'ok', message: 'sent 1, retrying 0, failed 0' });
    const mail = sentMail.find((m) => m.message.to === 'mail.user@example.cn')!;
    expect(mail.smtp).toMatchObject({ host: 'smtp.example.cn', user: 'notice@example.cn', password: 'Smtp-Secret-9', from: 'RxDesk <notice@example.cn>' });
    expect(mail.message.subject).toBe('您的密码已被管理员重置');
  });

  it('keeps the stored password when the administrator saves without one, and removes it on null', async () => {
    const { password: _, ...smtpWithout } = { host: 'smtp2.example.cn', port: 587, secure: false, user: 'n', from: 'n@example.cn', password: undefined };
    expect((await configure({ smtp: smtpWithout })).json().smtp).toMatchObject({ host: 'smtp2.example.cn', passwordSet: true });
    const [row] = await t.db.select().from(notificationSettings);
    expect(decryptSecret(row.smtpPasswordEncrypted!)).toBe('Smtp-Secret-9');
    expect((await configure({ smtp: { ...smtpWithout, password: null } })).json().smtp.passwordSet).toBe(false);
    await configure(); // back to the first settings for the tests below
  });

  it('refuses a stale version and a webhook that is not a URL, field by field', async () => {
    await configure();
    const current = (await admin.get('/api/notification-settings')).json();
    const stale = await configure({ version: current.version - 1 });
    expect(stale.statusCode).toBe(409);
    const bad = await configure({ wecomWebhookUrl: 'not a url', smtp: { host: 'h', port: 70000, secure: true, user: null, from: null } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['smtp.port', 'wecomWebhookUrl']);
  });

  it('is refused to anyone but an administrator, and management may only read', async () => {
    const management = await Client.as(app, 'management');
    expect((await management.get('/api/notification-settings')).statusCode).toBe(200);
    expect((await management.request({ method: 'PUT', url: '/api/notification-settings', payload: {} })).statusCode).toBe(403);
    const rep = await Client.as(app, 'rep');
    expect((await rep.get('/api/notification-settings')).statusCode).toBe(403);
  });
});

describe('secrets', () => {
  it('creates the key file once with mode 0600 and reads the same key back', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rxdesk-key-'));
    try {
      const key = loadOrCreateKeyFile(dir);
      expect(key.length).toBe(32);
      expect(fs.statSync(path.join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
      expect(loadOrCreateKeyFile(dir).equals(key)).toBe(true);
      const sealed = encryptSecret('口令', key);
      expect(decryptSecret(sealed, key)).toBe('口令');
      expect(() => decryptSecret(sealed, randomBytes(32))).toThrow();
      const tampered = sealed.slice(0, -4) + (sealed.endsWith('AAAA') ? 'BBBB' : 'AAAA');
      expect(() => decryptSecret(tampered, key)).toThrow();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('group robots and retries', () => {
  it('posts the WeCom and DingTalk markdown messages to the configured webhooks', async () => {
    const u = await makeUser(t.db, { username: 'robot.user', displayName: '赵六', roles: ['rep'] });
    const c = await Client.as(app, u.username, u.password);
    const prefs = await c.request({
      method: 'PUT',
      url: '/api/notifications/preferences',
      payload: { items: [{ event: 'user.disabled', channel: 'wecom', enabled: true }, { event: 'user.disabled', channel: 'dingtalk', enabled: true }] },
    });
    expect(prefs.statusCode).toBe(200);
    expect(prefs.json().events.find((e: { event: string }) => e.event === 'user.disabled').channels).toEqual({ email: false, wecom: true, dingtalk: true });
    received.length = 0;
    await admin.post(`/api/users/${u.id}/disable`);
    expect((await deliver(new Date())).message).toBe('sent 2, retrying 0, failed 0');
    const wecom = received.find((r) => r.path.startsWith('/cgi-bin/webhook/send?key=wecom-key'))!;
    expect(wecom.body).toEqual({ msgtype: 'markdown', markdown: { content: '**您的账号已被停用**\n> 赵六\n\n操作人：王敏' } });
    const ding = received.find((r) => r.path.startsWith('/robot/send?access_token=ding-token'))!;
    expect(ding.body).toEqual({ msgtype: 'markdown', markdown: { title: '您的账号已被停用', text: '#### 您的账号已被停用\n> 赵六\n\n操作人：王敏' } });
  });

  it('sends nothing outbound for an event the user did not choose (in-app only)', async () => {
    const u = await makeUser(t.db, { username: 'quiet.user', roles: ['rep'] });
    await t.db.update(users).set({ email: 'quiet@example.cn' }).where(eq(users.id, u.id));
    const c = await Client.as(app, u.username, u.password);
    await c.request({ method: 'PUT', url: '/api/notifications/preferences', payload: { items: [{ event: 'user.disabled', channel: 'email', enabled: true }, { event: 'user.password_reset', channel: 'email', enabled: false }] } });
    await resetPasswordOf(u.id);
    expect(await t.db.select().from(notificationDeliveries).where(eq(notificationDeliveries.target, 'quiet@example.cn'))).toEqual([]);
    expect((await c.get('/api/notifications/unread-count')).statusCode).toBe(401); // the reset ended their session
  });

  it('retries a failed webhook with growing delays, records the error, and gives up after the last attempt', async () => {
    const u = await makeUser(t.db, { username: 'retry.user', roles: ['rep'] });
    const c = await Client.as(app, u.username, u.password);
    await c.request({ method: 'PUT', url: '/api/notifications/preferences', payload: { items: [{ event: 'user.disabled', channel: 'wecom', enabled: true }] } });
    await admin.post(`/api/users/${u.id}/disable`);
    const [queued] = await t.db.select().from(notificationDeliveries).where(eq(notificationDeliveries.status, 'pending'));
    expect(queued.channel).toBe('wecom');

    let now = new Date(Date.now() + 1000);
    answers = [{ status: 200, body: { errcode: 93000, errmsg: 'invalid webhook url' } }];
    expect((await deliver(now)).message).toBe('sent 0, retrying 1, failed 0');
    let [row] = await t.db.select().from(notificationDeliveries).where(eq(notificationDeliveries.id, queued.id));
    expect(row).toMatchObject({ status: 'pending', attempts: 1, lastError: 'errcode 93000: invalid webhook url' });
    expect(row.nextAttemptAt.getTime() - now.getTime()).toBe(60_000);

    // Not yet due: nothing is sent before the backoff is over.
    expect((await deliver(new Date(now.getTime() + 30_000))).message).toBeNull();

    const delays = [];
    for (let attempt = 2; attempt <= 6; attempt++) {
      answers = [{ status: 502, body: { error: 'bad gateway' } }];
      now = row.nextAttemptAt;
      await deliver(now);
      [row] = await t.db.select().from(notificationDeliveries).where(eq(notificationDeliveries.id, queued.id));
      delays.push((row.nextAttemptAt.getTime() - now.getTime()) / 60_000);
    }
    expect(delays.slice(0, 4)).toEqual([2, 4, 8, 16]);
    expect(row).toMatchObject({ status: 'failed', attempts: 6, sentAt: null });
    expect(row.lastError).toContain('HTTP 502');
  });

  it('sends a delivery that failed once on its next attempt', async () => {
    const u = await makeUser(t.db, { username: 'flaky.mail', roles: ['rep'] });
    await t.db.update(users).set({ email: 'flaky@example.cn' }).where(eq(users.id, u.id));
    const c = await Client.as(app, u.username, u.password);
    await c.request({ method: 'PUT', url: '/api/notifications/preferences', payload: { items: [{ event: 'user.disabled', channel: 'email', enabled: true }] } });
    await admin.post(`/api/users/${u.id}/disable`);
    mailFails = 1;
    const now = new Date(Date.now() + 1000);
    await deliver(now);
    const [first] = await t.db.select().from(notificationDeliveries).where(eq(notificationDeliveries.target, 'flaky@example.cn'));
    expect(first).toMatchObject({ status: 'pending', attempts: 1, lastError: '421 try again later' });
    await deliver(first.nextAttemptAt);
    const [second] = await t.db.select().from(notificationDeliveries).where(eq(notificationDeliveries.id, first.id));
    expect(second).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
    expect(sentMail.filter((m) => m.message.to === 'flaky@example.cn')).toHaveLength(1);
  });

  it('refuses a preference for an event that does not exist, and writes none', async () => {
    const c = await Client.as(app, 'office');
    const res = await c.request({ method: 'PUT', url: '/api/notifications/preferences', payload: { items: [{ event: 'order.shipped', channel: 'email', enabled: true }] } });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.fields).toEqual([{ path: 'items.0.event', message: '未知的通知事件：order.shipped' }]);
  });
});
