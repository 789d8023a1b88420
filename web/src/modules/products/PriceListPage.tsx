import { useEffect, useState } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Input, Popconfirm, Select, Space, Table, Tag, type TableColumnsType } from 'antd';
import { DownloadOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth';
import { PERMISSIONS } from '../../app/permissions';
import { downloadFile } from '../../shared/api';
import { CustomerSelect } from '../../shared/CustomerSelect';
import { formatFen } from '../../shared/format';
import { PageTitle } from '../../shared/PageTitle';
import { serverTableProps } from '../../shared/serverTable';
import { parseSort, readPage, useUrlState } from '../../shared/urlState';
import { CUSTOMER_TYPES } from '../customers/customers.api';
import { TerritorySelect } from '../territories/TerritorySelect';
import { PriceFormDrawer } from './PriceFormDrawer';
import { priceListQuery, readPriceFilters } from './productFilters';
import { deletePrice, listPrices, PRICE_KINDS, PRICES_KEY, type PriceKind, type PriceRow } from './products.api';
import { ProductSelect } from './ProductSelect';

const KIND_COLORS: Record<PriceKind, string> = { ex_factory: 'default', supply: 'blue', tender: 'purple', retail_guide: 'gold' };

/** 药品与价格 → 价格管理: every price with its target and validity, filters in the URL, export, add / edit / delete. */
export default function PriceListPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const queryClient = useQueryClient();
  const { params, update, clear } = useUrlState();
  const filters = readPriceFilters(params);
  const { page, pageSize } = readPage(params);
  const sort = parseSort(filters.sort);
  const query = priceListQuery(params);
  const canWrite = can(PERMISSIONS.pricesWrite);
  const [keyword, setKeyword] = useState(filters.q ?? '');
  useEffect(() => setKeyword(filters.q ?? ''), [filters.q]);
  const [editing, setEditing] = useState<PriceRow | 'new' | null>(null);
  const [exporting, setExporting] = useState(false);

  const prices = useQuery({ queryKey: [...PRICES_KEY, 'list', query], queryFn: ({ signal }) => listPrices(query, signal), placeholderData: keepPreviousData });

  async function exportPrices() {
    setExporting(true);
    try {
      const { page: _p, pageSize: _s, ...rest } = query;
      await downloadFile('/prices/export.xlsx', rest, `${t('price.exportFileName')}.xlsx`);
    } catch (error) {
      message.error(error instanceof Error ? error.message : String(error));
    } finally {
      setExporting(false);
    }
  }

  async function remove(price: PriceRow) {
    try {
      await deletePrice(price.id);
      await queryClient.invalidateQueries({ queryKey: PRICES_KEY });
    } catch (error) {
      message.error(error instanceof Error ? error.message : String(error));
    }
  }

  const targetOf = (p: PriceRow) => {
    if (p.customer) return <Link to={`/customers/${p.customer.id}`}>{p.customer.name}</Link>;
    const parts = [p.customerType ? t(`customer.types.${p.customerType}`) : null, p.territory?.name ?? null].filter(Boolean);
    return parts.length ? parts.join(' · ') : t('price.allCustomers');
  };

  const sortable = (field: string) => ({ sorter: true, sortOrder: sort.field === field ? sort.order : null });
  const columns: TableColumnsType<PriceRow> = [
    {
      title: t('price.product'),
      key: 'product',
      width: 240,
      ...sortable('product'),
      render: (_, p) => (
        <Link to={`/products/${p.product.id}`}>
          {p.product.genericName} {p.product.specification}
          <span style={{ color: '#888' }}>（{p.product.code}）</span>
        </Link>
      ),
    },
    { title: t('price.kind'), dataIndex: 'kind', key: 'kind', width: 100, ...sortable('kind'), render: (k: PriceKind) => <Tag color={KIND_COLORS[k]}>{t(`price.kinds.${k}`)}</Tag> },
    { title: t('price.amount'), dataIndex: 'amountFen', key: 'amountFen', width: 110, align: 'right', ...sortable('amountFen'), render: (v: string) => formatFen(v) },
    { title: t('price.target'), key: 'target', width: 200, render: (_, p) => targetOf(p) },
    { title: t('price.validFrom'), dataIndex: 'validFrom', key: 'validFrom', width: 110, ...sortable('validFrom') },
    { title: t('price.validTo'), dataIndex: 'validTo', key: 'validTo', width: 110, render: (v: string | null) => v ?? t('price.openEnded') },
    { title: t('price.tenderName'), dataIndex: 'tenderName', key: 'tenderName', width: 220, render: (v: string | null) => v ?? '' },
    { title: t('price.notes'), dataIndex: 'notes', key: 'notes', render: (v: string | null) => v ?? '' },
  ];
  if (canWrite) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      width: 130,
      render: (_, p) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => setEditing(p)} data-testid={`price-edit-${p.id}`}>
            {t('common.edit')}
          </Button>
          <Popconfirm title={t('price.confirmDelete')} onConfirm={() => remove(p)} okText={t('common.confirm')} cancelText={t('common.cancel')}>
            <Button type="link" size="small" danger data-testid={`price-delete-${p.id}`}>
              {t('common.delete')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    });
  }

  return (
    <>
      <PageTitle
        title={t('menu.prices')}
        extra={
          <Space>
            <Button icon={<DownloadOutlined />} loading={exporting} onClick={exportPrices} data-testid="prices-export">
              {t('common.export')}
            </Button>
            {canWrite && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="prices-create">
                {t('price.create')}
              </Button>
            )}
          </Space>
        }
      />
      <Card>
        <Space wrap className="rx-filters" size={[12, 12]}>
          <Input.Search
            allowClear
            style={{ width: 220 }}
            placeholder={t('price.keywordPlaceholder')}
            value={keyword}
            onChange={(e) => {
              setKeyword(e.target.value);
              if (!e.target.value) update({ q: undefined });
            }}
            onSearch={(value) => update({ q: value.trim() || undefined })}
            data-testid="prices-filter-q"
          />
          <ProductSelect style={{ width: 260 }} value={filters.productId} onChange={(v) => update({ productId: v })} data-testid="prices-filter-product" />
          <Select<PriceKind>
            allowClear
            style={{ width: 130 }}
            placeholder={t('price.filterKind')}
            value={filters.kind}
            onChange={(v) => update({ kind: v })}
            options={PRICE_KINDS.map((k) => ({ value: k, label: t(`price.kinds.${k}`) }))}
            data-testid="prices-filter-kind"
          />
          <Select<string>
            allowClear
            style={{ width: 150 }}
            placeholder={t('price.filterCustomerType')}
            value={filters.customerType}
            onChange={(v) => update({ customerType: v })}
            options={CUSTOMER_TYPES.map((c) => ({ value: c, label: t(`customer.types.${c}`) }))}
            data-testid="prices-filter-customerType"
          />
          <TerritorySelect style={{ width: 180 }} value={filters.territoryId} onChange={(v) => update({ territoryId: v })} placeholder={t('price.filterTerritory')} data-testid="prices-filter-territory" />
          <CustomerSelect style={{ width: 220 }} value={filters.customerId} onChange={(v) => update({ customerId: v })} placeholder={t('price.filterCustomer')} data-testid="prices-filter-customer" />
          <DatePicker
            placeholder={t('price.filterValidOn')}
            value={filters.validOn ? dayjs(filters.validOn) : null}
            onChange={(d) => update({ validOn: d ? d.format('YYYY-MM-DD') : undefined })}
            data-testid="prices-filter-validOn"
          />
          <Button icon={<ReloadOutlined />} onClick={clear}>
            {t('common.reset')}
          </Button>
        </Space>
        <Table<PriceRow>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={prices.data?.items}
          loading={prices.isFetching}
          scroll={{ x: 1400 }}
          locale={prices.isError ? { emptyText: prices.error.message } : undefined}
          {...serverTableProps<PriceRow>({ page, pageSize, total: prices.data?.total ?? 0, update, t })}
        />
      </Card>
      <PriceFormDrawer open={editing !== null} price={editing === 'new' ? null : editing} defaultProductId={filters.productId} onClose={() => setEditing(null)} />
    </>
  );
}
