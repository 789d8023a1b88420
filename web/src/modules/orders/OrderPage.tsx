import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Descriptions, Input, Modal, Result, Row, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { CheckCircleTwoTone, ClockCircleTwoTone, MinusCircleTwoTone } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useAuth, useMe } from '../../app/auth';
import { PERMISSIONS } from '../../app/permissions';
import { isApiError } from '../../shared/api';
import { formatDateTime, formatFen } from '../../shared/format';
import { PageTitle } from '../../shared/PageTitle';
import { DocumentTimeline } from '../documents/DocumentTimeline';
import { OrderFlags, OrderStatusTag } from './OrderListPage';
import {
  DOC_TYPE,
  ORDERS_KEY,
  cancelOrder,
  closeBackorder,
  getOrder,
  getOrderChain,
  reserveAgain,
  reviewOrder,
  submitOrder,
  type Indicator,
  type OrderChain,
  type OrderLine,
  type Reservation,
} from './orders.api';

function IndicatorCard({ label, indicator, testId }: { label: string; indicator: Indicator; testId: string }) {
  const { t } = useTranslation();
  const icon =
    indicator.state === 'fully' ? <CheckCircleTwoTone twoToneColor="#52c41a" /> : indicator.state === 'partly' ? <ClockCircleTwoTone twoToneColor="#faad14" /> : <MinusCircleTwoTone twoToneColor="#bfbfbf" />;
  return (
    <Card size="small" data-testid={testId} data-state={indicator.state}>
      <Space align="start">
        <span style={{ fontSize: 28 }}>{icon}</span>
        <div>
          <Typography.Text strong>{label}</Typography.Text>{' '}
          <Tag color={indicator.state === 'fully' ? 'success' : indicator.state === 'partly' ? 'warning' : 'default'}>{t(`orders.progress.${indicator.state}`)}</Tag>
          <div>
            {formatFen(indicator.amountFen)} / {formatFen(indicator.ofFen)}
          </div>
        </div>
      </Space>
    </Card>
  );
}

