import { useQuery } from '@tanstack/react-query';
import { api } from '../../shared/api';

export interface Role {
  id: number;
  code: string;
  name: string;
  nameEn: string;
  permissions: string[];
  dataScope: string;
  builtin: boolean;
  userCount: number;
  version: number;
}

export interface PermissionInfo {
  code: string;
  group: string;
  name: string;
  nameEn: string;
}

export interface DataScopeInfo {
  code: string;
  name: string;
  nameEn: string;
}

export interface PermissionCatalog {
  permissions: PermissionInfo[];
  dataScopes: DataScopeInfo[];
}

export interface RoleInput {
  code: string;
  name: string;
  nameEn: string;
  permissions: string[];
  dataScope: string;
}

export const ROLES_KEY = ['roles'] as const;

export function useRoles(enabled = true) {
  return useQuery({
    queryKey: ROLES_KEY,
    queryFn: ({ signal }) => api.get<{ items: Role[] }>('/roles', undefined, signal).then((r) => r.items),
    enabled,
  });
}

export function usePermissionCatalog() {
  return useQuery({
    queryKey: ['permissions'],
    queryFn: ({ signal }) => api.get<PermissionCatalog>('/permissions', undefined, signal),
    staleTime: 5 * 60_000,
  });
}

export type RoleChoice = { id: number; code: string; name: string; nameEn?: string | null };

/** Role names a form may offer (e.g. an account request); open to every signed-in user. */
export function useRoleChoices(enabled = true) {
  return useQuery({
    queryKey: [...ROLES_KEY, 'options'],
    queryFn: ({ signal }) => api.get<{ items: RoleChoice[] }>('/roles/options', undefined, signal).then((r) => r.items),
    enabled,
    staleTime: 5 * 60_000,
  });
}

/** The server gives both names; show the one in the reader's language. */
export function localName(item: { name: string; nameEn?: string | null }, locale: string): string {
  return locale === 'en-US' && item.nameEn ? item.nameEn : item.name;
}

export const createRole = (input: RoleInput) => api.post<Role>('/roles', input);
export const updateRole = (id: number, input: Partial<Omit<RoleInput, 'code'>> & { version: number }) =>
  api.patch<Role>(`/roles/${id}`, input);
export const deleteRole = (id: number) => api.delete(`/roles/${id}`);
