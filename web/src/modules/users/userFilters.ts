import type { Query } from '../../shared/api';
import { readInt, readPage } from '../../shared/urlState';
import type { UserStatus } from './users.api';

/** Columns the server can sort users by. */
export const USER_SORT_FIELDS = ['username', 'displayName', 'createdAt', 'lastLoginAt'] as const;

export interface UserFilters {
  q?: string;
  departmentId?: number;
  includeSubDepartments: boolean;
  roleId?: number;
  status?: UserStatus;
  sort?: string;
}

/** Reads the list's filters from the URL, ignoring what is malformed rather than failing. */
export function readUserFilters(params: URLSearchParams): UserFilters {
  const status = params.get('status');
  const sort = params.get('sort') ?? undefined;
  const sortField = sort?.replace(/^-/, '');
  return {
    q: params.get('q')?.trim() || undefined,
    departmentId: readInt(params, 'departmentId'),
    includeSubDepartments: params.get('includeSubDepartments') === 'true',
    roleId: readInt(params, 'roleId'),
    status: status === 'active' || status === 'disabled' ? status : undefined,
    sort: sortField && (USER_SORT_FIELDS as readonly string[]).includes(sortField) ? sort : undefined,
  };
}

/** The query the server gets: the filters (shared by the list and the export) plus the page. */
export function userFiltersToQuery(filters: UserFilters): Query {
  return {
    q: filters.q,
    departmentId: filters.departmentId,
    // Only meaningful with a department; otherwise leave it out of the URL.
    includeSubDepartments: filters.departmentId !== undefined ? filters.includeSubDepartments : undefined,
    roleId: filters.roleId,
    status: filters.status,
    sort: filters.sort,
  };
}

export function userListQuery(params: URLSearchParams): Query {
  return { ...userFiltersToQuery(readUserFilters(params)), ...readPage(params) };
}
