import { useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { Alert, Button, Card, Form, Input } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useAuth } from './auth';
import { applyLocale } from './i18n';
import { LanguageSwitch } from './LanguageSwitch';
import { ApiError } from '../shared/api';
import { showFieldErrors } from '../shared/formErrors';

interface Values {
  username: string;
  password: string;
}

/** Only same-site paths are followed after login, never an outside address. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';
}

export function LoginPage() {
  const { t } = useTranslation();
  const { me, login } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [form] = Form.useForm<Values>();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<ApiError | Error | null>(null);
  const next = safeNext(params.get('next'));

  if (me) return <Navigate to={next} replace />;

  async function submit(values: Values) {
    setSubmitting(true);
    setError(null);
    try {
      await login(values.username.trim(), values.password);
      navigate(next, { replace: true });
    } catch (err) {
      if (!showFieldErrors(form, err)) setError(err instanceof Error ? err : new Error(String(err)));
      form.setFieldValue('password', '');
    } finally {
      setSubmitting(false);
    }
  }

  // A locked account is temporary (try later); the others are plain refusals.
  const alertType = error instanceof ApiError && error.status === 429 ? 'warning' : 'error';

  return (
    <div className="rx-login">
      <div className="rx-login-lang">
        <LanguageSwitch onChange={applyLocale} dark />
      </div>
      <Card className="rx-login-card">
        <div className="rx-login-title">
          <span className="rx-logo-mark" style={{ width: 44, height: 44, fontSize: 20, color: '#fff', borderRadius: 10 }}>
            Rx
          </span>
          <h1>{t('app.title')}</h1>
          <div style={{ color: 'rgba(0,0,0,0.45)' }}>{t('auth.loginSubtitle')}</div>
        </div>
        {error && (
          <Alert type={alertType} showIcon title={error.message} style={{ marginBottom: 16 }} data-testid="login-error" />
        )}
        <Form form={form} layout="vertical" onFinish={submit} requiredMark={false} size="large">
          <Form.Item name="username" rules={[{ required: true, whitespace: true, message: t('auth.usernameRequired') }]}>
            <Input prefix={<UserOutlined />} placeholder={t('auth.username')} autoComplete="username" autoFocus data-testid="login-username" />
          </Form.Item>
          <Form.Item name="password" rules={[{ required: true, message: t('auth.passwordRequired') }]}>
            <Input.Password prefix={<LockOutlined />} placeholder={t('auth.password')} autoComplete="current-password" data-testid="login-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={submitting} data-testid="login-submit">
            {t('auth.login')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
