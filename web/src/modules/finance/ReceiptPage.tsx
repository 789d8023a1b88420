import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Descriptions, Input, Modal, Popconfirm, Space, Table } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth';
import { PERMISSIONS } from '../../app/permissions';
import { isApiError } from '../../shared/api';
import { formatDate, formatDateTime, formatFen } from '../../shared/format';
import { fenToYuanText, yuanToFen } from '../../shared/money';
import { PageTitle } from '../../shared/PageTitle';
import { INVOICES_KEY, RECEIPTS_KEY, allocateByHand, autoAllocate, getReceipt, listInvoices, unallocate, voidReceipt, type ReceiptDetail } from './finance.api';
import { useFinanceLabels } from './financeLabels';

/** 回款详情: the allocations, auto-allocation, allocation by hand, unallocate and void. */
export default function ReceiptPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const id = Number(useParams().id);
  const { can } = useAuth();
  const labels = useFinanceLabels();
  const client = useQueryClient();
  const query = useQuery({ queryKey: [...RECEIPTS_KEY, id], queryFn: ({ signal }) => getReceipt(id, signal) });
  const r = query.data;
  const [voidOpen, setVoidOpen] = useState(false);
  const [voidReason, setVoidReason] = useState('');
  if (!r) return <PageTitle title={t('o2cPages.receiptPage')} />;
  const canWrite = can(PERMISSIONS.receiptsWrite) && r.status === 'posted';
  const refresh = () => Promise.all([client.invalidateQueries({ queryKey: RECEIPTS_KEY }), client.invalidateQueries({ queryKey: INVOICES_KEY })]);
  const run = async (action: () => Promise<unknown>) => {
    try {
      await action();
      await refresh();
    } catch (error) {
      message.error(isApiError(error) ? error.message : String(error));
    }
  };
  return (
    <>
      <PageTitle
        title={`${t('o2cPages.receiptPage')} ${r.number}`}
        extra={
          canWrite && (
            <Space>
              <Button type="primary" disabled={r.unappliedFen === '0'} onClick={() => run(() => autoAllocate(r.id))} data-testid="auto-allocate">{t('receipts.autoAllocate')}</Button>
              <Button danger disabled={r.allocatedFen !== '0'} onClick={() => setVoidOpen(true)}>{t('receipts.void')}</Button>
            </Space>
          )
        }
      />
      <Card style={{ marginBottom: 16 }}>
        <Descriptions size="small" bordered column={3}>
          <Descriptions.Item label={t('receipts.customer')}><Link to={`/customers/${r.customerId}`}>{r.customerName}</Link></Descriptions.Item>
          <Descriptions.Item label={t('receipts.methodLabel')}>{labels.method(r.method)}</Descriptions.Item>
          <Descriptions.Item label={t('receipts.statusLabel')}>{t(`receipts.status.${r.status}`)}</Descriptions.Item>
          <Descriptions.Item label={t('receipts.receivedOn')}>{formatDate(r.receivedOn)}</Descriptions.Item>
          <Descriptions.Item label={t('receipts.amount')}>{formatFen(r.amountFen)}</Descriptions.Item>
          <Descriptions.Item label={t('receipts.unapplied')}><span data-testid="receipt-unapplied">{formatFen(r.unappliedFen)}</span></Descriptions.Item>
          {r.billNo && <Descriptions.Item label={t('receipts.billNo')}>{r.billNo}</Descriptions.Item>}
          {r.billDueOn && <Descriptions.Item label={t('receipts.billDueOn')}>{formatDate(r.billDueOn)}</Descriptions.Item>}
          <Descriptions.Item label={t('receipts.reference')}>{r.reference ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('receipts.payerName')}>{r.payerName ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('receipts.createdBy')}>{r.createdByName}</Descriptions.Item>
          {r.voidReason && <Descriptions.Item label={t('receipts.voidReason')}>{r.voidReason}</Descriptions.Item>}
        </Descriptions>
      </Card>
      <Card title={t('receipts.allocations')} style={{ marginBottom: 16 }}>
        <Table rowKey="id" size="small" pagination={false} dataSource={r.allocations} columns={[
          { title: t('invoices.number'), key: 'i', render: (_, a) => <Link to={`/invoices/${a.invoiceId}`}>{a.invoiceNumber}</Link> },
          { title: t('receipts.allocated'), key: 'a', align: 'right', render: (_, a) => formatFen(a.amountFen) },
          { title: t('receipts.allocatedBy'), key: 'b', render: (_, a) => `${a.allocatedByName} ${formatDateTime(a.allocatedAt)}` },
          ...(canWrite ? [{ title: t('common.actions'), key: 'x', render: (_: unknown, a: ReceiptDetail['allocations'][number]) => (
            <Popconfirm title={t('receipts.unallocateConfirm')} onConfirm={() => run(() => unallocate(r.id, a.id, null))}><Button size="small">{t('receipts.unallocate')}</Button></Popconfirm>
          ) }] : []),
        ]} />
      </Card>
      {canWrite && r.unappliedFen !== '0' && <ManualAllocation receipt={r} onDone={refresh} />}
      <Modal open={voidOpen} title={t('receipts.void')} onCancel={() => setVoidOpen(false)} onOk={() => run(() => voidReceipt(r.id, { version: r.version, reason: voidReason })).then(() => setVoidOpen(false))}>
        <Input.TextArea placeholder={t('receipts.voidReason')} value={voidReason} onChange={(e) => setVoidReason(e.target.value)} maxLength={500} />
      </Modal>
    </>
  );
}

