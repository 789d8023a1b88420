import { useEffect, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Input, Select, Space, Table, Tag, type TableColumnsType } from 'antd';
import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { Link, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth';
import { PERMISSIONS } from '../../app/permissions';
import { downloadFile, type Query } from '../../shared/api';
import { CustomerSelect } from '../../shared/CustomerSelect';
import { formatDateTime } from '../../shared/format';
import { PageTitle } from '../../shared/PageTitle';
import { serverTableProps } from '../../shared/serverTable';
import { parseSort, readPage, useUrlState } from '../../shared/urlState';
import { OrderPickerModal } from './OrderPickerModal';
import { SHIPMENTS_KEY, SHIPMENT_STATUSES, type ShipmentRow, listShipments, readShipmentFilters } from './shipping.api';
import { ShipmentStatusTag } from './ShipmentStatusTag';

/** 发货: every shipment of the customers I may see; filters, paging and sort in the URL; Excel export. */
export default function ShipmentListPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const navigate = useNavigate();
  const { params, update, clear } = useUrlState();
  const filters = readShipmentFilters(params);
  const { page, pageSize } = readPage(params);
  const sort = parseSort(filters.sort);
  const [keyword, setKeyword] = useState(filters.q ?? '');
  useEffect(() => setKeyword(filters.q ?? ''), [filters.q]);
  const [picking, setPicking] = useState(false);
  const [exporting, setExporting] = useState(false);
  const filterQuery: Query = { ...filters };
  const query: Query = { ...filterQuery, page, pageSize };
  const list = useQuery({ queryKey: [...SHIPMENTS_KEY, 'list', query], queryFn: ({ signal }) => listShipments(query, signal), placeholderData: keepPreviousData });

  async function exportList() {
    setExporting(true);
    try {
      await downloadFile('/shipments/export', filterQuery, `${t('shipping.exportFileName')}.xlsx`);
    } catch (error) {
      message.error(error instanceof Error ? error.message : String(error));
    } finally {
      setExporting(false);
    }
  }

  const sortable = (field: string) => ({ sorter: true, sortOrder: sort.field === field ? sort.order : null });
  const columns: TableColumnsType<ShipmentRow> = [
    { title: t('shipping.number'), key: 'number', ...sortable('number'), width: 160, render: (_, s) => <Link to={`/shipments/${s.id}`}>{s.number}</Link> },
    { title: t('shipping.order'), key: 'order', width: 160, render: (_, s) => <Link to={`/orders/${s.orderId}`}>{s.orderNumber}</Link> },
    { title: t('shipping.customer'), dataIndex: 'customerName', width: 220 },
    { title: t('shipping.warehouse'), dataIndex: 'warehouseName', width: 120 },
    {
      title: t('shipping.status'),
      key: 'status',
      ...sortable('status'),
      width: 140,
      render: (_, s) => (
        <Space size={4}>
          <ShipmentStatusTag status={s.status} />
          {s.coldChain && <Tag color="blue">{t('shipping.coldChain')}</Tag>}
          {s.kind === 'exchange' && <Tag color="purple">{t('shipping.kindExchange')}</Tag>}
        </Space>
      ),
    },
    { title: t('shipping.quantity'), dataIndex: 'totalQuantity', align: 'right', width: 80 },
    { title: t('shipping.carrier'), key: 'carrier', width: 180, render: (_, s) => [s.carrier, s.trackingNo].filter(Boolean).join(' ') },
    { title: t('shipping.dispatchedOn'), dataIndex: 'dispatchedOn', key: 'dispatchedOn', ...sortable('dispatchedOn'), width: 110 },
    { title: t('shipping.createdAt'), key: 'createdAt', ...sortable('createdAt'), width: 150, render: (_, s) => formatDateTime(s.createdAt) },
  ];

  return (
    <>
      <PageTitle
        title={t('o2cPages.shipmentListPage')}
        extra={
          <Space>
            <Button icon={<DownloadOutlined />} loading={exporting} onClick={exportList}>
              {t('common.export')}
            </Button>
            {can(PERMISSIONS.shipmentsWrite) && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setPicking(true)} data-testid="create-shipment">
                {t('shipping.create')}
              </Button>
            )}
          </Space>
        }
      />
      <Card size="small" style={{ marginBottom: 12 }}>
        <Space wrap>
          <Input.Search
            allowClear
            placeholder={t('shipping.searchPlaceholder')}
            value={keyword}
            onChange={(e) => setKeyword(e.target.value)}
            onSearch={(v) => update({ q: v.trim() || undefined })}
            style={{ width: 220 }}
          />
          <Select
            allowClear
            placeholder={t('shipping.status')}
            style={{ width: 130 }}
            value={filters.status}
            onChange={(v) => update({ status: v })}
            options={SHIPMENT_STATUSES.map((s) => ({ value: s, label: t(`shipping.statuses.${s}`) }))}
          />
          <CustomerSelect allowClear placeholder={t('shipping.customer')} style={{ width: 240 }} value={filters.customerId ? Number(filters.customerId) : undefined} onChange={(v) => update({ customerId: v })} />
          <Select
            allowClear
            placeholder={t('shipping.coldChain')}
            style={{ width: 120 }}
            value={filters.coldChain}
            onChange={(v) => update({ coldChain: v })}
            options={[
              { value: 'true', label: t('shipping.coldChainYes') },
              { value: 'false', label: t('shipping.coldChainNo') },
            ]}
          />
          <DatePicker.RangePicker
            value={[filters.from ? dayjs(filters.from) : null, filters.to ? dayjs(filters.to) : null]}
            onChange={(range) => update({ from: range?.[0]?.format('YYYY-MM-DD'), to: range?.[1]?.format('YYYY-MM-DD') })}
          />
          {filters.orderId && <Tag closable onClose={() => update({ orderId: undefined })}>{t('shipping.orderFilter', { id: filters.orderId })}</Tag>}
          <Button onClick={clear}>{t('common.reset')}</Button>
        </Space>
      </Card>
      <Table<ShipmentRow>
        rowKey="id"
        size="small"
        loading={list.isFetching}
        columns={columns}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 1300 }}
        {...serverTableProps<ShipmentRow>({ page, pageSize, total: list.data?.total ?? 0, update, t })}
      />
      <OrderPickerModal open={picking} onClose={() => setPicking(false)} onPick={(orderId) => navigate(`/shipments/new?orderId=${orderId}`)} />
    </>
  );
}