function ChainTables({ chain }: { chain: OrderChain }) {
  const { t } = useTranslation();
  return (
    <Card title={t('orders.chain.title')} style={{ marginTop: 16 }} data-testid="order-chain">
      <Typography.Title level={5}>{t('orders.chain.shipments')}</Typography.Title>
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={chain.shipments}
        columns={[
          { title: t('orders.chain.number'), dataIndex: 'number', render: (v: string, r) => <Link to={`/shipments/${r.id}`}>{v}</Link> },
          { title: t('orders.status'), dataIndex: 'status', render: (v: string) => t(`orders.chain.shipmentStatuses.${v}`, { defaultValue: v }) },
          { title: t('orders.chain.warehouse'), dataIndex: 'warehouseName' },
          { title: t('orders.chain.quantity'), dataIndex: 'quantity', align: 'right' },
          { title: t('orders.chain.dispatchedOn'), dataIndex: 'dispatchedOn', render: (v: string | null) => v ?? '—' },
          { title: t('orders.chain.carrier'), key: 'carrier', render: (_, r) => [r.carrier, r.trackingNo].filter(Boolean).join(' ') || '—' },
          { title: t('orders.chain.deliveredAt'), dataIndex: 'deliveredAt', render: (v: string | null) => (v ? formatDateTime(v) : '—') },
        ]}
      />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('orders.chain.invoices')}
      </Typography.Title>
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={chain.invoices}
        columns={[
          { title: t('orders.chain.number'), dataIndex: 'number', render: (v: string, r) => <Link to={`/invoices/${r.id}`}>{v}</Link> },
          { title: t('orders.chain.kind'), dataIndex: 'kind', render: (v: string) => (v === 'red' ? <Tag color="red">{t('orders.chain.red')}</Tag> : <Tag color="blue">{t('orders.chain.blue')}</Tag>) },
          { title: t('orders.status'), dataIndex: 'status', render: (v: string) => t(`orders.chain.invoiceStatuses.${v}`, { defaultValue: v }) },
          { title: t('orders.chain.taxInvoiceNo'), dataIndex: 'taxInvoiceNo', render: (v: string | null) => v ?? '—' },
          { title: t('orders.chain.issuedOn'), dataIndex: 'issuedOn', render: (v: string | null) => v ?? '—' },
          { title: t('orders.chain.dueOn'), dataIndex: 'dueOn', render: (v: string | null) => v ?? '—' },
          { title: t('orders.chain.amount'), dataIndex: 'amountFen', align: 'right', render: (v: string) => formatFen(v) },
          { title: t('orders.chain.paid'), dataIndex: 'paidFen', align: 'right', render: (v: string) => formatFen(v) },
        ]}
      />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('orders.chain.receipts')}
      </Typography.Title>
      <Table
        rowKey="allocationId"
        size="small"
        pagination={false}
        dataSource={chain.receipts}
        columns={[
          { title: t('orders.chain.number'), dataIndex: 'number', render: (v: string, r) => <Link to={`/receipts/${r.receiptId}`}>{v}</Link> },
          { title: t('orders.chain.receivedOn'), dataIndex: 'receivedOn' },
          { title: t('orders.chain.method'), dataIndex: 'method', render: (v: string) => t(`orders.chain.methods.${v}`, { defaultValue: v }) },
          { title: t('orders.chain.forInvoice'), dataIndex: 'invoiceNumber', render: (v: string, r) => <Link to={`/invoices/${r.invoiceId}`}>{v}</Link> },
          { title: t('orders.chain.allocated'), dataIndex: 'amountFen', align: 'right', render: (v: string) => formatFen(v) },
        ]}
      />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('orders.chain.returns')}
      </Typography.Title>
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={chain.returns}
        columns={[
          { title: t('orders.chain.number'), dataIndex: 'number', render: (v: string, r) => <Link to={`/returns/${r.id}`}>{v}</Link> },
          { title: t('orders.status'), dataIndex: 'status', render: (v: string) => t(`orders.chain.returnStatuses.${v}`, { defaultValue: v }) },
          { title: t('orders.chain.reason'), dataIndex: 'reason', render: (v: string) => t(`orders.chain.returnReasons.${v}`, { defaultValue: v }) },
          { title: t('orders.chain.quantity'), dataIndex: 'quantity', align: 'right' },
          { title: t('orders.chain.createdAt'), dataIndex: 'createdAt', render: (v: string) => formatDateTime(v) },
        ]}
      />
    </Card>
  );
}

type ReasonAction = 'cancel' | 'close';

