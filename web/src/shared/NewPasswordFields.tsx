import { Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { isStrongPassword } from './formErrors';

/**
 * "New password" and "confirm" form items with the server's password rule (8+ characters, letters
 * and digits) checked as the user types. Used by the own-password change and the administrator's reset.
 */
export function NewPasswordFields({ testIdPrefix }: { testIdPrefix: string }) {
  const { t } = useTranslation();
  return (
    <>
      <Form.Item
        name="newPassword"
        label={t('auth.newPassword')}
        extra={t('auth.passwordRule')}
        rules={[
          { required: true, message: t('validation.required') },
          { validator: (_, value: string) => (!value || isStrongPassword(value) ? Promise.resolve() : Promise.reject(new Error(t('auth.passwordRule')))) },
        ]}
      >
        <Input.Password data-testid={`${testIdPrefix}-new`} autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        name="confirmPassword"
        label={t('auth.confirmPassword')}
        dependencies={['newPassword']}
        rules={[
          { required: true, message: t('validation.required') },
          ({ getFieldValue }) => ({
            validator: (_, value: string) =>
              !value || value === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('auth.passwordMismatch'))),
          }),
        ]}
      >
        <Input.Password data-testid={`${testIdPrefix}-confirm`} autoComplete="new-password" />
      </Form.Item>
    </>
  );
}
