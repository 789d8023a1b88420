import { useCallback, useEffect, useMemo, useState } from 'react';
import { TreeSelect, type TreeSelectProps } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { buildTerritoryTree, cityOf, fetchTerritoryChildren, useTerritories, type Territory } from './territories.api';

type Props = Omit<TreeSelectProps<string>, 'treeData' | 'loadData' | 'treeCheckable' | 'multiple'>;

/** Pick ONE province, city or county (a customer's location, a list filter); counties load when a city opens. */
export function TerritorySelect({ value, ...props }: Props) {
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

  // A county already chosen is shown by name: load the counties of its city up front.
  useEffect(() => {
    if (!territories.data || !value || known.has(value) || counties[cityOf(value)]) return;
    if (known.has(cityOf(value))) void loadCounties(cityOf(value)).catch(() => undefined);
  }, [value, territories.data, known, counties, loadCounties]);

  const treeData = useMemo(() => buildTerritoryTree(territories.data ?? [], counties), [territories.data, counties]);

  return (
    <TreeSelect<string>
      treeData={treeData}
      loadData={(node) => (node.value && !counties[String(node.value)] ? loadCounties(String(node.value)) : Promise.resolve())}
      showSearch={{ treeNodeFilterProp: 'title' }}
      allowClear
      loading={territories.isLoading}
      placeholder={t('territory.pickOne')}
      popupMatchSelectWidth={false}
      value={territories.isSuccess ? value : undefined}
      {...props}
    />
  );
}
