import { and, asc, eq, inArray, lte } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import type { Actor } from '../access/actor.js';
import { users } from '../access/access.tables.js';
import { audit } from '../audit/audit.js';
import type { Db, Queryable, Tx } from '../db/client.js';
import { DomainError, versionConflict } from '../errors.js';
import { decryptSecret, encryptSecret } from '../secrets.js';
import { EVENT_CODES, NOTIFICATION_EVENTS } from './events.js';
import {
  CHANNELS,
  type Channel,
  notificationDeliveries,
  notificationPreferences,
  notificationSettings,
  type notifications,
} from './notify.tables.js';

/**
 * Outbound channels. In-app notifications are always written; a user may also want an event by
 * e-mail (SMTP) or in the company's WeCom / DingTalk group (robot webhooks). notify() queues one
 * delivery per wanted channel inside the caller's transaction; the notifications.deliver job sends
 * them every minute, retrying a failure with backoff (1, 2, 4, 8, 16 minutes) and giving up after
 * MAX_ATTEMPTS. The SMTP password is stored encrypted and never leaves the server.
 */
export const MAX_ATTEMPTS = 6;
export const backoffMs = (attempts: number) => Math.min(60, 2 ** Math.max(0, attempts - 1)) * 60_000;

// ---- settings (administrators) ---------------------------------------------------------------

type SettingsRow = typeof notificationSettings.$inferSelect;

export type SettingsView = {
  smtp: { host: string | null; port: number; secure: boolean; user: string | null; from: string | null; passwordSet: boolean };
  wecomWebhookUrl: string | null;
  dingtalkWebhookUrl: string | null;
  version: number;
};

export type SettingsInput = {
  smtp: { host: string | null; port: number; secure: boolean; user: string | null; from: string | null; password?: string | null };
  wecomWebhookUrl: string | null;
  dingtalkWebhookUrl: string | null;
  version: number;
};

async function readSettings(db: Queryable): Promise<SettingsRow> {
  const [row] = await db.select().from(notificationSettings).where(eq(notificationSettings.id, 1));
  return row ?? { id: 1, smtpHost: null, smtpPort: 465, smtpSecure: true, smtpUser: null, smtpPasswordEncrypted: null, smtpFrom: null, wecomWebhookUrl: null, dingtalkWebhookUrl: null, version: 0, updatedAt: new Date(0) };
}

function viewOf(s: SettingsRow): SettingsView {
  return {
    smtp: { host: s.smtpHost, port: s.smtpPort, secure: s.smtpSecure, user: s.smtpUser, from: s.smtpFrom, passwordSet: s.smtpPasswordEncrypted !== null },
    wecomWebhookUrl: s.wecomWebhookUrl,
    dingtalkWebhookUrl: s.dingtalkWebhookUrl,
    version: s.version,
  };
}

export async function getNotificationSettings(db: Queryable): Promise<SettingsView> {
  return viewOf(await readSettings(db));
}

/** password: undefined keeps the stored one, null removes it, a string replaces it. */
export async function updateNotificationSettings(db: Db, actor: Actor, input: SettingsInput): Promise<SettingsView> {
  return db.transaction(async (tx) => {
    await tx.insert(notificationSettings).values({ id: 1, version: 0 }).onConflictDoNothing();
    const [locked] = await tx.select().from(notificationSettings).where(eq(notificationSettings.id, 1)).for('update');
    if (locked.version !== input.version) throw versionConflict();
    const { password, ...smtp } = input.smtp;
    const [updated] = await tx
      .update(notificationSettings)
      .set({
        smtpHost: smtp.host,
        smtpPort: smtp.port,
        smtpSecure: smtp.secure,
        smtpUser: smtp.user,
        smtpFrom: smtp.from,
        smtpPasswordEncrypted: password === undefined ? locked.smtpPasswordEncrypted : password === null ? null : encryptSecret(password),
        wecomWebhookUrl: input.wecomWebhookUrl,
        dingtalkWebhookUrl: input.dingtalkWebhookUrl,
        version: locked.version + 1,
        updatedAt: new Date(),
      })
      .where(eq(notificationSettings.id, 1))
      .returning();
    // The audit shows whether the password changed, never the password.
    await audit(tx, actor, {
      action: 'notification_settings.updated',
      entity: 'notification_settings',
      entityId: 1,
      before: viewOf(locked),
      after: { ...viewOf(updated), passwordChanged: password !== undefined },
    });
    return viewOf(updated);
  });
}

