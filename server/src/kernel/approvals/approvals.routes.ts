import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { actorOf } from '../http/security.js';
import {
  createDelegation,
  createFlow,
  decide,
  deleteDelegation,
  listDelegations,
  listFlows,
  listTasks,
  updateFlow,
} from './approvals.service.js';

const idParams = z.object({ id: z.coerce.number().int().positive() });
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const task = z.object({
  id: z.number().int(),
  docType: z.string(),
  docTypeName: z.string(),
  docId: z.number().int(),
  docNumber: z.string(),
  docTitle: z.string(),
  stepName: z.string(),
  approver: z.object({ id: z.number().int(), displayName: z.string() }),
  onBehalf: z.boolean(),
  submitter: z.object({ id: z.number().int(), displayName: z.string() }),
  submittedAt: z.date(),
  status: z.string(),
  comment: z.string().nullable(),
  decidedAt: z.date().nullable(),
});
const condition = z.object({
  fact: z.string().min(1).max(40),
  op: z.enum(['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'contains']),
  value: z.union([z.string().max(200), z.number(), z.boolean(), z.array(z.union([z.string().max(200), z.number()])).max(100)]),
});
const stepIn = z.object({
  name: z.string().trim().min(1).max(40),
  approverKind: z.enum(['role', 'department_head', 'user']),
  roleId: z.number().int().positive().nullable().optional(),
  userId: z.number().int().positive().nullable().optional(),
  mode: z.enum(['any', 'all']),
});
const flowIn = z.object({
  docType: z.string().regex(/^[a-z_]{2,40}$/),
  name: z.string().trim().min(1).max(60),
  priority: z.number().int().min(0).max(10000),
  conditions: z.array(condition).max(20),
  active: z.boolean(),
  steps: z.array(stepIn).max(20),
});
const flowOut = z.object({
  id: z.number().int(),
  docType: z.string(),
  name: z.string(),
  priority: z.number().int(),
  conditions: z.array(condition),
  active: z.boolean(),
  version: z.number().int(),
  steps: z.array(
    z.object({ id: z.number().int(), seq: z.number().int(), name: z.string(), approverKind: z.string(), roleId: z.number().int().nullable(), roleName: z.string().nullable(), userId: z.number().int().nullable(), userName: z.string().nullable(), mode: z.string() }),
  ),
});
const delegation = z.object({
  id: z.number().int(),
  userId: z.number().int(),
  userName: z.string(),
  delegateId: z.number().int(),
  delegateName: z.string(),
  startsOn: z.string(),
  endsOn: z.string(),
});

export async function approvalsRoutes(app: FastifyInstance, { db, config }: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/approvals/tasks', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['approvals'],
      summary: 'My approval to-do list (including tasks of colleagues who delegated to me today), or my decided tasks',
      querystring: z.object({ status: z.enum(['pending', 'done']).default('pending') }),
      response: { 200: z.object({ items: z.array(task) }) },
    },
    handler: async (req) => ({ items: await listTasks(db, actorOf(req), req.query.status, config.timeZone) }),
  });
  for (const decision of ['approve', 'reject'] as const) {
    r.post(`/api/approvals/tasks/:id/${decision}`, {
      config: { access: 'authenticated' },
      schema: {
        tags: ['approvals'],
        summary: decision === 'approve' ? 'Approve a task of mine (or of whom I stand in for)' : 'Reject a task with a reason; the document returns to draft',
        params: idParams,
        body: z.object({ comment: z.string().trim().max(1000).nullable().optional() }),
        response: { 200: z.object({ requestStatus: z.enum(['pending', 'approved', 'rejected']), result: z.record(z.string(), z.unknown()).nullable() }) },
      },
      handler: async (req) => {
        const out = await decide(db, actorOf(req), req.params.id, decision, req.body.comment || null, config.timeZone);
        return { requestStatus: out.requestStatus, result: out.result ?? null };
      },
    });
  }
  r.get('/api/approvals/flows', {
    config: { access: 'approvals.configure' },
    schema: { tags: ['approvals'], summary: 'Approval flows with conditions and steps', querystring: z.object({ docType: z.string().max(40).optional() }), response: { 200: z.object({ items: z.array(flowOut) }) } },
    handler: async (req) => ({ items: await listFlows(db, req.query.docType) }),
  });
  r.post('/api/approvals/flows', {
    config: { access: 'approvals.configure' },
    schema: { tags: ['approvals'], summary: 'Create an approval flow', body: flowIn, response: { 200: flowOut } },
    handler: async (req) => createFlow(db, actorOf(req), req.body),
  });
  r.put('/api/approvals/flows/:id', {
    config: { access: 'approvals.configure' },
    schema: { tags: ['approvals'], summary: 'Replace a flow (send the version you read); requests under way keep their steps', params: idParams, body: flowIn.extend({ version: z.number().int() }), response: { 200: flowOut } },
    handler: async (req) => updateFlow(db, actorOf(req), req.params.id, req.body),
  });
  r.get('/api/approvals/delegations', {
    config: { access: 'authenticated' },
    schema: { tags: ['approvals'], summary: 'Delegations I gave and received', response: { 200: z.object({ items: z.array(delegation) }) } },
    handler: async (req) => ({ items: await listDelegations(db, actorOf(req)) }),
  });
  r.post('/api/approvals/delegations', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['approvals'],
      summary: 'Name a colleague who approves for me between two dates (工作代理)',
      body: z.object({ delegateId: z.number().int().positive(), startsOn: isoDate, endsOn: isoDate }),
      response: { 200: delegation.omit({ userName: true, delegateName: true }).extend({ createdAt: z.date() }) },
    },
    handler: async (req) => createDelegation(db, actorOf(req), req.body),
  });
  r.delete('/api/approvals/delegations/:id', {
    config: { access: 'authenticated' },
    schema: { tags: ['approvals'], summary: 'End one of my delegations', params: idParams, response: { 204: z.null() } },
    handler: async (req, reply) => {
      await deleteDelegation(db, actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  });
}
