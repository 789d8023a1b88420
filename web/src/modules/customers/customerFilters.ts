import type { Query } from '../../shared/api';
import { readInt, readPage } from '../../shared/urlState';
import { CUSTOMER_GRADES, CUSTOMER_STATUSES, CUSTOMER_TYPES, LIFECYCLE_STAGES, type CustomerGrade, type CustomerStatus, type CustomerType, type LifecycleStage } from './customers.api';

/** Columns the server can sort customers by. */
export const CUSTOMER_SORT_FIELDS = ['code', 'name', 'type', 'grade', 'lifecycleStage', 'territory', 'updatedAt'] as const;

export interface CustomerFilters {
  q?: string;
  type?: CustomerType;
  status?: CustomerStatus;
  grade?: CustomerGrade;
  lifecycleStage?: LifecycleStage;
  territoryId?: string;
  ownerId?: number;
  unassigned: boolean;
  sort?: string;
}

const oneOf = <T extends string>(values: readonly T[], raw: string | null): T | undefined =>
  raw !== null && (values as readonly string[]).includes(raw) ? (raw as T) : undefined;

/** Reads the list's filters from the URL, ignoring what is malformed rather than failing. */
export function readCustomerFilters(params: URLSearchParams): CustomerFilters {
  const sort = params.get('sort') ?? undefined;
  const sortField = sort?.replace(/^-/, '');
  const territoryId = params.get('territoryId');
  return {
    q: params.get('q')?.trim() || undefined,
    type: oneOf(CUSTOMER_TYPES, params.get('type')),
    status: oneOf(CUSTOMER_STATUSES, params.get('status')),
    grade: oneOf(CUSTOMER_GRADES, params.get('grade')),
    lifecycleStage: oneOf(LIFECYCLE_STAGES, params.get('lifecycleStage')),
    territoryId: territoryId && /^\d{6}$/.test(territoryId) ? territoryId : undefined,
    ownerId: readInt(params, 'ownerId'),
    unassigned: params.get('unassigned') === 'true',
    sort: sortField && (CUSTOMER_SORT_FIELDS as readonly string[]).includes(sortField) ? sort : undefined,
  };
}

/** The query the server gets: the filters (shared by the list and the export). */
export function customerFiltersToQuery(f: CustomerFilters): Query {
  return {
    q: f.q,
    type: f.type,
    status: f.status,
    grade: f.grade,
    lifecycleStage: f.lifecycleStage,
    territoryId: f.territoryId,
    // "unassigned" and an owner contradict each other; the owner wins.
    ownerId: f.ownerId,
    unassigned: f.ownerId === undefined && f.unassigned ? true : undefined,
    sort: f.sort,
  };
}

export function customerListQuery(params: URLSearchParams): Query {
  return { ...customerFiltersToQuery(readCustomerFilters(params)), ...readPage(params) };
}