// ---- preferences (each user) -----------------------------------------------------------------

export type PreferencesView = {
  events: { event: string; name: string; channels: Record<Channel, boolean> }[];
  /** Whether a channel can reach this user at all (configured by the administrator; e-mail needs an address). */
  available: Record<Channel, boolean>;
};

export async function getMyPreferences(db: Queryable, actor: Actor): Promise<PreferencesView> {
  const [rows, settings, [me]] = await Promise.all([
    db.select().from(notificationPreferences).where(eq(notificationPreferences.userId, actor.id)),
    readSettings(db),
    db.select({ email: users.email }).from(users).where(eq(users.id, actor.id)),
  ]);
  return {
    events: EVENT_CODES.map((event) => ({
      event,
      name: actor.locale === 'en-US' ? NOTIFICATION_EVENTS[event].nameEn : NOTIFICATION_EVENTS[event].name,
      channels: Object.fromEntries(CHANNELS.map((c) => [c, rows.some((r) => r.event === event && r.channel === c && r.enabled)])) as Record<Channel, boolean>,
    })),
    available: { email: Boolean(settings.smtpHost && me?.email), wecom: Boolean(settings.wecomWebhookUrl), dingtalk: Boolean(settings.dingtalkWebhookUrl) },
  };
}

export async function setMyPreferences(db: Db, actor: Actor, items: { event: string; channel: Channel; enabled: boolean }[]): Promise<PreferencesView> {
  const unknown = items.map((i, n) => ({ ...i, n })).filter((i) => !(EVENT_CODES as string[]).includes(i.event));
  if (unknown.length) {
    throw new DomainError(
      'VALIDATION_FAILED',
      {},
      422,
      unknown.map((i) => ({ path: `items.${i.n}.event`, code: 'NOTIFICATION_EVENT_UNKNOWN', params: { event: i.event } })),
    );
  }
  await db.transaction(async (tx) => {
    for (const item of items) {
      await tx
        .insert(notificationPreferences)
        .values({ userId: actor.id, event: item.event, channel: item.channel, enabled: item.enabled })
        .onConflictDoUpdate({
          target: [notificationPreferences.userId, notificationPreferences.event, notificationPreferences.channel],
          set: { enabled: item.enabled, updatedAt: new Date() },
        });
    }
    await audit(tx, actor, { action: 'notification_preferences.updated', entity: 'user', entityId: actor.id, after: { items } });
  });
  return getMyPreferences(db, actor);
}

// ---- queueing (inside notify) ----------------------------------------------------------------

type NotificationRow = typeof notifications.$inferSelect;

/** WeCom group robot: { msgtype: 'markdown', markdown: { content } }. */
export function wecomPayload(n: { title: string; body: string }, recipient: string) {
  return { msgtype: 'markdown', markdown: { content: `**${n.title}**\n> ${recipient}\n\n${n.body}` } };
}

/** DingTalk group robot: { msgtype: 'markdown', markdown: { title, text } }. */
export function dingtalkPayload(n: { title: string; body: string }, recipient: string) {
  return { msgtype: 'markdown', markdown: { title: n.title, text: `#### ${n.title}\n> ${recipient}\n\n${n.body}` } };
}

export async function queueDeliveries(tx: Tx, rows: NotificationRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const userIds = [...new Set(rows.map((r) => r.userId))];
  const events = [...new Set(rows.map((r) => r.event))];
  const [prefs, recipients, settings] = await Promise.all([
    tx
      .select()
      .from(notificationPreferences)
      .where(and(inArray(notificationPreferences.userId, userIds), inArray(notificationPreferences.event, events), eq(notificationPreferences.enabled, true))),
    tx.select({ id: users.id, email: users.email, displayName: users.displayName }).from(users).where(inArray(users.id, userIds)),
    readSettings(tx),
  ]);
  const queued: (typeof notificationDeliveries.$inferInsert)[] = [];
  for (const n of rows) {
    const who = recipients.find((u) => u.id === n.userId)!;
    for (const p of prefs.filter((p) => p.userId === n.userId && p.event === n.event)) {
      if (p.channel === 'email' && who.email && settings.smtpHost) {
        queued.push({ notificationId: n.id, channel: 'email', target: who.email, payload: { subject: n.title, text: n.link ? `${n.body}\n\n${n.link}` : n.body } });
      } else if (p.channel === 'wecom' && settings.wecomWebhookUrl) {
        queued.push({ notificationId: n.id, channel: 'wecom', target: settings.wecomWebhookUrl, payload: wecomPayload(n, who.displayName) });
      } else if (p.channel === 'dingtalk' && settings.dingtalkWebhookUrl) {
        queued.push({ notificationId: n.id, channel: 'dingtalk', target: settings.dingtalkWebhookUrl, payload: dingtalkPayload(n, who.displayName) });
      }
    }
  }
  if (queued.length) await tx.insert(notificationDeliveries).values(queued);
  return queued.length;
}

