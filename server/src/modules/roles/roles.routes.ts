import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { DATA_SCOPES } from '../../kernel/access/access.tables.js';
import { DATA_SCOPE_NAMES, PERMISSIONS } from '../../kernel/access/permissions.js';
import { actorOf } from '../../kernel/http/security.js';
import { createRole, deleteRole, listRoles, updateRole } from './roles.service.js';

const role = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  nameEn: z.string(),
  permissions: z.array(z.string()),
  dataScope: z.enum(DATA_SCOPES),
  builtin: z.boolean(),
  userCount: z.number().int(),
  version: z.number().int(),
});
const fields = {
  name: z.string().trim().min(1).max(40),
  nameEn: z.string().trim().min(1).max(60),
  permissions: z.array(z.string().max(60)).max(200),
  dataScope: z.enum(DATA_SCOPES),
};
const idParams = z.object({ id: z.coerce.number().int().positive() });

export async function rolesRoutes(app: FastifyInstance, { db }: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/permissions', {
    config: { access: 'roles.read' },
    schema: {
      tags: ['roles'],
      summary: 'The catalogue of permissions and data scopes a role can hold',
      response: {
        200: z.object({
          permissions: z.array(z.object({ code: z.string(), group: z.string(), name: z.string(), nameEn: z.string() })),
          dataScopes: z.array(z.object({ code: z.enum(DATA_SCOPES), name: z.string(), nameEn: z.string() })),
        }),
      },
    },
    handler: async () => ({
      permissions: Object.entries(PERMISSIONS).map(([code, p]) => ({ code, ...p })),
      dataScopes: DATA_SCOPES.map((code) => ({ code, ...DATA_SCOPE_NAMES[code] })),
    }),
  });
  r.get('/api/roles/options', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['roles'],
      summary: 'Role names for pickers (e.g. an account request), without permissions',
      response: { 200: z.object({ items: z.array(z.object({ id: z.number().int(), code: z.string(), name: z.string(), nameEn: z.string() })) }) },
    },
    handler: async () => ({ items: (await listRoles(db)).map(({ id, code, name, nameEn }) => ({ id, code, name, nameEn })) }),
  });
  r.get('/api/roles', {
    config: { access: 'roles.read' },
    schema: { tags: ['roles'], summary: 'All roles with their permissions and user counts', response: { 200: z.object({ items: z.array(role) }) } },
    handler: async () => ({ items: await listRoles(db) }),
  });
  r.post('/api/roles', {
    config: { access: 'roles.write' },
    schema: {
      tags: ['roles'],
      summary: 'Create a custom role',
      body: z.object({ code: z.string().trim().regex(/^[a-z][a-z0-9_]{1,39}$/, { message: 'role.code_format' }), ...fields }),
      response: { 200: role },
    },
    handler: async (req) => createRole(db, actorOf(req), req.body),
  });
  r.patch('/api/roles/:id', {
    config: { access: 'roles.write' },
    schema: {
      tags: ['roles'],
      summary: 'Change a role (send the version you read)',
      params: idParams,
      body: z.object({ ...z.object(fields).partial().shape, version: z.number().int() }),
      response: { 200: role },
    },
    handler: async (req) => updateRole(db, actorOf(req), req.params.id, req.body),
  });
  r.delete('/api/roles/:id', {
    config: { access: 'roles.write' },
    schema: { tags: ['roles'], summary: 'Delete an unused custom role', params: idParams, response: { 204: z.null() } },
    handler: async (req, reply) => {
      await deleteRole(db, actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  });
}
