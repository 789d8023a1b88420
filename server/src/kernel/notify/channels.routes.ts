import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { actorOf } from '../http/security.js';
import { getMyPreferences, getNotificationSettings, setMyPreferences, updateNotificationSettings } from './channels.js';
import { CHANNELS } from './notify.tables.js';

const webhookUrl = z.url({ protocol: /^https?$/ }).max(500).nullable();
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((v) => (v === '' ? null : v))
    .nullable();

const settingsView = z.object({
  smtp: z.object({ host: z.string().nullable(), port: z.number().int(), secure: z.boolean(), user: z.string().nullable(), from: z.string().nullable(), passwordSet: z.boolean() }),
  wecomWebhookUrl: z.string().nullable(),
  dingtalkWebhookUrl: z.string().nullable(),
  version: z.number().int(),
});
const settingsBody = z.object({
  smtp: z.object({
    host: optionalText(200),
    port: z.number().int().min(1).max(65535),
    secure: z.boolean(),
    user: optionalText(200),
    from: optionalText(200),
    /** Omit to keep the stored password, null to remove it. */
    password: z.string().max(500).nullable().optional(),
  }),
  wecomWebhookUrl: webhookUrl,
  dingtalkWebhookUrl: webhookUrl,
  version: z.number().int().min(0),
});
const channelFlags = z.object(Object.fromEntries(CHANNELS.map((c) => [c, z.boolean()])) as Record<(typeof CHANNELS)[number], z.ZodBoolean>);
const preferencesView = z.object({
  events: z.array(z.object({ event: z.string(), name: z.string(), channels: channelFlags })),
  available: channelFlags,
});

export async function channelsRoutes(app: FastifyInstance, { db }: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/notification-settings', {
    config: { access: 'settings.read' },
    schema: { tags: ['notifications'], summary: 'Outbound channels: SMTP (without the password) and the WeCom / DingTalk robot webhooks', response: { 200: settingsView } },
    handler: async () => getNotificationSettings(db),
  });
  r.put('/api/notification-settings', {
    config: { access: 'settings.write' },
    schema: {
      tags: ['notifications'],
      summary: 'Change the outbound channels (the SMTP password is stored encrypted; omit it to keep it); send the version you read',
      body: settingsBody,
      response: { 200: settingsView },
    },
    handler: async (req) => updateNotificationSettings(db, actorOf(req), req.body),
  });
  r.get('/api/notifications/preferences', {
    config: { access: 'authenticated' },
    schema: { tags: ['notifications'], summary: 'My outbound channels per event (in-app is always on)', response: { 200: preferencesView } },
    handler: async (req) => getMyPreferences(db, actorOf(req)),
  });
  r.put('/api/notifications/preferences', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['notifications'],
      summary: 'Turn outbound channels on or off for events',
      body: z.object({ items: z.array(z.object({ event: z.string().max(80), channel: z.enum(CHANNELS), enabled: z.boolean() })).max(200) }),
      response: { 200: preferencesView },
    },
    handler: async (req) => setMyPreferences(db, actorOf(req), req.body.items),
  });
}