function ManualAllocation({ receipt, onDone }: { receipt: ReceiptDetail; onDone: () => Promise<unknown> }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const open = useQuery({
    queryKey: [...INVOICES_KEY, 'open', receipt.customerId],
    queryFn: ({ signal }) => listInvoices({ customerId: receipt.customerId, open: true, kind: 'blue', status: 'issued', sort: 'dueOn', pageSize: 200 }, signal),
  });
  const [amounts, setAmounts] = useState<Record<number, string>>({});
  async function save() {
    const allocations: { invoiceId: number; amountFen: string }[] = [];
    for (const [id, text] of Object.entries(amounts)) {
      if (!text.trim()) continue;
      const fen = yuanToFen(text);
      if (!fen || fen === '0') return message.warning(t('receipts.amountInvalid'));
      allocations.push({ invoiceId: Number(id), amountFen: fen });
    }
    if (allocations.length === 0) return;
    try {
      await allocateByHand(receipt.id, { version: receipt.version, allocations });
      setAmounts({});
      await onDone();
    } catch (error) {
      message.error(isApiError(error) ? error.message : String(error));
    }
  }
  return (
    <Card title={t('receipts.byHand')} extra={<Button onClick={save}>{t('receipts.allocate')}</Button>}>
      <Table rowKey="id" size="small" pagination={false} loading={open.isFetching} dataSource={open.data?.items ?? []} columns={[
        { title: t('invoices.number'), key: 'n', render: (_, i) => <Link to={`/invoices/${i.id}`}>{i.number}</Link> },
        { title: t('invoices.taxInvoiceNo'), dataIndex: 'taxInvoiceNo' },
        { title: t('invoices.dueOn'), key: 'd', render: (_, i) => formatDate(i.dueOn) },
        { title: t('invoices.open'), key: 'o', align: 'right', render: (_, i) => formatFen(i.openFen) },
        { title: t('receipts.allocateYuan'), key: 'a', render: (_, i) => <Input style={{ width: 140 }} placeholder={fenToYuanText(i.openFen)} value={amounts[i.id] ?? ''} onChange={(e) => setAmounts((s) => ({ ...s, [i.id]: e.target.value }))} /> },
      ]} />
    </Card>
  );
}
