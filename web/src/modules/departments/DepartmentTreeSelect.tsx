import { useMemo } from 'react';
import { TreeSelect, type TreeSelectProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { useDepartments } from './departments.api';
import { buildDepartmentTree, disableNodes } from './departmentTree';

type Props = Omit<TreeSelectProps<number | null>, 'treeData'> & {
  /** Ids that cannot be picked (e.g. a department and its subtree when choosing its parent). */
  disabledIds?: Set<number>;
};

/** Pick a department from the company tree; used by users, departments and later modules. */
export function DepartmentTreeSelect({ disabledIds, ...props }: Props) {
  const { t, i18n } = useTranslation();
  const departments = useDepartments();
  const treeData = useMemo(() => {
    const tree = buildDepartmentTree(departments.data ?? [], i18n.language);
    return disabledIds ? disableNodes(tree, disabledIds) : tree;
  }, [departments.data, i18n.language, disabledIds]);
  return (
    <TreeSelect<number | null>
      showSearch={{ treeNodeFilterProp: 'title' }}
      allowClear
      treeDefaultExpandAll
      placeholder={t('department.pick')}
      loading={departments.isLoading}
      treeData={treeData}
      popupMatchSelectWidth={false}
      {...props}
    />
  );
}
