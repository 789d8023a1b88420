import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { listTerritories } from './territories.service.js';

const territory = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  name: z.string(),
  level: z.enum(['province', 'city', 'county']),
});

export async function territoriesRoutes(app: FastifyInstance, { db }: AppContext) {
  app.withTypeProvider<ZodTypeProvider>().get('/api/territories', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['territories'],
      summary: 'Provinces and cities, or the children of one territory',
      querystring: z.object({ parentId: z.string().regex(/^\d{6}$/).optional() }),
      response: { 200: z.object({ items: z.array(territory) }) },
    },
    handler: async (req) => ({ items: await listTerritories(db, req.query.parentId) }),
  });
}
