import { api } from '../../shared/api';
import type { CustomerDetail } from './customers.api';

export interface OwnerHistoryRow {
  id: number;
  fromUserName: string | null;
  toUserName: string | null;
  kind: 'assign' | 'transfer';
  reason: string | null;
  at: string;
  byUserName: string | null;
}

export interface Delegation {
  id: number;
  fromUserId: number;
  fromUserName: string;
  toUserId: number;
  toUserName: string;
  startsOn: string;
  endsOn: string;
  reason: string | null;
  createdByName: string | null;
  createdAt: string;
  cancelledAt: string | null;
  state: 'active' | 'upcoming' | 'past' | 'cancelled';
}

export const OWNERSHIP_KEY = ['customer-ownership'] as const;

export const assignCustomers = (body: { customerIds: number[]; ownerId: number; reason?: string | null }) => api.post<{ assigned: number }>('/customers/assign', body);
export const transferPreview = (fromUserId: number, signal?: AbortSignal) => api.get<{ count: number }>('/customers/transfer/preview', { fromUserId }, signal);
export const transferCustomers = (body: { fromUserId: number; toUserId: number; reason: string }) => api.post<{ transferred: number }>('/customers/transfer', body);
export const ownerHistory = (customerId: number, signal?: AbortSignal) => api.get<OwnerHistoryRow[]>(`/customers/${customerId}/owner-history`, undefined, signal);
export const listDelegations = (query: { current?: boolean }, signal?: AbortSignal) => api.get<Delegation[]>('/customer-delegations', query, signal);
export const createDelegation = (body: { fromUserId: number; toUserId: number; startsOn: string; endsOn: string; reason?: string | null }) => api.post<Delegation>('/customer-delegations', body);
export const cancelDelegation = (id: number) => api.post<Delegation>(`/customer-delegations/${id}/cancel`);
export const mergePreview = (targetId: number, duplicateId: number, signal?: AbortSignal) =>
  api.get<{ target: CustomerDetail; duplicate: CustomerDetail; counts: Record<string, number> }>(`/customers/${targetId}/merge-preview`, { duplicateId }, signal);
export const mergeCustomers = (targetId: number, duplicateId: number) => api.post<{ customer: CustomerDetail; moved: Record<string, number> }>(`/customers/${targetId}/merge`, { duplicateId });
