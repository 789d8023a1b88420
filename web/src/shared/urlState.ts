import { useCallback } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { SortOrder } from 'antd/es/table/interface';

export type ParamValue = string | number | boolean | null | undefined;

export function readInt(params: URLSearchParams, name: string): number | undefined {
  const raw = params.get(name);
  if (raw === null || !/^\d+$/.test(raw)) return undefined;
  return Number(raw);
}

export function readPage(params: URLSearchParams, defaultPageSize = 20): { page: number; pageSize: number } {
  const page = Math.max(1, readInt(params, 'page') ?? 1);
  const pageSize = Math.min(200, Math.max(1, readInt(params, 'pageSize') ?? defaultPageSize));
  return { page, pageSize };
}

/** Writes a patch over the current params; empty values drop out so the URL stays short. */
export function patchParams(current: URLSearchParams, patch: Record<string, ParamValue>, resetPage: boolean): URLSearchParams {
  const next = new URLSearchParams(current);
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined || value === null || value === '' || value === false) next.delete(key);
    else next.set(key, String(value));
  }
  if (resetPage && !('page' in patch)) next.delete('page');
  return next;
}

/** `-createdAt` ⇄ { field: 'createdAt', order: 'descend' } as antd's Table speaks it. */
export function parseSort(sort: string | null | undefined): { field?: string; order?: SortOrder } {
  if (!sort) return {};
  return sort.startsWith('-') ? { field: sort.slice(1), order: 'descend' } : { field: sort, order: 'ascend' };
}

export function toSortParam(field: unknown, order: SortOrder | undefined): string | undefined {
  if (typeof field !== 'string' || !field || !order) return undefined;
  return order === 'descend' ? `-${field}` : field;
}

/** A list page's filters, paging and sort live in the URL, so a view can be bookmarked and shared. */
export function useUrlState() {
  const [params, setParams] = useSearchParams();
  const update = useCallback(
    (patch: Record<string, ParamValue>, options: { resetPage?: boolean } = {}) =>
      setParams((current) => patchParams(current, patch, options.resetPage ?? true)),
    [setParams],
  );
  const clear = useCallback(() => setParams(new URLSearchParams()), [setParams]);
  return { params, update, clear };
}
