import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app.js';

/** HTTP for the managers' view: workload per rep and team. */
export async function crmReportsRoutes(_app: FastifyInstance, _ctx: AppContext) {}
