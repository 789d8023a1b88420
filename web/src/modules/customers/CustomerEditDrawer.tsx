import { useEffect } from 'react';
import { App, Button, Drawer, Form, Space } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { showFieldErrors } from '../../shared/formErrors';
import { fenToYuanText } from '../../shared/money';
import { CustomerFieldset, customerFieldsFromForm } from './CustomerFieldset';
import { CUSTOMERS_KEY, updateCustomer, type CustomerDetail } from './customers.api';

/** Edit a customer's file. What was typed stays in the form when the server refuses it. */
export function CustomerEditDrawer({ customer, open, onClose }: { customer: CustomerDetail; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const queryClient = useQueryClient();

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue({ ...customer, creditLimitYuan: fenToYuanText(customer.creditLimitFen) });
  }, [open, customer, form]);

  const save = useMutation({
    mutationFn: (values: Record<string, unknown>) => updateCustomer(customer.id, { ...customerFieldsFromForm(values), version: customer.version }),
    onSuccess: async (saved) => {
      message.success(t('customer.saved', { name: saved.name }));
      await queryClient.invalidateQueries({ queryKey: CUSTOMERS_KEY });
      onClose();
    },
    onError: (error) => {
      showFieldErrors(form, error, { creditLimitFen: 'creditLimitYuan' });
      message.error(error.message);
    },
  });

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size="large"
      width={880}
      title={t('customer.editTitle', { name: customer.name })}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="customer-form-save">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Form form={form} layout="vertical" onFinish={(values) => save.mutate(values)} data-testid="customer-form">
        <CustomerFieldset />
      </Form>
    </Drawer>
  );
}
