import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { todayIn } from '../../kernel/approvals/approvals.service.js';
import { actorOf } from '../../kernel/http/security.js';
import { addQualification, customerEligibility, listQualifications, renewQualification, updateQualification } from './qualifications.js';
import { QUALIFICATION_KINDS, QUALIFICATION_STATUSES } from './qualifications.tables.js';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), { message: 'date' });
const optionalDay = day.nullable().optional().transform((v) => v ?? null);
export const qualificationFields = z.object({
  number: z.string().trim().min(1).max(60),
  issuedOn: optionalDay,
  /** null: long-term (长期). */
  expiresOn: optionalDay,
  notes: z.string().trim().max(500).nullable().optional(),
});
export const qualificationKind = z.enum(QUALIFICATION_KINDS);

const qualificationRow = z.object({
  id: z.number().int(),
  customerId: z.number().int(),
  kind: qualificationKind,
  number: z.string(),
  issuedOn: z.string().nullable(),
  expiresOn: z.string().nullable(),
  notes: z.string().nullable(),
  status: z.enum(QUALIFICATION_STATUSES),
  replacedById: z.number().int().nullable(),
  version: z.number().int(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
const listRow = qualificationRow.extend({ attachmentCount: z.number().int(), createdByName: z.string().nullable() });

const customerParams = z.object({ id: z.coerce.number().int().positive() });
const docParams = customerParams.extend({ qualificationId: z.coerce.number().int().positive() });
const toRow = <T extends { expiryNotices?: unknown; createdBy?: unknown }>({ expiryNotices: _n, createdBy: _c, ...r }: T) => r;

export async function qualificationsRoutes(app: FastifyInstance, { db, config }: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/customers/:id/qualifications', {
    config: { access: 'customers.read' },
    schema: {
      tags: ['customers'],
      summary: 'A customer’s qualification documents (current ones; history=true adds the replaced ones)',
      params: customerParams,
      querystring: z.object({ history: z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1').optional() }),
      response: { 200: z.object({ items: z.array(listRow) }) },
    },
    handler: async (req) => ({ items: (await listQualifications(db, actorOf(req), req.params.id, { history: req.query.history })).map(toRow) }),
  });
  r.post('/api/customers/:id/qualifications', {
    config: { access: 'customers.write' },
    schema: {
      tags: ['customers'],
      summary: 'File a qualification document (409 when a current one of that kind exists: renew it instead)',
      params: customerParams,
      body: qualificationFields.extend({ kind: qualificationKind }),
      response: { 200: qualificationRow },
    },
    handler: async (req) => toRow(await addQualification(db, actorOf(req), req.params.id, req.body, todayIn(config.timeZone))),
  });
  r.post('/api/customers/:id/qualifications/:qualificationId/renew', {
    config: { access: 'customers.write' },
    schema: {
      tags: ['customers'],
      summary: 'Renew: a new document replaces this current one (kept as history); send the version you read',
      params: docParams,
      body: qualificationFields.extend({ version: z.number().int() }),
      response: { 200: qualificationRow },
    },
    handler: async (req) => toRow(await renewQualification(db, actorOf(req), req.params.id, req.params.qualificationId, req.body, todayIn(config.timeZone))),
  });
  r.patch('/api/customers/:id/qualifications/:qualificationId', {
    config: { access: 'customers.write' },
    schema: {
      tags: ['customers'],
      summary: 'Correct a current document (send the version you read)',
      params: docParams,
      body: qualificationFields.extend({ version: z.number().int() }),
      response: { 200: qualificationRow },
    },
    handler: async (req) => toRow(await updateQualification(db, actorOf(req), req.params.id, req.params.qualificationId, req.body, todayIn(config.timeZone))),
  });
  r.get('/api/customers/:id/eligibility', {
    config: { access: 'customers.read' },
    schema: {
      tags: ['customers'],
      summary: 'May we sell to this customer on a day (default today)? The required documents missing or expired',
      params: customerParams,
      querystring: z.object({ on: day.optional() }),
      response: {
        200: z.object({
          eligible: z.boolean(),
          problems: z.array(z.object({ kind: qualificationKind, problem: z.enum(['missing', 'expired']), expiresOn: z.string().optional() })),
        }),
      },
    },
    handler: async (req) => customerEligibility(db, actorOf(req), req.params.id, req.query.on ?? todayIn(config.timeZone)),
  });
}
