import { useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, InputNumber, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth';
import { PERMISSIONS } from '../../app/permissions';
import { isApiError } from '../../shared/api';
import { PageTitle } from '../../shared/PageTitle';
import { CHANNEL_SETTINGS_KEY, getChannelSettings, saveChannelSettings, type ChannelSettings } from './notifications.api';

interface Values {
  smtp: { host: string; port: number; secure: boolean; user: string; from: string; password: string };
  wecomWebhookUrl: string;
  dingtalkWebhookUrl: string;
}

const toValues = (s: ChannelSettings): Values => ({
  smtp: { host: s.smtp.host ?? '', port: s.smtp.port, secure: s.smtp.secure, user: s.smtp.user ?? '', from: s.smtp.from ?? '', password: '' },
  wecomWebhookUrl: s.wecomWebhookUrl ?? '',
  dingtalkWebhookUrl: s.dingtalkWebhookUrl ?? '',
});
const orNull = (v: string) => (v.trim() === '' ? null : v.trim());

/** 系统管理 → 消息渠道: the SMTP server and the WeCom / DingTalk group robots (administrators). */
export default function ChannelSettingsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const editable = can(PERMISSIONS.settingsWrite);
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [clearPassword, setClearPassword] = useState(false);
  const settings = useQuery({ queryKey: CHANNEL_SETTINGS_KEY, queryFn: getChannelSettings });

  useEffect(() => {
    if (settings.data) form.setFieldsValue(toValues(settings.data));
  }, [settings.data, form]);

  async function submit(values: Values) {
    if (!settings.data) return;
    setSaving(true);
    try {
      const saved = await saveChannelSettings({
        smtp: {
          host: orNull(values.smtp.host),
          port: values.smtp.port,
          secure: values.smtp.secure,
          user: orNull(values.smtp.user),
          from: orNull(values.smtp.from),
          // An empty field keeps the stored password; "clear" removes it.
          ...(clearPassword ? { password: null } : values.smtp.password ? { password: values.smtp.password } : {}),
        },
        wecomWebhookUrl: orNull(values.wecomWebhookUrl),
        dingtalkWebhookUrl: orNull(values.dingtalkWebhookUrl),
        version: settings.data.version,
      });
      queryClient.setQueryData(CHANNEL_SETTINGS_KEY, saved);
      setClearPassword(false);
      message.success(t('channels.saved'));
    } catch (err) {
      // Typed values stay in the form; the server's field errors go next to their fields.
      if (isApiError(err) && err.fields.length > 0) {
        form.setFields(err.fields.map((f) => ({ name: f.path.split('.') as never, errors: [f.message] })));
      } else {
        message.error(err instanceof Error ? err.message : String(err));
      }
      if (isApiError(err, 'CONFLICT_VERSION')) void settings.refetch();
    } finally {
      setSaving(false);
    }
  }

  const passwordSet = settings.data?.smtp.passwordSet && !clearPassword;

  return (
    <>
      <PageTitle title={t('menu.channels')} />
      <Form form={form} layout="vertical" onFinish={submit} disabled={!editable || settings.isLoading} style={{ maxWidth: 720 }}>
        <Card title={t('channels.email')} style={{ marginBottom: 16 }} loading={settings.isLoading}>
          <Form.Item label={t('channels.smtpHost')} name={['smtp', 'host']}>
            <Input placeholder="smtp.exmail.qq.com" data-testid="channels-smtp-host" />
          </Form.Item>
          <Form.Item label={t('channels.smtpPort')} name={['smtp', 'port']} rules={[{ required: true, message: t('validation.required') }]}>
            <InputNumber min={1} max={65535} style={{ width: 160 }} data-testid="channels-smtp-port" />
          </Form.Item>
          <Form.Item label={t('channels.smtpSecure')} name={['smtp', 'secure']} valuePropName="checked">
            <Switch data-testid="channels-smtp-secure" />
          </Form.Item>
          <Form.Item label={t('channels.smtpUser')} name={['smtp', 'user']}>
            <Input autoComplete="off" data-testid="channels-smtp-user" />
          </Form.Item>
          <Form.Item
            label={t('channels.smtpPassword')}
            name={['smtp', 'password']}
            extra={passwordSet ? t('channels.passwordSetHint') : clearPassword ? t('channels.passwordWillClear') : undefined}
          >
            <Input.Password autoComplete="new-password" placeholder={passwordSet ? '••••••••' : undefined} disabled={clearPassword || !editable} data-testid="channels-smtp-password" />
          </Form.Item>
          {settings.data?.smtp.passwordSet && editable && (
            <Button size="small" type="link" onClick={() => setClearPassword((v) => !v)} style={{ marginTop: -16, paddingLeft: 0 }} data-testid="channels-smtp-password-clear">
              {clearPassword ? t('common.cancel') : t('channels.clearPassword')}
            </Button>
          )}
          <Form.Item label={t('channels.smtpFrom')} name={['smtp', 'from']}>
            <Input placeholder="RxDesk <notice@example.cn>" data-testid="channels-smtp-from" />
          </Form.Item>
        </Card>
        <Card title={t('channels.robots')} style={{ marginBottom: 16 }} loading={settings.isLoading}>
          <Typography.Paragraph type="secondary">{t('channels.robotsHint')}</Typography.Paragraph>
          <Form.Item label={t('notifications.channels.wecom')} name="wecomWebhookUrl">
            <Input placeholder="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…" data-testid="channels-wecom" />
          </Form.Item>
          <Form.Item label={t('notifications.channels.dingtalk')} name="dingtalkWebhookUrl">
            <Input placeholder="https://oapi.dingtalk.com/robot/send?access_token=…" data-testid="channels-dingtalk" />
          </Form.Item>
        </Card>
        {editable && (
          <Button type="primary" htmlType="submit" loading={saving} data-testid="channels-save">
            {t('common.save')}
          </Button>
        )}
      </Form>
    </>
  );
}
