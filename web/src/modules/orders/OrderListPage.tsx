import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Input, Select, Space, Table, Tag, Tooltip, type TableColumnsType } from 'antd';
import { DownloadOutlined, PlusOutlined, ReloadOutlined, WarningOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth';
import { PERMISSIONS } from '../../app/permissions';
import { downloadFile } from '../../shared/api';
import { CustomerSelect } from '../../shared/CustomerSelect';
import { formatFen } from '../../shared/format';
import { PageTitle } from '../../shared/PageTitle';
import { serverTableProps } from '../../shared/serverTable';
import { UserSelect } from '../../shared/UserSelect';
import { parseSort, readPage, useUrlState } from '../../shared/urlState';
import { ORDER_STATUSES, ORDER_URGENCIES, ORDERS_KEY, STATUS_COLORS, listOrders, orderListQuery, readOrderFilters, type Order, type OrderStatus } from './orders.api';

export function OrderStatusTag({ status }: { status: OrderStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLORS[status]} data-testid="order-status">
      {t(`orders.statuses.${status}`)}
    </Tag>
  );
}

/** 异常 (needs approval) and 缺货 (back-order) flags of an order, with the findings on hover. */
export function OrderFlags({ order }: { order: Pick<Order, 'abnormal' | 'shortage' | 'problems' | 'urgency'> }) {
  const { t } = useTranslation();
  const text = order.problems.map((p) => p.message).join('\n');
  return (
    <Space size={2} wrap>
      {order.urgency === 'urgent' && <Tag color="red">{t('orders.urgencies.urgent')}</Tag>}
      {order.abnormal && (
        <Tooltip title={<span style={{ whiteSpace: 'pre-line' }}>{text}</span>}>
          <Tag color="volcano" icon={<WarningOutlined />} data-testid="order-abnormal">
            {t('orders.abnormal')}
          </Tag>
        </Tooltip>
      )}
      {order.shortage && <Tag color="gold">{t('orders.shortage')}</Tag>}
    </Space>
  );
}

