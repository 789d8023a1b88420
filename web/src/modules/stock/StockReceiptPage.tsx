import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, InputNumber, Select, Space, Table, Tabs } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { ImportWizard } from '../../shared/ImportWizard';
import { PageTitle } from '../../shared/PageTitle';
import { ProductSelect } from '../products/ProductSelect';
import { listWarehouses, type ReceiptLineInput, receiveStock, STOCK_KEY, type StockDocument } from './stock.api';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
type FormValues = { businessDate?: string; note?: string; lines: (Partial<ReceiptLineInput> & { manufacturedOn?: string })[] };

/** 订单物流 → 入库: goods from production or purchase, by the form (several lines) or from Excel. */
export default function StockReceiptPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'import' ? 'import' : 'form';
  return (
    <>
      <PageTitle title={t('o2cPages.stockReceiptPage')} />
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams(key === 'import' ? { tab: 'import' } : {})}
        items={[
          { key: 'form', label: t('stock.receiptByForm'), children: <ReceiptForm /> },
          { key: 'import', label: t('stock.receiptByImport'), children: <ImportWizard kind="stock_receipts" invalidate={STOCK_KEY} /> },
        ]}
      />
    </>
  );
}

function ReceiptForm() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<FormValues>();
  const [done, setDone] = useState<StockDocument | null>(null);
  const warehouses = useQuery({ queryKey: [...STOCK_KEY, 'warehouses', 'active'], queryFn: ({ signal }) => listWarehouses(true, signal) });
  const warehouseOptions = (warehouses.data ?? []).map((w) => ({
    value: w.id,
    label: `${w.code} ${w.name}${w.coldChain ? ` · ${t('stock.coldChainYes')}` : ''}${w.kind === 'quarantine' ? ` · ${t('stock.kinds.quarantine')}` : ''}`,
  }));

  const save = useMutation({
    mutationFn: (values: FormValues) =>
      receiveStock({
        businessDate: values.businessDate || undefined,
        note: values.note || null,
        lines: values.lines.map((l) => ({
          warehouseId: l.warehouseId!,
          productId: l.productId!,
          batchNo: l.batchNo!.trim(),
          manufacturedOn: l.manufacturedOn || null,
          expiresOn: l.expiresOn!,
          quantity: l.quantity!,
        })),
      }),
    onSuccess: (doc) => {
      setDone(doc);
      message.success(t('stock.receivedMessage', { number: doc.number }));
      form.resetFields();
      void queryClient.invalidateQueries({ queryKey: STOCK_KEY });
    },
    onError: (e: Error & { fields?: { path: string; message: string }[] }) => {
      const fields = e.fields ?? [];
      const lineErrors = fields
        .map((f) => /^lines\.(\d+)\.(\w+)$/.exec(f.path))
        .map((m, i) => (m ? { name: ['lines', Number(m[1]), m[2]], errors: [fields[i]!.message] } : null))
        .filter((x): x is { name: (string | number)[]; errors: string[] } => x !== null);
      if (lineErrors.length) form.setFields(lineErrors as Parameters<typeof form.setFields>[0]);
      message.error(e.message);
    },
  });

  const dateRule = { pattern: DATE, message: t('stock.dateFormat') };
  return (
    <Card>
      {done && (
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="receipt-done"
          message={t('stock.receivedMessage', { number: done.number })}
          action={<Link to={`/stock/movements?docNumber=${encodeURIComponent(done.number)}`}>{t('stock.viewMovements')}</Link>}
        />
      )}
      <Form form={form} layout="vertical" initialValues={{ lines: [{ quantity: undefined }] }} onFinish={(v) => save.mutate(v)}>
        <Space wrap>
          <Form.Item name="businessDate" label={t('stock.businessDate')} rules={[dateRule]} extra={t('stock.businessDateHelp')}>
            <Input placeholder="YYYY-MM-DD" style={{ width: 140 }} data-testid="receipt-date" />
          </Form.Item>
          <Form.Item name="note" label={t('stock.receiptNote')}>
            <Input placeholder={t('stock.receiptNotePlaceholder')} style={{ width: 320 }} maxLength={200} data-testid="receipt-note" />
          </Form.Item>
        </Space>
        <Form.List name="lines">
          {(fields, { add, remove }) => (
            <>
              <Table
                size="small"
                pagination={false}
                rowKey="key"
                dataSource={fields}
                columns={[
                  {
                    title: t('stock.warehouse'),
                    width: 200,
                    render: (_, f) => (
                      <Form.Item name={[f.name, 'warehouseId']} rules={[{ required: true, message: t('validation.required') }]} style={{ margin: 0 }}>
                        <Select options={warehouseOptions} showSearch optionFilterProp="label" data-testid={`receipt-warehouse-${f.name}`} />
                      </Form.Item>
                    ),
                  },
                  {
                    title: t('stock.product'),
                    width: 280,
                    render: (_, f) => (
                      <Form.Item name={[f.name, 'productId']} rules={[{ required: true, message: t('validation.required') }]} style={{ margin: 0 }}>
                        <ProductSelect data-testid={`receipt-product-${f.name}`} />
                      </Form.Item>
                    ),
                  },
                  {
                    title: t('stock.batchNo'),
                    width: 140,
                    render: (_, f) => (
                      <Form.Item name={[f.name, 'batchNo']} rules={[{ required: true, whitespace: true, message: t('validation.required') }]} style={{ margin: 0 }}>
                        <Input maxLength={40} data-testid={`receipt-batch-${f.name}`} />
                      </Form.Item>
                    ),
                  },
                  {
                    title: t('stock.manufacturedOn'),
                    width: 130,
                    render: (_, f) => (
                      <Form.Item name={[f.name, 'manufacturedOn']} rules={[dateRule]} style={{ margin: 0 }}>
                        <Input placeholder="YYYY-MM-DD" data-testid={`receipt-manufactured-${f.name}`} />
                      </Form.Item>
                    ),
                  },
                  {
                    title: t('stock.expiresOn'),
                    width: 130,
                    render: (_, f) => (
                      <Form.Item name={[f.name, 'expiresOn']} rules={[{ required: true, message: t('validation.required') }, dateRule]} style={{ margin: 0 }}>
                        <Input placeholder="YYYY-MM-DD" data-testid={`receipt-expires-${f.name}`} />
                      </Form.Item>
                    ),
                  },
                  {
                    title: t('stock.quantity'),
                    width: 110,
                    render: (_, f) => (
                      <Form.Item name={[f.name, 'quantity']} rules={[{ required: true, message: t('validation.required') }]} style={{ margin: 0 }}>
                        <InputNumber min={1} max={10_000_000} precision={0} style={{ width: '100%' }} data-testid={`receipt-quantity-${f.name}`} />
                      </Form.Item>
                    ),
                  },
                  {
                    title: '',
                    width: 50,
                    render: (_, f) => <Button type="text" icon={<DeleteOutlined />} disabled={fields.length === 1} onClick={() => remove(f.name)} aria-label={t('common.delete')} />,
                  },
                ]}
              />
              <Button icon={<PlusOutlined />} onClick={() => add({})} style={{ marginTop: 8 }} data-testid="receipt-add-line">
                {t('stock.addLine')}
              </Button>
            </>
          )}
        </Form.List>
        <div style={{ marginTop: 16 }}>
          <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="receipt-submit">
            {t('stock.receive')}
          </Button>
        </div>
      </Form>
    </Card>
  );
}
