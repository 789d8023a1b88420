import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app.js';

/** 发货 shipments: picking, four-eyes check, dispatch (cold chain), delivery notes, delivery. */
export async function shippingRoutes(_app: FastifyInstance, _ctx: AppContext) {}
