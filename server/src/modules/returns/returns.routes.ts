import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app.js';

/** 退换货 returns and exchanges: request, approval, receipt, inspection. */
export async function returnsRoutes(_app: FastifyInstance, _ctx: AppContext) {}
