import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app.js';

/** HTTP for 拜访/联系记录 (activities), comments, meetings, follow-ups. */
export async function activitiesRoutes(_app: FastifyInstance, _ctx: AppContext) {}
