import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app.js';

/** 日清月结 the daily clearing report and monthly closing. */
export async function closingRoutes(_app: FastifyInstance, _ctx: AppContext) {}
