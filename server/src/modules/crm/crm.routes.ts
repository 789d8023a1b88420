import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { actorOf } from '../../kernel/http/security.js';
import { getCrmSettings, updateCrmSettings } from './crm.settings.js';
import { LEAD_ASSIGNMENT_MODES } from './crm.tables.js';

const days = z.number().int().min(1).max(3650);
const dormantDays = z.object({ C: days, B: days, A: days, H: days, O: days });
const settings = z.object({
  leadAssignment: z.enum(LEAD_ASSIGNMENT_MODES),
  roundRobinDepartmentId: z.number().int().nullable(),
  leadReclaimDays: z.number().int().min(0).max(365),
  dormantDays,
  hotProbability: z.number().int().min(1).max(100),
  version: z.number().int(),
  updatedAt: z.date(),
});

/** CRM settings: lead assignment and reclaim, neglected-customer days per grade, the hot-prospect threshold. */
export async function crmRoutes(app: FastifyInstance, { db }: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/crm/settings', {
    config: { access: 'authenticated' },
    schema: { tags: ['crm'], summary: 'The company’s CRM settings', response: { 200: settings } },
    handler: async () => getCrmSettings(db),
  });
  r.put('/api/crm/settings', {
    config: { access: 'crm.configure' },
    schema: {
      tags: ['crm'],
      summary: 'Change the CRM settings (optimistic version)',
      body: settings.omit({ updatedAt: true }),
      response: { 200: settings },
    },
    handler: async (req) => updateCrmSettings(db, actorOf(req), req.body),
  });
}
