import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from '../access/access.tables.js';

/** The in-app inbox: one row per recipient, text already in the recipient's language. */
export const notifications = pgTable(
  'notifications',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    event: text('event').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull().default(''),
    link: text('link'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [
    index('notifications_user_read_created_idx').on(t.userId, t.readAt, t.createdAt),
    index('notifications_user_created_idx').on(t.userId, t.createdAt),
    check('notifications_title_check', sql`length(${t.title}) between 1 and 200`),
  ],
);

export const CHANNELS = ['email', 'wecom', 'dingtalk'] as const;
export type Channel = (typeof CHANNELS)[number];
export const DELIVERY_STATUSES = ['pending', 'sent', 'failed'] as const;

/** The company's outbound channels: one row (id = 1), edited by administrators. */
export const notificationSettings = pgTable(
  'notification_settings',
  {
    id: integer('id').primaryKey(),
    smtpHost: text('smtp_host'),
    smtpPort: integer('smtp_port').notNull().default(465),
    smtpSecure: boolean('smtp_secure').notNull().default(true),
    smtpUser: text('smtp_user'),
    /** AES-256-GCM (kernel/secrets.ts); never sent to a browser. */
    smtpPasswordEncrypted: text('smtp_password_encrypted'),
    smtpFrom: text('smtp_from'),
    wecomWebhookUrl: text('wecom_webhook_url'),
    dingtalkWebhookUrl: text('dingtalk_webhook_url'),
    version: integer('version').notNull().default(1),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('notification_settings_single_row', sql`${t.id} = 1`),
    check('notification_settings_port_check', sql`${t.smtpPort} between 1 and 65535`),
  ],
);

/** Which outbound channels a user wants for an event (in-app is always on); no row = off. */
export const notificationPreferences = pgTable(
  'notification_preferences',
  {
    userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    event: text('event').notNull(),
    channel: text('channel', { enum: CHANNELS }).notNull(),
    enabled: boolean('enabled').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.event, t.channel] }),
    index('notification_preferences_event_idx').on(t.event, t.channel),
    check('notification_preferences_channel_check', sql`${t.channel} in ('email', 'wecom', 'dingtalk')`),
  ],
);

/** The outbound queue, drained by the notifications.deliver job with retry and backoff. */
export const notificationDeliveries = pgTable(
  'notification_deliveries',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    notificationId: bigint('notification_id', { mode: 'number' }).references(() => notifications.id, { onDelete: 'cascade' }),
    channel: text('channel', { enum: CHANNELS }).notNull(),
    /** The e-mail address, or the webhook URL at the time of queueing. */
    target: text('target').notNull(),
    payload: jsonb('payload').notNull(),
    status: text('status', { enum: DELIVERY_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [
    index('notification_deliveries_due_idx').on(t.status, t.nextAttemptAt),
    index('notification_deliveries_notification_idx').on(t.notificationId),
    check('notification_deliveries_status_check', sql`${t.status} in ('pending', 'sent', 'failed')`),
    check('notification_deliveries_channel_check', sql`${t.channel} in ('email', 'wecom', 'dingtalk')`),
    check('notification_deliveries_attempts_check', sql`${t.attempts} >= 0`),
    check('notification_deliveries_sent_check', sql`(${t.status} = 'sent') = (${t.sentAt} is not null)`),
  ],
);
