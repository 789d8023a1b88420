import { useEffect } from 'react';
import { App, Form, Modal, Typography } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { CustomerSelect } from '../../shared/CustomerSelect';
import { showFieldErrors } from '../../shared/formErrors';
import { CONTACTS_KEY, moveContact, type ContactListRow } from './contacts.api';

/** 调动: the contact now works at another customer (a doctor changes hospital); the old one stays in their history. */
export function ContactMoveModal({ contact, version, onClose }: { contact: ContactListRow | null; version: number | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ customerId: number }>();
  const queryClient = useQueryClient();
  useEffect(() => form.resetFields(), [contact, form]);

  const move = useMutation({
    mutationFn: (values: { customerId: number }) => moveContact(contact!.id, { customerId: values.customerId, version: version ?? 0 }),
    onSuccess: async (saved) => {
      message.success(t('contact.moved', { name: saved.name, customer: saved.customerName }));
      await queryClient.invalidateQueries({ queryKey: CONTACTS_KEY });
      onClose();
    },
    onError: (error) => {
      showFieldErrors(form, error);
      message.error(error.message);
    },
  });

  return (
    <Modal
      open={contact !== null}
      title={t('contact.moveTitle', { name: contact?.name ?? '' })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ loading: move.isPending, disabled: version === null }}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('contact.moveHint', { customer: contact?.customerName ?? '' })}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={(v) => move.mutate(v)}>
        <Form.Item name="customerId" label={t('contact.newCustomer')} rules={[{ required: true, message: t('validation.required') }]}>
          <CustomerSelect data-testid="contact-move-customer" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
