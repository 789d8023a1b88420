import { useCallback, useEffect, useMemo, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { cityOf, fetchTerritoryChildren, useTerritories, type Territory } from './territories.api';

/**
 * Provinces and cities up front, the counties of a city when it is opened: what every territory
 * picker needs. Counties already among `selected` are loaded at once, so a chosen county is shown
 * by name rather than by its code.
 */
export function useTerritoryCounties(selected: readonly string[]) {
  const queryClient = useQueryClient();
  const territories = useTerritories();
  const [counties, setCounties] = useState<Record<string, Territory[]>>({});
  const known = useMemo(() => new Set((territories.data ?? []).map((x) => x.id)), [territories.data]);

  const loadCounties = useCallback(
    async (cityId: string) => {
      const items = await queryClient.fetchQuery({
        queryKey: ['territories', cityId],
        queryFn: ({ signal }) => fetchTerritoryChildren(cityId, signal),
        staleTime: Infinity,
      });
      setCounties((current) => (current[cityId] ? current : { ...current, [cityId]: items }));
    },
    [queryClient],
  );

  const selectedKey = selected.join(',');
  useEffect(() => {
    if (!territories.data) return;
    for (const id of selectedKey ? selectedKey.split(',') : []) {
      if (known.has(id) || counties[cityOf(id)]) continue;
      if (known.has(cityOf(id))) void loadCounties(cityOf(id)).catch(() => undefined);
    }
  }, [selectedKey, territories.data, known, counties, loadCounties]);

  return { territories, counties, known, loadCounties };
}
