import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { pageOf, pageQuery } from '../../kernel/http/paging.js';
import { actorOf } from '../../kernel/http/security.js';
import {
  cancelAccountRequest,
  createAccountRequest,
  getAccountRequest,
  listAccountRequests,
  submitAccountRequest,
  updateAccountRequest,
} from './account-requests.service.js';

const STATUSES = ['draft', 'pending', 'approved', 'cancelled'] as const;
const row = z.object({
  id: z.number().int(),
  number: z.string(),
  status: z.enum(STATUSES),
  requestedBy: z.number().int(),
  requesterName: z.string(),
  username: z.string(),
  displayName: z.string(),
  departmentId: z.number().int(),
  departmentName: z.string(),
  roleIds: z.array(z.number().int()),
  territoryIds: z.array(z.string()),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  reason: z.string(),
  createdUserId: z.number().int().nullable(),
  version: z.number().int(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
const body = z.object({
  username: z.string().trim().min(2).max(40).regex(/^[A-Za-z0-9_.@-]+$/, { message: 'username.format' }),
  displayName: z.string().trim().min(1).max(40),
  departmentId: z.number().int().positive(),
  roleIds: z.array(z.number().int().positive()).min(1).max(20),
  territoryIds: z.array(z.string().regex(/^\d{6}$/)).max(500).default([]),
  phone: z.string().trim().max(30).nullable().optional(),
  email: z.union([z.email().max(120), z.literal(''), z.null()]).optional().transform((v) => (v ? v : null)),
  reason: z.string().trim().min(2).max(500),
});
const idParams = z.object({ id: z.coerce.number().int().positive() });
const versionBody = z.object({ version: z.number().int() });

export async function accountRequestsRoutes(app: FastifyInstance, { db, config }: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/account-requests', {
    config: { access: 'account_requests.read' },
    schema: {
      tags: ['account requests'],
      summary: 'Account requests I may see (own, by data scope, or as an approver)',
      querystring: pageQuery.extend({ status: z.enum(STATUSES).optional(), q: z.string().trim().max(60).optional() }),
      response: { 200: pageOf(row) },
    },
    handler: async (req) => {
      const { page, pageSize, sort, ...filter } = req.query;
      return listAccountRequests(db, actorOf(req), filter, { page, pageSize, sort });
    },
  });
  r.get('/api/account-requests/:id', {
    // Approvers chosen by name or role may lack account_requests.read; the row scope admits them.
    config: { access: 'authenticated' },
    schema: { tags: ['account requests'], summary: 'One account request (its requester’s scope, or its approvers)', params: idParams, response: { 200: row } },
    handler: async (req) => getAccountRequest(db, actorOf(req), req.params.id),
  });
  r.post('/api/account-requests', {
    config: { access: 'account_requests.create' },
    schema: { tags: ['account requests'], summary: 'Draft a request for a new colleague’s account', body, response: { 200: row } },
    handler: async (req) => createAccountRequest(db, actorOf(req), req.body, config.timeZone),
  });
  r.patch('/api/account-requests/:id', {
    config: { access: 'account_requests.create' },
    schema: { tags: ['account requests'], summary: 'Change my draft (send the version you read)', params: idParams, body: body.extend(versionBody.shape), response: { 200: row } },
    handler: async (req) => updateAccountRequest(db, actorOf(req), req.params.id, req.body),
  });
  r.post('/api/account-requests/:id/submit', {
    config: { access: 'account_requests.create' },
    schema: {
      tags: ['account requests'],
      summary: 'Submit my draft for approval',
      params: idParams,
      body: versionBody,
      response: { 200: z.object({ request: row, approved: z.boolean(), result: z.record(z.string(), z.unknown()).nullable() }) },
    },
    handler: async (req) => {
      const out = await submitAccountRequest(db, actorOf(req), req.params.id, req.body.version);
      return { request: out.request, approved: out.approved, result: out.result ?? null };
    },
  });
  r.post('/api/account-requests/:id/cancel', {
    config: { access: 'account_requests.create' },
    schema: { tags: ['account requests'], summary: 'Withdraw my request (draft or pending)', params: idParams, body: versionBody.extend({ reason: z.string().trim().max(500).nullable().optional() }), response: { 200: row } },
    handler: async (req) => cancelAccountRequest(db, actorOf(req), req.params.id, req.body.version, req.body.reason ?? null),
  });
}
