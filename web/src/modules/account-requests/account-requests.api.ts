import { api, type Page, type Query } from '../../shared/api';
import { readPage } from '../../shared/urlState';
import type { ApprovalResult } from '../approvals/approvals.api';

export const ACCOUNT_REQUEST_STATUSES = ['draft', 'pending', 'approved', 'cancelled'] as const;
export type AccountRequestStatus = (typeof ACCOUNT_REQUEST_STATUSES)[number];

export interface AccountRequest {
  id: number;
  number: string;
  status: AccountRequestStatus;
  requestedBy: number;
  requesterName: string;
  username: string;
  displayName: string;
  departmentId: number;
  departmentName: string;
  roleIds: number[];
  territoryIds: string[];
  phone: string | null;
  email: string | null;
  reason: string;
  createdUserId: number | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface AccountRequestInput {
  username: string;
  displayName: string;
  departmentId: number;
  roleIds: number[];
  territoryIds: string[];
  phone: string | null;
  email: string | null;
  reason: string;
}

export const ACCOUNT_REQUESTS_KEY = ['account-requests'] as const;
export const DOC_TYPE = 'account_request';

export const STATUS_COLORS: Record<AccountRequestStatus, string> = {
  draft: 'default',
  pending: 'processing',
  approved: 'success',
  cancelled: 'warning',
};

const SORT_FIELDS = ['number', 'createdAt', 'status'];

/** The list's filters and paging as they stand in the URL; what is malformed is ignored. */
export function readAccountRequestFilters(params: URLSearchParams) {
  const status = params.get('status');
  const sort = params.get('sort') ?? undefined;
  return {
    q: params.get('q')?.trim() || undefined,
    status: (ACCOUNT_REQUEST_STATUSES as readonly string[]).includes(status ?? '') ? (status as AccountRequestStatus) : undefined,
    sort: sort && SORT_FIELDS.includes(sort.replace(/^-/, '')) ? sort : undefined,
  };
}

export function accountRequestListQuery(params: URLSearchParams): Query {
  return { ...readAccountRequestFilters(params), ...readPage(params) };
}

export const listAccountRequests = (query: Query, signal?: AbortSignal) => api.get<Page<AccountRequest>>('/account-requests', query, signal);
export const getAccountRequest = (id: number, signal?: AbortSignal) => api.get<AccountRequest>(`/account-requests/${id}`, undefined, signal);
export const createAccountRequest = (input: AccountRequestInput) => api.post<AccountRequest>('/account-requests', input);
export const updateAccountRequest = (id: number, input: AccountRequestInput & { version: number }) =>
  api.patch<AccountRequest>(`/account-requests/${id}`, input);
export const submitAccountRequest = (id: number, version: number) =>
  api.post<{ request: AccountRequest; approved: boolean; result: ApprovalResult | null }>(`/account-requests/${id}/submit`, { version });
export const cancelAccountRequest = (id: number, version: number, reason: string | null) =>
  api.post<AccountRequest>(`/account-requests/${id}/cancel`, { version, reason });
