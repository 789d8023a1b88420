import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Descriptions, Form, Input, InputNumber, Modal, Popconfirm, Space, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth';
import { PERMISSIONS } from '../../app/permissions';
import { isApiError } from '../../shared/api';
import { showFieldErrors } from '../../shared/formErrors';
import { formatDate, formatDateTime, formatFen } from '../../shared/format';
import { PageTitle } from '../../shared/PageTitle';
import { INVOICES_KEY, cancelInvoice, getInvoice, issueInvoice, redInvoice, type InvoiceDetail } from './finance.api';
import { InvoiceKindTag, InvoiceStatusTag, todayText, useFinanceLabels } from './financeLabels';

/** 发票详情: lines, the issue form (tax number and date), cancel, the red-letter action and the allocations. */
export default function InvoicePage() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const { can } = useAuth();
  const labels = useFinanceLabels();
  const query = useQuery({ queryKey: [...INVOICES_KEY, id], queryFn: ({ signal }) => getInvoice(id, signal) });
  const inv = query.data;
  if (!inv) return <PageTitle title={t('o2cPages.invoicePage')} />;
  const canWrite = can(PERMISSIONS.invoicesWrite);
  return (
    <>
      <PageTitle title={`${t('o2cPages.invoicePage')} ${inv.number}`} extra={canWrite && <InvoiceActions inv={inv} />} />
      <Card style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={3} bordered>
          <Descriptions.Item label={t('invoices.kindLabel')}><InvoiceKindTag kind={inv.kind} /></Descriptions.Item>
          <Descriptions.Item label={t('invoices.statusLabel')}><span data-testid="invoice-status"><InvoiceStatusTag status={inv.status} /></span></Descriptions.Item>
          <Descriptions.Item label={t('invoices.typeLabel')}>{labels.type(inv.invoiceType)}</Descriptions.Item>
          <Descriptions.Item label={t('invoices.customer')}><Link to={`/customers/${inv.customerId}`}>{inv.customerName}</Link></Descriptions.Item>
          <Descriptions.Item label={t('invoices.order')}>{inv.orderId ? <Link to={`/orders/${inv.orderId}`}>{inv.orderNumber}</Link> : '—'}</Descriptions.Item>
          <Descriptions.Item label={t('invoices.original')}>{inv.originalInvoiceId ? <Link to={`/invoices/${inv.originalInvoiceId}`}>{inv.originalNumber}</Link> : '—'}</Descriptions.Item>
          <Descriptions.Item label={t('invoices.taxInvoiceCode')}>{inv.taxInvoiceCode ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('invoices.taxInvoiceNo')}>{inv.taxInvoiceNo ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('invoices.issuedOn')}>{formatDate(inv.issuedOn)}</Descriptions.Item>
          <Descriptions.Item label={t('invoices.dueOn')}>{formatDate(inv.dueOn)}</Descriptions.Item>
          <Descriptions.Item label={t('invoices.amount')}><span data-testid="invoice-amount">{formatFen(inv.amountFen)}</span></Descriptions.Item>
          <Descriptions.Item label={t('invoices.tax')}><span data-testid="invoice-tax">{formatFen(inv.taxFen)}</span></Descriptions.Item>
          <Descriptions.Item label={t('invoices.paid')}>{formatFen(inv.paidFen)}</Descriptions.Item>
          <Descriptions.Item label={t('invoices.credited')}>{formatFen(inv.creditedFen)}</Descriptions.Item>
          <Descriptions.Item label={t('invoices.open')}><span data-testid="invoice-open">{formatFen(inv.openFen)}</span></Descriptions.Item>
          {inv.reason && <Descriptions.Item label={t('invoices.reason')} span={3}>{inv.reason}</Descriptions.Item>}
        </Descriptions>
        {inv.invoiceType === 'special' && (
          <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
            {t('invoices.invoiceInfo')}: {[inv.customerInvoiceInfo.invoiceTitle, inv.customerInvoiceInfo.taxNumber, inv.customerInvoiceInfo.bankName, inv.customerInvoiceInfo.bankAccount, inv.customerInvoiceInfo.invoiceAddress, inv.customerInvoiceInfo.invoicePhone].filter(Boolean).join(' / ')}
          </Typography.Paragraph>
        )}
      </Card>
      {inv.status === 'draft' && canWrite && <IssueForm inv={inv} />}
      <Card title={t('invoices.lines')} style={{ marginBottom: 16 }}>
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={inv.lines}
          columns={[
            { title: t('invoices.order'), key: 'o', render: (_, l) => `${l.orderNumber} #${l.lineNo}` },
            { title: t('invoices.product'), key: 'p', render: (_, l) => `${l.productName}${l.spec ? ` ${l.spec}` : ''}` },
            { title: t('invoices.quantity'), dataIndex: 'quantity', align: 'right' },
            { title: t('invoices.unitPrice'), key: 'u', align: 'right', render: (_, l) => formatFen(l.unitPriceFen) },
            { title: t('invoices.amount'), key: 'a', align: 'right', render: (_, l) => formatFen(l.amountFen) },
            { title: t('invoices.vatRate'), key: 'r', align: 'right', render: (_, l) => `${l.vatRateBp / 100}%` },
            { title: t('invoices.tax'), key: 't', align: 'right', render: (_, l) => formatFen(l.taxFen) },
            ...(inv.kind === 'blue' ? [{ title: t('invoices.redQty'), dataIndex: 'redQty', align: 'right' as const }] : []),
          ]}
        />
      </Card>
      {inv.reds.length > 0 && (
        <Card title={t('invoices.reds')} style={{ marginBottom: 16 }}>
          <Table rowKey="id" size="small" pagination={false} dataSource={inv.reds} columns={[
            { title: t('invoices.number'), key: 'n', render: (_, r) => <Link to={`/invoices/${r.id}`}>{r.number}</Link> },
            { title: t('invoices.statusLabel'), key: 's', render: (_, r) => <InvoiceStatusTag status={r.status} /> },
            { title: t('invoices.issuedOn'), key: 'i', render: (_, r) => formatDate(r.issuedOn) },
            { title: t('invoices.amount'), key: 'a', align: 'right', render: (_, r) => formatFen(r.amountFen) },
          ]} />
        </Card>
      )}
      {inv.kind === 'blue' && (
        <Card title={t('invoices.allocations')}>
          <Table rowKey="id" size="small" pagination={false} dataSource={inv.allocations} columns={[
            { title: t('receipts.number'), key: 'r', render: (_, a) => <Link to={`/receipts/${a.receiptId}`}>{a.receiptNumber}</Link> },
            { title: t('receipts.receivedOn'), dataIndex: 'receivedOn' },
            { title: t('receipts.allocated'), key: 'a', align: 'right', render: (_, a) => formatFen(a.amountFen) },
            { title: t('receipts.allocatedBy'), key: 'b', render: (_, a) => `${a.allocatedByName} ${formatDateTime(a.allocatedAt)}` },
          ]} />
        </Card>
      )}
    </>
  );
}

