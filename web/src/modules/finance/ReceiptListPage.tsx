import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { App, Button, Card, Checkbox, DatePicker, Drawer, Form, Input, Select, Space, Table, type TableColumnsType } from 'antd';
import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { Link, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth';
import { PERMISSIONS } from '../../app/permissions';
import { downloadFile, isApiError } from '../../shared/api';
import { CustomerSelect } from '../../shared/CustomerSelect';
import { showFieldErrors } from '../../shared/formErrors';
import { formatFen } from '../../shared/format';
import { yuanToFen } from '../../shared/money';
import { PageTitle } from '../../shared/PageTitle';
import { serverTableProps } from '../../shared/serverTable';
import { parseSort, readInt, readPage, useUrlState } from '../../shared/urlState';
import { RECEIPT_METHODS, RECEIPTS_KEY, listReceipts, recordReceipt, type ReceiptMethod, type ReceiptRow } from './finance.api';
import { todayText, useFinanceLabels } from './financeLabels';

/** 回款: the list (filters in the URL, unapplied filter, export) and the form to record money received. */
export default function ReceiptListPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const labels = useFinanceLabels();
  const { params, update } = useUrlState();
  const { page, pageSize } = readPage(params);
  const filters = {
    status: params.get('status') ?? undefined,
    method: params.get('method') ?? undefined,
    customerId: readInt(params, 'customerId'),
    from: params.get('from') ?? undefined,
    to: params.get('to') ?? undefined,
    unapplied: params.get('unapplied') === 'true' || undefined,
    q: params.get('q') ?? undefined,
    sort: params.get('sort') ?? undefined,
  };
  const sort = parseSort(filters.sort);
  const query = { ...filters, page, pageSize };
  const list = useQuery({ queryKey: [...RECEIPTS_KEY, 'list', query], queryFn: ({ signal }) => listReceipts(query, signal), placeholderData: keepPreviousData });
  const [recording, setRecording] = useState(params.get('new') === '1');
  const sortable = (field: string) => ({ sorter: true, sortOrder: sort.field === field ? sort.order : null });
  const columns: TableColumnsType<ReceiptRow> = [
    { title: t('receipts.number'), key: 'number', ...sortable('number'), render: (_, r) => <Link to={`/receipts/${r.id}`}>{r.number}</Link> },
    { title: t('receipts.customer'), key: 'c', render: (_, r) => <Link to={`/customers/${r.customerId}`}>{r.customerName}</Link> },
    { title: t('receipts.methodLabel'), key: 'm', render: (_, r) => labels.method(r.method) },
    { title: t('receipts.receivedOn'), dataIndex: 'receivedOn', key: 'receivedOn', ...sortable('receivedOn') },
    { title: t('receipts.amount'), key: 'amountFen', ...sortable('amountFen'), align: 'right', render: (_, r) => formatFen(r.amountFen) },
    { title: t('receipts.allocated'), key: 'a', align: 'right', render: (_, r) => formatFen(r.allocatedFen) },
    { title: t('receipts.unapplied'), key: 'u', align: 'right', render: (_, r) => formatFen(r.unappliedFen) },
    { title: t('receipts.billNo'), key: 'b', render: (_, r) => r.billNo ?? r.reference ?? '' },
    { title: t('receipts.statusLabel'), key: 's', render: (_, r) => t(`receipts.status.${r.status}`) },
  ];
  async function exportList() {
    try {
      await downloadFile('/receipts/export', { ...filters }, `${t('receipts.exportFileName')}.xlsx`);
    } catch (error) {
      message.error(error instanceof Error ? error.message : String(error));
    }
  }
  return (
    <>
      <PageTitle
        title={t('o2cPages.receiptListPage')}
        extra={can(PERMISSIONS.receiptsWrite) && <Button type="primary" icon={<PlusOutlined />} onClick={() => setRecording(true)} data-testid="new-receipt">{t('receipts.record')}</Button>}
      />
      <Card>
        <Space wrap style={{ marginBottom: 12 }}>
          <Input.Search allowClear placeholder={t('receipts.searchPlaceholder')} defaultValue={filters.q} onSearch={(q) => update({ q })} style={{ width: 220 }} />
          <CustomerSelect value={filters.customerId} onChange={(customerId) => update({ customerId })} style={{ width: 260 }} />
          <Select allowClear placeholder={t('receipts.methodLabel')} value={filters.method} onChange={(method) => update({ method })} style={{ width: 130 }} options={RECEIPT_METHODS.map((m) => ({ value: m, label: labels.method(m) }))} />
          <Select allowClear placeholder={t('receipts.statusLabel')} value={filters.status} onChange={(status) => update({ status })} style={{ width: 110 }} options={['posted', 'voided'].map((s) => ({ value: s, label: t(`receipts.status.${s}`) }))} />
          <DatePicker.RangePicker
            value={filters.from && filters.to ? [dayjs(filters.from), dayjs(filters.to)] : null}
            onChange={(range) => update({ from: range?.[0]?.format('YYYY-MM-DD'), to: range?.[1]?.format('YYYY-MM-DD') })}
          />
          <Checkbox checked={!!filters.unapplied} onChange={(e) => update({ unapplied: e.target.checked || undefined })}>{t('receipts.unappliedOnly')}</Checkbox>
          <Button icon={<DownloadOutlined />} onClick={exportList}>{t('common.export')}</Button>
        </Space>
        <Table<ReceiptRow> rowKey="id" size="small" loading={list.isFetching} columns={columns} dataSource={list.data?.items ?? []} {...serverTableProps<ReceiptRow>({ page, pageSize, total: list.data?.total ?? 0, update, t })} />
      </Card>
      <RecordReceiptDrawer open={recording} onClose={() => setRecording(false)} customerId={filters.customerId} />
    </>
  );
}

