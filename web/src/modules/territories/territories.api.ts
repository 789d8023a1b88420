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
  isLeaf?: boolean;
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

/** The counties below a city, fetched when the city is opened. */
export function fetchTerritoryChildren(parentId: string, signal?: AbortSignal): Promise<Territory[]> {
  return api.get<{ items: Territory[] }>('/territories', { parentId }, signal).then((r) => r.items);
}

/** The city a county code belongs to: 370102 (历下区) → 370100 (济南市). */
export function cityOf(countyId: string): string {
  return `${countyId.slice(0, 4)}00`;
}

/**
 * Province → city tree from the flat list, with the counties of the cities loaded so far.
 * A city whose counties are not loaded yet is not a leaf, so the tree offers to open it.
 */
export function buildTerritoryTree(territories: Territory[], counties: Record<string, Territory[]> = {}): TerritoryNode[] {
  const nodes = new Map<string, TerritoryNode>();
  for (const t of territories) {
    nodes.set(t.id, { value: t.id, key: t.id, title: t.name, isLeaf: t.level === 'county' ? true : t.level === 'city' ? counties[t.id]?.length === 0 : false });
  }
  for (const [cityId, list] of Object.entries(counties)) {
    if (!nodes.has(cityId)) continue;
    for (const t of list) if (!nodes.has(t.id)) nodes.set(t.id, { value: t.id, key: t.id, title: t.name, isLeaf: true });
  }
  const roots: TerritoryNode[] = [];
  const place = (id: string, parentId: string | null) => {
    const node = nodes.get(id)!;
    const parent = parentId ? nodes.get(parentId) : undefined;
    if (parent) (parent.children ??= []).push(node);
    else roots.push(node);
  };
  for (const t of territories) place(t.id, t.parentId);
  for (const [cityId, list] of Object.entries(counties)) {
    if (!nodes.has(cityId)) continue;
    for (const t of list) if (!territories.some((x) => x.id === t.id)) place(t.id, cityId);
  }
  return roots;
}
