import { type SQL, and, count, desc, eq, sql } from 'drizzle-orm';
import type { Actor } from '../access/actor.js';
import { audit } from '../audit/audit.js';
import type { Db, Queryable } from '../db/client.js';
import { notFound } from '../errors.js';
import type { Page, PageQuery } from '../http/paging.js';
import { type JobOutcome, jobRuns } from './jobs.tables.js';
import type { JobRun, Scheduler } from './scheduler.js';

/**
 * What administrators see of the scheduler: the declared jobs with their next and last run, the run
 * history, and "run now" (audited: who started which job, and how it ended).
 */
export type JobSummary = {
  name: string;
  description: string;
  cron: string;
  nextRunAt: Date | null;
  lastRun: Pick<JobRun, 'id' | 'startedAt' | 'outcome' | 'message' | 'durationMs'> | null;
};

export async function listJobs(db: Queryable, actor: Actor, scheduler: Scheduler): Promise<JobSummary[]> {
  const jobs = scheduler.list();
  // The latest run per job in one query.
  const last = await db
    .selectDistinctOn([jobRuns.job], {
      job: jobRuns.job,
      id: jobRuns.id,
      startedAt: jobRuns.startedAt,
      outcome: jobRuns.outcome,
      message: jobRuns.message,
      durationMs: jobRuns.durationMs,
    })
    .from(jobRuns)
    .orderBy(jobRuns.job, desc(jobRuns.startedAt), desc(jobRuns.id));
  return jobs.map((job) => {
    const run = last.find((r) => r.job === job.name);
    return {
      name: job.name,
      description: job.description[actor.locale],
      cron: job.cron,
      nextRunAt: job.nextRunAt,
      lastRun: run ? { id: run.id, startedAt: run.startedAt, outcome: run.outcome, message: run.message, durationMs: run.durationMs } : null,
    };
  });
}

export type JobRunFilter = { job?: string; outcome?: JobOutcome };

export async function listJobRuns(db: Queryable, _actor: Actor, filter: JobRunFilter, page: PageQuery): Promise<Page<JobRun>> {
  const parts: SQL[] = [];
  if (filter.job) parts.push(eq(jobRuns.job, filter.job));
  if (filter.outcome) parts.push(eq(jobRuns.outcome, filter.outcome));
  const where = parts.length ? and(...parts) : sql`true`;
  const [[{ n }], items] = await Promise.all([
    db.select({ n: count() }).from(jobRuns).where(where),
    db
      .select()
      .from(jobRuns)
      .where(where)
      .orderBy(desc(jobRuns.startedAt), desc(jobRuns.id))
      .limit(page.pageSize)
      .offset((page.page - 1) * page.pageSize),
  ]);
  return { items, total: Number(n), page: page.page, pageSize: page.pageSize };
}

/** "Run now": runs the job under the same lock as the schedule, then audits the attempt and its outcome. */
export async function triggerJob(db: Db, actor: Actor, scheduler: Scheduler, name: string): Promise<JobRun> {
  if (!scheduler.get(name)) throw notFound();
  const run = await scheduler.run(name, { triggeredBy: actor.id });
  await db.transaction(async (tx) => {
    await audit(tx, actor, {
      action: 'job.triggered',
      entity: 'job',
      entityId: name,
      after: { runId: run.id, outcome: run.outcome, message: run.message, durationMs: run.durationMs },
    });
  });
  return run;
}
