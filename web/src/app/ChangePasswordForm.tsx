import { useState } from 'react';
import { Alert, App, Button, Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAuth } from './auth';
import { isApiError } from '../shared/api';
import { showFieldErrors } from '../shared/formErrors';
import { NewPasswordFields } from '../shared/NewPasswordFields';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

export function ChangePasswordForm({ onDone, onCancel }: { onDone?: () => void; onCancel?: () => void }) {
  const { t } = useTranslation();
  const { changePassword } = useAuth();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(values: Values) {
    setSubmitting(true);
    setError(null);
    try {
      await changePassword({ currentPassword: values.currentPassword, newPassword: values.newPassword });
      message.success(t('auth.passwordChanged'));
      form.resetFields();
      onDone?.();
    } catch (err) {
      if (!showFieldErrors(form, err)) {
        if (isApiError(err, 'AUTH_INVALID_CREDENTIALS')) form.setFields([{ name: 'currentPassword', errors: [err.message] }]);
        else setError(err instanceof Error ? err.message : String(err));
      }
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <Form form={form} layout="vertical" onFinish={submit} requiredMark={false} autoComplete="off">
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form.Item name="currentPassword" label={t('auth.currentPassword')} rules={[{ required: true, message: t('validation.required') }]}>
        <Input.Password data-testid="change-password-current" autoComplete="current-password" />
      </Form.Item>
      <NewPasswordFields testIdPrefix="change-password" />
      <div style={{ display: 'flex', justifyContent: 'flex-end', gap: 8 }}>
        {onCancel && <Button onClick={onCancel}>{t('common.cancel')}</Button>}
        <Button type="primary" htmlType="submit" loading={submitting} data-testid="change-password-submit">
          {t('auth.changePassword')}
        </Button>
      </div>
    </Form>
  );
}

export function ChangePasswordModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal open={open} title={t('auth.changePassword')} footer={null} onCancel={onClose} destroyOnHidden>
      <ChangePasswordForm onDone={onClose} onCancel={onClose} />
    </Modal>
  );
}
