import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app.js';

/** 订单 sales orders: entry, checks, approval, four-eyes review, release, cancellation, the order chain. */
export async function ordersRoutes(_app: FastifyInstance, _ctx: AppContext) {}
