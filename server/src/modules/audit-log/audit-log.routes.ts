import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { verifyAuditChain } from '../../kernel/audit/audit.js';
import { pageOf, pageQuery } from '../../kernel/http/paging.js';
import { listAudit } from './audit-log.service.js';

const entry = z.object({
  seq: z.number().int(),
  at: z.date(),
  actor: z.object({ id: z.number().int(), displayName: z.string() }).nullable(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  ip: z.string().nullable(),
});
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export async function auditLogRoutes(app: FastifyInstance, { db, config }: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/audit', {
    config: { access: 'audit.read' },
    schema: {
      tags: ['audit'],
      summary: 'The audit log, newest first, filtered by actor, record, action and dates',
      querystring: pageQuery.extend({
        actorId: z.coerce.number().int().positive().optional(),
        entity: z.string().max(60).optional(),
        entityId: z.string().max(60).optional(),
        action: z.string().max(60).optional(),
        from: isoDate.optional(),
        to: isoDate.optional(),
      }),
      response: { 200: pageOf(entry) },
    },
    handler: async (req) => {
      const { page, pageSize, sort, ...filter } = req.query;
      return listAudit(db, filter, { page, pageSize, sort }, config.timeZone);
    },
  });
  r.get('/api/audit/verify', {
    config: { access: 'audit.verify' },
    schema: {
      tags: ['audit'],
      summary: 'Re-checks the whole hash chain and reports altered, missing or relinked entries',
      response: {
        200: z.object({ ok: z.boolean(), checked: z.number().int(), problems: z.array(z.object({ seq: z.number().int(), problem: z.string() })) }),
      },
    },
    handler: async () => verifyAuditChain(db),
  });
}
