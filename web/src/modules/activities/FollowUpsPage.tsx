import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Badge, Button, Card, Empty, Space, Table, Tabs, Tag, Typography, type TableColumnsType } from 'antd';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../app/auth';
import { formatDate } from '../../shared/format';
import { PageTitle } from '../../shared/PageTitle';
import { UserSelect } from '../../shared/UserSelect';
import { readInt, useUrlState } from '../../shared/urlState';
import { ACTIVITIES_KEY, type ActionItem, type FollowUpItem, type FollowUps, getFollowUps, updateActionItem } from './activities.api';

const TABS = ['followUps', 'neglected', 'birthdays', 'actionItems'] as const;

/** 跟进提醒: what is due (overdue, today, next 7 days), customers gone quiet, this week's birthdays, meeting to-dos. */
export default function FollowUpsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { params, update } = useUrlState();
  const tab = TABS.find((x) => x === params.get('tab')) ?? 'followUps';
  const ownerId = readInt(params, 'ownerId');
  const isManager = me.dataScopes.some((s) => s !== 'own');

  const data = useQuery({ queryKey: [...ACTIVITIES_KEY, 'follow-ups', ownerId ?? null], queryFn: ({ signal }) => getFollowUps(ownerId, signal) });
  const f = data.data;
  const due = f ? f.overdue.length + f.dueToday.length : 0;

  const tabs = [
    { key: 'followUps', label: <Badge count={due} size="small" offset={[8, -2]}>{t('activities.tabs.followUps')}</Badge>, children: f && <FollowUpLists f={f} /> },
    { key: 'neglected', label: <Badge count={f?.neglected.length ?? 0} size="small" offset={[8, -2]} color="orange">{t('activities.tabs.neglected')}</Badge>, children: f && <Neglected f={f} /> },
    { key: 'birthdays', label: <Badge count={f?.birthdays.length ?? 0} size="small" offset={[8, -2]} color="magenta">{t('activities.tabs.birthdays')}</Badge>, children: f && <Birthdays f={f} /> },
    { key: 'actionItems', label: <Badge count={f?.actionItems.length ?? 0} size="small" offset={[8, -2]} color="blue">{t('activities.tabs.actionItems')}</Badge>, children: f && <ActionItems items={f.actionItems} /> },
  ];

  return (
    <>
      <PageTitle
        title={t('menu.followUps')}
        extra={
          isManager && (
            <UserSelect style={{ width: 200 }} placeholder={t('activities.rep')} value={ownerId} onChange={(v) => update({ ownerId: v }, { resetPage: false })} data-testid="follow-ups-rep" />
          )
        }
      />
      <Card loading={data.isLoading}>
        {data.isError ? (
          <Typography.Text type="danger">{data.error.message}</Typography.Text>
        ) : (
          <Tabs activeKey={tab} onChange={(key) => update({ tab: key === 'followUps' ? undefined : key }, { resetPage: false })} items={tabs} data-testid="follow-ups-tabs" />
        )}
      </Card>
    </>
  );
}

function FollowUpLists({ f }: { f: FollowUps }) {
  const { t } = useTranslation();
  const columns: TableColumnsType<FollowUpItem> = [
    { title: t('activities.dueOn'), dataIndex: 'dueOn', key: 'dueOn', width: 110 },
    {
      title: t('activities.customerOrLead'),
      key: 'name',
      width: 240,
      render: (_, i) => (
        <Space size={6}>
          <Link to={i.customerId ? `/customers/${i.customerId}?tab=activities` : `/leads/${i.leadId}`}>{i.name}</Link>
          {i.kind === 'lead' && <Tag>{t('activities.aboutLead')}</Tag>}
        </Space>
      ),
    },
    { title: t('activities.nextStep'), key: 'nextStep', render: (_, i) => (i.activityId ? <Link to={i.link}>{i.nextStep ?? i.subject}</Link> : (i.nextStep ?? '—')) },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 120,
      render: (_, i) => (
        <Link to={i.customerId ? `/activities?customerId=${i.customerId}&new=1` : `/activities?leadId=${i.leadId}&new=1`}>{t('activities.logFollowUp')}</Link>
      ),
    },
  ];
  const section = (key: 'overdue' | 'dueToday' | 'upcoming', items: FollowUpItem[], color: string) => (
    <div key={key} style={{ marginBottom: 16 }} data-testid={`follow-ups-${key}`}>
      <Typography.Title level={5}>
        <Tag color={color}>{t(`activities.followUpSections.${key}`)}</Tag> {items.length}
      </Typography.Title>
      <Table<FollowUpItem> rowKey={(i) => `${i.kind}-${i.activityId ?? i.leadId}`} size="small" columns={columns} dataSource={items} pagination={false} />
    </div>
  );
  return (
    <>
      {section('overdue', f.overdue, 'error')}
      {section('dueToday', f.dueToday, 'warning')}
      {section('upcoming', f.upcoming, 'processing')}
    </>
  );
}

