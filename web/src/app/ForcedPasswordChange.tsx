import { Alert, Button, Card } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { useAuth, useMe } from './auth';
import { ChangePasswordForm } from './ChangePasswordForm';

/** A first login or an admin reset: nothing else opens until the user picks their own password. */
export function ForcedPasswordChange() {
  const { t } = useTranslation();
  const me = useMe();
  const { logout } = useAuth();
  const navigate = useNavigate();
  return (
    <div className="rx-login">
      <Card className="rx-login-card" style={{ width: 440 }} title={t('auth.mustChangeTitle')} data-testid="forced-password-change">
        <Alert type="info" showIcon title={t('auth.mustChangeHint', { name: me.displayName })} style={{ marginBottom: 16 }} />
        <ChangePasswordForm />
        <div style={{ textAlign: 'center', marginTop: 8 }}>
          <Button type="link" data-testid="logout" onClick={() => void logout().finally(() => navigate('/login', { replace: true }))}>
            {t('auth.logout')}
          </Button>
        </div>
      </Card>
    </div>
  );
}
