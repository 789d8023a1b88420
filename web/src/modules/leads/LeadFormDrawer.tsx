import { useEffect } from 'react';
import { App, Button, Col, DatePicker, Drawer, Form, Input, Row, Select, Space } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { useAuth } from '../../app/auth';
import { PERMISSIONS } from '../../app/permissions';
import { isApiError } from '../../shared/api';
import { showFieldErrors } from '../../shared/formErrors';
import { UserSelect } from '../../shared/UserSelect';
import { TerritorySelect } from '../territories/TerritorySelect';
import { ProductsSelect } from '../products/ProductsSelect';
import { CUSTOMER_TYPES, GRADES, LEAD_STAGES, LEADS_KEY, SOURCES, createLead, updateLead, type LeadDetail, type LeadFields } from './leads.api';

type Props = { open: boolean; onClose: () => void; lead?: LeadDetail | null };

const blank = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);

/**
 * 新建 / 编辑线索. An organisation that is already a customer is refused; one that is another open lead
 * is shown and may be created anyway after confirming. What was typed stays when the server refuses.
 */
export function LeadFormDrawer({ open, onClose, lead }: Props) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const [form] = Form.useForm();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { can } = useAuth();
  const assigner = can(PERMISSIONS.leadsAssign);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (lead) form.setFieldsValue({ ...lead, productIds: lead.products.map((p) => p.id), nextFollowUpOn: lead.nextFollowUpOn ? dayjs(lead.nextFollowUpOn) : null });
    else form.setFieldsValue({ source: 'visit', grade: 'C', lifecycleStage: 'lead', productIds: [] });
  }, [open, lead, form]);

  const fieldsOf = (values: Record<string, unknown>): LeadFields => ({
    organisation: String(values.organisation ?? '').trim(),
    contactName: blank(values.contactName),
    contactTitle: blank(values.contactTitle),
    phone: blank(values.phone),
    territoryId: (values.territoryId as string | undefined) ?? null,
    address: blank(values.address),
    source: values.source as LeadFields['source'],
    customerType: (values.customerType as LeadFields['customerType']) ?? null,
    productIds: (values.productIds as number[] | undefined) ?? [],
    nextFollowUpOn: values.nextFollowUpOn ? dayjs(values.nextFollowUpOn as dayjs.Dayjs).format('YYYY-MM-DD') : null,
    notes: blank(values.notes),
  });

  const save = useMutation({
    mutationFn: ({ values, confirmDuplicate }: { values: Record<string, unknown>; confirmDuplicate: boolean }) =>
      lead
        ? updateLead(lead.id, { ...fieldsOf(values), version: lead.version })
        : createLead({
            ...fieldsOf(values),
            grade: values.grade as LeadDetail['grade'],
            lifecycleStage: values.lifecycleStage as 'lead',
            ownerId: (values.ownerId as number | undefined) ?? null,
            confirmDuplicate,
          }),
    onSuccess: async (saved) => {
      message.success(t('leads.saved', { name: saved.organisation }));
      await queryClient.invalidateQueries({ queryKey: LEADS_KEY });
      onClose();
      if (!lead) navigate(`/leads/${saved.id}`);
    },
    onError: (error, variables) => {
      if (!lead && isApiError(error, 'LEAD_DUPLICATE')) {
        modal.confirm({
          title: t('leads.duplicateTitle'),
          content: `${error.message}。${t('leads.duplicateQuestion')}`,
          okText: t('leads.createAnyway'),
          onOk: () => save.mutate({ values: variables.values, confirmDuplicate: true }),
        });
        return;
      }
      showFieldErrors(form, error);
      message.error(error.message);
    },
  });

  const required = { required: true, message: t('validation.required') };
  return (
    <Drawer
      open={open}
      onClose={onClose}
      width={760}
      title={lead ? t('leads.editTitle', { name: lead.organisation }) : t('leads.newTitle')}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="lead-form-save">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Form form={form} layout="vertical" onFinish={(values) => save.mutate({ values, confirmDuplicate: false })} data-testid="lead-form">
        <Row gutter={16}>
          <Col span={24}>
            <Form.Item name="organisation" label={t('leads.organisation')} rules={[{ ...required, whitespace: true }, { min: 2, max: 100 }]}>
              <Input data-testid="lead-form-organisation" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="contactName" label={t('leads.contactName')} rules={[{ max: 40 }]}>
              <Input data-testid="lead-form-contact" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="contactTitle" label={t('leads.contactTitle')} rules={[{ max: 40 }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              name="phone"
              label={t('leads.phone')}
              rules={[
                { max: 30 },
                {
                  validator: (_, v: string | undefined) => {
                    const s = (v ?? '').replace(/[\s\-()（）]/g, '').replace(/^(\+?86)(?=1\d{10}$)/, '');
                    return /^1\d*$/.test(s) && !/^1[3-9]\d{9}$/.test(s) ? Promise.reject(new Error(t('leads.mobileInvalid'))) : Promise.resolve();
                  },
                },
              ]}
            >
              <Input inputMode="tel" data-testid="lead-form-phone" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="territoryId" label={t('leads.territory')}>
              <TerritorySelect data-testid="lead-form-territory" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="address" label={t('leads.address')} rules={[{ max: 200 }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="source" label={t('leads.source')} rules={[required]}>
              <Select options={SOURCES.map((s) => ({ value: s, label: t(`customer.sources.${s}`) }))} data-testid="lead-form-source" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="customerType" label={t('leads.customerType')}>
              <Select allowClear options={CUSTOMER_TYPES.map((s) => ({ value: s, label: t(`customer.types.${s}`) }))} data-testid="lead-form-type" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="nextFollowUpOn" label={t('leads.nextFollowUpOn')}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          {!lead && (
            <>
              <Col span={8}>
                <Form.Item name="grade" label={t('leads.grade')}>
                  <Select options={GRADES.map((g) => ({ value: g, label: t(`customer.grades.${g}`) }))} />
                </Form.Item>
              </Col>
              <Col span={8}>
                <Form.Item name="lifecycleStage" label={t('leads.stage')}>
                  <Select options={LEAD_STAGES.map((s) => ({ value: s, label: t(`customer.lifecycleStages.${s}`) }))} />
                </Form.Item>
              </Col>
              {assigner && (
                <Col span={8}>
                  <Form.Item name="ownerId" label={t('leads.owner')} extra={t('leads.ownerEmptyHint')}>
                    <UserSelect allowClear placeholder={t('leads.byRules')} />
                  </Form.Item>
                </Col>
              )}
            </>
          )}
        </Row>
        <Form.Item name="productIds" label={t('leads.products')}>
          <ProductsSelect notFoundText={t('leads.noProducts')} />
        </Form.Item>
        <Form.Item name="notes" label={t('leads.notes')} rules={[{ max: 2000 }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
