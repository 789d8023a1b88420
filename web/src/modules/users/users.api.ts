import { api, type Page, type Query } from '../../shared/api';
import type { Locale } from '../../app/i18n';

export type UserStatus = 'active' | 'disabled';

export interface UserRow {
  id: number;
  username: string;
  displayName: string;
  email: string | null;
  phone: string | null;
  status: UserStatus;
  locale: Locale;
  mustChangePassword: boolean;
  department: { id: number; name: string } | null;
  roles: { id: number; code: string; name: string }[];
  territories: { id: string; name: string }[];
  lastLoginAt: string | null;
  createdAt: string;
  version: number;
}

export interface UserCreateInput {
  username: string;
  displayName: string;
  password: string;
  email?: string | null;
  phone?: string | null;
  departmentId: number;
  roleIds: number[];
  territoryIds: string[];
  locale?: Locale;
}

export interface UserUpdateInput {
  displayName?: string;
  email?: string | null;
  phone?: string | null;
  departmentId?: number;
  roleIds?: number[];
  territoryIds?: string[];
  version: number;
}

export const USERS_KEY = ['users'] as const;

export const listUsers = (query: Query, signal?: AbortSignal) => api.get<Page<UserRow>>('/users', query, signal);
export const getUser = (id: number, signal?: AbortSignal) => api.get<UserRow>(`/users/${id}`, undefined, signal);
export const createUser = (input: UserCreateInput) => api.post<UserRow>('/users', input);
export const updateUser = (id: number, input: UserUpdateInput) => api.patch<UserRow>(`/users/${id}`, input);
export const disableUser = (id: number) => api.post<UserRow>(`/users/${id}/disable`);
export const enableUser = (id: number) => api.post<UserRow>(`/users/${id}/enable`);
export const resetUserPassword = (id: number, newPassword: string) => api.post<void>(`/users/${id}/reset-password`, { newPassword });

export type PrintLayout = 'a4' | 'continuous' | 'continuous-half';
/** The server-rendered account notice (账号开通通知单); opened in a new tab, it has its own print button and PDF link. */
export const accountNoticeUrl = (id: number, layout: PrintLayout = 'a4') => `/api/users/${id}/print?layout=${layout}`;
