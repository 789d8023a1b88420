import dayjs, { type Dayjs } from 'dayjs';
import { api, type Query } from '../../shared/api';

/** The metrics of GET /api/crm/workload, in the table's order. */
export const WORKLOAD_METRICS = [
  'visits',
  'calls',
  'otherContacts',
  'planned',
  'customersContacted',
  'newLeads',
  'followUpsDone',
  'followUpsOverdue',
  'opportunitiesMoved',
  'opportunitiesWon',
  'opportunitiesLost',
  'commentsReceived',
] as const;
export type WorkloadMetric = (typeof WORKLOAD_METRICS)[number];
export type WorkloadMetrics = Record<WorkloadMetric, number>;

export type WorkloadRow = WorkloadMetrics & {
  rank: number;
  userId: number | null;
  displayName: string | null;
  departmentId: number | null;
  departmentName: string | null;
  people: number;
};

export type WorkloadReport = {
  from: string;
  to: string;
  groupBy: 'rep' | 'team';
  sort: WorkloadMetric;
  order: 'asc' | 'desc';
  rows: WorkloadRow[];
  totals: WorkloadMetrics & { people: number };
};

export const PERIOD_PRESETS = ['thisWeek', 'thisMonth', 'lastMonth', 'thisQuarter', 'custom'] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];

const DAY = 'YYYY-MM-DD';

/** The dates (inclusive) of a preset around `today`: weeks start on Monday, as in China. */
export function presetPeriod(preset: Exclude<PeriodPreset, 'custom'>, today: Dayjs = dayjs()): { from: string; to: string } {
  const d = today.startOf('day');
  switch (preset) {
    case 'thisWeek': {
      const monday = d.subtract((d.day() + 6) % 7, 'day');
      return { from: monday.format(DAY), to: monday.add(6, 'day').format(DAY) };
    }
    case 'thisMonth':
      return { from: d.startOf('month').format(DAY), to: d.endOf('month').format(DAY) };
    case 'lastMonth': {
      const last = d.subtract(1, 'month');
      return { from: last.startOf('month').format(DAY), to: last.endOf('month').format(DAY) };
    }
    case 'thisQuarter': {
      const first = d.month(Math.floor(d.month() / 3) * 3).startOf('month');
      return { from: first.format(DAY), to: first.add(2, 'month').endOf('month').format(DAY) };
    }
  }
}

const isDay = (s: string | null): s is string => !!s && /^\d{4}-\d{2}-\d{2}$/.test(s) && dayjs(s, DAY).format(DAY) === s;

export type WorkloadFilters = {
  preset: PeriodPreset;
  from: string;
  to: string;
  groupBy: 'rep' | 'team';
  departmentId?: number;
  sort: WorkloadMetric;
  order: 'asc' | 'desc';
};

/** The page's state from the URL: a preset (default this month) or a custom from/to. */
export function readWorkloadFilters(params: URLSearchParams, today: Dayjs = dayjs()): WorkloadFilters {
  const rawPreset = params.get('preset');
  const from = params.get('from');
  const to = params.get('to');
  let preset: PeriodPreset = (PERIOD_PRESETS as readonly string[]).includes(rawPreset ?? '') ? (rawPreset as PeriodPreset) : 'thisMonth';
  if (!rawPreset && isDay(from) && isDay(to)) preset = 'custom';
  const period = preset === 'custom' && isDay(from) && isDay(to) ? { from, to } : presetPeriod(preset === 'custom' ? 'thisMonth' : preset, today);
  if (preset === 'custom' && !(isDay(from) && isDay(to))) preset = 'thisMonth';
  const sort = params.get('sort');
  const departmentId = Number(params.get('departmentId'));
  return {
    preset,
    ...period,
    groupBy: params.get('groupBy') === 'team' ? 'team' : 'rep',
    departmentId: Number.isInteger(departmentId) && departmentId > 0 ? departmentId : undefined,
    sort: (WORKLOAD_METRICS as readonly string[]).includes(sort ?? '') ? (sort as WorkloadMetric) : 'visits',
    order: params.get('order') === 'asc' ? 'asc' : 'desc',
  };
}

export function workloadQuery(f: WorkloadFilters): Query {
  return { from: f.from, to: f.to, groupBy: f.groupBy, departmentId: f.departmentId, sort: f.sort, order: f.order };
}

export const fetchWorkload = (query: Query, signal?: AbortSignal) => api.get<WorkloadReport>('/crm/workload', query, signal);

/**
 * Where a rep's count leads: the activity list (built by the activities page) filtered to the same
 * owner, period and kind. Metrics the list cannot filter to exactly (other contacts are five types; leads,
 * opportunities and comments are not activities) have no drill-down.
 */
export function drillDownUrl(metric: WorkloadMetric, ownerId: number, from: string, to: string): string | null {
  const base = { ownerId: String(ownerId), from, to };
  const extra = ((): Record<string, string> | null => {
    switch (metric) {
      case 'visits':
        return { type: 'visit', status: 'done' };
      case 'calls':
        return { type: 'phone', status: 'done' };
      case 'customersContacted':
        return { status: 'done' };
      case 'planned':
        return { status: 'planned' };
      case 'followUpsOverdue':
        return { followUp: 'overdue' };
      default:
        return null;
    }
  })();
  if (!extra) return null;
  // Overdue follow-ups are "as of the period end", whatever day the activity was: only the owner and the end date.
  const params = metric === 'followUpsOverdue' ? { ownerId: base.ownerId, to, ...extra } : { ...base, ...extra };
  return `/activities?${new URLSearchParams(params).toString()}`;
}
