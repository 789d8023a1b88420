import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app.js';

/** HTTP for 潜在客户 (leads): capture, pool, assignment, conversion. */
export async function leadsRoutes(_app: FastifyInstance, _ctx: AppContext) {}
