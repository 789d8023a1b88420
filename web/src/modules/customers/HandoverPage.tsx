import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Form, Input, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth';
import { PERMISSIONS } from '../../app/permissions';
import { showFieldErrors } from '../../shared/formErrors';
import { PageTitle } from '../../shared/PageTitle';
import { UserSelect } from '../../shared/UserSelect';
import { CUSTOMERS_KEY } from './customers.api';
import { OWNERSHIP_KEY, cancelDelegation, createDelegation, listDelegations, transferCustomers, transferPreview, type Delegation } from './ownership.api';

const STATE_COLORS: Record<Delegation['state'], string> = { active: 'green', upcoming: 'blue', past: 'default', cancelled: 'default' };

/**
 * 工作交接: 工作转移 (a leaving rep's customers all move to another rep, count shown first) for
 * managers with customers.assign, and 工作代理 (a colleague works with a rep's customers for dates)
 * for every rep — their own — and managers for their reps.
 */
export default function HandoverPage() {
  const { t } = useTranslation();
  const { can, me } = useAuth();
  return (
    <>
      <PageTitle title={t('menu.handover')} />
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        {can(PERMISSIONS.customersAssign) && <TransferCard />}
        <DelegationsCard myId={me?.id ?? 0} manager={can(PERMISSIONS.customersAssign)} />
      </Space>
    </>
  );
}

function TransferCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ fromUserId: number; toUserId: number; reason: string }>();
  const fromUserId = Form.useWatch('fromUserId', form);
  const preview = useQuery({
    queryKey: [...OWNERSHIP_KEY, 'transfer-preview', fromUserId],
    queryFn: ({ signal }) => transferPreview(fromUserId!, signal),
    enabled: typeof fromUserId === 'number',
  });
  const transfer = useMutation({
    mutationFn: transferCustomers,
    onSuccess: async (res) => {
      message.success(t('ownership.transferred', { count: res.transferred }));
      await Promise.all([queryClient.invalidateQueries({ queryKey: CUSTOMERS_KEY }), queryClient.invalidateQueries({ queryKey: OWNERSHIP_KEY })]);
      form.resetFields();
    },
    onError: (error) => {
      showFieldErrors(form, error);
      message.error(error.message);
    },
  });

  return (
    <Card title={t('ownership.transferTitle')}>
      <Typography.Paragraph type="secondary">{t('ownership.transferHint')}</Typography.Paragraph>
      <Form form={form} layout="inline" onFinish={(v) => transfer.mutate(v)} style={{ rowGap: 12 }}>
        <Form.Item name="fromUserId" label={t('ownership.fromRep')} rules={[{ required: true, message: t('validation.required') }]}>
          <UserSelect source="directory" activeOnly={false} style={{ width: 180 }} data-testid="transfer-from" />
        </Form.Item>
        <Form.Item name="toUserId" label={t('ownership.toRep')} rules={[{ required: true, message: t('validation.required') }]}>
          <UserSelect source="directory" style={{ width: 180 }} data-testid="transfer-to" />
        </Form.Item>
        <Form.Item name="reason" label={t('ownership.reason')} rules={[{ required: true, whitespace: true, message: t('validation.required') }, { max: 200 }]}>
          <Input style={{ width: 220 }} placeholder={t('ownership.transferReasonPlaceholder')} />
        </Form.Item>
        <Form.Item>
          <Popconfirm title={t('ownership.transferConfirm', { count: preview.data?.count ?? 0 })} onConfirm={() => form.submit()} disabled={!preview.data?.count}>
            <Button type="primary" danger loading={transfer.isPending} disabled={!preview.data?.count} data-testid="transfer-submit">
              {t('ownership.transfer')}
            </Button>
          </Popconfirm>
        </Form.Item>
      </Form>
      {preview.data && <Alert style={{ marginTop: 12 }} type="info" showIcon message={t('ownership.transferCount', { count: preview.data.count })} data-testid="transfer-count" />}
      {preview.isError && <Alert style={{ marginTop: 12 }} type="error" message={preview.error.message} />}
    </Card>
  );
}

