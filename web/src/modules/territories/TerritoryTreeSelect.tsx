import { useMemo } from 'react';
import { TreeSelect, type TreeSelectProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { buildTerritoryTree, useTerritories } from './territories.api';

/**
 * Pick provinces and cities. Ticking every city of a province keeps just the province,
 * which means "the whole province".
 */
export function TerritoryTreeSelect(props: Omit<TreeSelectProps<string[]>, 'treeData'>) {
  const { t } = useTranslation();
  const territories = useTerritories();
  const treeData = useMemo(() => buildTerritoryTree(territories.data ?? []), [territories.data]);
  return (
    <TreeSelect<string[]>
      treeData={treeData}
      treeCheckable
      showCheckedStrategy={TreeSelect.SHOW_PARENT}
      showSearch={{ treeNodeFilterProp: 'title' }}
      allowClear
      maxTagCount="responsive"
      loading={territories.isLoading}
      placeholder={t('territory.pick')}
      popupMatchSelectWidth
      styles={{ popup: { root: { maxHeight: 400, overflow: 'auto' } } }}
      {...props}
    />
  );
}
