import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from '../access/access.tables.js';

export const JOB_OUTCOMES = ['ok', 'failed', 'skipped_locked'] as const;
export type JobOutcome = (typeof JOB_OUTCOMES)[number];

/** One row per attempt to run a scheduled job, on any server process; the history administrators read. */
export const jobRuns = pgTable(
  'job_runs',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    job: text('job').notNull(),
    /** The cron instant this run is for (the trigger time for a manual run). */
    scheduledFor: timestamp('scheduled_for', { withTimezone: true }).notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }).notNull(),
    outcome: text('outcome', { enum: JOB_OUTCOMES }).notNull(),
    message: text('message'),
    durationMs: integer('duration_ms').notNull(),
    /** Null for a scheduled run; the user who pressed "run now" otherwise. */
    triggeredBy: integer('triggered_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    index('job_runs_job_started_idx').on(t.job, t.startedAt),
    index('job_runs_started_idx').on(t.startedAt),
    index('job_runs_job_scheduled_idx').on(t.job, t.scheduledFor),
    index('job_runs_triggered_by_idx').on(t.triggeredBy),
    index('job_runs_outcome_idx').on(t.outcome, t.startedAt),
    check('job_runs_outcome_check', sql`${t.outcome} in ('ok', 'failed', 'skipped_locked')`),
    check('job_runs_duration_check', sql`${t.durationMs} >= 0 and ${t.finishedAt} >= ${t.startedAt}`),
  ],
);
