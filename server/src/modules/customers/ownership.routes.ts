import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { queryBoolean } from '../../kernel/http/paging.js';
import { actorOf } from '../../kernel/http/security.js';
import { customerDetail, customerToApi } from './customers.schemas.js';
import { mergeCustomers, mergePreview } from './merge.service.js';
import { assignCustomers, cancelDelegation, createDelegation, listDelegations, ownerHistory, transferCustomers, transferPreview } from './ownership.service.js';

/** HTTP for 客户归属 (assign, 工作转移, 工作代理) and 合并重复客户; the rules are in the services. */
const idParams = z.object({ id: z.coerce.number().int().positive() });
const userId = z.number().int().positive();
const reason = z.string().trim().max(200);

const delegationRow = z.object({
  id: z.number().int(),
  fromUserId: z.number().int(),
  fromUserName: z.string(),
  toUserId: z.number().int(),
  toUserName: z.string(),
  startsOn: z.string(),
  endsOn: z.string(),
  reason: z.string().nullable(),
  createdByName: z.string().nullable(),
  createdAt: z.date(),
  cancelledAt: z.date().nullable(),
  state: z.enum(['active', 'upcoming', 'past', 'cancelled']),
});

export async function ownershipRoutes(app: FastifyInstance, { db }: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post('/api/customers/assign', {
    config: { access: 'customers.assign' },
    schema: {
      tags: ['customers'],
      summary: '分配负责人: the selected customers (in scope) get an active rep within the caller’s reach as owner',
      body: z.object({ customerIds: z.array(z.number().int().positive()).min(1).max(5000), ownerId: userId, reason: reason.nullable().optional() }),
      response: { 200: z.object({ assigned: z.number().int() }) },
    },
    handler: async (req) => assignCustomers(db, actorOf(req), req.body),
  });
  r.get('/api/customers/transfer/preview', {
    config: { access: 'customers.assign' },
    schema: {
      tags: ['customers'],
      summary: 'How many customers a 工作转移 from this rep would move',
      querystring: z.object({ fromUserId: z.coerce.number().int().positive() }),
      response: { 200: z.object({ count: z.number().int() }) },
    },
    handler: async (req) => transferPreview(db, actorOf(req), req.query.fromUserId),
  });
  r.post('/api/customers/transfer', {
    config: { access: 'customers.assign' },
    schema: {
      tags: ['customers'],
      summary: '工作转移: every customer of a rep moves to another rep in one transaction (history, audit, notification)',
      body: z.object({ fromUserId: userId, toUserId: userId, reason: reason.min(1) }),
      response: { 200: z.object({ transferred: z.number().int() }) },
    },
    handler: async (req) => transferCustomers(db, actorOf(req), req.body),
  });
  r.get('/api/customers/:id/owner-history', {
    config: { access: 'customers.read' },
    schema: {
      tags: ['customers'],
      summary: 'Who owned the customer, newest first',
      params: idParams,
      response: {
        200: z.array(
          z.object({
            id: z.number().int(),
            fromUserName: z.string().nullable(),
            toUserName: z.string().nullable(),
            kind: z.enum(['assign', 'transfer']),
            reason: z.string().nullable(),
            at: z.date(),
            byUserName: z.string().nullable(),
          }),
        ),
      },
    },
    handler: async (req) => ownerHistory(db, actorOf(req), req.params.id),
  });

  r.get('/api/customer-delegations', {
    config: { access: 'customers.write' },
    schema: {
      tags: ['customers'],
      summary: '工作代理 the caller is part of, or arranges (customers.assign) for users in reach',
      querystring: z.object({ userId: z.coerce.number().int().positive().optional(), current: queryBoolean.optional() }),
      response: { 200: z.array(delegationRow) },
    },
    handler: async (req) => listDelegations(db, actorOf(req), req.query),
  });
  r.post('/api/customer-delegations', {
    config: { access: 'customers.write' },
    schema: {
      tags: ['customers'],
      summary: '工作代理: a rep (their own customers) or a manager in reach lets a colleague work with the rep’s customers for dates',
      body: z.object({ fromUserId: userId, toUserId: userId, startsOn: z.iso.date(), endsOn: z.iso.date(), reason: reason.nullable().optional() }),
      response: { 201: delegationRow },
    },
    handler: async (req, reply) => reply.code(201).send(await createDelegation(db, actorOf(req), req.body)),
  });
  r.post('/api/customer-delegations/:id/cancel', {
    config: { access: 'customers.write' },
    schema: { tags: ['customers'], summary: 'End a 工作代理 early', params: idParams, response: { 200: delegationRow } },
    handler: async (req) => cancelDelegation(db, actorOf(req), req.params.id),
  });

  r.get('/api/customers/:id/merge-preview', {
    config: { access: 'customers.merge' },
    schema: {
      tags: ['customers'],
      summary: 'What merging the duplicate into this customer would move (rows per referencing table)',
      params: idParams,
      querystring: z.object({ duplicateId: z.coerce.number().int().positive() }),
      response: { 200: z.object({ target: customerDetail, duplicate: customerDetail, counts: z.record(z.string(), z.number().int()) }) },
    },
    handler: async (req) => {
      const p = await mergePreview(db, actorOf(req), req.params.id, req.query.duplicateId);
      return { ...p, target: customerToApi(p.target), duplicate: customerToApi(p.duplicate) };
    },
  });
  r.post('/api/customers/:id/merge', {
    config: { access: 'customers.merge' },
    schema: {
      tags: ['customers'],
      summary: '合并重复客户: the duplicate’s rows move to this customer; the duplicate becomes merged and its names aliases',
      params: idParams,
      body: z.object({ duplicateId: z.number().int().positive() }),
      response: { 200: z.object({ customer: customerDetail, moved: z.record(z.string(), z.number().int()) }) },
    },
    handler: async (req) => {
      const res = await mergeCustomers(db, actorOf(req), req.params.id, req.body);
      return { customer: customerToApi(res.customer), moved: res.moved };
    },
  });
}