// ---- sending (the notifications.deliver job) -------------------------------------------------

export type SmtpSettings = { host: string; port: number; secure: boolean; user: string | null; password: string | null; from: string };
export type EmailMessage = { to: string; subject: string; text: string };

/** The outbound side, injectable so tests fake e-mail (and could fake webhooks). */
export type Transports = {
  sendEmail: (smtp: SmtpSettings, message: EmailMessage) => Promise<void>;
  postJson: (url: string, body: unknown) => Promise<void>;
};

export const defaultTransports: Transports = {
  sendEmail: async (smtp, message) => {
    const transport = nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      auth: smtp.user ? { user: smtp.user, pass: smtp.password ?? '' } : undefined,
      connectionTimeout: 15_000,
    });
    try {
      await transport.sendMail({ from: smtp.from, to: message.to, subject: message.subject, text: message.text });
    } finally {
      transport.close();
    }
  },
  postJson: async (url, body) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`HTTP ${res.status}: ${text.slice(0, 300)}`);
    // Both robots answer 200 with { errcode, errmsg }; a non-zero errcode is a refusal (bad key, rate limit).
    let reply: { errcode?: number; errmsg?: string } = {};
    try {
      reply = JSON.parse(text);
    } catch {
      /* not JSON: accept the 2xx */
    }
    if (typeof reply.errcode === 'number' && reply.errcode !== 0) throw new Error(`errcode ${reply.errcode}: ${reply.errmsg ?? ''}`);
  },
};

function smtpOf(s: SettingsRow): SmtpSettings {
  if (!s.smtpHost || !s.smtpFrom) throw new Error('SMTP is not configured');
  return {
    host: s.smtpHost,
    port: s.smtpPort,
    secure: s.smtpSecure,
    user: s.smtpUser,
    password: s.smtpPasswordEncrypted ? decryptSecret(s.smtpPasswordEncrypted) : null,
    from: s.smtpFrom,
  };
}

/** Sends what is due at `now`; each delivery's outcome is committed on its own. Runs under the job lock. */
export async function deliverDueNotifications(db: Db, transports: Transports, now: Date, batch = 200) {
  const due = await db
    .select()
    .from(notificationDeliveries)
    .where(and(eq(notificationDeliveries.status, 'pending'), lte(notificationDeliveries.nextAttemptAt, now)))
    .orderBy(asc(notificationDeliveries.nextAttemptAt), asc(notificationDeliveries.id))
    .limit(batch);
  const counts = { sent: 0, retrying: 0, failed: 0 };
  if (due.length === 0) return counts;
  const settings = await readSettings(db);
  for (const d of due) {
    const attempts = d.attempts + 1;
    try {
      if (d.channel === 'email') {
        const p = d.payload as { subject: string; text: string };
        await transports.sendEmail(smtpOf(settings), { to: d.target, subject: p.subject, text: p.text });
      } else {
        await transports.postJson(d.target, d.payload);
      }
      await db
        .update(notificationDeliveries)
        .set({ status: 'sent', attempts, sentAt: new Date(), lastError: null })
        .where(eq(notificationDeliveries.id, d.id));
      counts.sent++;
    } catch (error) {
      const message = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
      const giveUp = attempts >= MAX_ATTEMPTS;
      await db
        .update(notificationDeliveries)
        .set({ status: giveUp ? 'failed' : 'pending', attempts, lastError: message, nextAttemptAt: new Date(now.getTime() + backoffMs(attempts)) })
        .where(eq(notificationDeliveries.id, d.id));
      if (giveUp) counts.failed++;
      else counts.retrying++;
    }
  }
  return counts;
}
