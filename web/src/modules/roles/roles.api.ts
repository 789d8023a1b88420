import { useQuery } from '@tanstack/react-query';
import { useAuth } from '../../app/auth';
import { PERMISSIONS } from '../../app/permissions';
import { api, type Page } from '../../shared/api';

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

/**
 * Roles a form may offer (e.g. an account request). People who request accounts (team leads,
 * managers) have no roles.read, so GET /api/roles answers 403 for them. Until the server offers
 * role options to requesters, fall back to the roles held by the users they can see, and their own.
 */
export function useRoleChoices(enabled = true) {
  const { can, me } = useAuth();
  const full = can(PERMISSIONS.rolesRead);
  const roles = useRoles(enabled && full);
  const fallback = useQuery({
    queryKey: [...ROLES_KEY, 'seen-on-users'],
    queryFn: async ({ signal }) => {
      const found = new Map<number, RoleChoice>((me?.roles ?? []).map((r) => [r.id, r]));
      if (can(PERMISSIONS.usersRead)) {
        const users = await api.get<Page<{ roles: RoleChoice[] }>>('/users', { pageSize: 200 }, signal);
        for (const user of users.items) for (const role of user.roles) found.set(role.id, role);
      }
      return [...found.values()].sort((a, b) => a.id - b.id);
    },
    enabled: enabled && !full,
    staleTime: 5 * 60_000,
  });
  return full ? { data: roles.data as RoleChoice[] | undefined, isLoading: roles.isLoading } : { data: fallback.data, isLoading: fallback.isLoading };
}

/** The server gives both names; show the one in the reader's language. */
export function localName(item: { name: string; nameEn?: string | null }, locale: string): string {
  return locale === 'en-US' && item.nameEn ? item.nameEn : item.name;
}

export const createRole = (input: RoleInput) => api.post<Role>('/roles', input);
export const updateRole = (id: number, input: Partial<Omit<RoleInput, 'code'>> & { version: number }) =>
  api.patch<Role>(`/roles/${id}`, input);
export const deleteRole = (id: number) => api.delete(`/roles/${id}`);
