import { useEffect } from 'react';
import { App, Button, Col, DatePicker, Drawer, Form, Input, InputNumber, Row, Select, Space, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { CustomerSelect } from '../../shared/CustomerSelect';
import { formatFen } from '../../shared/format';
import { showFieldErrors } from '../../shared/formErrors';
import { fenToYuanText, parseYuanText } from '../../shared/money';
import { ProductSelect } from '../products/ProductSelect';
import {
  OPPORTUNITIES_KEY,
  STAGES_KEY,
  createOpportunity,
  listStages,
  stageLabel,
  updateOpportunity,
  type OpportunityDetail,
  type OpportunityFields,
} from './opportunities.api';

type Props = { open: boolean; onClose: () => void; opportunity?: OpportunityDetail; customerId?: number; onSaved?: (saved: OpportunityDetail) => void };
type Line = { productId?: number; quantity?: number; amountYuan?: string };

const blank = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);

/** The sum of the lines' amounts in fen, or null while one of them is not an amount. */
export function linesTotalFen(lines: Line[] | undefined): bigint | null {
  let sum = 0n;
  for (const line of lines ?? []) {
    if (!line?.amountYuan) continue;
    const fen = parseYuanText(line.amountYuan);
    if (fen === null) return null;
    sum += fen;
  }
  return sum;
}

