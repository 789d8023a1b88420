import { useMemo } from 'react';
import { TreeSelect, type TreeSelectProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { buildTerritoryTree } from './territories.api';
import { useTerritoryCounties } from './useTerritoryCounties';

type Props = Omit<TreeSelectProps<string[]>, 'treeData' | 'loadData'>;

/**
 * Pick provinces, cities and (opening a city) counties. Ticking every city of a province keeps
 * just the province, which means "the whole province".
 */
export function TerritoryTreeSelect({ value, ...props }: Props) {
  const { t } = useTranslation();
  const { territories, counties, loadCounties } = useTerritoryCounties(value ?? []);

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
