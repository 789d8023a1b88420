import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app.js';

/** 回款 receipts, allocation to invoices, statements, aging, overdue. */
export async function receiptsRoutes(_app: FastifyInstance, _ctx: AppContext) {}
