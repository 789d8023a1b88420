import { useEffect } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Form, InputNumber, Radio, Row, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../shared/api';
import { formatDateTime } from '../../shared/format';
import { showFieldErrors } from '../../shared/formErrors';
import { PageTitle } from '../../shared/PageTitle';
import { DepartmentTreeSelect } from '../departments/DepartmentTreeSelect';
import { GRADES, getCrmSettings, saveCrmSettings, type CrmSettings } from './leads.api';

const KEY = ['crm', 'settings'] as const;

/** 线索与提醒设置: lead assignment and reclaim, neglected-customer days per grade, the hot-prospect threshold. */
export default function CrmSettingsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: KEY, queryFn: ({ signal }) => getCrmSettings(signal) });
  const mode = Form.useWatch('leadAssignment', form) as CrmSettings['leadAssignment'] | undefined;

  useEffect(() => {
    if (settings.data) form.setFieldsValue(settings.data);
  }, [settings.data, form]);

  const save = useMutation({
    mutationFn: (values: Omit<CrmSettings, 'updatedAt' | 'version'>) =>
      saveCrmSettings({ ...values, roundRobinDepartmentId: values.roundRobinDepartmentId ?? null, version: settings.data!.version }),
    onSuccess: (saved) => {
      queryClient.setQueryData(KEY, saved);
      message.success(t('leads.settings.saved'));
    },
    onError: (error) => {
      if (!showFieldErrors(form, error)) message.error(error.message);
    },
  });

  if (settings.isLoading || !settings.data) return <Spin style={{ display: 'block', margin: '80px auto' }} />;
  const stale = isApiError(save.error, 'CONFLICT_VERSION');

  return (
    <>
      <PageTitle title={t('menu.crmSettings')} />
      {stale && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('leads.settings.stale')}
          action={
            <Button size="small" onClick={async () => { save.reset(); await settings.refetch(); }} data-testid="crm-settings-reload">
              {t('common.refresh')}
            </Button>
          }
        />
      )}
      <Form form={form} layout="vertical" onFinish={(values) => save.mutate(values)} data-testid="crm-settings-form" style={{ maxWidth: 900 }}>
        <Card title={t('leads.settings.assignmentTitle')} style={{ marginBottom: 16 }}>
          <Form.Item name="leadAssignment" label={t('leads.settings.assignment')}>
            <Radio.Group>
              {(['territory', 'round_robin', 'manual'] as const).map((m) => (
                <Radio key={m} value={m} style={{ display: 'block', marginBottom: 8 }}>
                  {t(`leads.settings.modes.${m}`)}
                  <Typography.Text type="secondary"> — {t(`leads.settings.modeHelp.${m}`)}</Typography.Text>
                </Radio>
              ))}
            </Radio.Group>
          </Form.Item>
          <Form.Item
            name="roundRobinDepartmentId"
            label={t('leads.settings.team')}
            hidden={mode !== 'round_robin'}
            rules={[{ required: mode === 'round_robin', message: t('validation.required') }]}
          >
            <DepartmentTreeSelect style={{ width: 320 }} />
          </Form.Item>
          <Form.Item name="leadReclaimDays" label={t('leads.settings.reclaimDays')} extra={t('leads.settings.reclaimHelp')} rules={[{ required: true, message: t('validation.required') }]}>
            <InputNumber min={0} max={365} precision={0} addonAfter={t('leads.settings.days')} data-testid="crm-settings-reclaim" />
          </Form.Item>
        </Card>
        <Card title={t('leads.settings.dormantTitle')} style={{ marginBottom: 16 }}>
          <Typography.Paragraph type="secondary">{t('leads.settings.dormantHelp')}</Typography.Paragraph>
          <Row gutter={16}>
            {GRADES.map((g) => (
              <Col key={g} xs={12} md={8} lg={4}>
                <Form.Item name={['dormantDays', g]} label={t(`customer.grades.${g}`)} rules={[{ required: true, message: t('validation.required') }]}>
                  <InputNumber min={1} max={3650} precision={0} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
            ))}
          </Row>
        </Card>
        <Card title={t('leads.settings.hotTitle')} style={{ marginBottom: 16 }}>
          <Form.Item name="hotProbability" label={t('leads.settings.hotProbability')} rules={[{ required: true, message: t('validation.required') }]}>
            <InputNumber min={1} max={100} precision={0} addonAfter="%" />
          </Form.Item>
        </Card>
        <Button type="primary" htmlType="submit" loading={save.isPending} disabled={stale} data-testid="crm-settings-save">
          {t('common.save')}
        </Button>
        <Typography.Text type="secondary" style={{ marginLeft: 16 }}>
          {t('leads.settings.lastSaved', { at: formatDateTime(settings.data.updatedAt) })}
        </Typography.Text>
      </Form>
    </>
  );
}
