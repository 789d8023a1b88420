import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Col, DatePicker, Drawer, Form, Input, Row, Select, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../shared/api';
import { CustomerSelect } from '../../shared/CustomerSelect';
import { showFieldErrors } from '../../shared/formErrors';
import { CUSTOMER_TYPES, type CustomerType } from '../customers/customers.api';
import { TerritorySelect } from '../territories/TerritorySelect';
import { fenToYuanText, yuanTextToFen } from './priceMoney';
import { createPrice, PRICE_KINDS, PRICES_KEY, updatePrice, type PriceKind, type PriceRow } from './products.api';
import { ProductSelect } from './ProductSelect';

type Target = 'customer' | 'group';
type Values = {
  productId?: number;
  kind: PriceKind;
  amount: string;
  validFrom?: Dayjs;
  validTo?: Dayjs | null;
  target: Target;
  customerId?: number | null;
  customerType?: CustomerType | null;
  territoryId?: string | null;
  tenderName?: string;
  notes?: string;
};

/**
 * Add or edit a price. The amount is typed in yuan and sent as whole fen, converted through the
 * text (priceMoney.ts). Which targets show depends on the kind, as the server requires.
 */
export function PriceFormDrawer({ open, price, defaultProductId, onClose }: { open: boolean; price: PriceRow | null; defaultProductId?: number; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const kind = Form.useWatch('kind', form);
  const target = Form.useWatch('target', form);

  useEffect(() => {
    if (!open) return;
    setError(null);
    form.resetFields();
    if (price) {
      form.setFieldsValue({
        productId: price.product.id,
        kind: price.kind,
        amount: fenToYuanText(price.amountFen),
        validFrom: dayjs(price.validFrom),
        validTo: price.validTo ? dayjs(price.validTo) : null,
        target: price.customer ? 'customer' : 'group',
        customerId: price.customer?.id ?? null,
        customerType: price.customerType,
        territoryId: price.territory?.id ?? null,
        tenderName: price.tenderName ?? undefined,
        notes: price.notes ?? undefined,
      });
    } else {
      form.setFieldsValue({ productId: defaultProductId, kind: 'supply', target: 'group', validFrom: dayjs() });
    }
  }, [open, price, defaultProductId, form]);

  async function submit(values: Values) {
    const amountFen = yuanTextToFen(values.amount);
    if (amountFen === null) {
      form.setFields([{ name: 'amount', errors: [t('price.amountRule')] }]);
      return;
    }
    const byCustomer = values.kind === 'supply' && values.target === 'customer';
    const input = {
      productId: values.productId!,
      kind: values.kind,
      amountFen,
      validFrom: values.validFrom!.format('YYYY-MM-DD'),
      validTo: values.validTo ? values.validTo.format('YYYY-MM-DD') : null,
      customerId: byCustomer ? (values.customerId ?? null) : null,
      customerType: values.kind === 'supply' && !byCustomer ? (values.customerType ?? null) : null,
      territoryId: (values.kind === 'supply' && !byCustomer) || values.kind === 'tender' ? (values.territoryId ?? null) : null,
      tenderName: values.kind === 'tender' ? values.tenderName?.trim() || null : null,
      notes: values.notes?.trim() || null,
    };
    setSaving(true);
    setError(null);
    try {
      if (price) await updatePrice(price.id, { ...input, version: price.version });
      else await createPrice(input);
      message.success(t('price.saved'));
      await queryClient.invalidateQueries({ queryKey: PRICES_KEY });
      onClose();
    } catch (err) {
      if (isApiError(err, 'CONFLICT_VERSION')) message.warning(t('errors.conflictVersion'));
      // The server names amountFen; the form's field is amount.
      else if (!showFieldErrors(form, err, { amountFen: 'amount' })) setError(err instanceof Error ? err.message : String(err));
    } finally {
      setSaving(false);
    }
  }

  const required = { required: true, message: t('validation.required') };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={560}
      title={price ? t('price.edit') : t('price.create')}
      destroyOnHidden
      footer={
        <Space style={{ display: 'flex', justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="price-form-submit">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Form form={form} layout="vertical" onFinish={submit} autoComplete="off" data-testid="price-form">
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} closable={{ onClose: () => setError(null) }} />}
        <Form.Item name="productId" label={t('price.product')} rules={[required]}>
          <ProductSelect data-testid="price-form-product" />
        </Form.Item>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="kind" label={t('price.kind')} rules={[required]}>
              <Select options={PRICE_KINDS.map((k) => ({ value: k, label: t(`price.kinds.${k}`) }))} data-testid="price-form-kind" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="amount"
              label={t('price.amountYuan')}
              rules={[required, { validator: (_, v: string) => (!v || yuanTextToFen(v) !== null ? Promise.resolve() : Promise.reject(new Error(t('price.amountRule')))) }]}
            >
              <Input prefix="¥" inputMode="decimal" data-testid="price-form-amount" />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="validFrom" label={t('price.validFrom')} rules={[required]}>
              <DatePicker style={{ width: '100%' }} data-testid="price-form-validFrom" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="validTo" label={t('price.validTo')} extra={t('price.validToHint')}>
              <DatePicker style={{ width: '100%' }} data-testid="price-form-validTo" />
            </Form.Item>
          </Col>
        </Row>
        {kind === 'supply' && (
          <>
            <Form.Item name="target" label={t('price.target')}>
              <Select
                options={[
                  { value: 'group', label: t('price.targetGroup') },
                  { value: 'customer', label: t('price.targetCustomer') },
                ]}
                data-testid="price-form-target"
              />
            </Form.Item>
            {target === 'customer' ? (
              <Form.Item name="customerId" label={t('price.customer')} rules={[required]}>
                <CustomerSelect knownCustomer={price?.customer ?? null} data-testid="price-form-customer" />
              </Form.Item>
            ) : (
              <Row gutter={12}>
                <Col span={12}>
                  <Form.Item name="customerType" label={t('price.customerType')}>
                    <Select allowClear options={CUSTOMER_TYPES.map((c) => ({ value: c, label: t(`customer.types.${c}`) }))} data-testid="price-form-customerType" />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item name="territoryId" label={t('price.territory')} extra={t('price.territoryHint')}>
                    <TerritorySelect data-testid="price-form-territory" />
                  </Form.Item>
                </Col>
              </Row>
            )}
          </>
        )}
        {kind === 'tender' && (
          <>
            <Form.Item name="territoryId" label={t('price.province')} rules={[required]} extra={t('price.provinceHint')}>
              <TerritorySelect data-testid="price-form-province" />
            </Form.Item>
            <Form.Item name="tenderName" label={t('price.tenderName')} rules={[{ max: 100 }]}>
              <Input data-testid="price-form-tenderName" />
            </Form.Item>
          </>
        )}
        <Form.Item name="notes" label={t('price.notes')} rules={[{ max: 500 }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
