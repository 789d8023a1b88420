import { Cron } from 'croner';
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { Locale } from '../i18n.js';
import { withJobLock } from './job-lock.js';
import { type JobOutcome, jobRuns } from './jobs.tables.js';

/**
 * Scheduled jobs: declared in code with a cron expression, run inside every server process, but each
 * scheduled instant runs once across all of them: a run takes the job's advisory lock (job-lock.ts)
 * and, holding it, checks that no other process already finished the same instant. Every attempt,
 * including the ones skipped for the lock, is written to job_runs. A job that throws is logged
 * 'failed' and the scheduler carries on with its next instant.
 */
export type JobContext = { db: Db; scheduledFor: Date };

export type JobDefinition = {
  name: string;
  description: Record<Locale, string>;
  cron: string;
  /** Does the work; may return a short summary for the run history ("purged 3 sessions"). */
  run: (ctx: JobContext) => Promise<string | void>;
};

export type JobRun = typeof jobRuns.$inferSelect;

export type SchedulerOptions = { timeZone: string; onError?: (job: string, error: unknown) => void };

export class Scheduler {
  private readonly jobs = new Map<string, JobDefinition>();
  private readonly timers = new Map<string, Cron>();
  private started = false;

  constructor(
    private readonly db: Db,
    private readonly options: SchedulerOptions,
    jobs: JobDefinition[] = [],
  ) {
    for (const job of jobs) this.register(job);
  }

  register(job: JobDefinition): void {
    if (this.jobs.has(job.name)) throw new Error(`job ${job.name} is declared twice`);
    new Cron(job.cron, { paused: true, timezone: this.options.timeZone }).stop(); // a bad expression fails here, at start-up
    this.jobs.set(job.name, job);
    if (this.started) this.schedule(job);
  }

  get(name: string): JobDefinition | undefined {
    return this.jobs.get(name);
  }

  list(): (JobDefinition & { nextRunAt: Date | null })[] {
    return [...this.jobs.values()].map((job) => ({ ...job, nextRunAt: this.nextRun(job) }));
  }

  nextRun(job: JobDefinition): Date | null {
    const timer = this.timers.get(job.name);
    if (timer) return timer.nextRun();
    const probe = new Cron(job.cron, { paused: true, timezone: this.options.timeZone });
    const next = probe.nextRun();
    probe.stop();
    return next;
  }

  /** Starts the timers (main.ts; tests only when they ask). */
  start(): void {
    if (this.started) return;
    this.started = true;
    for (const job of this.jobs.values()) this.schedule(job);
  }

  stop(): void {
    this.started = false;
    for (const timer of this.timers.values()) timer.stop();
    this.timers.clear();
  }

  private schedule(job: JobDefinition): void {
    const timer = new Cron(job.cron, { timezone: this.options.timeZone, protect: true }, async (self: Cron) => {
      const scheduledFor = self.currentRun() ?? new Date();
      try {
        await this.run(job.name, { scheduledFor: truncateToSecond(scheduledFor) });
      } catch (error) {
        // Only the bookkeeping can land here (the database is down); the next instant tries again.
        this.options.onError?.(job.name, error);
      }
    });
    this.timers.set(job.name, timer);
  }

  /**
   * One attempt of a job: under its lock, unless another process holds it or already finished this
   * instant (both recorded as 'skipped_locked'). triggeredBy: the user of a "run now".
   */
  async run(name: string, options: { scheduledFor?: Date; triggeredBy?: number | null } = {}): Promise<JobRun> {
    const job = this.jobs.get(name);
    if (!job) throw new Error(`unknown job ${name}`);
    const scheduledFor = options.scheduledFor ?? new Date();
    const triggeredBy = options.triggeredBy ?? null;
    const startedAt = new Date();
    const attempt = await withJobLock(this.db, name, async (): Promise<{ outcome: JobOutcome; message: string | null }> => {
      if (triggeredBy === null) {
        const [done] = await this.db
          .select({ id: jobRuns.id })
          .from(jobRuns)
          .where(and(eq(jobRuns.job, name), eq(jobRuns.scheduledFor, scheduledFor), inArray(jobRuns.outcome, ['ok', 'failed'])))
          .limit(1);
        if (done) return { outcome: 'skipped_locked', message: 'already run for this time by another server process' };
      }
      try {
        const summary = await job.run({ db: this.db, scheduledFor });
        return { outcome: 'ok', message: summary || null };
      } catch (error) {
        return { outcome: 'failed', message: (error instanceof Error ? error.message : String(error)).slice(0, 2000) };
      }
    });
    const result = attempt.locked ? attempt.value : { outcome: 'skipped_locked' as const, message: 'another server process is running this job' };
    const finishedAt = new Date();
    const [row] = await this.db
      .insert(jobRuns)
      .values({
        job: name,
        scheduledFor,
        startedAt,
        finishedAt,
        outcome: result.outcome,
        message: result.message,
        durationMs: finishedAt.getTime() - startedAt.getTime(),
        triggeredBy,
      })
      .returning();
    if (result.outcome === 'failed') this.options.onError?.(name, new Error(result.message ?? 'failed'));
    return row;
  }
}

function truncateToSecond(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}
