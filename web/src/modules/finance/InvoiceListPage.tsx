import { useMemo, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Input, InputNumber, Select, Space, Table, Tabs, Typography, type TableColumnsType } from 'antd';
import { DownloadOutlined, FileDoneOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { Link, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth';
import { PERMISSIONS } from '../../app/permissions';
import { downloadFile, isApiError } from '../../shared/api';
import { CustomerSelect } from '../../shared/CustomerSelect';
import { formatDate, formatFen } from '../../shared/format';
import { PageTitle } from '../../shared/PageTitle';
import { serverTableProps } from '../../shared/serverTable';
import { parseSort, readInt, readPage, useUrlState } from '../../shared/urlState';
import { INVOICE_KINDS, INVOICE_STATUSES, INVOICE_TYPES, INVOICES_KEY, draftInvoice, invoiceable, listInvoices, redPending, type InvoiceRow, type InvoiceType, type WorklistLine } from './finance.api';
import { InvoiceKindTag, InvoiceStatusTag, useFinanceLabels } from './financeLabels';

/** 发票: the list (filters in the URL, export), the 待开票 worklist with the 开票 action, and 待红冲. */
export default function InvoiceListPage() {
  const { t } = useTranslation();
  const { params, update } = useUrlState();
  const tab = params.get('tab') ?? 'list';
  return (
    <>
      <PageTitle title={t('o2cPages.invoiceListPage')} />
      <Tabs
        activeKey={tab}
        onChange={(key) => update({ tab: key === 'list' ? undefined : key })}
        items={[
          { key: 'list', label: t('invoices.tabs.list'), children: tab === 'list' ? <InvoiceList /> : null },
          { key: 'invoiceable', label: t('invoices.tabs.invoiceable'), children: tab === 'invoiceable' ? <InvoiceableWorklist /> : null },
          { key: 'red', label: t('invoices.tabs.red'), children: tab === 'red' ? <RedWorklist /> : null },
        ]}
      />
    </>
  );
}

function InvoiceList() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const labels = useFinanceLabels();
  const { params, update } = useUrlState();
  const { page, pageSize } = readPage(params);
  const filters = {
    status: params.get('status') ?? undefined,
    kind: params.get('kind') ?? undefined,
    invoiceType: params.get('invoiceType') ?? undefined,
    customerId: readInt(params, 'customerId'),
    orderId: readInt(params, 'orderId'),
    from: params.get('from') ?? undefined,
    to: params.get('to') ?? undefined,
    open: params.get('open') === 'true' || undefined,
    q: params.get('q') ?? undefined,
    sort: params.get('sort') ?? undefined,
  };
  const sort = parseSort(filters.sort);
  const query = { ...filters, page, pageSize };
  const list = useQuery({ queryKey: [...INVOICES_KEY, 'list', query], queryFn: ({ signal }) => listInvoices(query, signal), placeholderData: keepPreviousData });
  const sortable = (field: string) => ({ sorter: true, sortOrder: sort.field === field ? sort.order : null });
  const columns: TableColumnsType<InvoiceRow> = [
    { title: t('invoices.number'), key: 'number', ...sortable('number'), render: (_, i) => <Link to={`/invoices/${i.id}`}>{i.number}</Link> },
    { title: t('invoices.kindLabel'), key: 'kind', render: (_, i) => <InvoiceKindTag kind={i.kind} /> },
    { title: t('invoices.typeLabel'), key: 'type', render: (_, i) => labels.type(i.invoiceType) },
    { title: t('invoices.statusLabel'), key: 'status', ...sortable('status'), render: (_, i) => <InvoiceStatusTag status={i.status} /> },
    { title: t('invoices.customer'), key: 'customer', render: (_, i) => <Link to={`/customers/${i.customerId}`}>{i.customerName}</Link> },
    { title: t('invoices.taxInvoiceNo'), dataIndex: 'taxInvoiceNo' },
    { title: t('invoices.issuedOn'), key: 'issuedOn', ...sortable('issuedOn'), render: (_, i) => formatDate(i.issuedOn) },
    { title: t('invoices.dueOn'), key: 'dueOn', ...sortable('dueOn'), render: (_, i) => formatDate(i.dueOn) },
    { title: t('invoices.amount'), key: 'amountFen', ...sortable('amountFen'), align: 'right', render: (_, i) => formatFen(i.amountFen) },
    { title: t('invoices.open'), key: 'open', align: 'right', render: (_, i) => formatFen(i.openFen) },
  ];
  async function exportList() {
    try {
      await downloadFile('/invoices/export', { ...filters }, `${t('invoices.exportFileName')}.xlsx`);
    } catch (error) {
      message.error(error instanceof Error ? error.message : String(error));
    }
  }
  return (
    <Card>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search allowClear placeholder={t('invoices.searchPlaceholder')} defaultValue={filters.q} onSearch={(q) => update({ q })} style={{ width: 220 }} />
        <Select allowClear placeholder={t('invoices.statusLabel')} value={filters.status} onChange={(status) => update({ status })} style={{ width: 110 }} options={INVOICE_STATUSES.map((s) => ({ value: s, label: t(`invoices.status.${s}`) }))} />
        <Select allowClear placeholder={t('invoices.kindLabel')} value={filters.kind} onChange={(kind) => update({ kind })} style={{ width: 110 }} options={INVOICE_KINDS.map((s) => ({ value: s, label: t(`invoices.kind.${s}`) }))} />
        <Select allowClear placeholder={t('invoices.typeLabel')} value={filters.invoiceType} onChange={(invoiceType) => update({ invoiceType })} style={{ width: 110 }} options={INVOICE_TYPES.map((s) => ({ value: s, label: labels.type(s) }))} />
        <CustomerSelect value={filters.customerId} onChange={(customerId) => update({ customerId })} style={{ width: 260 }} />
        <DatePicker.RangePicker
          value={filters.from && filters.to ? [dayjs(filters.from), dayjs(filters.to)] : null}
          onChange={(range) => update({ from: range?.[0]?.format('YYYY-MM-DD'), to: range?.[1]?.format('YYYY-MM-DD') })}
        />
        <Select allowClear placeholder={t('invoices.openOnly')} value={filters.open ? 'true' : undefined} onChange={(v) => update({ open: v })} style={{ width: 120 }} options={[{ value: 'true', label: t('invoices.openOnly') }]} />
        <Button icon={<DownloadOutlined />} onClick={exportList}>{t('common.export')}</Button>
      </Space>
      <Table<InvoiceRow>
        rowKey="id"
        size="small"
        loading={list.isFetching}
        columns={columns}
        dataSource={list.data?.items ?? []}
        {...serverTableProps<InvoiceRow>({ page, pageSize, total: list.data?.total ?? 0, update, t })}
      />
    </Card>
  );
}

function InvoiceableWorklist() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const navigate = useNavigate();
  const labels = useFinanceLabels();
  const { params, update } = useUrlState();
  const customerId = readInt(params, 'customerId');
  const lines = useQuery({ queryKey: [...INVOICES_KEY, 'invoiceable', customerId], queryFn: ({ signal }) => invoiceable(customerId, signal) });
  const [selected, setSelected] = useState<number[]>([]);
  const [quantities, setQuantities] = useState<Record<number, number>>({});
  const [invoiceType, setInvoiceType] = useState<InvoiceType>('special');
  const [busy, setBusy] = useState(false);
  const items = useMemo(() => lines.data?.items ?? [], [lines.data]);
  const chosen = items.filter((l) => selected.includes(l.orderLineId));
  const customers = new Set(chosen.map((l) => l.customerId));

  async function makeInvoice() {
    if (customers.size !== 1) return message.warning(t('invoices.oneCustomer'));
    setBusy(true);
    try {
      const inv = await draftInvoice({
        customerId: [...customers][0]!,
        invoiceType,
        lines: chosen.map((l) => ({ orderLineId: l.orderLineId, quantity: quantities[l.orderLineId] ?? l.invoiceableQty })),
      });
      message.success(t('invoices.drafted', { number: inv.number }));
      navigate(`/invoices/${inv.id}`);
    } catch (error) {
      message.error(isApiError(error) ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  }
  const columns: TableColumnsType<WorklistLine> = [
    { title: t('invoices.customer'), dataIndex: 'customerName' },
    { title: t('invoices.order'), key: 'order', render: (_, l) => <Link to={`/orders/${l.orderId}`}>{l.orderNumber}</Link> },
    { title: t('invoices.orderDate'), dataIndex: 'orderDate' },
    { title: t('invoices.product'), key: 'product', render: (_, l) => `${l.productName}${l.spec ? ` ${l.spec}` : ''}` },
    { title: t('invoices.shipped'), key: 'shipped', align: 'right', render: (_, l) => `${l.shippedQty - l.returnedQty}` },
    { title: t('invoices.invoiced'), key: 'invoiced', align: 'right', render: (_, l) => `${l.invoicedQty}${l.draftQty ? ` (+${l.draftQty})` : ''}` },
    { title: t('invoices.unitPrice'), key: 'price', align: 'right', render: (_, l) => formatFen(l.unitPriceFen) },
    {
      title: t('invoices.quantityToInvoice'),
      key: 'qty',
      render: (_, l) => (
        <InputNumber
          min={1}
          max={l.invoiceableQty}
          precision={0}
          value={quantities[l.orderLineId] ?? l.invoiceableQty}
          onChange={(v) => setQuantities((q) => ({ ...q, [l.orderLineId]: Number(v ?? l.invoiceableQty) }))}
          aria-label={`qty-${l.orderLineId}`}
        />
      ),
    },
  ];
  return (
    <Card>
      <Space wrap style={{ marginBottom: 12 }}>
        <CustomerSelect value={customerId} onChange={(v) => update({ customerId: v })} style={{ width: 280 }} />
        <Select value={invoiceType} onChange={setInvoiceType} style={{ width: 120 }} options={INVOICE_TYPES.map((s) => ({ value: s, label: labels.type(s) }))} aria-label="invoiceType" />
        {can(PERMISSIONS.invoicesWrite) && (
          <Button type="primary" icon={<FileDoneOutlined />} disabled={chosen.length === 0} loading={busy} onClick={makeInvoice} data-testid="make-invoice">
            {t('invoices.makeInvoice')}
          </Button>
        )}
        <Typography.Text type="secondary">{t('invoices.invoiceableHint')}</Typography.Text>
      </Space>
      <Table<WorklistLine>
        rowKey="orderLineId"
        size="small"
        loading={lines.isFetching}
        columns={columns}
        dataSource={items}
        pagination={{ pageSize: 50 }}
        rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys as number[]) }}
      />
    </Card>
  );
}

