import { useQuery } from '@tanstack/react-query';
import { api } from '../../shared/api';

export type TerritoryLevel = 'province' | 'city' | 'county';

/** A Chinese administrative division; the id is its 6-digit code ("370100" = 济南市). */
export interface Territory {
  id: string;
  parentId: string | null;
  name: string;
  level: TerritoryLevel;
}

export interface TerritoryNode {
  value: string;
  title: string;
  key: string;
  children?: TerritoryNode[];
}

/** Provinces and cities (≈370 rows): small enough to fetch once and keep. */
export function useTerritories() {
  return useQuery({
    queryKey: ['territories'],
    queryFn: ({ signal }) => api.get<{ items: Territory[] }>('/territories', undefined, signal).then((r) => r.items),
    staleTime: Infinity,
  });
}

export function buildTerritoryTree(territories: Territory[]): TerritoryNode[] {
  const nodes = new Map<string, TerritoryNode>();
  for (const t of territories) nodes.set(t.id, { value: t.id, key: t.id, title: t.name });
  const roots: TerritoryNode[] = [];
  for (const t of territories) {
    const node = nodes.get(t.id)!;
    const parent = t.parentId ? nodes.get(t.parentId) : undefined;
    if (parent) (parent.children ??= []).push(node);
    else roots.push(node);
  }
  return roots;
}
