import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app.js';

/** HTTP for 销售机会 (opportunities), pipeline, hot and lost tables. */
export async function opportunitiesRoutes(_app: FastifyInstance, _ctx: AppContext) {}
