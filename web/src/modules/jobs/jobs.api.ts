import { api, type Page, type Query } from '../../shared/api';

export type JobOutcome = 'ok' | 'failed' | 'skipped_locked';
export const JOB_OUTCOMES: JobOutcome[] = ['ok', 'failed', 'skipped_locked'];

export interface JobRun {
  id: number;
  job: string;
  scheduledFor: string;
  startedAt: string;
  finishedAt: string;
  outcome: JobOutcome;
  message: string | null;
  durationMs: number;
  triggeredBy: number | null;
}

export interface JobSummary {
  name: string;
  description: string;
  cron: string;
  nextRunAt: string | null;
  lastRun: Pick<JobRun, 'id' | 'startedAt' | 'outcome' | 'message' | 'durationMs'> | null;
}

export const JOBS_KEY = ['jobs'] as const;

export const listJobs = (signal?: AbortSignal) => api.get<{ items: JobSummary[] }>('/jobs', undefined, signal);
export const listJobRuns = (query: Query, signal?: AbortSignal) => api.get<Page<JobRun>>('/jobs/runs', query, signal);
export const runJobNow = (name: string) => api.post<JobRun>(`/jobs/${encodeURIComponent(name)}/run`);