function RedWorklist() {
  const { t } = useTranslation();
  const { params, update } = useUrlState();
  const customerId = readInt(params, 'customerId');
  const lines = useQuery({ queryKey: [...INVOICES_KEY, 'red-pending', customerId], queryFn: ({ signal }) => redPending(customerId, signal) });
  const columns: TableColumnsType<WorklistLine> = [
    { title: t('invoices.customer'), dataIndex: 'customerName' },
    { title: t('invoices.order'), key: 'order', render: (_, l) => <Link to={`/orders/${l.orderId}`}>{l.orderNumber}</Link> },
    { title: t('invoices.product'), key: 'product', render: (_, l) => `${l.productName}${l.spec ? ` ${l.spec}` : ''}` },
    { title: t('invoices.kept'), key: 'kept', align: 'right', render: (_, l) => l.shippedQty - l.returnedQty },
    { title: t('invoices.invoiced'), dataIndex: 'invoicedQty', align: 'right' },
    { title: t('invoices.excess'), dataIndex: 'excessQty', align: 'right' },
    { title: t('invoices.returnRequest'), key: 'ret', render: (_, l) => l.returnNumber ?? '' },
    { title: t('common.actions'), key: 'go', render: (_, l) => <Link to={`/invoices?orderId=${l.orderId}&kind=blue&status=issued`}>{t('invoices.findBlue')}</Link> },
  ];
  return (
    <Card>
      <Space style={{ marginBottom: 12 }}>
        <CustomerSelect value={customerId} onChange={(v) => update({ customerId: v })} style={{ width: 280 }} />
        <Typography.Text type="secondary">{t('invoices.redHint')}</Typography.Text>
      </Space>
      <Table<WorklistLine> rowKey="orderLineId" size="small" loading={lines.isFetching} columns={columns} dataSource={lines.data?.items ?? []} pagination={{ pageSize: 50 }} />
    </Card>
  );
}
