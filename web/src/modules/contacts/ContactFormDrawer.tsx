import { useEffect } from 'react';
import { App, Button, Col, DatePicker, Drawer, Form, Input, Row, Select, Space } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { CustomerSelect } from '../../shared/CustomerSelect';
import { showFieldErrors } from '../../shared/formErrors';
import { CONTACT_GENDERS, CONTACT_INFLUENCES, CONTACTS_KEY, createContact, updateContact, type ContactDetail, type ContactFields } from './contacts.api';

type Props = {
  open: boolean;
  onClose: () => void;
  /** Editing this contact; otherwise a new one. */
  contact?: ContactDetail | null;
  /** A new contact at this customer (the 360° page); otherwise the user picks the customer. */
  customerId?: number;
};

const blank = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);

/** Create or edit a contact. What was typed stays in the form when the server refuses it. */
export function ContactFormDrawer({ open, onClose, contact, customerId }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const queryClient = useQueryClient();

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (contact) form.setFieldsValue({ ...contact, birthday: contact.birthday ? dayjs(contact.birthday) : null });
    else form.setFieldsValue({ customerId, influence: 'other' });
  }, [open, contact, customerId, form]);

  const save = useMutation({
    mutationFn: (values: Record<string, unknown>) => {
      const fields: ContactFields = {
        name: String(values.name ?? '').trim(),
        gender: (values.gender as ContactFields['gender']) ?? null,
        department: blank(values.department),
        title: blank(values.title),
        mobile: blank(values.mobile),
        phone: blank(values.phone),
        email: blank(values.email),
        wechat: blank(values.wechat),
        birthday: values.birthday ? dayjs(values.birthday as dayjs.Dayjs).format('YYYY-MM-DD') : null,
        preferences: blank(values.preferences),
        notes: blank(values.notes),
        influence: (values.influence as ContactFields['influence']) ?? 'other',
      };
      return contact ? updateContact(contact.id, { ...fields, version: contact.version }) : createContact({ ...fields, customerId: Number(values.customerId) });
    },
    onSuccess: async (saved) => {
      message.success(t('contact.saved', { name: saved.name }));
      await queryClient.invalidateQueries({ queryKey: CONTACTS_KEY });
      onClose();
    },
    onError: (error) => {
      showFieldErrors(form, error);
      message.error(error.message);
    },
  });

  return (
    <Drawer
      open={open}
      onClose={onClose}
      width={720}
      title={contact ? t('contact.editTitle', { name: contact.name }) : t('contact.newTitle')}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="contact-form-save">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Form form={form} layout="vertical" onFinish={(values) => save.mutate(values)} data-testid="contact-form">
        <Form.Item name="customerId" label={t('contact.customer')} rules={[{ required: true, message: t('validation.required') }]} hidden={!!contact || customerId !== undefined}>
          <CustomerSelect data-testid="contact-form-customer" />
        </Form.Item>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="name" label={t('contact.name')} rules={[{ required: true, whitespace: true, message: t('validation.required') }, { max: 40 }]}>
              <Input data-testid="contact-form-name" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="gender" label={t('contact.gender')}>
              <Select allowClear options={CONTACT_GENDERS.map((g) => ({ value: g, label: t(`contact.genders.${g}`) }))} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="department" label={t('contact.department')} rules={[{ max: 40 }]}>
              <Input placeholder={t('contact.departmentPlaceholder')} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="title" label={t('contact.title')} rules={[{ max: 40 }]}>
              <Input placeholder={t('contact.titlePlaceholder')} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="mobile" label={t('contact.mobile')} rules={[{ pattern: /^(\+?86)?\s*1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}$/, message: t('contact.mobileInvalid') }]}>
              <Input inputMode="tel" data-testid="contact-form-mobile" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="phone" label={t('contact.phone')} rules={[{ max: 30 }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="email" label={t('contact.email')} rules={[{ type: 'email', message: t('contact.emailInvalid') }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="wechat" label={t('contact.wechat')} rules={[{ max: 60 }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="birthday" label={t('contact.birthday')}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="influence" label={t('contact.influence')}>
              <Select options={CONTACT_INFLUENCES.map((x) => ({ value: x, label: t(`contact.influences.${x}`) }))} data-testid="contact-form-influence" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="preferences" label={t('contact.preferences')} rules={[{ max: 1000 }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Form.Item name="notes" label={t('contact.notes')} rules={[{ max: 2000 }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
