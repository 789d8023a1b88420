import type { Query } from '../../shared/api';
import { readInt, readPage } from '../../shared/urlState';
import { CONTACT_INFLUENCES, CONTACT_STATUSES, type ContactInfluence, type ContactStatus } from './contacts.api';

/** Columns the server can sort contacts by. */
export const CONTACT_SORT_FIELDS = ['name', 'customer', 'department', 'influence', 'birthday', 'updatedAt'] as const;

export interface ContactFilters {
  q?: string;
  customerId?: number;
  department?: string;
  influence?: ContactInfluence;
  status?: ContactStatus;
  sort?: string;
}

const oneOf = <T extends string>(values: readonly T[], raw: string | null): T | undefined =>
  raw !== null && (values as readonly string[]).includes(raw) ? (raw as T) : undefined;

/** Reads the list's filters from the URL, ignoring what is malformed. */
export function readContactFilters(params: URLSearchParams): ContactFilters {
  const sort = params.get('sort') ?? undefined;
  const sortField = sort?.replace(/^-/, '');
  return {
    q: params.get('q')?.trim() || undefined,
    customerId: readInt(params, 'customerId'),
    department: params.get('department')?.trim() || undefined,
    influence: oneOf(CONTACT_INFLUENCES, params.get('influence')),
    status: oneOf(CONTACT_STATUSES, params.get('status')),
    sort: sortField && (CONTACT_SORT_FIELDS as readonly string[]).includes(sortField) ? sort : undefined,
  };
}

export function contactFiltersToQuery(f: ContactFilters): Query {
  return { q: f.q, customerId: f.customerId, department: f.department, influence: f.influence, status: f.status, sort: f.sort };
}

export function contactListQuery(params: URLSearchParams): Query {
  return { ...contactFiltersToQuery(readContactFilters(params)), ...readPage(params) };
}
