import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Form, Modal, Popconfirm, Table, Tag, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../app/auth';
import { showFieldErrors } from '../../shared/formErrors';
import { PageTitle } from '../../shared/PageTitle';
import { UserSelect } from '../../shared/UserSelect';
import { createDelegation, DELEGATIONS_KEY, deleteDelegation, useDelegations, type Delegation } from './approvals.api';

interface Values {
  delegateId?: number;
  range?: [Dayjs, Dayjs];
}

/** 工作代理: while I am away, a colleague approves in my name; and whom I stand in for. */
export default function DelegationsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useMe();
  const queryClient = useQueryClient();
  const delegations = useDelegations();
  const [adding, setAdding] = useState(false);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<Values>();
  const today = dayjs().format('YYYY-MM-DD');

  async function add(values: Values) {
    setSaving(true);
    try {
      await createDelegation({ delegateId: values.delegateId!, startsOn: values.range![0].format('YYYY-MM-DD'), endsOn: values.range![1].format('YYYY-MM-DD') });
      message.success(t('delegation.added'));
      await queryClient.invalidateQueries({ queryKey: DELEGATIONS_KEY });
      setAdding(false);
    } catch (err) {
      if (!showFieldErrors(form, err, { startsOn: 'range', endsOn: 'range' })) message.error(err instanceof Error ? err.message : String(err));
    } finally {
      setSaving(false);
    }
  }

  async function remove(row: Delegation) {
    try {
      await deleteDelegation(row.id);
      message.success(t('delegation.removed'));
      await queryClient.invalidateQueries({ queryKey: DELEGATIONS_KEY });
    } catch (err) {
      message.error(err instanceof Error ? err.message : String(err));
    }
  }

  const columns: TableColumnsType<Delegation> = [
    {
      title: t('delegation.direction'),
      key: 'direction',
      width: 100,
      render: (_, row) => (row.userId === me.id ? <Tag color="blue">{t('delegation.given')}</Tag> : <Tag color="orange">{t('delegation.received')}</Tag>),
    },
    { title: t('delegation.principal'), dataIndex: 'userName', key: 'userName', width: 120 },
    { title: t('delegation.delegate'), dataIndex: 'delegateName', key: 'delegateName', width: 120 },
    { title: t('delegation.period'), key: 'period', width: 220, render: (_, row) => `${row.startsOn} ~ ${row.endsOn}` },
    {
      title: t('delegation.state'),
      key: 'state',
      width: 100,
      render: (_, row) =>
        row.endsOn < today ? <Tag>{t('delegation.ended')}</Tag> : row.startsOn > today ? <Tag color="default">{t('delegation.upcoming')}</Tag> : <Tag color="green">{t('delegation.active')}</Tag>,
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 100,
      render: (_, row) =>
        row.userId === me.id && (
          <Popconfirm title={t('delegation.confirmRemove', { name: row.delegateName })} onConfirm={() => remove(row)} okText={t('common.confirm')} cancelText={t('common.cancel')}>
            <Button type="link" size="small" danger data-testid={`delegation-remove-${row.id}`}>
              {t('common.delete')}
            </Button>
          </Popconfirm>
        ),
    },
  ];

  return (
    <>
      <PageTitle
        title={t('menu.delegations')}
        extra={
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => {
              form.resetFields();
              setAdding(true);
            }}
            data-testid="delegation-add"
          >
            {t('delegation.add')}
          </Button>
        }
      />
      <Card>
        <Table<Delegation>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={delegations.data}
          loading={delegations.isFetching}
          locale={{ emptyText: delegations.isError ? delegations.error.message : t('delegation.none') }}
          pagination={false}
        />
      </Card>
      <Modal open={adding} title={t('delegation.add')} okText={t('common.save')} cancelText={t('common.cancel')} okButtonProps={{ loading: saving }} onOk={() => form.submit()} onCancel={() => setAdding(false)} destroyOnHidden>
        <Form form={form} layout="vertical" onFinish={add} preserve={false}>
          <Form.Item name="delegateId" label={t('delegation.delegate')} extra={t('delegation.delegateHint')} rules={[{ required: true, message: t('validation.required') }]}>
            <UserSelect source="directory" data-testid="delegation-delegate" />
          </Form.Item>
          <Form.Item name="range" label={t('delegation.period')} rules={[{ required: true, message: t('validation.required') }]}>
            <DatePicker.RangePicker style={{ width: '100%' }} disabledDate={(d) => d.isBefore(dayjs(), 'day')} data-testid="delegation-range" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