function Neglected({ f }: { f: FollowUps }) {
  const { t } = useTranslation();
  if (f.neglected.length === 0) return <Empty description={t('activities.noNeglected')} />;
  return (
    <Table
      rowKey="customerId"
      size="small"
      dataSource={f.neglected}
      pagination={{ pageSize: 50 }}
      data-testid="follow-ups-neglected"
      columns={[
        { title: t('activities.customer'), key: 'name', render: (_, n) => <Link to={`/customers/${n.customerId}?tab=activities`}>{n.customerName}</Link> },
        { title: t('activities.grade'), dataIndex: 'grade', key: 'grade', width: 80, render: (g: string | null) => g ?? 'C' },
        { title: t('activities.lastContact'), dataIndex: 'lastContactAt', key: 'last', width: 130, render: (v: string | null) => (v ? formatDate(v) : t('activities.never')) },
        { title: t('activities.daysQuiet'), key: 'days', width: 160, render: (_, n) => t('activities.daysOfLimit', { days: n.days, limit: n.limitDays }) },
        { title: t('common.actions'), key: 'actions', width: 120, render: (_, n) => <Link to={`/activities?customerId=${n.customerId}&new=1`}>{t('activities.new')}</Link> },
      ]}
    />
  );
}

function Birthdays({ f }: { f: FollowUps }) {
  const { t } = useTranslation();
  if (f.birthdays.length === 0) return <Empty description={t('activities.noBirthdays')} />;
  return (
    <Table
      rowKey="contactId"
      size="small"
      dataSource={f.birthdays}
      pagination={false}
      data-testid="follow-ups-birthdays"
      columns={[
        { title: t('activities.celebratedOn'), dataIndex: 'celebratedOn', key: 'on', width: 120 },
        { title: t('activities.contact'), dataIndex: 'contactName', key: 'contact', width: 140 },
        { title: t('activities.customer'), key: 'customer', render: (_, b) => <Link to={`/customers/${b.customerId}?tab=contacts`}>{b.customerName}</Link> },
        { title: t('activities.birthday'), dataIndex: 'birthday', key: 'birthday', width: 120 },
      ]}
    />
  );
}

function ActionItems({ items }: { items: ActionItem[] }) {
  const { t } = useTranslation();
  const me = useMe();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const done = useMutation({
    mutationFn: (id: number) => updateActionItem(id, { status: 'done' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ACTIVITIES_KEY }),
    onError: (error) => message.error(error instanceof Error ? error.message : String(error)),
  });
  if (items.length === 0) return <Empty description={t('activities.noActionItems')} />;
  return (
    <Table<ActionItem>
      rowKey="id"
      size="small"
      dataSource={items}
      pagination={false}
      data-testid="follow-ups-action-items"
      columns={[
        { title: t('activities.actionItemText'), dataIndex: 'text', key: 'text' },
        { title: t('activities.meeting'), key: 'meeting', render: (_, i) => <Link to={`/activities/${i.activityId}`}>{i.activitySubject}</Link> },
        {
          title: t('activities.actionItemDue'),
          dataIndex: 'dueOn',
          key: 'dueOn',
          width: 130,
          render: (v: string | null, i) => (
            <Space size={4}>
              {v ?? '—'}
              {i.overdue && <Tag color="error">{t('activities.followUpOverdue')}</Tag>}
            </Space>
          ),
        },
        {
          title: t('common.actions'),
          key: 'actions',
          width: 100,
          render: (_, i) =>
            i.ownerId === me.id || i.meetingOwnerId === me.id ? (
              <Button size="small" type="link" loading={done.isPending} onClick={() => done.mutate(i.id)}>
                {t('activities.actionItemDone')}
              </Button>
            ) : null,
        },
      ]}
    />
  );
}