/** 新建 / 编辑 销售机会: amounts typed in yuan, sent as fen strings. What was typed stays after a server error. */
export function OpportunityFormDrawer({ open, onClose, opportunity, customerId, onSaved }: Props) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const queryClient = useQueryClient();
  const stages = useQuery({ queryKey: STAGES_KEY, queryFn: ({ signal }) => listStages(signal), enabled: open });
  const lines = Form.useWatch<Line[] | undefined>('products', form);
  const linesTotal = linesTotalFen(lines);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (opportunity) {
      form.setFieldsValue({
        name: opportunity.name,
        customerId: opportunity.customerId,
        products: opportunity.products.map((p) => ({ productId: p.productId, quantity: p.quantity, amountYuan: fenToYuanText(p.amountFen) })),
        amountYuan: fenToYuanText(opportunity.amountFen),
        probability: opportunity.probability,
        expectedCloseOn: opportunity.expectedCloseOn ? dayjs(opportunity.expectedCloseOn) : null,
        competitor: opportunity.competitor,
        description: opportunity.description,
      });
    } else form.setFieldsValue({ customerId, products: [] });
  }, [open, opportunity, customerId, form]);

  const yuanRule = {
    validator: (_: unknown, value: string | undefined) =>
      !value || parseYuanText(value, { maxIntegerDigits: 13 }) !== null ? Promise.resolve() : Promise.reject(new Error(t('opportunities.amountInvalid'))),
  };

  const save = useMutation({
    mutationFn: (values: Record<string, unknown>) => {
      const productLines = ((values.products as Line[] | undefined) ?? []).filter((l) => l?.productId);
      const fields: OpportunityFields = {
        name: String(values.name ?? '').trim(),
        products: productLines.map((l) => ({ productId: l.productId!, quantity: l.quantity ?? 0, amountFen: String(parseYuanText(l.amountYuan ?? '') ?? 0n) })),
        amountFen: blank(values.amountYuan) ? String(parseYuanText(String(values.amountYuan))) : null,
        expectedCloseOn: values.expectedCloseOn ? dayjs(values.expectedCloseOn as dayjs.Dayjs).format('YYYY-MM-DD') : null,
        competitor: blank(values.competitor),
        description: blank(values.description),
        probability: typeof values.probability === 'number' ? values.probability : null,
      };
      return opportunity
        ? updateOpportunity(opportunity.id, { ...fields, version: opportunity.version })
        : createOpportunity({ ...fields, customerId: Number(values.customerId), stageId: (values.stageId as number | undefined) ?? null });
    },
    onSuccess: async (saved) => {
      message.success(t('opportunities.saved', { name: saved.name }));
      await queryClient.invalidateQueries({ queryKey: OPPORTUNITIES_KEY });
      onSaved?.(saved);
      onClose();
    },
    onError: (error) => {
      showFieldErrors(form, error, { amountFen: 'amountYuan' });
      message.error(error.message);
    },
  });

  const openStages = (stages.data ?? []).filter((s) => s.kind === 'open' && s.active);

  return (
    <Drawer
      open={open}
      onClose={onClose}
      width={760}
      title={opportunity ? t('opportunities.editTitle', { name: opportunity.name }) : t('opportunities.newTitle')}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="opportunity-form-save">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Form form={form} layout="vertical" onFinish={(values) => save.mutate(values)} data-testid="opportunity-form">
        <Form.Item name="customerId" label={t('opportunities.customer')} rules={[{ required: true, message: t('validation.required') }]} hidden={!!opportunity || customerId !== undefined}>
          <CustomerSelect data-testid="opportunity-form-customer" />
        </Form.Item>
        <Form.Item name="name" label={t('opportunities.name')} rules={[{ required: true, whitespace: true, message: t('validation.required') }, { max: 100 }]}>
          <Input data-testid="opportunity-form-name" placeholder={t('opportunities.namePlaceholder')} />
        </Form.Item>
        <Typography.Text strong>{t('opportunities.products')}</Typography.Text>
        <Form.List name="products">
          {(fields, { add, remove }) => (
            <div style={{ marginTop: 8, marginBottom: 16 }}>
              {fields.map((field) => (
                <Row gutter={8} key={field.key} align="top">
                  <Col span={11}>
                    <Form.Item name={[field.name, 'productId']} rules={[{ required: true, message: t('validation.required') }]}>
                      <ProductSelect data-testid={`opportunity-form-product-${field.name}`} />
                    </Form.Item>
                  </Col>
                  <Col span={5}>
                    <Form.Item name={[field.name, 'quantity']}>
                      <InputNumber min={0} precision={0} style={{ width: '100%' }} placeholder={t('opportunities.quantity')} />
                    </Form.Item>
                  </Col>
                  <Col span={6}>
                    <Form.Item name={[field.name, 'amountYuan']} rules={[yuanRule]}>
                      <Input prefix="¥" placeholder={t('opportunities.lineAmount')} data-testid={`opportunity-form-line-amount-${field.name}`} />
                    </Form.Item>
                  </Col>
                  <Col span={2}>
                    <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(field.name)} aria-label={t('common.delete')} />
                  </Col>
                </Row>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ quantity: 0 })} data-testid="opportunity-form-add-product">
                {t('opportunities.addProduct')}
              </Button>
            </div>
          )}
        </Form.List>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item
              name="amountYuan"
              label={t('opportunities.amount')}
              rules={[yuanRule]}
              extra={linesTotal !== null && (lines?.length ?? 0) > 0 ? t('opportunities.amountDefault', { total: formatFen(linesTotal) }) : t('opportunities.amountHint')}
            >
              <Input prefix="¥" data-testid="opportunity-form-amount" />
            </Form.Item>
          </Col>
          {!opportunity && (
            <Col span={12}>
              <Form.Item name="stageId" label={t('opportunities.stage')} extra={t('opportunities.stageHint')}>
                <Select allowClear options={openStages.map((s) => ({ value: s.id, label: `${stageLabel(i18n.language, s)} (${s.probability}%)` }))} data-testid="opportunity-form-stage" />
              </Form.Item>
            </Col>
          )}
          <Col span={12}>
            <Form.Item name="probability" label={t('opportunities.probability')} extra={t('opportunities.probabilityHint')}>
              <InputNumber min={0} max={100} precision={0} suffix="%" style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="expectedCloseOn" label={t('opportunities.expectedCloseOn')}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="competitor" label={t('opportunities.competitor')} rules={[{ max: 100 }]}>
              <Input />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="description" label={t('opportunities.description')} rules={[{ max: 2000 }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
