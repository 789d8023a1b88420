import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { DEPARTMENT_KINDS } from '../../kernel/access/access.tables.js';
import { actorOf } from '../../kernel/http/security.js';
import { createDepartment, deleteDepartment, listDepartments, updateDepartment } from './departments.service.js';

const department = z.object({
  id: z.number().int(),
  parentId: z.number().int().nullable(),
  name: z.string(),
  nameEn: z.string().nullable(),
  kind: z.enum(DEPARTMENT_KINDS),
  headUserId: z.number().int().nullable(),
  headUserName: z.string().nullable(),
  sort: z.number().int(),
  userCount: z.number().int(),
  version: z.number().int(),
});

const fields = {
  parentId: z.number().int().positive(),
  name: z.string().trim().min(1).max(60),
  nameEn: z.string().trim().max(80).nullable().optional(),
  kind: z.enum(DEPARTMENT_KINDS),
  headUserId: z.number().int().positive().nullable().optional(),
  sort: z.number().int().min(-10000).max(10000).optional(),
};
const idParams = z.object({ id: z.coerce.number().int().positive() });

export async function departmentsRoutes(app: FastifyInstance, { db }: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/departments', {
    config: { access: 'departments.read' },
    schema: { tags: ['departments'], summary: 'The department tree as a flat list', response: { 200: z.object({ items: z.array(department) }) } },
    handler: async () => ({ items: await listDepartments(db) }),
  });
  r.post('/api/departments', {
    config: { access: 'departments.write' },
    schema: { tags: ['departments'], summary: 'Create a department under a parent', body: z.object(fields), response: { 200: department } },
    handler: async (req) => createDepartment(db, actorOf(req), req.body),
  });
  r.patch('/api/departments/:id', {
    config: { access: 'departments.write' },
    schema: {
      tags: ['departments'],
      summary: 'Rename, move or change a department (optimistic: send the version you read)',
      params: idParams,
      body: z.object({ ...fields, parentId: fields.parentId.optional(), name: fields.name.optional(), kind: fields.kind.optional(), version: z.number().int() }),
      response: { 200: department },
    },
    handler: async (req) => updateDepartment(db, actorOf(req), req.params.id, req.body),
  });
  r.delete('/api/departments/:id', {
    config: { access: 'departments.write' },
    schema: { tags: ['departments'], summary: 'Delete an empty department', params: idParams, response: { 204: z.null() } },
    handler: async (req, reply) => {
      await deleteDepartment(db, actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  });
}
