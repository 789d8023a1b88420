import { useQuery } from '@tanstack/react-query';
import { api } from '../../shared/api';

export const DEPARTMENT_KINDS = ['company', 'office', 'sales_office', 'finance', 'logistics', 'quality', 'region', 'team', 'other'] as const;
export type DepartmentKind = (typeof DEPARTMENT_KINDS)[number];

export interface Department {
  id: number;
  parentId: number | null;
  name: string;
  nameEn: string | null;
  kind: DepartmentKind;
  headUserId: number | null;
  headUserName: string | null;
  sort: number;
  userCount: number;
  version: number;
}

export interface DepartmentInput {
  parentId: number | null;
  name: string;
  nameEn?: string | null;
  kind: DepartmentKind;
  headUserId?: number | null;
  sort?: number;
}

export const DEPARTMENTS_KEY = ['departments'] as const;

export function useDepartments() {
  return useQuery({
    queryKey: DEPARTMENTS_KEY,
    queryFn: ({ signal }) => api.get<{ items: Department[] }>('/departments', undefined, signal).then((r) => r.items),
  });
}

export const createDepartment = (input: DepartmentInput) => api.post<Department>('/departments', input);
export const updateDepartment = (id: number, input: Partial<DepartmentInput> & { version: number }) =>
  api.patch<Department>(`/departments/${id}`, input);
export const deleteDepartment = (id: number) => api.delete(`/departments/${id}`);
