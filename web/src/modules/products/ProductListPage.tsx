import { useEffect, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { App, Button, Card, Input, Select, Space, Table, Tag, type TableColumnsType } from 'antd';
import { ApartmentOutlined, DownloadOutlined, PlusOutlined, ReloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth';
import { PERMISSIONS } from '../../app/permissions';
import { downloadFile } from '../../shared/api';
import { PageTitle } from '../../shared/PageTitle';
import { serverTableProps } from '../../shared/serverTable';
import { parseSort, readPage, useUrlState } from '../../shared/urlState';
import { ExpiryTag } from './ExpiryTag';
import { ProductFormDrawer } from './ProductFormDrawer';
import { ProductLinesModal } from './ProductLinesModal';
import { readProductFilters, productListQuery } from './productFilters';
import {
  listProductLines,
  listProducts,
  PRESCRIPTION_CLASSES,
  PRODUCT_STATUSES,
  PRODUCTS_KEY,
  REIMBURSEMENT_CLASSES,
  STORAGE_CONDITIONS,
  type ProductRow,
} from './products.api';

type Editing = { mode: 'create' } | { mode: 'edit'; id: number } | null;

/** 药品与价格 → 药品目录: the catalogue, filters in the URL, export, import, add and edit. */
export default function ProductListPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const navigate = useNavigate();
  const { params, update, clear } = useUrlState();
  const filters = readProductFilters(params);
  const { page, pageSize } = readPage(params);
  const sort = parseSort(filters.sort);
  const query = productListQuery(params);
  const canWrite = can(PERMISSIONS.productsWrite);
  const [keyword, setKeyword] = useState(filters.q ?? '');
  useEffect(() => setKeyword(filters.q ?? ''), [filters.q]);
  const [editing, setEditing] = useState<Editing>(null);
  const [exporting, setExporting] = useState(false);
  const [linesOpen, setLinesOpen] = useState(false);

  const products = useQuery({ queryKey: [...PRODUCTS_KEY, 'list', query], queryFn: ({ signal }) => listProducts(query, signal), placeholderData: keepPreviousData });
  const lines = useQuery({ queryKey: [...PRODUCTS_KEY, 'lines'], queryFn: ({ signal }) => listProductLines(signal), staleTime: 60_000 });

  async function exportProducts() {
    setExporting(true);
    try {
      const { page: _p, pageSize: _s, ...rest } = query;
      await downloadFile('/products/export.xlsx', rest, `${t('product.exportFileName')}.xlsx`);
    } catch (error) {
      message.error(error instanceof Error ? error.message : String(error));
    } finally {
      setExporting(false);
    }
  }

  const sortable = (field: string) => ({ sorter: true, sortOrder: sort.field === field ? sort.order : null });
  const columns: TableColumnsType<ProductRow> = [
    { title: t('product.code'), dataIndex: 'code', key: 'code', width: 110, ...sortable('code'), render: (code: string, p) => <Link to={`/products/${p.id}`}>{code}</Link> },
    {
      title: t('product.genericName'),
      dataIndex: 'genericName',
      key: 'genericName',
      width: 200,
      ...sortable('genericName'),
      render: (name: string, p) => (
        <Link to={`/products/${p.id}`} data-testid={`product-open-${p.id}`}>
          {name}
          {p.tradeName ? <span style={{ color: '#888' }}>（{p.tradeName}）</span> : null}
        </Link>
      ),
    },
    { title: t('product.specification'), dataIndex: 'specification', key: 'specification', width: 150 },
    { title: t('product.dosageForm'), dataIndex: 'dosageForm', key: 'dosageForm', width: 100, render: (v: string) => t(`product.dosageForms.${v}`) },
    { title: t('product.manufacturer'), dataIndex: 'manufacturer', key: 'manufacturer', width: 200, ...sortable('manufacturer') },
    { title: t('product.approvalNumber'), dataIndex: 'approvalNumber', key: 'approvalNumber', width: 170 },
    {
      title: t('product.classes'),
      key: 'classes',
      width: 240,
      render: (_, p) => (
        <Space size={[4, 4]} wrap>
          <Tag color={p.prescriptionClass === 'rx' ? 'red' : 'green'}>{t(`product.prescriptionClasses.${p.prescriptionClass}`)}</Tag>
          {p.reimbursementClass !== 'none' && <Tag color="blue">{t(`product.reimbursementClasses.${p.reimbursementClass}`)}</Tag>}
          {p.storageCondition !== 'normal' && <Tag color={p.storageCondition === 'cold_chain' ? 'geekblue' : 'cyan'}>{t(`product.storageConditions.${p.storageCondition}`)}</Tag>}
        </Space>
      ),
    },
    { title: t('product.productLine'), key: 'productLine', width: 120, render: (_, p) => p.productLine?.name ?? '—' },
    { title: t('product.documents'), key: 'documentsState', width: 100, render: (_, p) => <ExpiryTag state={p.documentsState} /> },
    { title: t('product.status'), dataIndex: 'status', key: 'status', width: 80, render: (s: string) => <Tag color={s === 'active' ? 'success' : 'default'}>{t(`product.statuses.${s}`)}</Tag> },
  ];
  if (canWrite) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      width: 80,
      render: (_, p) => (
        <Button type="link" size="small" onClick={() => setEditing({ mode: 'edit', id: p.id })} data-testid={`product-edit-${p.id}`}>
          {t('common.edit')}
        </Button>
      ),
    });
  }

  const enumSelect = (name: 'status' | 'storageCondition' | 'prescriptionClass' | 'reimbursementClass', values: readonly string[], group: string, width = 130) => (
    <Select<string>
      allowClear
      style={{ width }}
      placeholder={t(`product.filter.${name}`)}
      value={filters[name]}
      onChange={(value) => update({ [name]: value })}
      options={values.map((v) => ({ value: v, label: t(`product.${group}.${v}`) }))}
      data-testid={`products-filter-${name}`}
    />
  );

  return (
    <>
      <PageTitle
        title={t('menu.products')}
        extra={
          <Space>
            <Button icon={<ApartmentOutlined />} onClick={() => setLinesOpen(true)} data-testid="products-lines">
              {t('product.lines')}
            </Button>
            <Button icon={<DownloadOutlined />} loading={exporting} onClick={exportProducts} data-testid="products-export">
              {t('common.export')}
            </Button>
            {canWrite && (
              <Button icon={<UploadOutlined />} onClick={() => navigate('/products/import')} data-testid="products-import">
                {t('common.import')}
              </Button>
            )}
            {canWrite && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ mode: 'create' })} data-testid="products-create">
                {t('product.create')}
              </Button>
            )}
          </Space>
        }
      />
      <Card>
        <Space wrap className="rx-filters" size={[12, 12]}>
          <Input.Search
            allowClear
            style={{ width: 280 }}
            placeholder={t('product.keywordPlaceholder')}
            value={keyword}
            onChange={(e) => {
              setKeyword(e.target.value);
              if (!e.target.value) update({ q: undefined });
            }}
            onSearch={(value) => update({ q: value.trim() || undefined })}
            data-testid="products-filter-q"
          />
          <Select<number>
            allowClear
            style={{ width: 160 }}
            placeholder={t('product.filter.productLine')}
            value={filters.productLineId}
            onChange={(value) => update({ productLineId: value })}
            loading={lines.isLoading}
            options={(lines.data ?? []).map((l) => ({ value: l.id, label: l.parentId ? `　${l.name}` : l.name }))}
            data-testid="products-filter-line"
          />
          {enumSelect('status', PRODUCT_STATUSES, 'statuses', 110)}
          {enumSelect('storageCondition', STORAGE_CONDITIONS, 'storageConditions')}
          {enumSelect('prescriptionClass', PRESCRIPTION_CLASSES, 'prescriptionClasses')}
          {enumSelect('reimbursementClass', REIMBURSEMENT_CLASSES, 'reimbursementClasses')}
          <Button icon={<ReloadOutlined />} onClick={clear}>
            {t('common.reset')}
          </Button>
        </Space>
        <Table<ProductRow>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={products.data?.items}
          loading={products.isFetching}
          scroll={{ x: 1500 }}
          locale={products.isError ? { emptyText: products.error.message } : undefined}
          {...serverTableProps<ProductRow>({ page, pageSize, total: products.data?.total ?? 0, update, t })}
        />
      </Card>
      <ProductLinesModal open={linesOpen} canWrite={canWrite} onClose={() => setLinesOpen(false)} />
      <ProductFormDrawer open={editing !== null} productId={editing?.mode === 'edit' ? editing.id : null} onClose={() => setEditing(null)} />
    </>
  );
}
