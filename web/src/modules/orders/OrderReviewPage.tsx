import { Link } from 'react-router-dom';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Table, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../app/auth';
import { formatDateTime, formatFen } from '../../shared/format';
import { PageTitle } from '../../shared/PageTitle';
import { serverTableProps } from '../../shared/serverTable';
import { readPage, useUrlState } from '../../shared/urlState';
import { OrderFlags } from './OrderListPage';
import { ORDERS_KEY, listOrders, reviewOrder, type Order } from './orders.api';

/**
 * 订单复核: orders waiting for the four-eyes review, oldest submission first, each released in one click —
 * never by whoever entered or submitted it (the button is off for those; the server refuses them anyway).
 */
export default function OrderReviewPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useMe();
  const queryClient = useQueryClient();
  const { params, update } = useUrlState();
  const { page, pageSize } = readPage(params, 50);
  const query = { status: 'pending_review', sort: 'submittedAt', page, pageSize };
  const list = useQuery({ queryKey: [...ORDERS_KEY, 'review', query], queryFn: ({ signal }) => listOrders(query, signal), placeholderData: keepPreviousData });

  async function release(order: Order) {
    try {
      const out = await reviewOrder(order.id, order.version);
      const back = out.lines.reduce((s, l) => s + l.backorderQty, 0);
      message.success(back > 0 ? t('orders.releasedWithBackorder', { number: order.number, count: back }) : t('orders.releasedNumber', { number: order.number }));
    } catch (err) {
      message.error(err instanceof Error ? err.message : String(err));
    } finally {
      await queryClient.invalidateQueries({ queryKey: ORDERS_KEY });
    }
  }

  const columns: TableColumnsType<Order> = [
    { title: t('orders.number'), dataIndex: 'number', key: 'number', width: 160, render: (v: string, r) => <Link to={`/orders/${r.id}`}>{v}</Link> },
    { title: t('orders.submittedAt'), dataIndex: 'submittedAt', key: 'submittedAt', width: 150, render: (v: string | null) => formatDateTime(v) },
    { title: t('orders.customer'), dataIndex: 'customerName', key: 'customerName', width: 220 },
    { title: t('orders.total'), dataIndex: 'totalFen', key: 'totalFen', width: 120, align: 'right', render: (v: string) => formatFen(v) },
    { title: t('orders.flags'), key: 'flags', width: 160, render: (_, r) => <OrderFlags order={r} /> },
    { title: t('orders.enteredBy'), dataIndex: 'enteredByName', key: 'enteredByName', width: 90 },
    { title: t('orders.submittedBy'), dataIndex: 'submittedByName', key: 'submittedByName', width: 90 },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 130,
      render: (_, r) => {
        const own = r.enteredBy === me.id || r.submittedBy === me.id;
        return own ? (
          <Tooltip title={t('orders.reviewOwnHint')}>
            <Typography.Text type="secondary">{t('orders.ownOrder')}</Typography.Text>
          </Tooltip>
        ) : (
          <Button type="primary" size="small" onClick={() => release(r)} data-testid={`order-review-${r.id}`}>
            {t('orders.review')}
          </Button>
        );
      },
    },
  ];

  return (
    <>
      <PageTitle title={t('o2cPages.orderReviewPage')} />
      <Card>
        <Table<Order>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.data?.items}
          loading={list.isFetching}
          scroll={{ x: 1100 }}
          locale={list.isError ? { emptyText: list.error.message } : undefined}
          {...serverTableProps<Order>({ page, pageSize, total: list.data?.total ?? 0, update, t })}
        />
      </Card>
    </>
  );
}
