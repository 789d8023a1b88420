import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { pageOf, pageQuery } from '../http/paging.js';
import { actorOf } from '../http/security.js';
import { listJobRuns, listJobs, triggerJob } from './jobs.service.js';
import { JOB_OUTCOMES } from './jobs.tables.js';

const outcome = z.enum(JOB_OUTCOMES);
const jobRun = z.object({
  id: z.number().int(),
  job: z.string(),
  scheduledFor: z.date(),
  startedAt: z.date(),
  finishedAt: z.date(),
  outcome,
  message: z.string().nullable(),
  durationMs: z.number().int(),
  triggeredBy: z.number().int().nullable(),
});
const jobSummary = z.object({
  name: z.string(),
  description: z.string(),
  cron: z.string(),
  nextRunAt: z.date().nullable(),
  lastRun: jobRun.pick({ id: true, startedAt: true, outcome: true, message: true, durationMs: true }).nullable(),
});
const jobName = z.string().min(1).max(80);

export async function jobsRoutes(app: FastifyInstance, { db, scheduler }: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/jobs', {
    config: { access: 'jobs.read' },
    schema: { tags: ['jobs'], summary: 'Scheduled jobs: cron, next run and last outcome', response: { 200: z.object({ items: z.array(jobSummary) }) } },
    handler: async (req) => ({ items: await listJobs(db, actorOf(req), scheduler) }),
  });
  r.get('/api/jobs/runs', {
    config: { access: 'jobs.read' },
    schema: {
      tags: ['jobs'],
      summary: 'Run history of all server processes, newest first',
      querystring: pageQuery.extend({ job: jobName.optional(), outcome: outcome.optional() }),
      response: { 200: pageOf(jobRun) },
    },
    handler: async (req) => {
      const { page, pageSize, sort, ...filter } = req.query;
      return listJobRuns(db, actorOf(req), filter, { page, pageSize, sort });
    },
  });
  r.post('/api/jobs/:name/run', {
    config: { access: 'jobs.run' },
    schema: {
      tags: ['jobs'],
      summary: 'Run a job now (skipped if another process is running it); audited',
      params: z.object({ name: jobName }),
      response: { 200: jobRun },
    },
    handler: async (req) => triggerJob(db, actorOf(req), scheduler, req.params.name),
  });
}
