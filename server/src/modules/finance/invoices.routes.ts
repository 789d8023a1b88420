import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app.js';

/** 开票 invoices: from shipped quantities, VAT, red-letter credits. */
export async function invoicesRoutes(_app: FastifyInstance, _ctx: AppContext) {}
