import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app.js';

/** 库存 stock: warehouses, batches, balances, movements, receipts, adjustments, transfers, warnings. */
export async function stockRoutes(_app: FastifyInstance, _ctx: AppContext) {}
