import { useEffect } from 'react';
import { App, Form, Input, Modal, Typography } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { showFieldErrors } from '../../shared/formErrors';
import { UserSelect } from '../../shared/UserSelect';
import { CUSTOMERS_KEY } from './customers.api';
import { OWNERSHIP_KEY, assignCustomers } from './ownership.api';

/** 分配负责人: one or many customers get an owner (an active rep the user manages). */
export function AssignOwnerModal({ customerIds, open, onClose, onDone }: { customerIds: number[]; open: boolean; onClose: () => void; onDone?: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ ownerId: number; reason?: string }>();
  const queryClient = useQueryClient();
  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);

  const assign = useMutation({
    mutationFn: (v: { ownerId: number; reason?: string }) => assignCustomers({ customerIds, ownerId: v.ownerId, reason: v.reason?.trim() || null }),
    onSuccess: async (res) => {
      message.success(t('ownership.assigned', { count: res.assigned }));
      await Promise.all([queryClient.invalidateQueries({ queryKey: CUSTOMERS_KEY }), queryClient.invalidateQueries({ queryKey: OWNERSHIP_KEY })]);
      onDone?.();
      onClose();
    },
    onError: (error) => {
      showFieldErrors(form, error);
      message.error(error.message);
    },
  });

  return (
    <Modal open={open} title={t('ownership.assignTitle')} onCancel={onClose} onOk={() => form.submit()} okButtonProps={{ loading: assign.isPending }} destroyOnHidden>
      <Typography.Paragraph type="secondary">{t('ownership.assignHint', { count: customerIds.length })}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={(v) => assign.mutate(v)}>
        <Form.Item name="ownerId" label={t('ownership.newOwner')} rules={[{ required: true, message: t('validation.required') }]}>
          <UserSelect source="directory" data-testid="assign-owner" />
        </Form.Item>
        <Form.Item name="reason" label={t('ownership.reason')} rules={[{ max: 200 }]}>
          <Input />
        </Form.Item>
      </Form>
    </Modal>
  );
}
