import { useEffect, useState } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Checkbox, Form, Input, InputNumber, Modal, Select, Space, Table, Tag, type TableColumnsType } from 'antd';
import { DownloadOutlined, ImportOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useAuth } from '../../app/auth';
import { PERMISSIONS } from '../../app/permissions';
import { downloadFile } from '../../shared/api';
import { PageTitle } from '../../shared/PageTitle';
import { serverTableProps } from '../../shared/serverTable';
import { parseSort, readPage, useUrlState } from '../../shared/urlState';
import { stockListQuery } from './stockFilters';
import { adjustStock, type BalanceRow, type BatchRow, listBalances, listWarehouses, productBatches, STOCK_KEY, transferStock } from './stock.api';

/** The badges of a product's stock: below safety, shortage, near-expiry, expired (blocked). */
export function StockBadges({ row }: { row: BalanceRow }) {
  const { t } = useTranslation();
  return (
    <Space size={4} wrap>
      {row.belowSafety && <Tag color="gold">{t('stock.badges.belowSafety')}</Tag>}
      {row.shortage && <Tag color="red">{t('stock.badges.shortage')}</Tag>}
      {row.nearExpiryQty > 0 && <Tag color="orange">{t('stock.badges.nearExpiry')}</Tag>}
      {row.expiredQty > 0 && <Tag color="magenta">{t('stock.badges.expired')}</Tag>}
    </Space>
  );
}

/** 订单物流 → 库存: stock by product with warnings; a product opens to its batches per warehouse. */
export default function StockPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const { params, update, clear } = useUrlState();
  const { page, pageSize } = readPage(params);
  const sortParam = params.get('sort') ?? undefined;
  const sort = parseSort(sortParam);
  const query = stockListQuery(params);
  const filters = { q: query.q as string | undefined, warehouseId: query.warehouseId as number | undefined, warnings: query.warnings, nearExpiry: query.nearExpiry };
  const [keyword, setKeyword] = useState(filters.q ?? '');
  useEffect(() => setKeyword(filters.q ?? ''), [filters.q]);
  const [exporting, setExporting] = useState(false);

  const balances = useQuery({ queryKey: [...STOCK_KEY, 'balances', query], queryFn: ({ signal }) => listBalances(query, signal), placeholderData: keepPreviousData });
  const warehouses = useQuery({ queryKey: [...STOCK_KEY, 'warehouses', 'all'], queryFn: ({ signal }) => listWarehouses(false, signal), staleTime: 60_000 });

  async function exportStock() {
    setExporting(true);
    try {
      const { page: _p, pageSize: _s, ...rest } = query;
      await downloadFile('/stock/balances/export.xlsx', rest, `${t('stock.exportFileName')}.xlsx`);
    } catch (error) {
      message.error(error instanceof Error ? error.message : String(error));
    } finally {
      setExporting(false);
    }
  }

  const sortable = (field: string) => ({ sorter: true, sortOrder: sort.field === field ? sort.order : null });
  const columns: TableColumnsType<BalanceRow> = [
    { title: t('stock.productCode'), dataIndex: 'code', key: 'code', width: 100, ...sortable('code') },
    {
      title: t('stock.product'),
      dataIndex: 'genericName',
      key: 'name',
      ...sortable('name'),
      render: (name: string, r) => (
        <span data-testid={`stock-row-${r.code}`}>
          {name} <span style={{ color: '#888' }}>{r.specification}</span>
          {r.storageCondition === 'cold_chain' && (
            <Tag color="cyan" style={{ marginLeft: 6 }}>
              {t('stock.coldChainYes')}
            </Tag>
          )}
        </span>
      ),
    },
    { title: t('stock.onHand'), dataIndex: 'onHand', key: 'onHand', width: 90, align: 'right', ...sortable('onHand') },
    { title: t('stock.reserved'), dataIndex: 'reserved', width: 90, align: 'right' },
    { title: t('stock.available'), dataIndex: 'available', key: 'available', width: 90, align: 'right', ...sortable('available') },
    { title: t('stock.safetyStock'), dataIndex: 'safetyStock', width: 90, align: 'right' },
    { title: t('stock.openDemand'), dataIndex: 'openDemand', key: 'openDemand', width: 100, align: 'right', ...sortable('openDemand') },
    { title: t('stock.warnings'), key: 'badges', width: 220, render: (_, r) => <StockBadges row={r} /> },
  ];

  return (
    <>
      <PageTitle
        title={t('o2cPages.stockPage')}
        extra={
          <Space>
            {can(PERMISSIONS.stockWrite) && (
              <Link to="/stock/receive">
                <Button icon={<ImportOutlined />}>{t('stock.receive')}</Button>
              </Link>
            )}
            <Button icon={<DownloadOutlined />} loading={exporting} onClick={() => void exportStock()} data-testid="stock-export">
              {t('common.export')}
            </Button>
          </Space>
        }
      />
      <Card>
        <Space wrap style={{ marginBottom: 12 }}>
          <Input.Search
            allowClear
            placeholder={t('stock.searchPlaceholder')}
            value={keyword}
            onChange={(e) => setKeyword(e.target.value)}
            onSearch={(v) => update({ q: v.trim() || undefined })}
            style={{ width: 260 }}
            data-testid="stock-search"
          />
          <Select
            allowClear
            placeholder={t('stock.allWarehouses')}
            style={{ width: 200 }}
            value={filters.warehouseId}
            onChange={(v) => update({ warehouseId: v })}
            options={(warehouses.data ?? []).map((w) => ({ value: w.id, label: `${w.code} ${w.name}` }))}
          />
          <Checkbox checked={!!filters.warnings} onChange={(e) => update({ warnings: e.target.checked ? 1 : undefined })} data-testid="stock-only-warnings">
            {t('stock.onlyWarnings')}
          </Checkbox>
          <Checkbox checked={!!filters.nearExpiry} onChange={(e) => update({ nearExpiry: e.target.checked ? 1 : undefined })}>
            {t('stock.onlyNearExpiry')}
          </Checkbox>
          <Button onClick={clear}>{t('common.reset')}</Button>
        </Space>
        <Table
          rowKey="productId"
          size="small"
          loading={balances.isFetching}
          dataSource={balances.data?.items ?? []}
          columns={columns}
          expandable={{ expandedRowRender: (r) => <ProductBatches productId={r.productId} warehouseId={filters.warehouseId} />, rowExpandable: (r) => r.onHand > 0 }}
          {...serverTableProps<BalanceRow>({ page, pageSize, total: balances.data?.total ?? 0, update, t })}
        />
      </Card>
    </>
  );
}

