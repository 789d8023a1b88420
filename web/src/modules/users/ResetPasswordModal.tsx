import { useState } from 'react';
import { App, Form, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { showFieldErrors } from '../../shared/formErrors';
import { NewPasswordFields } from '../../shared/NewPasswordFields';
import { resetUserPassword, type UserRow } from './users.api';

/** An administrator sets a temporary password; the user must replace it at the next login. */
export function ResetPasswordModal({ user, onClose }: { user: UserRow | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ newPassword: string; confirmPassword: string }>();
  const [saving, setSaving] = useState(false);

  async function submit(values: { newPassword: string }) {
    if (!user) return;
    setSaving(true);
    try {
      await resetUserPassword(user.id, values.newPassword);
      message.success(t('user.passwordResetDone', { name: user.displayName }));
      onClose();
    } catch (err) {
      if (!showFieldErrors(form, err)) message.error(err instanceof Error ? err.message : String(err));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal
      open={user !== null}
      title={t('user.resetPasswordTitle', { name: user?.displayName ?? '' })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('user.resetPassword')}
      okButtonProps={{ loading: saving, 'data-testid': 'reset-password-submit' }}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('user.resetPasswordHint')}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={submit} autoComplete="off" preserve={false}>
        <NewPasswordFields testIdPrefix="reset-password" />
      </Form>
    </Modal>
  );
}
