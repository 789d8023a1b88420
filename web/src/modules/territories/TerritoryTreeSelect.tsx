import { useCallback, useEffect, useMemo, useState } from 'react';
import { TreeSelect, type TreeSelectProps } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { buildTerritoryTree, cityOf, fetchTerritoryChildren, useTerritories, type Territory } from './territories.api';

type Props = Omit<TreeSelectProps<string[]>, 'treeData' | 'loadData'>;

/**
 * Pick provinces, cities and (opening a city) counties. Ticking every city of a province keeps
 * just the province, which means "the whole province".
 */
export function TerritoryTreeSelect({ value, ...props }: Props) {
  const { t } = useTranslation();
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

  // A county already assigned is shown by name: load the counties of its city up front.
  useEffect(() => {
    if (!territories.data) return;
    for (const id of value ?? []) {
      if (known.has(id) || counties[cityOf(id)]) continue;
      if (known.has(cityOf(id))) void loadCounties(cityOf(id)).catch(() => undefined);
    }
  }, [value, territories.data, known, counties, loadCounties]);

  const treeData = useMemo(() => buildTerritoryTree(territories.data ?? [], counties), [territories.data, counties]);

  return (
    <TreeSelect<string[]>
      treeData={treeData}
      loadData={(node) => (node.value && !counties[String(node.value)] ? loadCounties(String(node.value)) : Promise.resolve())}
      treeCheckable
      showCheckedStrategy={TreeSelect.SHOW_PARENT}
      showSearch={{ treeNodeFilterProp: 'title' }}
      allowClear
      maxTagCount="responsive"
      loading={territories.isLoading}
      placeholder={t('territory.pick')}
      popupMatchSelectWidth
      // Until the tree is there the codes have no names; show them once they can be named.
      value={territories.isSuccess ? value : undefined}
      {...props}
    />
  );
}
