import { useEffect, useRef, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Col, Drawer, Form, Input, InputNumber, Row, Select, Skeleton, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../shared/api';
import { showFieldErrors } from '../../shared/formErrors';
import { isApprovalNumber, isEan13 } from './productRules';
import {
  createProduct,
  DOSAGE_FORMS,
  getProduct,
  listProductLines,
  PACKAGE_UNITS,
  PRESCRIPTION_CLASSES,
  PRODUCT_STATUSES,
  PRODUCTS_KEY,
  REIMBURSEMENT_CLASSES,
  STORAGE_CONDITIONS,
  updateProduct,
  type ProductInput,
  type ProductRow,
} from './products.api';

type Values = Omit<ProductInput, 'tradeName' | 'barcode' | 'notes' | 'vatRateBp'> & { tradeName?: string; barcode?: string; notes?: string; vatPercent?: number };

const valuesOf = (p: ProductRow): Values => ({
  code: p.code,
  genericName: p.genericName,
  tradeName: p.tradeName ?? undefined,
  dosageForm: p.dosageForm,
  specification: p.specification,
  packageUnit: p.packageUnit,
  unitsPerPackage: p.unitsPerPackage,
  approvalNumber: p.approvalNumber,
  manufacturer: p.manufacturer,
  storageCondition: p.storageCondition,
  prescriptionClass: p.prescriptionClass,
  reimbursementClass: p.reimbursementClass,
  barcode: p.barcode ?? undefined,
  productLineId: p.productLine?.id ?? null,
  notes: p.notes ?? undefined,
  status: p.status,
  vatPercent: p.vatRateBp / 100,
  safetyStock: p.safetyStock,
});

const blank = (v: string | undefined) => (v && v.trim() ? v.trim() : null);

/** Add a product or edit one (with its version); after a server error the form keeps what was typed and marks the fields. */
export function ProductFormDrawer({ open, productId, onClose }: { open: boolean; productId: number | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const isEdit = productId !== null;
  const loaded = useRef<string | null>(null);

  const product = useQuery({ queryKey: [...PRODUCTS_KEY, productId], queryFn: ({ signal }) => getProduct(productId!, signal), enabled: open && isEdit, staleTime: 0 });
  const lines = useQuery({ queryKey: [...PRODUCTS_KEY, 'lines'], queryFn: ({ signal }) => listProductLines(signal), enabled: open, staleTime: 60_000 });

  useEffect(() => {
    if (!open) {
      loaded.current = null;
      setError(null);
      return;
    }
    if (!isEdit) {
      if (loaded.current !== 'new') {
        form.resetFields();
        loaded.current = 'new';
      }
      return;
    }
    if (product.data && product.data.id === productId) {
      const stamp = `${product.data.id}@${product.data.version}`;
      if (loaded.current !== stamp) {
        form.resetFields();
        form.setFieldsValue(valuesOf(product.data));
        loaded.current = stamp;
      }
    }
  }, [open, isEdit, productId, product.data, form]);

  async function submit(values: Values) {
    setSaving(true);
    setError(null);
    const { vatPercent, ...rest } = values;
    const input: ProductInput = {
      ...rest,
      vatRateBp: vatPercent === undefined || vatPercent === null ? undefined : Math.round(vatPercent * 100),
      safetyStock: values.safetyStock ?? undefined,
      code: values.code.trim(),
      genericName: values.genericName.trim(),
      specification: values.specification.trim(),
      manufacturer: values.manufacturer.trim(),
      approvalNumber: values.approvalNumber.trim(),
      tradeName: blank(values.tradeName),
      barcode: blank(values.barcode),
      notes: blank(values.notes),
      productLineId: values.productLineId ?? null,
    };
    try {
      if (isEdit) {
        await updateProduct(productId, { ...input, version: product.data!.version });
        message.success(t('product.saved', { name: input.genericName }));
      } else {
        await createProduct(input);
        message.success(t('product.created', { name: input.genericName }));
      }
      await queryClient.invalidateQueries({ queryKey: PRODUCTS_KEY });
      onClose();
    } catch (err) {
      if (isApiError(err, 'CONFLICT_VERSION')) {
        message.warning(t('errors.conflictVersion'));
        await product.refetch();
      } else if (!showFieldErrors(form, err)) {
        setError(err instanceof Error ? err.message : String(err));
      }
    } finally {
      setSaving(false);
    }
  }

  const required = { required: true, message: t('validation.required') };
  const enumOptions = (values: readonly string[], group: string) => values.map((v) => ({ value: v, label: t(`product.${group}.${v}`) }));

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={720}
      title={isEdit ? t('product.edit') : t('product.create')}
      destroyOnHidden
      footer={
        <Space style={{ display: 'flex', justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={saving} disabled={isEdit && !product.data} onClick={() => form.submit()} data-testid="product-form-submit">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      {isEdit && product.isError && <Alert type="error" showIcon title={product.error.message} />}
      {isEdit && product.isPending && !product.isError ? (
        <Skeleton active />
      ) : (
        <Form form={form} layout="vertical" onFinish={submit} autoComplete="off" data-testid="product-form"
          initialValues={{ unitsPerPackage: 1, storageCondition: 'normal', reimbursementClass: 'none', prescriptionClass: 'rx', packageUnit: 'box', status: 'active', productLineId: null }}>
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} closable={{ onClose: () => setError(null) }} />}
          <Row gutter={12}>
            <Col span={8}>
              <Form.Item name="code" label={t('product.code')} rules={[required, { pattern: /^[A-Za-z0-9_.-]{1,30}$/, message: t('product.codeRule') }]}>
                <Input data-testid="product-form-code" />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="genericName" label={t('product.genericName')} rules={[required, { max: 100 }]}>
                <Input data-testid="product-form-genericName" />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="tradeName" label={t('product.tradeName')} rules={[{ max: 100 }]}>
                <Input data-testid="product-form-tradeName" />
              </Form.Item>
            </Col>
          </Row>
          <Row gutter={12}>
            <Col span={8}>
              <Form.Item name="dosageForm" label={t('product.dosageForm')} rules={[required]}>
                <Select options={enumOptions(DOSAGE_FORMS, 'dosageForms')} showSearch={{ optionFilterProp: 'label' }} data-testid="product-form-dosageForm" />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="specification" label={t('product.specification')} rules={[required, { max: 100 }]} extra={t('product.specificationHint')}>
                <Input data-testid="product-form-specification" />
              </Form.Item>
            </Col>
            <Col span={4}>
              <Form.Item name="packageUnit" label={t('product.packageUnit')} rules={[required]}>
                <Select options={enumOptions(PACKAGE_UNITS, 'packageUnits')} data-testid="product-form-packageUnit" />
              </Form.Item>
            </Col>
            <Col span={4}>
              <Form.Item name="unitsPerPackage" label={t('product.unitsPerPackage')} rules={[required]}>
                <InputNumber min={1} max={100000} precision={0} style={{ width: '100%' }} data-testid="product-form-units" />
              </Form.Item>
            </Col>
          </Row>
          <Row gutter={12}>
            <Col span={12}>
              <Form.Item
                name="approvalNumber"
                label={t('product.approvalNumber')}
                extra={t('product.approvalNumberHint')}
                rules={[required, { validator: (_, v: string) => (!v || isApprovalNumber(v) ? Promise.resolve() : Promise.reject(new Error(t('product.approvalNumberRule')))) }]}
              >
                <Input data-testid="product-form-approvalNumber" />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="manufacturer" label={t('product.manufacturer')} rules={[required, { max: 100 }]}>
                <Input data-testid="product-form-manufacturer" />
              </Form.Item>
            </Col>
          </Row>
          <Row gutter={12}>
            <Col span={8}>
              <Form.Item name="prescriptionClass" label={t('product.prescriptionClass')} rules={[required]}>
                <Select options={enumOptions(PRESCRIPTION_CLASSES, 'prescriptionClasses')} data-testid="product-form-rx" />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="reimbursementClass" label={t('product.reimbursementClass')} rules={[required]}>
                <Select options={enumOptions(REIMBURSEMENT_CLASSES, 'reimbursementClasses')} data-testid="product-form-nrdl" />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="storageCondition" label={t('product.storageCondition')} rules={[required]}>
                <Select options={enumOptions(STORAGE_CONDITIONS, 'storageConditions')} data-testid="product-form-storage" />
              </Form.Item>
            </Col>
          </Row>
          <Row gutter={12}>
            <Col span={8}>
              <Form.Item
                name="barcode"
                label={t('product.barcode')}
                rules={[{ validator: (_, v: string | undefined) => (!v || isEan13(v.trim()) ? Promise.resolve() : Promise.reject(new Error(t('product.barcodeRule')))) }]}
              >
                <Input maxLength={13} data-testid="product-form-barcode" />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="productLineId" label={t('product.productLine')}>
                <Select<number>
                  allowClear
                  loading={lines.isLoading}
                  options={(lines.data ?? []).map((l) => ({ value: l.id, label: l.name }))}
                  data-testid="product-form-line"
                />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="status" label={t('product.status')} rules={[required]}>
                <Select options={enumOptions(PRODUCT_STATUSES, 'statuses')} data-testid="product-form-status" />
              </Form.Item>
            </Col>
          </Row>
          <Row gutter={16}>
            <Col span={8}>
              <Form.Item name="vatPercent" label={t('stock.productVatRate')} initialValue={13}>
                <InputNumber min={0} max={100} precision={2} style={{ width: '100%' }} data-testid="product-form-vat" />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="safetyStock" label={t('stock.productSafetyStock')} initialValue={0}>
                <InputNumber min={0} max={100_000_000} precision={0} style={{ width: '100%' }} data-testid="product-form-safety-stock" />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="notes" label={t('product.notes')} rules={[{ max: 500 }]}>
            <Input.TextArea rows={2} data-testid="product-form-notes" />
          </Form.Item>
        </Form>
      )}
    </Drawer>
  );
}
