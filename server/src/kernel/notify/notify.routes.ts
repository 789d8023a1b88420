import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { pageOf, pageQuery, queryBoolean } from '../http/paging.js';
import { actorOf } from '../http/security.js';
import { countMyUnread, listMyNotifications, markAllMyNotificationsRead, markNotificationRead } from './notify.service.js';

const notification = z.object({
  id: z.number().int(),
  event: z.string(),
  title: z.string(),
  body: z.string(),
  link: z.string().nullable(),
  createdAt: z.date(),
  readAt: z.date().nullable(),
});
const toReply = ({ userId: _, ...n }: z.infer<typeof notification> & { userId: number }) => n;

export async function notifyRoutes(app: FastifyInstance, { db }: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/notifications', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['notifications'],
      summary: 'My notifications, newest first (unread=true for the unread ones only)',
      querystring: pageQuery.extend({ unread: queryBoolean.optional() }),
      response: { 200: pageOf(notification) },
    },
    handler: async (req) => {
      const { page, pageSize, sort, unread } = req.query;
      const result = await listMyNotifications(db, actorOf(req), { unread }, { page, pageSize, sort });
      return { ...result, items: result.items.map(toReply) };
    },
  });
  r.get('/api/notifications/unread-count', {
    config: { access: 'authenticated' },
    schema: { tags: ['notifications'], summary: 'How many of my notifications are unread (the bell badge)', response: { 200: z.object({ count: z.number().int() }) } },
    handler: async (req) => ({ count: await countMyUnread(db, actorOf(req)) }),
  });
  r.post('/api/notifications/:id/read', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['notifications'],
      summary: 'Mark one of my notifications read (another user’s id is 404)',
      params: z.object({ id: z.coerce.number().int().positive() }),
      response: { 200: notification },
    },
    handler: async (req) => toReply(await markNotificationRead(db, actorOf(req), req.params.id)),
  });
  r.post('/api/notifications/read-all', {
    config: { access: 'authenticated' },
    schema: { tags: ['notifications'], summary: 'Mark all my notifications read', response: { 200: z.object({ marked: z.number().int() }) } },
    handler: async (req) => ({ marked: await markAllMyNotificationsRead(db, actorOf(req)) }),
  });
}