type FormValues = { customerId: number; method: ReceiptMethod; amount: string; receivedOn: dayjs.Dayjs; reference?: string; payerName?: string; billNo?: string; billDueOn?: dayjs.Dayjs; notes?: string; autoAllocate: boolean };

function RecordReceiptDrawer({ open, onClose, customerId }: { open: boolean; onClose: () => void; customerId?: number }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const labels = useFinanceLabels();
  const [form] = Form.useForm<FormValues>();
  const method = Form.useWatch('method', form);
  const [busy, setBusy] = useState(false);
  async function submit(v: FormValues) {
    const amountFen = yuanToFen(v.amount);
    if (!amountFen || amountFen === '0') return form.setFields([{ name: 'amount', errors: [t('receipts.amountInvalid')] }]);
    setBusy(true);
    try {
      const r = await recordReceipt({
        customerId: v.customerId,
        method: v.method,
        amountFen,
        receivedOn: v.receivedOn.format('YYYY-MM-DD'),
        reference: v.reference || null,
        payerName: v.payerName || null,
        billNo: v.billNo || null,
        billDueOn: v.billDueOn ? v.billDueOn.format('YYYY-MM-DD') : null,
        notes: v.notes || null,
        autoAllocate: v.autoAllocate,
      });
      message.success(t('receipts.recorded', { number: r.number }));
      onClose();
      navigate(`/receipts/${r.id}`);
    } catch (error) {
      if (!showFieldErrors(form, error, { amountFen: 'amount' })) message.error(isApiError(error) ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Drawer open={open} onClose={onClose} title={t('receipts.record')} size="large" destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ method: 'bank_transfer', receivedOn: dayjs(todayText()), autoAllocate: true, customerId }}>
        <Form.Item name="customerId" label={t('receipts.customer')} rules={[{ required: true }]}><CustomerSelect autoFocus /></Form.Item>
        <Form.Item name="method" label={t('receipts.methodLabel')} rules={[{ required: true }]}>
          <Select options={RECEIPT_METHODS.map((m) => ({ value: m, label: labels.method(m) }))} />
        </Form.Item>
        <Form.Item name="amount" label={t('receipts.amountYuan')} rules={[{ required: true, whitespace: true }]}><Input inputMode="decimal" data-testid="receipt-amount" /></Form.Item>
        <Form.Item name="receivedOn" label={t('receipts.receivedOn')} rules={[{ required: true }]}><DatePicker /></Form.Item>
        {method === 'acceptance_bill' && (
          <Space>
            <Form.Item name="billNo" label={t('receipts.billNo')} rules={[{ required: true, whitespace: true }]}><Input maxLength={40} style={{ width: 260 }} /></Form.Item>
            <Form.Item name="billDueOn" label={t('receipts.billDueOn')} rules={[{ required: true }]}><DatePicker /></Form.Item>
          </Space>
        )}
        <Form.Item name="reference" label={t('receipts.reference')}><Input maxLength={60} /></Form.Item>
        <Form.Item name="payerName" label={t('receipts.payerName')}><Input maxLength={100} /></Form.Item>
        <Form.Item name="notes" label={t('receipts.notes')}><Input.TextArea maxLength={500} /></Form.Item>
        <Form.Item name="autoAllocate" valuePropName="checked"><Checkbox>{t('receipts.autoAllocateNow')}</Checkbox></Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="save-receipt">{t('common.save')}</Button>
      </Form>
    </Drawer>
  );
}