/** 订单: the orders of customers in my scope; filters, paging and sort in the URL; Excel export. */
export default function OrderListPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const navigate = useNavigate();
  const { params, update, clear } = useUrlState();
  const filters = readOrderFilters(params);
  const { page, pageSize } = readPage(params);
  const sort = parseSort(filters.sort);
  const query = orderListQuery(params);
  const [keyword, setKeyword] = useState(filters.q ?? '');
  useEffect(() => setKeyword(filters.q ?? ''), [filters.q]);

  const list = useQuery({ queryKey: [...ORDERS_KEY, 'list', query], queryFn: ({ signal }) => listOrders(query, signal), placeholderData: keepPreviousData });
  const sortable = (field: string) => ({ sorter: true, sortOrder: sort.field === field ? sort.order : null });

  const columns: TableColumnsType<Order> = [
    {
      title: t('orders.number'),
      dataIndex: 'number',
      key: 'number',
      width: 160,
      ...sortable('number'),
      render: (number: string, row) => (
        <Link to={`/orders/${row.id}`} data-testid={`order-link-${row.id}`}>
          {number}
        </Link>
      ),
    },
    { title: t('orders.orderDate'), dataIndex: 'orderDate', key: 'orderDate', width: 110, ...sortable('orderDate') },
    {
      title: t('orders.customer'),
      dataIndex: 'customerName',
      key: 'customerName',
      width: 220,
      render: (name: string, row) => <Link to={`/customers/${row.customerId}`}>{name}</Link>,
    },
    { title: t('orders.owner'), dataIndex: 'ownerName', key: 'ownerName', width: 90, render: (v: string | null) => v ?? '—' },
    { title: t('orders.total'), dataIndex: 'totalFen', key: 'totalFen', width: 130, align: 'right', ...sortable('totalFen'), render: (v: string) => formatFen(v) },
    { title: t('orders.status'), dataIndex: 'status', key: 'status', width: 100, ...sortable('status'), render: (s: OrderStatus) => <OrderStatusTag status={s} /> },
    { title: t('orders.flags'), key: 'flags', width: 170, render: (_, row) => <OrderFlags order={row} /> },
    { title: t('orders.requestedDeliveryOn'), dataIndex: 'requestedDeliveryOn', key: 'requestedDeliveryOn', width: 110, ...sortable('requestedDeliveryOn'), render: (v: string | null) => v ?? '—' },
    { title: t('orders.enteredBy'), dataIndex: 'enteredByName', key: 'enteredByName', width: 90 },
  ];

  async function exportList() {
    try {
      const { page: _p, pageSize: _s, ...rest } = query;
      await downloadFile('/orders/export', rest, 'orders.xlsx');
    } catch (err) {
      message.error(err instanceof Error ? err.message : String(err));
    }
  }

  return (
    <>
      <PageTitle
        title={t('o2cPages.orderListPage')}
        extra={
          <Space>
            <Button icon={<DownloadOutlined />} onClick={exportList} data-testid="orders-export">
              {t('common.export')}
            </Button>
            {can(PERMISSIONS.ordersWrite) && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/orders/new')} data-testid="orders-create">
                {t('orders.create')}
              </Button>
            )}
          </Space>
        }
      />
      <Card>
        <Space wrap className="rx-filters" size={[12, 12]}>
          <Input.Search
            allowClear
            style={{ width: 240 }}
            placeholder={t('orders.keywordPlaceholder')}
            value={keyword}
            onChange={(e) => {
              setKeyword(e.target.value);
              if (!e.target.value) update({ q: undefined });
            }}
            onSearch={(value) => update({ q: value.trim() || undefined })}
            data-testid="orders-filter-q"
          />
          <Select<OrderStatus[]>
            mode="multiple"
            allowClear
            style={{ minWidth: 180 }}
            placeholder={t('orders.filterStatus')}
            value={filters.status ? (filters.status.split(',') as OrderStatus[]) : []}
            onChange={(value) => update({ status: value.join(',') || undefined })}
            options={ORDER_STATUSES.map((s) => ({ value: s, label: t(`orders.statuses.${s}`) }))}
            data-testid="orders-filter-status"
          />
          <CustomerSelect style={{ width: 220 }} placeholder={t('orders.filterCustomer')} value={filters.customerId} onChange={(v) => update({ customerId: v })} />
          <UserSelect style={{ width: 140 }} placeholder={t('orders.filterOwner')} value={filters.ownerId} onChange={(v: number | undefined) => update({ ownerId: v })} />
          <DatePicker.RangePicker
            value={[filters.from ? dayjs(filters.from) : null, filters.to ? dayjs(filters.to) : null]}
            onChange={(range) => update({ from: range?.[0]?.format('YYYY-MM-DD'), to: range?.[1]?.format('YYYY-MM-DD') })}
            allowEmpty={[true, true]}
          />
          <Select
            allowClear
            style={{ width: 110 }}
            placeholder={t('orders.urgency')}
            value={filters.urgency}
            onChange={(v) => update({ urgency: v })}
            options={ORDER_URGENCIES.map((u) => ({ value: u, label: t(`orders.urgencies.${u}`) }))}
          />
          <Select
            allowClear
            style={{ width: 130 }}
            placeholder={t('orders.abnormal')}
            value={filters.abnormal === undefined ? undefined : String(filters.abnormal)}
            onChange={(v) => update({ abnormal: v })}
            options={[
              { value: 'true', label: t('orders.abnormalOnly') },
              { value: 'false', label: t('orders.normalOnly') },
            ]}
            data-testid="orders-filter-abnormal"
          />
          <Button icon={<ReloadOutlined />} onClick={clear}>
            {t('common.reset')}
          </Button>
        </Space>
        <Table<Order>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.data?.items}
          loading={list.isFetching}
          scroll={{ x: 1250 }}
          locale={list.isError ? { emptyText: list.error.message } : undefined}
          {...serverTableProps<Order>({ page, pageSize, total: list.data?.total ?? 0, update, t })}
        />
      </Card>
    </>
  );
}