/** 订单详情: header, checks' findings, lines with their running quantities, reservations, the chain, approvals and timeline. */
export default function OrderPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const me = useMe();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const id = Number(useParams().id);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reasonFor, setReasonFor] = useState<ReasonAction | null>(null);
  const [reason, setReason] = useState('');

  const order = useQuery({ queryKey: [...ORDERS_KEY, id], queryFn: ({ signal }) => getOrder(id, signal), enabled: Number.isInteger(id) });
  const chain = useQuery({ queryKey: [...ORDERS_KEY, id, 'chain'], queryFn: ({ signal }) => getOrderChain(id, signal), enabled: Number.isInteger(id) });

  if (order.isLoading) return <Skeleton active />;
  if (order.isError || !order.data) {
    return <Result status={isApiError(order.error, 'NOT_FOUND') ? '404' : 'error'} title={order.error?.message ?? t('errors.notFoundPage')} />;
  }
  const doc = order.data;
  const writer = can(PERMISSIONS.ordersWrite);
  const nothingShipped = doc.lines.every((l) => l.shippedQty === 0);
  const backordered = doc.lines.some((l) => l.backorderQty > 0);

  async function act(name: string, run: () => Promise<unknown>, done?: string) {
    setBusy(name);
    setError(null);
    try {
      await run();
      if (done) message.success(done);
      await queryClient.invalidateQueries({ queryKey: ORDERS_KEY });
      await queryClient.invalidateQueries({ queryKey: ['documents'] });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      await queryClient.invalidateQueries({ queryKey: [...ORDERS_KEY, id] });
    } finally {
      setBusy(null);
    }
  }

  const actions = (
    <Space wrap>
      {writer && doc.status === 'draft' && (
        <>
          <Button onClick={() => navigate(`/orders/${doc.id}/edit`)} data-testid="order-edit">
            {t('common.edit')}
          </Button>
          <Button
            type="primary"
            loading={busy === 'submit'}
            onClick={() =>
              act('submit', async () => {
                const out = await submitOrder(doc.id, doc.version);
                message.info(out.approvalStarted ? t('orders.submittedToApproval') : t('orders.submittedToReview'));
              })
            }
            data-testid="order-submit"
          >
            {t('orders.submit')}
          </Button>
        </>
      )}
      {doc.mayReview && (
        <Button type="primary" loading={busy === 'review'} onClick={() => act('review', () => reviewOrder(doc.id, doc.version), t('orders.released'))} data-testid="order-review">
          {t('orders.review')}
        </Button>
      )}
      {doc.status === 'pending_review' && can(PERMISSIONS.ordersReview) && !doc.mayReview && (
        <Typography.Text type="secondary" data-testid="order-review-own">
          {t('orders.reviewOwnHint')}
        </Typography.Text>
      )}
      {writer && backordered && (doc.status === 'released' || doc.status === 'partially_shipped') && (
        <Button
          loading={busy === 'reserve'}
          onClick={() => act('reserve', async () => message.info(t('orders.reservedNow', { count: (await reserveAgain(doc.id, doc.version)).reservedNow })))}
          data-testid="order-reserve"
        >
          {t('orders.reserveAgain')}
        </Button>
      )}
      {writer && doc.status === 'partially_shipped' && (
        <Button onClick={() => setReasonFor('close')} data-testid="order-close-backorder">
          {t('orders.closeBackorder')}
        </Button>
      )}
      {writer && ['draft', 'pending_approval', 'pending_review', 'released'].includes(doc.status) && nothingShipped && (
        <Button danger onClick={() => setReasonFor('cancel')} data-testid="order-cancel">
          {t('orders.cancel')}
        </Button>
      )}
    </Space>
  );

  const lineColumns = [
    { title: '#', dataIndex: 'lineNo', key: 'lineNo', width: 40 },
    {
      title: t('orders.product'),
      key: 'product',
      render: (_: unknown, l: OrderLine) => (
        <span>
          <Link to={`/products/${l.productId}`}>{l.productName}</Link> {l.specification} {l.coldChain && <Tag color="blue">{t('orders.coldChain')}</Tag>}
          <div>
            <Typography.Text type="secondary">{l.manufacturer}</Typography.Text>
          </div>
        </span>
      ),
    },
    { title: t('orders.quantity'), dataIndex: 'quantity', key: 'quantity', align: 'right' as const },
    {
      title: t('orders.unitPrice'),
      key: 'price',
      align: 'right' as const,
      render: (_: unknown, l: OrderLine) => (
        <span>
          {formatFen(l.unitPriceFen)}
          {l.listPriceFen !== l.unitPriceFen && (
            <div>
              <Typography.Text type="warning">
                {t('orders.listPrice')} {l.listPriceFen ? formatFen(l.listPriceFen) : '—'}
                {l.priceOverrideReason ? ` · ${l.priceOverrideReason}` : ''}
              </Typography.Text>
            </div>
          )}
        </span>
      ),
    },
    { title: t('orders.discount'), dataIndex: 'discountFen', key: 'discount', align: 'right' as const, render: (v: string) => (v === '0' ? '—' : formatFen(v)) },
    { title: t('orders.amount'), dataIndex: 'amountFen', key: 'amount', align: 'right' as const, render: (v: string) => formatFen(v) },
    { title: t('orders.vat'), dataIndex: 'vatRateBp', key: 'vat', align: 'right' as const, render: (v: number) => `${v / 100}%` },
    { title: t('orders.reserved'), dataIndex: 'reservedQty', key: 'reserved', align: 'right' as const, render: (v: number) => <span data-testid="line-reserved">{v}</span> },
    { title: t('orders.shipped'), dataIndex: 'shippedQty', key: 'shipped', align: 'right' as const },
    { title: t('orders.returned'), dataIndex: 'returnedQty', key: 'returned', align: 'right' as const },
    { title: t('orders.invoiced'), dataIndex: 'invoicedQty', key: 'invoiced', align: 'right' as const },
    {
      title: t('orders.backorder'),
      key: 'backorder',
      align: 'right' as const,
      render: (_: unknown, l: OrderLine) => (
        <span>
          {l.backorderQty > 0 && ['released', 'partially_shipped'].includes(doc.status) ? <Tag color="gold">{l.backorderQty}</Tag> : l.backorderQty || '—'}
          {l.closedQty > 0 && <div>{t('orders.closedQty', { count: l.closedQty })}</div>}
        </span>
      ),
    },
  ];

  return (
    <>
      <PageTitle title={`${t('o2cPages.orderPage')} ${doc.number}`} extra={actions} />
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="order-error" />}
      {doc.status === 'cancelled' && <Alert type="warning" showIcon title={t('orders.cancelledBecause', { reason: doc.cancelReason })} style={{ marginBottom: 16 }} />}
      {chain.data && (
        <Row gutter={12} style={{ marginBottom: 16 }} data-testid="order-indicators">
          <Col xs={24} md={8}>
            <IndicatorCard label={t('orders.indicators.shipped')} indicator={chain.data.indicators.shipped} testId="indicator-shipped" />
          </Col>
          <Col xs={24} md={8}>
            <IndicatorCard label={t('orders.indicators.invoiced')} indicator={chain.data.indicators.invoiced} testId="indicator-invoiced" />
          </Col>
          <Col xs={24} md={8}>
            <IndicatorCard label={t('orders.indicators.paid')} indicator={chain.data.indicators.paid} testId="indicator-paid" />
          </Col>
        </Row>
      )}
      {doc.problems.length > 0 && (
        <Alert
          type={doc.abnormal ? 'error' : 'warning'}
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="order-problems"
          title={doc.abnormal ? t('orders.problemsAbnormal') : t('orders.problemsShortageOnly')}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 18 }}>
              {doc.problems.map((p, i) => (
                <li key={i} data-testid={`order-problem-${p.code}`}>
                  {p.message}
                </li>
              ))}
            </ul>
          }
        />
      )}
      <Card>
        <Descriptions column={{ xs: 1, md: 2, xl: 3 }} bordered size="small" data-testid="order-details">
          <Descriptions.Item label={t('orders.status')}>
            <Space>
              <OrderStatusTag status={doc.status} />
              <OrderFlags order={doc} />
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t('orders.customer')}>
            <Link to={`/customers/${doc.customerId}`}>{doc.customerName}</Link>（{doc.customerCode}）
          </Descriptions.Item>
          <Descriptions.Item label={t('orders.total')}>
            <Typography.Text strong data-testid="order-total">
              {formatFen(doc.totalFen)}
            </Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('orders.orderDate')}>{doc.orderDate}</Descriptions.Item>
          <Descriptions.Item label={t('orders.requestedDeliveryOn')}>{doc.requestedDeliveryOn ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('orders.channel')}>{t(`orders.channels.${doc.channel}`)}</Descriptions.Item>
          <Descriptions.Item label={t('orders.owner')}>{doc.ownerName ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('orders.enteredBy')}>{doc.enteredByName}</Descriptions.Item>
          <Descriptions.Item label={t('orders.submittedBy')}>{doc.submittedByName ? `${doc.submittedByName} ${formatDateTime(doc.submittedAt)}` : '—'}</Descriptions.Item>
          <Descriptions.Item label={t('orders.reviewedBy')}>{doc.reviewedByName ? `${doc.reviewedByName} ${formatDateTime(doc.reviewedAt)}` : '—'}</Descriptions.Item>
          <Descriptions.Item label={t('orders.customerPoNumber')}>{doc.customerPoNumber ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('orders.allowBatchSplit')}>{doc.allowBatchSplit ? t('orders.yes') : t('orders.no')}</Descriptions.Item>
          <Descriptions.Item label={t('orders.shipTo')} span={{ xs: 1, md: 2, xl: 3 }}>
            {[doc.shipToAddress, doc.shipToContact, doc.shipToPhone].filter(Boolean).join(' · ') || '—'}
          </Descriptions.Item>
          {(doc.packagingNote || doc.deliveryNote || doc.notes) && (
            <Descriptions.Item label={t('orders.requirements')} span={{ xs: 1, md: 2, xl: 3 }}>
              {[doc.packagingNote, doc.deliveryNote, doc.notes].filter(Boolean).join('；')}
            </Descriptions.Item>
          )}
          {doc.credit && (
            <Descriptions.Item label={t('orders.credit.title')} span={{ xs: 1, md: 2, xl: 3 }}>
              {t('orders.credit.summary', {
                limit: formatFen(doc.credit.limitFen),
                exposure: formatFen(doc.credit.exposureFen),
                available: formatFen(doc.credit.availableFen),
                overdue: formatFen(doc.credit.overdueFen),
              })}
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      <Card title={t('orders.lines')} style={{ marginTop: 16 }}>
        <Table<OrderLine> rowKey="id" size="small" pagination={false} dataSource={doc.lines} columns={lineColumns} scroll={{ x: 1100 }} data-testid="order-lines" />
      </Card>
      <Card title={t('orders.reservations')} style={{ marginTop: 16 }} data-testid="order-reservations">
        <Table<Reservation>
          rowKey={(r) => `${r.orderLineId}-${r.warehouseId}-${r.batchId}`}
          size="small"
          pagination={false}
          dataSource={doc.reservations}
          locale={{ emptyText: t('orders.noReservations') }}
          columns={[
            { title: '#', dataIndex: 'lineNo', width: 40 },
            { title: t('orders.product'), dataIndex: 'productName' },
            { title: t('orders.warehouse'), dataIndex: 'warehouseName' },
            { title: t('orders.batchNo'), dataIndex: 'batchNo', render: (v: string) => <span data-testid="reservation-batch">{v}</span> },
            { title: t('orders.expiresOn'), dataIndex: 'expiresOn' },
            { title: t('orders.quantity'), dataIndex: 'quantity', align: 'right' },
          ]}
        />
      </Card>
      {chain.data && <ChainTables chain={chain.data} />}
      <DocumentTimeline docType={DOC_TYPE} docId={doc.id} />
      <Modal
        open={reasonFor !== null}
        title={reasonFor === 'close' ? t('orders.closeBackorderTitle', { number: doc.number }) : t('orders.cancelTitle', { number: doc.number })}
        okButtonProps={{ danger: reasonFor === 'cancel', disabled: !reason.trim(), loading: busy === 'reason' }}
        onCancel={() => setReasonFor(null)}
        onOk={async () => {
          const what = reasonFor;
          await act('reason', () => (what === 'close' ? closeBackorder(doc.id, doc.version, reason.trim()) : cancelOrder(doc.id, doc.version, reason.trim())));
          setReasonFor(null);
          setReason('');
        }}
      >
        <Input.TextArea autoFocus rows={3} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} placeholder={t('orders.reasonPlaceholder')} data-testid="order-reason" />
      </Modal>
      {me.id === doc.enteredBy && doc.status === 'draft' && <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>{t('orders.draftHint')}</Typography.Paragraph>}
    </>
  );
}
