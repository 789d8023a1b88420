import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { actorOf } from '../http/security.js';
import { createReminder, deleteReminder, listReminders } from './reminders.js';

const reminder = z.object({
  id: z.number().int(),
  docType: z.string().nullable(),
  docId: z.number().int().nullable(),
  remindAt: z.date(),
  text: z.string(),
  sentAt: z.date().nullable(),
});

export async function remindersRoutes(app: FastifyInstance, { db }: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/reminders', {
    config: { access: 'authenticated' },
    schema: { tags: ['reminders'], summary: 'My reminders, upcoming first', response: { 200: z.object({ items: z.array(reminder) }) } },
    handler: async (req) => ({ items: await listReminders(db, actorOf(req)) }),
  });
  r.post('/api/reminders', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['reminders'],
      summary: 'Remind me at a moment, optionally of a document I may see',
      body: z.object({
        remindAt: z.coerce.date(),
        text: z.string().trim().min(1).max(500),
        docType: z.string().regex(/^[a-z_]{2,40}$/).nullable().optional(),
        docId: z.number().int().positive().nullable().optional(),
      }),
      response: { 200: reminder.omit({ sentAt: true }).extend({ sentAt: z.date().nullable(), userId: z.number().int(), createdAt: z.date() }) },
    },
    handler: async (req) => createReminder(db, actorOf(req), req.body),
  });
  r.delete('/api/reminders/:id', {
    config: { access: 'authenticated' },
    schema: { tags: ['reminders'], summary: 'Delete one of my reminders', params: z.object({ id: z.coerce.number().int().positive() }), response: { 204: z.null() } },
    handler: async (req, reply) => {
      await deleteReminder(db, actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  });
}