function DelegationsCard({ myId, manager }: { myId: number; manager: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ fromUserId: number; toUserId: number; range: [Dayjs, Dayjs]; reason?: string }>();
  const [showAll, setShowAll] = useState(false);
  const list = useQuery({ queryKey: [...OWNERSHIP_KEY, 'delegations', showAll], queryFn: ({ signal }) => listDelegations({ current: showAll ? undefined : true }, signal) });

  const create = useMutation({
    mutationFn: (v: { fromUserId: number; toUserId: number; range: [Dayjs, Dayjs]; reason?: string }) =>
      createDelegation({ fromUserId: v.fromUserId, toUserId: v.toUserId, startsOn: v.range[0].format('YYYY-MM-DD'), endsOn: v.range[1].format('YYYY-MM-DD'), reason: v.reason?.trim() || null }),
    onSuccess: async () => {
      message.success(t('ownership.delegationCreated'));
      await queryClient.invalidateQueries({ queryKey: OWNERSHIP_KEY });
      await queryClient.invalidateQueries({ queryKey: CUSTOMERS_KEY });
      form.resetFields();
      form.setFieldsValue({ fromUserId: myId });
    },
    onError: (error) => {
      showFieldErrors(form, error, { startsOn: 'range', endsOn: 'range' });
      message.error(error.message);
    },
  });
  const cancel = useMutation({
    mutationFn: cancelDelegation,
    onSuccess: async () => {
      message.success(t('ownership.delegationCancelled'));
      await queryClient.invalidateQueries({ queryKey: OWNERSHIP_KEY });
    },
    onError: (error) => message.error(error.message),
  });

  return (
    <Card title={t('ownership.delegationsTitle')}>
      <Typography.Paragraph type="secondary">{t('ownership.delegationsHint')}</Typography.Paragraph>
      <Form form={form} layout="inline" initialValues={{ fromUserId: myId }} onFinish={(v) => create.mutate(v)} style={{ rowGap: 12, marginBottom: 16 }}>
        <Form.Item name="fromUserId" label={t('ownership.delegator')} rules={[{ required: true, message: t('validation.required') }]} hidden={!manager}>
          <UserSelect source="directory" style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="toUserId" label={t('ownership.delegate')} rules={[{ required: true, message: t('validation.required') }]}>
          <UserSelect source="directory" style={{ width: 160 }} data-testid="delegation-to" />
        </Form.Item>
        <Form.Item name="range" label={t('ownership.period')} rules={[{ required: true, message: t('validation.required') }]}>
          <DatePicker.RangePicker disabledDate={(d) => d.isBefore(dayjs(), 'day')} />
        </Form.Item>
        <Form.Item name="reason" label={t('ownership.reason')} rules={[{ max: 200 }]}>
          <Input style={{ width: 180 }} />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={create.isPending} data-testid="delegation-submit">
            {t('ownership.delegationCreate')}
          </Button>
        </Form.Item>
      </Form>
      <Space style={{ marginBottom: 8 }}>
        <Button size="small" onClick={() => setShowAll((x) => !x)}>
          {showAll ? t('ownership.showCurrent') : t('ownership.showAll')}
        </Button>
      </Space>
      <Table<Delegation>
        rowKey="id"
        size="small"
        pagination={false}
        loading={list.isFetching}
        dataSource={list.data}
        data-testid="delegations-table"
        columns={[
          { title: t('ownership.delegator'), dataIndex: 'fromUserName', width: 120 },
          { title: t('ownership.delegate'), dataIndex: 'toUserName', width: 120 },
          { title: t('ownership.period'), key: 'period', width: 220, render: (_, d) => `${d.startsOn} ~ ${d.endsOn}` },
          { title: t('ownership.state'), dataIndex: 'state', width: 100, render: (s: Delegation['state']) => <Tag color={STATE_COLORS[s]}>{t(`ownership.states.${s}`)}</Tag> },
          { title: t('ownership.reason'), dataIndex: 'reason' },
          { title: t('ownership.by'), dataIndex: 'createdByName', width: 110 },
          {
            title: t('common.actions'),
            key: 'actions',
            width: 100,
            render: (_, d) =>
              (d.state === 'active' || d.state === 'upcoming') && (
                <Popconfirm title={t('ownership.cancelConfirm')} onConfirm={() => cancel.mutate(d.id)}>
                  <Button type="link" size="small" danger>
                    {t('ownership.cancelDelegation')}
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
    </Card>
  );
}
