import { useMemo } from 'react';
import { TreeSelect, type TreeSelectProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { buildTerritoryTree } from './territories.api';
import { useTerritoryCounties } from './useTerritoryCounties';

type Props = Omit<TreeSelectProps<string>, 'treeData' | 'loadData' | 'treeCheckable' | 'multiple'>;

/** Pick ONE province, city or county (a customer's location, a list filter); counties load when a city opens. */
export function TerritorySelect({ value, ...props }: Props) {
  const { t } = useTranslation();
  const { territories, counties, loadCounties } = useTerritoryCounties(value ? [value] : []);

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