type Action = { kind: 'adjust' | 'transfer'; batch: BatchRow } | null;

function ProductBatches({ productId, warehouseId }: { productId: number; warehouseId?: number }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [action, setAction] = useState<Action>(null);
  const batches = useQuery({ queryKey: [...STOCK_KEY, 'batches', productId, warehouseId], queryFn: ({ signal }) => productBatches(productId, warehouseId, signal) });
  const columns: TableColumnsType<BatchRow> = [
    { title: t('stock.warehouse'), key: 'warehouse', render: (_, b) => `${b.warehouseCode} ${b.warehouseName}` },
    { title: t('stock.batchNo'), dataIndex: 'batchNo', render: (v: string) => <span data-testid={`stock-batch-${v}`}>{v}</span> },
    { title: t('stock.manufacturedOn'), dataIndex: 'manufacturedOn' },
    {
      title: t('stock.expiresOn'),
      dataIndex: 'expiresOn',
      render: (v: string, b) => (
        <Space size={4}>
          {v}
          {b.state === 'near_expiry' && <Tag color="orange">{t('stock.badges.nearExpiry')}</Tag>}
          {b.state === 'expired' && <Tag color="magenta">{t('stock.badges.expired')}</Tag>}
        </Space>
      ),
    },
    { title: t('stock.onHand'), dataIndex: 'onHand', align: 'right' },
    { title: t('stock.reserved'), dataIndex: 'reserved', align: 'right' },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, b) => (
        <Space>
          <Link to={`/stock/movements?productId=${productId}&batchId=${b.batchId}`}>{t('stock.movementsLink')}</Link>
          {can(PERMISSIONS.stockWrite) && (
            <>
              <Button size="small" onClick={() => setAction({ kind: 'adjust', batch: b })}>
                {t('stock.adjust')}
              </Button>
              <Button size="small" onClick={() => setAction({ kind: 'transfer', batch: b })}>
                {t('stock.transfer')}
              </Button>
            </>
          )}
        </Space>
      ),
    },
  ];
  return (
    <>
      <Table rowKey={(b) => `${b.warehouseId}:${b.batchId}`} size="small" pagination={false} loading={batches.isLoading} dataSource={batches.data ?? []} columns={columns} />
      {action && <BatchActionModal action={action} onClose={() => setAction(null)} />}
    </>
  );
}

function BatchActionModal({ action, onClose }: { action: NonNullable<Action>; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ quantity: number; reason?: string; toWarehouseId?: number; note?: string }>();
  const warehouses = useQuery({ queryKey: [...STOCK_KEY, 'warehouses', 'active'], queryFn: ({ signal }) => listWarehouses(true, signal), enabled: action.kind === 'transfer' });
  const { batch } = action;
  const save = useMutation({
    mutationFn: (v: { quantity: number; reason?: string; toWarehouseId?: number; note?: string }) =>
      action.kind === 'adjust'
        ? adjustStock({ warehouseId: batch.warehouseId, batchId: batch.batchId, quantity: v.quantity, reason: v.reason ?? '' })
        : transferStock({ fromWarehouseId: batch.warehouseId, toWarehouseId: v.toWarehouseId!, note: v.note || null, lines: [{ batchId: batch.batchId, quantity: v.quantity }] }),
    onSuccess: (doc) => {
      message.success(t('stock.savedNumber', { number: doc.number }));
      void queryClient.invalidateQueries({ queryKey: STOCK_KEY });
      onClose();
    },
    onError: (e) => message.error(e.message),
  });
  return (
    <Modal
      open
      title={`${action.kind === 'adjust' ? t('stock.adjust') : t('stock.transfer')} · ${batch.warehouseCode} · ${t('stock.batchNo')} ${batch.batchNo}`}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        {action.kind === 'transfer' && (
          <Form.Item name="toWarehouseId" label={t('stock.toWarehouse')} rules={[{ required: true, message: t('validation.required') }]}>
            <Select options={(warehouses.data ?? []).filter((w) => w.id !== batch.warehouseId).map((w) => ({ value: w.id, label: `${w.code} ${w.name}` }))} />
          </Form.Item>
        )}
        <Form.Item
          name="quantity"
          label={action.kind === 'adjust' ? t('stock.adjustQuantity') : t('stock.quantity')}
          extra={t('stock.onHandReserved', { onHand: batch.onHand, reserved: batch.reserved })}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <InputNumber precision={0} min={action.kind === 'adjust' ? -batch.onHand : 1} max={action.kind === 'adjust' ? 10_000_000 : batch.onHand - batch.reserved} style={{ width: 200 }} autoFocus />
        </Form.Item>
        {action.kind === 'adjust' ? (
          <Form.Item name="reason" label={t('stock.reason')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
            <Input maxLength={200} />
          </Form.Item>
        ) : (
          <Form.Item name="note" label={t('stock.note')}>
            <Input maxLength={200} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
