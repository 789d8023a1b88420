import type { TableProps } from 'antd';
import type { TFunction } from 'i18next';
import { toSortParam, type useUrlState } from './urlState';

/**
 * The pagination and onChange props of a server-paged list whose page, page size and sort live in
 * the URL: page 1 and the default size of 20 stay out of the URL; changing the size starts again at page 1.
 */
export function serverTableProps<T>(options: {
  page: number;
  pageSize: number;
  total: number;
  update: ReturnType<typeof useUrlState>['update'];
  t: TFunction;
  pageSizeOptions?: number[];
}): Pick<TableProps<T>, 'pagination' | 'onChange'> {
  const { page, pageSize, total, update, t, pageSizeOptions = [20, 50, 100, 200] } = options;
  return {
    pagination: { current: page, pageSize, total, showSizeChanger: true, pageSizeOptions, showTotal: (n) => t('common.total', { total: n }) },
    onChange: (pagination, _filters, sorter, extra) => {
      if (extra.action === 'sort') {
        const one = Array.isArray(sorter) ? sorter[0] : sorter;
        update({ sort: toSortParam(one?.columnKey ?? one?.field, one?.order ?? undefined) });
      } else if (extra.action === 'paginate') {
        const sizeChanged = pagination.pageSize !== pageSize;
        update(
          { page: sizeChanged || pagination.current === 1 ? undefined : pagination.current, pageSize: pagination.pageSize === 20 ? undefined : pagination.pageSize },
          { resetPage: false },
        );
      }
    },
  };
}
