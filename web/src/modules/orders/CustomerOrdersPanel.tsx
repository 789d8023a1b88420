import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Space, Table, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth';
import { PERMISSIONS } from '../../app/permissions';
import { formatFen } from '../../shared/format';
import { OrderFlags, OrderStatusTag } from './OrderListPage';
import { ORDERS_KEY, listOrders, type Order, type OrderStatus } from './orders.api';

/** Customer 360° tab: the customer's orders, newest first, with a link to the full list filtered on it. */
export function CustomerOrdersPanel({ customerId }: { customerId: number }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [page, setPage] = useState(1);
  const query = { customerId, page, pageSize: 10, sort: '-orderDate' };
  const list = useQuery({ queryKey: [...ORDERS_KEY, 'customer', query], queryFn: ({ signal }) => listOrders(query, signal), placeholderData: keepPreviousData });
  const columns: TableColumnsType<Order> = [
    { title: t('orders.number'), dataIndex: 'number', key: 'number', render: (v: string, r) => <Link to={`/orders/${r.id}`}>{v}</Link> },
    { title: t('orders.orderDate'), dataIndex: 'orderDate', key: 'orderDate' },
    { title: t('orders.total'), dataIndex: 'totalFen', key: 'totalFen', align: 'right', render: (v: string) => formatFen(v) },
    { title: t('orders.status'), dataIndex: 'status', key: 'status', render: (s: OrderStatus) => <OrderStatusTag status={s} /> },
    { title: t('orders.flags'), key: 'flags', render: (_, r) => <OrderFlags order={r} /> },
    { title: t('orders.owner'), dataIndex: 'ownerName', key: 'ownerName', render: (v: string | null) => v ?? '—' },
  ];
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Link to={`/orders?customerId=${customerId}`}>{t('orders.allOfCustomer')}</Link>
        {can(PERMISSIONS.ordersWrite) && (
          <Button size="small" icon={<PlusOutlined />} onClick={() => navigate(`/orders/new?customerId=${customerId}`)}>
            {t('orders.create')}
          </Button>
        )}
      </Space>
      <Table<Order>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={list.data?.items}
        loading={list.isFetching}
        pagination={{ current: page, pageSize: 10, total: list.data?.total ?? 0, onChange: setPage, showTotal: (n) => t('common.total', { total: n }) }}
        data-testid="customer-orders"
      />
    </>
  );
}