function IssueForm({ inv }: { inv: InvoiceDetail }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  async function submit(values: { taxInvoiceCode?: string; taxInvoiceNo: string; issuedOn: dayjs.Dayjs }) {
    setBusy(true);
    try {
      await issueInvoice(inv.id, { version: inv.version, taxInvoiceCode: values.taxInvoiceCode || null, taxInvoiceNo: values.taxInvoiceNo, issuedOn: values.issuedOn.format('YYYY-MM-DD') });
      message.success(t('invoices.issued'));
      await client.invalidateQueries({ queryKey: INVOICES_KEY });
    } catch (error) {
      if (!showFieldErrors(form, error)) message.error(isApiError(error) ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Card title={t('invoices.issueTitle')} style={{ marginBottom: 16 }}>
      <Form form={form} layout="inline" onFinish={submit} initialValues={{ issuedOn: dayjs(todayText()) }}>
        <Form.Item name="taxInvoiceCode" label={t('invoices.taxInvoiceCode')}><Input style={{ width: 140 }} maxLength={20} /></Form.Item>
        <Form.Item name="taxInvoiceNo" label={t('invoices.taxInvoiceNo')} rules={[{ required: true, whitespace: true }]}><Input style={{ width: 220 }} maxLength={30} autoFocus data-testid="tax-invoice-no" /></Form.Item>
        <Form.Item name="issuedOn" label={t('invoices.issuedOn')} rules={[{ required: true }]}><DatePicker /></Form.Item>
        <Form.Item><Button type="primary" htmlType="submit" loading={busy} data-testid="issue-invoice">{t('invoices.issue')}</Button></Form.Item>
      </Form>
    </Card>
  );
}

function InvoiceActions({ inv }: { inv: InvoiceDetail }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [redOpen, setRedOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [qty, setQty] = useState<Record<number, number>>({});
  const refresh = () => client.invalidateQueries({ queryKey: INVOICES_KEY });
  async function cancel() {
    try {
      await cancelInvoice(inv.id, { version: inv.version });
      await refresh();
    } catch (error) {
      message.error(isApiError(error) ? error.message : String(error));
    }
  }
  async function red() {
    const lines = Object.entries(qty).filter(([, q]) => q > 0).map(([orderLineId, quantity]) => ({ orderLineId: Number(orderLineId), quantity }));
    if (lines.length === 0 || reason.trim().length < 2) return message.warning(t('invoices.redNeedsLines'));
    try {
      const r = await redInvoice(inv.id, { reason, lines });
      setRedOpen(false);
      message.success(t('invoices.drafted', { number: r.number }));
      await refresh();
    } catch (error) {
      message.error(isApiError(error) ? error.message : String(error));
    }
  }
  return (
    <Space>
      {inv.status === 'draft' && (
        <Popconfirm title={t('invoices.cancelConfirm')} onConfirm={cancel}>
          <Button danger>{t('invoices.cancel')}</Button>
        </Popconfirm>
      )}
      {inv.status === 'issued' && inv.kind === 'blue' && <Button onClick={() => setRedOpen(true)}>{t('invoices.red')}</Button>}
      <Modal open={redOpen} title={t('invoices.red')} onCancel={() => setRedOpen(false)} onOk={red} width={720}>
        <Alert type="info" showIcon message={t('invoices.redHelp')} style={{ marginBottom: 12 }} />
        <Table rowKey="orderLineId" size="small" pagination={false} dataSource={inv.lines} columns={[
          { title: t('invoices.product'), key: 'p', render: (_, l) => l.productName },
          { title: t('invoices.quantity'), dataIndex: 'quantity', align: 'right' },
          { title: t('invoices.redQty'), dataIndex: 'redQty', align: 'right' },
          { title: t('invoices.redNow'), key: 'q', render: (_, l) => <InputNumber min={0} max={l.quantity - l.redQty} precision={0} value={qty[l.orderLineId] ?? 0} onChange={(v) => setQty((s) => ({ ...s, [l.orderLineId]: Number(v ?? 0) }))} /> },
        ]} />
        <Input.TextArea style={{ marginTop: 12 }} placeholder={t('invoices.reason')} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />
      </Modal>
    </Space>
  );
}
