import type { Query } from '../../shared/api';
import { readInt, readPage } from '../../shared/urlState';
import { GRADES, LEAD_STATUSES, SOURCES, type Grade, type LeadStatus, type Source } from './leads.api';

/** The list's views (tabs): mine, the team's (owned, in my scope), the pool, everything in scope. */
export const LEAD_VIEWS = ['mine', 'team', 'pool', 'all'] as const;
export type LeadView = (typeof LEAD_VIEWS)[number];

export const LEAD_SORT_FIELDS = ['code', 'organisation', 'grade', 'nextFollowUpOn', 'createdAt', 'updatedAt', 'territory', 'status'] as const;

export interface LeadFilters {
  view: LeadView;
  q?: string;
  status?: LeadStatus;
  grade?: Grade;
  source?: Source;
  territoryId?: string;
  ownerId?: number;
  followUp?: 'due' | 'overdue';
  createdFrom?: string;
  createdTo?: string;
  sort?: string;
}

const oneOf = <T extends string>(values: readonly T[], raw: string | null): T | undefined =>
  raw !== null && (values as readonly string[]).includes(raw) ? (raw as T) : undefined;
const isoDate = (raw: string | null) => (raw && /^\d{4}-\d{2}-\d{2}$/.test(raw) ? raw : undefined);

/** Reads the filters from the URL, ignoring what is malformed; the default view is the user's own leads. */
export function readLeadFilters(params: URLSearchParams, defaultView: LeadView = 'mine'): LeadFilters {
  const sort = params.get('sort') ?? undefined;
  const sortField = sort?.replace(/^-/, '');
  return {
    view: oneOf(LEAD_VIEWS, params.get('view')) ?? defaultView,
    q: params.get('q')?.trim() || undefined,
    status: oneOf(LEAD_STATUSES, params.get('status')),
    grade: oneOf(GRADES, params.get('grade')),
    source: oneOf(SOURCES, params.get('source')),
    territoryId: /^\d{6}$/.test(params.get('territoryId') ?? '') ? params.get('territoryId')! : undefined,
    ownerId: readInt(params, 'ownerId'),
    followUp: oneOf(['due', 'overdue'] as const, params.get('followUp')),
    createdFrom: isoDate(params.get('createdFrom')),
    createdTo: isoDate(params.get('createdTo')),
    sort: sortField && (LEAD_SORT_FIELDS as readonly string[]).includes(sortField) ? sort : undefined,
  };
}

/** The API query of the filters: the view becomes mine / pool flags. */
export function leadFiltersToQuery(f: LeadFilters): Query {
  return {
    mine: f.view === 'mine' ? true : undefined,
    pool: f.view === 'pool' ? true : f.view === 'team' ? false : undefined,
    q: f.q,
    status: f.status,
    grade: f.grade,
    source: f.source,
    territoryId: f.territoryId,
    ownerId: f.view === 'pool' ? undefined : f.ownerId,
    followUp: f.followUp,
    createdFrom: f.createdFrom,
    createdTo: f.createdTo,
    sort: f.sort,
  };
}

export function leadListQuery(params: URLSearchParams, defaultView?: LeadView): Query {
  return { ...leadFiltersToQuery(readLeadFilters(params, defaultView)), ...readPage(params) };
}
