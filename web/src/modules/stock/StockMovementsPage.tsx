import { useEffect, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { App, Button, Card, Input, Select, Space, Table, Tag, type TableColumnsType } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { downloadFile } from '../../shared/api';
import { formatDateTime } from '../../shared/format';
import { PageTitle } from '../../shared/PageTitle';
import { serverTableProps } from '../../shared/serverTable';
import { parseSort, readPage, useUrlState } from '../../shared/urlState';
import { movementListQuery } from './stockFilters';
import { ProductSelect } from '../products/ProductSelect';
import { listMovements, listWarehouses, MOVEMENT_KINDS, type MovementRow, STOCK_KEY } from './stock.api';

/** 订单物流 → 库存流水: the stock ledger, every change of quantity on hand, with its document. */
export default function StockMovementsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { params, update, clear } = useUrlState();
  const { page, pageSize } = readPage(params);
  const sortParam = params.get('sort') ?? undefined;
  const sort = parseSort(sortParam);
  const query = movementListQuery(params);
  const filters = query as {
    productId?: number;
    batchId?: number;
    batchNo?: string;
    warehouseId?: number;
    kind?: string;
    docNumber?: string;
    from?: string;
    to?: string;
  };
  const [texts, setTexts] = useState({ batchNo: filters.batchNo ?? '', docNumber: filters.docNumber ?? '', from: filters.from ?? '', to: filters.to ?? '' });
  useEffect(
    () => setTexts({ batchNo: filters.batchNo ?? '', docNumber: filters.docNumber ?? '', from: filters.from ?? '', to: filters.to ?? '' }),
    [filters.batchNo, filters.docNumber, filters.from, filters.to],
  );
  const [exporting, setExporting] = useState(false);
  const movements = useQuery({ queryKey: [...STOCK_KEY, 'movements', query], queryFn: ({ signal }) => listMovements(query, signal), placeholderData: keepPreviousData });
  const warehouses = useQuery({ queryKey: [...STOCK_KEY, 'warehouses', 'all'], queryFn: ({ signal }) => listWarehouses(false, signal), staleTime: 60_000 });

  async function exportMovements() {
    setExporting(true);
    try {
      const { page: _p, pageSize: _s, ...rest } = query;
      await downloadFile('/stock/movements/export.xlsx', rest, `${t('stock.movementsFileName')}.xlsx`);
    } catch (error) {
      message.error(error instanceof Error ? error.message : String(error));
    } finally {
      setExporting(false);
    }
  }

  const text = (name: keyof typeof texts, placeholder: string, width = 150) => (
    <Input
      allowClear
      placeholder={placeholder}
      value={texts[name]}
      style={{ width }}
      onChange={(e) => {
        setTexts({ ...texts, [name]: e.target.value });
        if (!e.target.value) update({ [name]: undefined });
      }}
      onPressEnter={() => update({ [name]: texts[name].trim() || undefined })}
      onBlur={() => update({ [name]: texts[name].trim() || undefined })}
      data-testid={`movements-${name}`}
    />
  );

  const sortable = (field: string) => ({ sorter: true, sortOrder: sort.field === field ? sort.order : null });
  const columns: TableColumnsType<MovementRow> = [
    { title: t('stock.businessDate'), dataIndex: 'businessDate', key: 'businessDate', width: 110, ...sortable('businessDate') },
    { title: t('stock.kind'), dataIndex: 'kind', width: 100, render: (k: string, m) => <Tag color={m.quantity > 0 ? 'green' : 'volcano'}>{t(`stock.movementKinds.${k}`)}</Tag> },
    { title: t('stock.document'), dataIndex: 'docNumber', width: 160, render: (v: string | null) => v && <a onClick={() => update({ docNumber: v })}>{v}</a> },
    { title: t('stock.warehouse'), dataIndex: 'warehouseName', width: 140 },
    { title: t('stock.product'), key: 'product', render: (_, m) => `${m.productCode} ${m.productName} ${m.specification}` },
    { title: t('stock.batchNo'), dataIndex: 'batchNo', width: 120, render: (v: string, m) => <a onClick={() => update({ batchId: m.batchId, productId: m.productId })}>{v}</a> },
    { title: t('stock.expiresOn'), dataIndex: 'expiresOn', width: 110 },
    {
      title: t('stock.quantity'),
      dataIndex: 'quantity',
      key: 'quantity',
      width: 90,
      align: 'right',
      ...sortable('quantity'),
      render: (q: number, m) => <span data-testid={`movement-qty-${m.id}`}>{q > 0 ? `+${q}` : q}</span>,
    },
    { title: t('stock.note'), dataIndex: 'note', width: 160, ellipsis: true },
    { title: t('stock.actor'), dataIndex: 'actorName', width: 90 },
    { title: t('stock.at'), dataIndex: 'at', key: 'at', width: 160, ...sortable('at'), render: (v: string) => formatDateTime(v) },
  ];

  return (
    <>
      <PageTitle
        title={t('o2cPages.stockMovementsPage')}
        extra={
          <Button icon={<DownloadOutlined />} loading={exporting} onClick={() => void exportMovements()}>
            {t('common.export')}
          </Button>
        }
      />
      <Card>
        <Space wrap style={{ marginBottom: 12 }}>
          <ProductSelect allowClear placeholder={t('stock.product')} style={{ width: 260 }} value={filters.productId} onChange={(v) => update({ productId: v, batchId: undefined })} />
          {text('batchNo', t('stock.batchNo'), 130)}
          <Select
            allowClear
            placeholder={t('stock.allWarehouses')}
            style={{ width: 180 }}
            value={filters.warehouseId}
            onChange={(v) => update({ warehouseId: v })}
            options={(warehouses.data ?? []).map((w) => ({ value: w.id, label: `${w.code} ${w.name}` }))}
          />
          <Select
            allowClear
            placeholder={t('stock.allKinds')}
            style={{ width: 140 }}
            value={filters.kind}
            onChange={(v) => update({ kind: v })}
            options={MOVEMENT_KINDS.map((k) => ({ value: k, label: t(`stock.movementKinds.${k}`) }))}
          />
          {text('docNumber', t('stock.document'), 170)}
          {text('from', `${t('stock.from')} YYYY-MM-DD`, 150)}
          {text('to', `${t('stock.to')} YYYY-MM-DD`, 150)}
          <Button onClick={clear}>{t('common.reset')}</Button>
        </Space>
        <Table
          rowKey="id"
          size="small"
          loading={movements.isFetching}
          dataSource={movements.data?.items ?? []}
          columns={columns}
          scroll={{ x: 1300 }}
          {...serverTableProps<MovementRow>({ page, pageSize, total: movements.data?.total ?? 0, update, t })}
        />
      </Card>
    </>
  );
}
