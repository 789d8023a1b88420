import { useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, Col, DatePicker, Descriptions, Form, Input, InputNumber, Row, Select, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../shared/api';
import { CustomerSelect } from '../../shared/CustomerSelect';
import { formatFen } from '../../shared/format';
import { fenToYuanText } from '../../shared/money';
import { PageTitle } from '../../shared/PageTitle';
import { useDebounced } from '../../shared/useDebounced';
import { ProductSelect } from '../products/ProductSelect';
import { type DraftLine, emptyLine, lineAmount, linesToInput, needsReason } from './orderLines';
import { ORDER_CHANNELS, ORDER_URGENCIES, ORDERS_KEY, createOrder, entryContext, getOrder, submitOrder, updateOrder, type OrderChannel, type OrderDetail, type OrderUrgency } from './orders.api';

type Header = {
  customerId?: number;
  channel: OrderChannel;
  orderDate: Dayjs;
  requestedDeliveryOn?: Dayjs | null;
  urgency: OrderUrgency;
  allowBatchSplit: boolean;
  packagingNote?: string;
  deliveryNote?: string;
  shipToAddress?: string;
  shipToContact?: string;
  shipToPhone?: string;
  customerPoNumber?: string;
  notes?: string;
};

type Cell = 'product' | 'qty' | 'price' | 'discount' | 'reason';
const cellId = (key: number, cell: Cell) => `order-line-${key}-${cell}`;
function focusNow(key: number, cell: Cell): boolean {
  const el = document.getElementById(cellId(key, cell)) as HTMLElement | null;
  if (!el) return false;
  el.focus();
  if (el instanceof HTMLInputElement) el.select();
  return true;
}
/** Focus at once when the cell is there (so fast typing never lands in the previous cell), else after React renders it. */
const focusCell = (key: number, cell: Cell) => {
  if (!focusNow(key, cell)) setTimeout(() => focusNow(key, cell), 0);
};

function linesOfOrder(o: OrderDetail): DraftLine[] {
  return o.lines.map((l) => ({
    ...emptyLine(),
    productId: l.productId,
    quantity: l.quantity,
    priceYuan: l.listPriceFen === l.unitPriceFen ? '' : fenToYuanText(l.unitPriceFen),
    discountYuan: l.discountFen === '0' ? '' : fenToYuanText(l.discountFen),
    reason: l.priceOverrideReason ?? '',
  }));
}

/**
 * 录入订单 / 修改草稿: built for typing an order from the phone or a fax. Enter moves through a line's cells
 * (product → quantity → price → discount → reason) and from the last cell opens a new line; products are
 * found by name, pinyin or initials; beside each line the list price, the customer's last price and the
 * available stock; a running total against the customer's available credit. What was typed stays after an error.
 */
export default function OrderFormPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const routeId = useParams().id;
  // From a customer's page (?customerId=): the customer is already chosen.
  const [search] = useSearchParams();
  const presetCustomer = /^\d+$/.test(search.get('customerId') ?? '') ? Number(search.get('customerId')) : undefined;
  const editId = routeId ? Number(routeId) : null;
  const [form] = Form.useForm<Header>();
  const [lines, setLines] = useState<DraftLine[]>(() => [emptyLine()]);
  const [lineErrors, setLineErrors] = useState<Record<number, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'save' | 'submit' | null>(null);
  const [version, setVersion] = useState<number | null>(null);

  const existing = useQuery({ queryKey: [...ORDERS_KEY, editId], queryFn: ({ signal }) => getOrder(editId!, signal), enabled: editId !== null });
  useEffect(() => {
    const o = existing.data;
    if (!o || version !== null) return;
    form.setFieldsValue({
      customerId: o.customerId,
      channel: o.channel,
      orderDate: dayjs(o.orderDate),
      requestedDeliveryOn: o.requestedDeliveryOn ? dayjs(o.requestedDeliveryOn) : null,
      urgency: o.urgency,
      allowBatchSplit: o.allowBatchSplit,
      packagingNote: o.packagingNote ?? undefined,
      deliveryNote: o.deliveryNote ?? undefined,
      shipToAddress: o.shipToAddress ?? undefined,
      shipToContact: o.shipToContact ?? undefined,
      shipToPhone: o.shipToPhone ?? undefined,
      customerPoNumber: o.customerPoNumber ?? undefined,
      notes: o.notes ?? undefined,
    });
    setCustomerId(o.customerId);
    setLines([...linesOfOrder(o), emptyLine()]);
    setVersion(o.version);
  }, [existing.data, form, version]);

  const [customerId, setCustomerId] = useState<number | undefined>(editId === null ? presetCustomer : undefined);
  const orderDate = Form.useWatch('orderDate', form) as Dayjs | undefined;
  const productIds = useMemo(() => [...new Set(lines.map((l) => l.productId).filter((p): p is number => !!p))].sort((a, b) => a - b), [lines]);
  const ctxText = useDebounced(`${customerId ?? ''}|${productIds.join(',')}|${orderDate?.format('YYYY-MM-DD') ?? ''}`, 150);
  const ctxKey = useMemo(() => {
    const [c, p, on] = ctxText.split('|');
    return { customerId: c ? Number(c) : undefined, productIds: p ?? '', on: on || undefined };
  }, [ctxText]);
  const ctx = useQuery({
    queryKey: [...ORDERS_KEY, 'entry-context', ctxKey],
    queryFn: ({ signal }) => entryContext({ customerId: ctxKey.customerId!, productIds: ctxKey.productIds ? ctxKey.productIds.split(',').map(Number) : [], orderDate: ctxKey.on }, signal),
    enabled: !!ctxKey.customerId,
    placeholderData: (prev) => prev,
  });
  const info = (productId?: number) => ctx.data?.products.find((p) => p.productId === productId);

  const total = lines.reduce((s, l) => s + (lineAmount(l, info(l.productId)?.listPriceFen) ?? 0n), 0n);
  const credit = ctx.data?.credit;
  const overCredit = credit ? BigInt(credit.exposureFen) + total > BigInt(credit.limitFen) : false;

  const patch = (key: number, change: Partial<DraftLine>) => setLines((all) => all.map((l) => (l.key === key ? { ...l, ...change } : l)));
  const addLineAfter = (key: number) => {
    const idx = lines.findIndex((l) => l.key === key);
    const next = lines[idx + 1];
    if (next && !next.productId) return focusCell(next.key, 'product');
    const fresh = emptyLine();
    setLines((all) => [...all.slice(0, idx + 1), fresh, ...all.slice(idx + 1)]);
    focusCell(fresh.key, 'product');
  };
  /** Enter: the next cell of the line, or a new line after the last one. */
  const onEnter = (line: DraftLine, cell: Cell) => (e: KeyboardEvent) => {
    if (e.key !== 'Enter' || e.nativeEvent.isComposing) return;
    e.preventDefault();
    if (cell === 'qty') return focusCell(line.key, 'price');
    if (cell === 'price') return focusCell(line.key, 'discount');
    if (cell === 'discount' && needsReason(line, info(line.productId)?.listPriceFen)) return focusCell(line.key, 'reason');
    addLineAfter(line.key);
  };

  async function save(andSubmit: boolean) {
    setError(null);
    setLineErrors({});
    let header: Header;
    try {
      header = await form.validateFields();
    } catch {
      return;
    }
    const sent = lines.filter((l) => l.productId);
    if (sent.length === 0) {
      setError(t('orders.form.noLines'));
      return;
    }
    const input = {
      customerId: header.customerId!,
      channel: header.channel,
      orderDate: header.orderDate.format('YYYY-MM-DD'),
      requestedDeliveryOn: header.requestedDeliveryOn ? header.requestedDeliveryOn.format('YYYY-MM-DD') : null,
      urgency: header.urgency,
      allowBatchSplit: header.allowBatchSplit,
      packagingNote: header.packagingNote || null,
      deliveryNote: header.deliveryNote || null,
      shipToAddress: header.shipToAddress || undefined,
      shipToContact: header.shipToContact || null,
      shipToPhone: header.shipToPhone || undefined,
      customerPoNumber: header.customerPoNumber || null,
      notes: header.notes || null,
      lines: linesToInput(lines),
    };
    setBusy(andSubmit ? 'submit' : 'save');
    try {
      const saved = editId !== null && version !== null ? await updateOrder(editId, { ...input, version }) : await createOrder(input);
      if (andSubmit) {
        const out = await submitOrder(saved.id, saved.version);
        message.info(out.approvalStarted ? t('orders.submittedToApproval') : t('orders.submittedToReview'));
      } else {
        message.success(t('orders.form.saved', { number: saved.number }));
      }
      await queryClient.invalidateQueries({ queryKey: ORDERS_KEY });
      navigate(`/orders/${saved.id}`);
    } catch (err) {
      // Keep everything typed; show where the server disagrees.
      setError(err instanceof Error ? err.message : String(err));
      if (isApiError(err)) {
        const byLine: Record<number, string> = {};
        const header: { name: string[]; errors: string[] }[] = [];
        for (const f of err.fields) {
          const m = /^lines\.(\d+)\./.exec(f.path);
          if (m && sent[Number(m[1])]) byLine[sent[Number(m[1])]!.key] = f.message;
          else if (!f.path.startsWith('lines')) header.push({ name: [f.path], errors: [f.message] });
        }
        setLineErrors(byLine);
        if (header.length) form.setFields(header as never);
      }
    } finally {
      setBusy(null);
    }
  }

  if (editId !== null && existing.isLoading) return <Skeleton active />;
  if (editId !== null && existing.data && existing.data.status !== 'draft') {
    return <Alert type="warning" showIcon title={t('orders.form.notDraft')} />;
  }

  const columns = [
    { title: '#', key: 'no', width: 36, render: (_: unknown, __: DraftLine, i: number) => i + 1 },
    {
      title: t('orders.product'),
      key: 'product',
      width: 300,
      render: (_: unknown, l: DraftLine) => (
        <div>
          <ProductSelect
            id={cellId(l.key, 'product')}
            style={{ width: '100%' }}
            value={l.productId}
            onChange={(v) => {
              patch(l.key, { productId: v ?? undefined });
              if (v) focusCell(l.key, 'qty');
            }}
            data-testid="order-line-product"
          />
          {lineErrors[l.key] && <Typography.Text type="danger">{lineErrors[l.key]}</Typography.Text>}
        </div>
      ),
    },
    {
      title: t('orders.quantity'),
      key: 'qty',
      width: 100,
      render: (_: unknown, l: DraftLine) => (
        <InputNumber
          id={cellId(l.key, 'qty')}
          min={1}
          precision={0}
          style={{ width: '100%' }}
          value={l.quantity ?? null}
          onChange={(v) => patch(l.key, { quantity: v === null ? null : Number(v) })}
          onKeyDown={onEnter(l, 'qty')}
          data-testid="order-line-qty"
        />
      ),
    },
    {
      title: t('orders.unitPrice'),
      key: 'price',
      width: 120,
      render: (_: unknown, l: DraftLine) => {
        const list = info(l.productId)?.listPriceFen;
        return (
          <Input
            id={cellId(l.key, 'price')}
            value={l.priceYuan}
            placeholder={list ? fenToYuanText(list) : ''}
            onChange={(e) => patch(l.key, { priceYuan: e.target.value })}
            onKeyDown={onEnter(l, 'price')}
            data-testid="order-line-price"
          />
        );
      },
    },
    {
      title: t('orders.discount'),
      key: 'discount',
      width: 100,
      render: (_: unknown, l: DraftLine) => (
        <Input id={cellId(l.key, 'discount')} value={l.discountYuan} placeholder="0" onChange={(e) => patch(l.key, { discountYuan: e.target.value })} onKeyDown={onEnter(l, 'discount')} data-testid="order-line-discount" />
      ),
    },
    {
      title: t('orders.form.overrideReason'),
      key: 'reason',
      width: 160,
      render: (_: unknown, l: DraftLine) =>
        needsReason(l, info(l.productId)?.listPriceFen) || l.reason ? (
          <Input id={cellId(l.key, 'reason')} value={l.reason} status={l.reason.trim() ? undefined : 'warning'} onChange={(e) => patch(l.key, { reason: e.target.value })} onKeyDown={onEnter(l, 'reason')} data-testid="order-line-reason" />
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
    {
      title: t('orders.form.hints'),
      key: 'hints',
      width: 220,
      render: (_: unknown, l: DraftLine) => {
        const p = info(l.productId);
        if (!p) return null;
        const short = l.quantity ? p.available < l.quantity : false;
        return (
          <Space direction="vertical" size={0} style={{ fontSize: 12 }}>
            <span>
              {t('orders.listPrice')} {p.listPriceFen ? formatFen(p.listPriceFen) : <Tag color="red">{t('orders.form.noListPrice')}</Tag>}
            </span>
            {p.last && <span data-testid="order-line-last-price">{t('orders.form.lastPrice', { price: formatFen(p.last.unitPriceFen), date: p.last.orderDate })}</span>}
            <span data-testid="order-line-stock">
              {t('orders.form.available')} {short ? <Tag color="gold">{p.available}</Tag> : p.available}
            </span>
            {!p.active && <Tag color="red">{t('orders.form.inactive')}</Tag>}
          </Space>
        );
      },
    },
    {
      title: t('orders.amount'),
      key: 'amount',
      width: 110,
      align: 'right' as const,
      render: (_: unknown, l: DraftLine) => {
        const a = lineAmount(l, info(l.productId)?.listPriceFen);
        return a === null ? '—' : formatFen(a);
      },
    },
    {
      title: '',
      key: 'remove',
      width: 40,
      render: (_: unknown, l: DraftLine) => (
        <Button type="text" tabIndex={-1} icon={<DeleteOutlined />} onClick={() => setLines((all) => (all.length > 1 ? all.filter((x) => x.key !== l.key) : [emptyLine()]))} aria-label={t('common.delete')} />
      ),
    },
  ];

  return (
    <>
      <PageTitle title={editId ? t('orders.form.editTitle', { number: existing.data?.number ?? '' }) : t('o2cPages.orderFormPage')} />
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="order-form-error" />}
      <Form<Header>
        form={form}
        layout="vertical"
        initialValues={{ customerId: editId === null ? presetCustomer : undefined, channel: 'phone', orderDate: dayjs(), urgency: 'normal', allowBatchSplit: true }}
        onValuesChange={(changed: Partial<Header>) => {
          if ('customerId' in changed) setCustomerId(changed.customerId);
        }}
      >
        <Card>
          <Row gutter={16}>
            <Col xs={24} md={10}>
              <Form.Item name="customerId" label={t('orders.customer')} rules={[{ required: true, message: t('validation.required') }]}>
                <CustomerSelect autoFocus data-testid="order-customer" />
              </Form.Item>
            </Col>
            <Col xs={12} md={4}>
              <Form.Item name="channel" label={t('orders.channel')}>
                <Select options={ORDER_CHANNELS.map((c) => ({ value: c, label: t(`orders.channels.${c}`) }))} />
              </Form.Item>
            </Col>
            <Col xs={12} md={5}>
              <Form.Item name="orderDate" label={t('orders.orderDate')} rules={[{ required: true, message: t('validation.required') }]}>
                <DatePicker style={{ width: '100%' }} allowClear={false} />
              </Form.Item>
            </Col>
            <Col xs={12} md={5}>
              <Form.Item name="requestedDeliveryOn" label={t('orders.requestedDeliveryOn')}>
                <DatePicker style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={12} md={4}>
              <Form.Item name="urgency" label={t('orders.urgency')}>
                <Select options={ORDER_URGENCIES.map((u) => ({ value: u, label: t(`orders.urgencies.${u}`) }))} />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item name="customerPoNumber" label={t('orders.customerPoNumber')}>
                <Input maxLength={60} />
              </Form.Item>
            </Col>
            <Col xs={24} md={6}>
              <Form.Item name="allowBatchSplit" label={t('orders.allowBatchSplit')} valuePropName="checked">
                <Checkbox>{t('orders.form.allowBatchSplitHint')}</Checkbox>
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="packagingNote" label={t('orders.packagingNote')}>
                <Input maxLength={500} />
              </Form.Item>
            </Col>
            <Col xs={24} md={10}>
              <Form.Item name="shipToAddress" label={t('orders.shipToAddress')}>
                <Input maxLength={300} placeholder={ctx.data?.customer.shipToAddress ?? ''} />
              </Form.Item>
            </Col>
            <Col xs={12} md={4}>
              <Form.Item name="shipToContact" label={t('orders.shipToContact')}>
                <Input maxLength={60} />
              </Form.Item>
            </Col>
            <Col xs={12} md={4}>
              <Form.Item name="shipToPhone" label={t('orders.shipToPhone')}>
                <Input maxLength={40} placeholder={ctx.data?.customer.shipToPhone ?? ''} />
              </Form.Item>
            </Col>
            <Col xs={24} md={6}>
              <Form.Item name="deliveryNote" label={t('orders.deliveryNote')}>
                <Input maxLength={500} />
              </Form.Item>
            </Col>
          </Row>
          {credit && (
            <Descriptions size="small" column={{ xs: 1, md: 4 }} data-testid="order-form-credit">
              <Descriptions.Item label={t('orders.credit.limit')}>{formatFen(credit.limitFen)}</Descriptions.Item>
              <Descriptions.Item label={t('orders.credit.exposure')}>{formatFen(credit.exposureFen)}</Descriptions.Item>
              <Descriptions.Item label={t('orders.credit.available')}>
                <Typography.Text type={overCredit ? 'danger' : undefined}>{formatFen(credit.availableFen)}</Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label={t('orders.credit.overdue')}>
                <Typography.Text type={BigInt(credit.overdueFen) > 0n ? 'danger' : undefined}>{formatFen(credit.overdueFen)}</Typography.Text>
              </Descriptions.Item>
            </Descriptions>
          )}
          {ctx.data && (ctx.data.customer.qualificationState === 'missing' || ctx.data.customer.qualificationState === 'expired') && (
            <Alert type="warning" showIcon title={t('orders.form.qualificationWarning')} style={{ marginTop: 8 }} />
          )}
        </Card>
      </Form>
      <Card
        title={t('orders.lines')}
        style={{ marginTop: 16 }}
        extra={
          <Typography.Text type="secondary">
            {t('orders.form.keyboardHint')}
          </Typography.Text>
        }
      >
        <Table<DraftLine> rowKey="key" size="small" pagination={false} dataSource={lines} columns={columns} scroll={{ x: 1200 }} data-testid="order-form-lines" />
        <Space style={{ marginTop: 12, width: '100%', justifyContent: 'space-between' }}>
          <Button icon={<PlusOutlined />} onClick={() => addLineAfter(lines[lines.length - 1]!.key)}>
            {t('orders.form.addLine')}
          </Button>
          <Space>
            {overCredit && <Tag color="red">{t('orders.form.overCredit')}</Tag>}
            <Typography.Text strong style={{ fontSize: 16 }} data-testid="order-form-total">
              {t('orders.total')} {formatFen(total)}
            </Typography.Text>
          </Space>
        </Space>
      </Card>
      <Space style={{ marginTop: 16 }}>
        <Button loading={busy === 'save'} onClick={() => save(false)} data-testid="order-save">
          {t('orders.form.saveDraft')}
        </Button>
        <Button type="primary" loading={busy === 'submit'} onClick={() => save(true)} data-testid="order-save-submit">
          {t('orders.form.saveAndSubmit')}
        </Button>
        <Button onClick={() => navigate(-1)}>{t('common.cancel')}</Button>
      </Space>
    </>
  );
}
