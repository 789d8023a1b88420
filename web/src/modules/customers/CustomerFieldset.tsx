import { Col, Divider, Form, Input, InputNumber, Row, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { CustomerSelect } from '../../shared/CustomerSelect';
import { yuanToFen } from '../../shared/money';
import { TerritorySelect } from '../territories/TerritorySelect';
import { CUSTOMER_GRADES, CUSTOMER_SOURCES, CUSTOMER_TYPES, HOSPITAL_GRADES, LIFECYCLE_STAGES } from './customers.api';

/**
 * The customer's fields as form items, grouped as the office reads a customer file: basic data,
 * location, trade terms, invoicing. Used inside a <Form> by the edit drawer and the account
 * opening form; the credit limit is typed in yuan (`creditLimitYuan`) and sent as fen.
 */
export function CustomerFieldset() {
  const { t } = useTranslation();
  const form = Form.useFormInstance();
  const type = Form.useWatch('type', form);
  const text = (max: number) => [{ max, message: t('validation.maxLength', { max }) }];
  return (
    <>
      <Divider titlePlacement="start">{t('customer.sections.basic')}</Divider>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item name="name" label={t('customer.name')} rules={[{ required: true, whitespace: true, message: t('validation.required') }, ...text(100)]}>
            <Input data-testid="customer-form-name" />
          </Form.Item>
        </Col>
        <Col xs={24} md={6}>
          <Form.Item name="shortName" label={t('customer.shortName')} rules={text(40)}>
            <Input />
          </Form.Item>
        </Col>
        <Col xs={24} md={6}>
          <Form.Item name="type" label={t('customer.type')} rules={[{ required: true, message: t('validation.required') }]}>
            <Select options={CUSTOMER_TYPES.map((x) => ({ value: x, label: t(`customer.types.${x}`) }))} data-testid="customer-form-type" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item
            name="creditCode"
            label={t('customer.creditCode')}
            normalize={(v: string) => v?.toUpperCase().replace(/\s+/g, '')}
            rules={[{ pattern: /^[0-9A-HJ-NPQRTUWXY]{18}$/, message: t('customer.creditCodeFormat') }]}
          >
            <Input maxLength={18} data-testid="customer-form-credit-code" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="aliases" label={t('customer.aliases')} extra={t('customer.aliasesHint')}>
            <Select mode="tags" open={false} tokenSeparators={[';', '；', ',', '，']} />
          </Form.Item>
        </Col>
        {type === 'hospital' && (
          <>
            <Col xs={24} md={6}>
              <Form.Item name="hospitalGrade" label={t('customer.hospitalGrade')}>
                <Select allowClear options={HOSPITAL_GRADES.map((x) => ({ value: x, label: t(`customer.hospitalGrades.${x}`) }))} />
              </Form.Item>
            </Col>
            <Col xs={24} md={18}>
              <Form.Item name="hospitalDepartments" label={t('customer.hospitalDepartments')} extra={t('customer.hospitalDepartmentsHint')}>
                <Select mode="tags" tokenSeparators={[';', '；', ',', '，', '、']} />
              </Form.Item>
            </Col>
          </>
        )}
        <Col xs={24} md={12}>
          <Form.Item name="parentId" label={t('customer.parent')}>
            <CustomerSelect />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="phone" label={t('customer.phone')} rules={text(30)}>
            <Input />
          </Form.Item>
        </Col>
      </Row>
      <Divider titlePlacement="start">{t('customer.sections.location')}</Divider>
      <Row gutter={16}>
        <Col xs={24} md={8}>
          <Form.Item name="territoryId" label={t('customer.territory')} rules={[{ required: true, message: t('validation.required') }]}>
            <TerritorySelect data-testid="customer-form-territory" />
          </Form.Item>
        </Col>
        <Col xs={24} md={16}>
          <Form.Item name="address" label={t('customer.address')} rules={text(200)}>
            <Input />
          </Form.Item>
        </Col>
      </Row>
      <Divider titlePlacement="start">{t('customer.sections.sales')}</Divider>
      <Row gutter={16}>
        <Col xs={12} md={6}>
          <Form.Item name="source" label={t('customer.source')}>
            <Select allowClear options={CUSTOMER_SOURCES.map((x) => ({ value: x, label: t(`customer.sources.${x}`) }))} />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item name="lifecycleStage" label={t('customer.lifecycleStage')} initialValue="identified">
            <Select options={LIFECYCLE_STAGES.map((x) => ({ value: x, label: t(`customer.lifecycleStages.${x}`) }))} />
          </Form.Item>
        </Col>
        <Col xs={12} md={4}>
          <Form.Item name="grade" label={t('customer.grade')}>
            <Select allowClear options={CUSTOMER_GRADES.map((x) => ({ value: x, label: t(`customer.grades.${x}`) }))} />
          </Form.Item>
        </Col>
        <Col xs={12} md={4}>
          <Form.Item
            name="creditLimitYuan"
            label={t('customer.creditLimit')}
            initialValue="0.00"
            rules={[{ validator: async (_, v: string) => (v === undefined || v === '' || yuanToFen(String(v)) !== null ? undefined : Promise.reject(new Error(t('validation.money')))) }]}
          >
            <Input addonBefore="¥" data-testid="customer-form-credit-limit" />
          </Form.Item>
        </Col>
        <Col xs={12} md={4}>
          <Form.Item name="paymentTermsDays" label={t('customer.paymentTermsDays')} initialValue={0}>
            <InputNumber min={0} max={3650} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Divider titlePlacement="start">{t('customer.sections.invoicing')}</Divider>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item name="invoiceTitle" label={t('customer.invoiceTitle')} rules={text(100)}>
            <Input />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="taxNumber" label={t('customer.taxNumber')} rules={text(30)}>
            <Input />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="bankName" label={t('customer.bankName')} rules={text(100)}>
            <Input />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="bankAccount" label={t('customer.bankAccount')} rules={text(40)}>
            <Input />
          </Form.Item>
        </Col>
        <Col xs={24} md={16}>
          <Form.Item name="invoiceAddress" label={t('customer.invoiceAddress')} rules={text(200)}>
            <Input />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="invoicePhone" label={t('customer.invoicePhone')} rules={text(30)}>
            <Input />
          </Form.Item>
        </Col>
        <Col xs={24}>
          <Form.Item name="notes" label={t('customer.notes')} rules={text(2000)}>
            <Input.TextArea rows={3} />
          </Form.Item>
        </Col>
      </Row>
    </>
  );
}

/** Form values (yuan text, empty strings) → the API's fields (fen, nulls). */
export function customerFieldsFromForm(values: Record<string, unknown>) {
  const blank = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
  return {
    name: String(values.name ?? '').trim(),
    shortName: blank(values.shortName),
    aliases: (values.aliases as string[] | undefined) ?? [],
    creditCode: blank(values.creditCode),
    type: values.type as never,
    territoryId: values.territoryId as string,
    address: blank(values.address),
    hospitalGrade: values.type === 'hospital' ? ((values.hospitalGrade as never) ?? null) : null,
    hospitalDepartments: values.type === 'hospital' ? ((values.hospitalDepartments as string[] | undefined) ?? []) : [],
    parentId: (values.parentId as number | undefined) ?? null,
    source: (values.source as never) ?? null,
    lifecycleStage: (values.lifecycleStage as never) ?? 'identified',
    grade: (values.grade as never) ?? null,
    creditLimitFen: yuanToFen(String(values.creditLimitYuan ?? '0') || '0') ?? '0',
    paymentTermsDays: Number(values.paymentTermsDays ?? 0),
    invoiceTitle: blank(values.invoiceTitle),
    taxNumber: blank(values.taxNumber),
    bankName: blank(values.bankName),
    bankAccount: blank(values.bankAccount),
    invoiceAddress: blank(values.invoiceAddress),
    invoicePhone: blank(values.invoicePhone),
    phone: blank(values.phone),
    notes: blank(values.notes),
  };
}
