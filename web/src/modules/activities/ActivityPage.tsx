import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Descriptions, Empty, Form, Input, List, Modal, Popconfirm, Result, Space, Spin, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { CheckOutlined, EditOutlined, EnvironmentOutlined, StopOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useAuth, useMe } from '../../app/auth';
import { PERMISSIONS } from '../../app/permissions';
import { isApiError } from '../../shared/api';
import { formatDateTime } from '../../shared/format';
import { PageTitle } from '../../shared/PageTitle';
import { UserSelect } from '../../shared/UserSelect';
import {
  ACTIVITIES_KEY,
  type ActionItem,
  type ActivityDetail,
  addActionItem,
  addComment,
  cancelActivity,
  checkInActivity,
  companyToday,
  completeActivity,
  getActivity,
  markFollowUpDone,
  updateActionItem,
} from './activities.api';
import { ActivityDrawer } from './ActivityDrawer';
import { ActivityStatusTag, ActivityTypeTag, subjectLabel } from './activityLabels';

/** One activity (/activities/:id): details, check-in, complete, 上级批注 and a meeting's action items. */
export default function ActivityPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const activityId = Number(id);
  const me = useMe();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [completing, setCompleting] = useState(false);

  const activity = useQuery({
    queryKey: [...ACTIVITIES_KEY, 'detail', activityId],
    queryFn: ({ signal }) => getActivity(activityId, signal),
    enabled: Number.isInteger(activityId) && activityId > 0,
    retry: (count, error) => !isApiError(error) && count < 2,
  });

  const refresh = (saved?: ActivityDetail) => {
    if (saved) queryClient.setQueryData([...ACTIVITIES_KEY, 'detail', activityId], saved);
    return queryClient.invalidateQueries({ queryKey: ACTIVITIES_KEY });
  };
  const act = useMutation({
    mutationFn: (run: () => Promise<ActivityDetail>) => run(),
    onSuccess: (saved) => refresh(saved),
    onError: (error) => message.error(error instanceof Error ? error.message : String(error)),
  });

  if (activity.isLoading) return <Spin style={{ display: 'block', margin: '80px auto' }} />;
  if (activity.isError || !activity.data) {
    return <Result status="404" title={t('activities.notFound')} extra={<Link to="/activities">{t('activities.backToList')}</Link>} />;
  }
  const a = activity.data;
  const mine = a.ownerId === me.id;
  const mayEdit = mine || me.dataScopes.includes('all');
  const today = companyToday();
  const followUpOpen = !!a.nextFollowUpOn && !a.followUpDoneAt && a.status !== 'cancelled';

  return (
    <>
      <PageTitle
        title={a.subject}
        extra={
          <Space wrap>
            {mine && a.type === 'visit' && a.status !== 'cancelled' && !a.checkedInAt && (
              <Button type="primary" icon={<EnvironmentOutlined />} loading={act.isPending} onClick={() => act.mutate(() => checkInActivity(a.id))} data-testid="activity-check-in">
                {t('activities.checkIn')}
              </Button>
            )}
            {mayEdit && a.status === 'planned' && (
              <Button icon={<CheckOutlined />} onClick={() => setCompleting(true)} data-testid="activity-complete">
                {t('activities.complete')}
              </Button>
            )}
            {mayEdit && followUpOpen && (
              <Button onClick={() => act.mutate(() => markFollowUpDone(a.id))} data-testid="activity-follow-up-done">
                {t('activities.markFollowUpDone')}
              </Button>
            )}
            {mayEdit && a.status !== 'cancelled' && (
              <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="activity-edit">
                {t('common.edit')}
              </Button>
            )}
            {mayEdit && a.status === 'planned' && (
              <Popconfirm title={t('activities.cancelConfirm')} onConfirm={() => act.mutate(() => cancelActivity(a.id, a.version))}>
                <Button danger icon={<StopOutlined />} data-testid="activity-cancel">
                  {t('activities.cancel')}
                </Button>
              </Popconfirm>
            )}
          </Space>
        }
      />
      <Space direction="vertical" style={{ width: '100%' }} size={16}>
        <Card>
          <Descriptions column={{ xs: 1, md: 2, xl: 3 }} size="small" data-testid="activity-details">
            <Descriptions.Item label={t('activities.type')}>
              <ActivityTypeTag type={a.type} t={t} />
            </Descriptions.Item>
            <Descriptions.Item label={t('activities.status')}>
              <ActivityStatusTag status={a.status} t={t} />
            </Descriptions.Item>
            <Descriptions.Item label={t('activities.customerOrLead')}>
              {a.customerId ? <Link to={`/customers/${a.customerId}?tab=activities`}>{a.customerName}</Link> : <Link to={`/leads/${a.leadId}`}>{subjectLabel(a)}</Link>}
            </Descriptions.Item>
            <Descriptions.Item label={t('activities.startsAt')}>
              {formatDateTime(a.startsAt)}
              {a.endsAt ? ` – ${formatDateTime(a.endsAt).slice(11)}` : ''}
            </Descriptions.Item>
            <Descriptions.Item label={t('activities.owner')}>{a.ownerName}</Descriptions.Item>
            <Descriptions.Item label={t('activities.checkedInAt')}>
              {a.checkedInAt ? (
                <span data-testid="activity-checked-in">
                  {formatDateTime(a.checkedInAt)}
                  {a.checkInPlace ? ` · ${a.checkInPlace}` : ''}
                </span>
              ) : (
                '—'
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t('activities.hospitalDepartment')}>{a.hospitalDepartment ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('activities.contacts')}>{a.contacts.map((c) => c.name).join('、') || '—'}</Descriptions.Item>
            <Descriptions.Item label={t('activities.products')}>{a.products.map((p) => p.name).join('、') || '—'}</Descriptions.Item>
            <Descriptions.Item label={t('activities.location')}>{a.location ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('activities.materials')}>{a.materials ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('activities.nextFollowUpOn')}>
              {a.nextFollowUpOn ? (
                <Space size={6} data-testid="activity-follow-up">
                  {a.nextFollowUpOn}
                  {a.followUpDoneAt ? (
                    <Tag color="success">{t('activities.followUpDone')}</Tag>
                  ) : a.status === 'cancelled' ? null : a.nextFollowUpOn < today ? (
                    <Tag color="error">{t('activities.followUpOverdue')}</Tag>
                  ) : (
                    <Tag color="processing">{t('activities.followUpOpen')}</Tag>
                  )}
                </Space>
              ) : (
                '—'
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t('activities.description')} span={3}>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{a.description ?? '—'}</Typography.Paragraph>
            </Descriptions.Item>
            <Descriptions.Item label={t('activities.outcome')} span={3}>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }} data-testid="activity-outcome">
                {a.outcome ?? '—'}
              </Typography.Paragraph>
            </Descriptions.Item>
            <Descriptions.Item label={t('activities.nextStep')} span={3}>
              {a.nextStep ?? '—'}
            </Descriptions.Item>
          </Descriptions>
        </Card>
        {a.type === 'meeting' && <MeetingCard activity={a} onChanged={() => refresh()} />}
        <CommentsCard activity={a} onChanged={() => refresh()} />
      </Space>
      <ActivityDrawer open={editing} onClose={() => setEditing(false)} activity={a} onSaved={(saved) => refresh(saved)} />
      <CompleteModal activity={a} open={completing} onClose={() => setCompleting(false)} onSaved={(saved) => refresh(saved)} />
    </>
  );
}

function CompleteModal({ activity, open, onClose, onSaved }: { activity: ActivityDetail; open: boolean; onClose: () => void; onSaved: (a: ActivityDetail) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ outcome?: string; nextStep?: string; nextFollowUpOn?: Dayjs | null }>();
  const save = useMutation({
    mutationFn: (v: { outcome?: string; nextStep?: string; nextFollowUpOn?: Dayjs | null }) =>
      completeActivity(activity.id, {
        version: activity.version,
        outcome: v.outcome?.trim() || null,
        nextStep: v.nextStep?.trim() || null,
        nextFollowUpOn: v.nextFollowUpOn ? v.nextFollowUpOn.format('YYYY-MM-DD') : null,
      }),
    onSuccess: (saved) => {
      onSaved(saved);
      onClose();
    },
    onError: (error) => message.error(error instanceof Error ? error.message : String(error)),
  });
  return (
    <Modal open={open} title={t('activities.complete')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={save.isPending} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)} initialValues={{ nextStep: activity.nextStep ?? undefined }}>
        <Form.Item name="outcome" label={t('activities.outcome')}>
          <Input.TextArea rows={3} maxLength={5000} data-testid="activity-complete-outcome" />
        </Form.Item>
        <Form.Item name="nextStep" label={t('activities.nextStep')}>
          <Input maxLength={1000} />
        </Form.Item>
        <Form.Item name="nextFollowUpOn" label={t('activities.nextFollowUpOn')}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function CommentsCard({ activity, onChanged }: { activity: ActivityDetail; onChanged: () => void }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const [body, setBody] = useState('');
  const post = useMutation({
    mutationFn: () => addComment(activity.id, body.trim()),
    onSuccess: () => {
      setBody('');
      onChanged();
    },
    onError: (error) => message.error(error instanceof Error ? error.message : String(error)),
  });
  return (
    <Card title={t('activities.comments')} size="small" data-testid="activity-comments">
      {activity.comments.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('activities.noComments')} />
      ) : (
        <List
          dataSource={activity.comments}
          renderItem={(c) => (
            <List.Item key={c.id}>
              <List.Item.Meta
                title={
                  <Space>
                    <Typography.Text strong>{c.authorName}</Typography.Text>
                    <Typography.Text type="secondary">{formatDateTime(c.createdAt)}</Typography.Text>
                  </Space>
                }
                description={<span style={{ whiteSpace: 'pre-wrap' }}>{c.body}</span>}
              />
            </List.Item>
          )}
        />
      )}
      {can(PERMISSIONS.activitiesComment) && (
        <Space.Compact style={{ width: '100%', marginTop: 12 }}>
          <Input.TextArea
            rows={2}
            value={body}
            maxLength={2000}
            onChange={(e) => setBody(e.target.value)}
            placeholder={t('activities.commentPlaceholder')}
            data-testid="activity-comment-input"
          />
          <Button type="primary" disabled={!body.trim()} loading={post.isPending} onClick={() => post.mutate()} data-testid="activity-comment-submit">
            {t('activities.addComment')}
          </Button>
        </Space.Compact>
      )}
    </Card>
  );
}

function MeetingCard({ activity, onChanged }: { activity: ActivityDetail; onChanged: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ text: string; ownerId: number; dueOn?: Dayjs | null }>();
  const onError = (error: unknown) => message.error(error instanceof Error ? error.message : String(error));
  const change = useMutation({ mutationFn: (v: { id: number; status: 'done' | 'cancelled' | 'open' }) => updateActionItem(v.id, { status: v.status }), onSuccess: onChanged, onError });
  const add = useMutation({
    mutationFn: (v: { text: string; ownerId: number; dueOn?: Dayjs | null }) => addActionItem(activity.id, { text: v.text, ownerId: v.ownerId, dueOn: v.dueOn ? v.dueOn.format('YYYY-MM-DD') : null }),
    onSuccess: () => {
      form.resetFields();
      onChanged();
    },
    onError,
  });
  const mayTrack = (i: ActionItem) => i.ownerId === me.id || activity.ownerId === me.id || me.dataScopes.includes('all');
  const columns: TableColumnsType<ActionItem> = [
    { title: t('activities.actionItemText'), dataIndex: 'text', key: 'text' },
    { title: t('activities.actionItemOwner'), dataIndex: 'ownerName', key: 'owner', width: 110 },
    { title: t('activities.actionItemDue'), dataIndex: 'dueOn', key: 'dueOn', width: 110, render: (v: string | null, i) => <Typography.Text type={i.overdue ? 'danger' : undefined}>{v ?? '—'}</Typography.Text> },
    { title: t('activities.status'), dataIndex: 'status', key: 'status', width: 90, render: (s: string) => t(`activities.actionItemStatuses.${s}`) },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 150,
      render: (_, i) =>
        mayTrack(i) ? (
          i.status === 'open' ? (
            <Space size={4}>
              <Button size="small" type="link" onClick={() => change.mutate({ id: i.id, status: 'done' })} data-testid={`action-item-done-${i.id}`}>
                {t('activities.actionItemDone')}
              </Button>
              <Button size="small" type="link" danger onClick={() => change.mutate({ id: i.id, status: 'cancelled' })}>
                {t('activities.cancel')}
              </Button>
            </Space>
          ) : (
            <Button size="small" type="link" onClick={() => change.mutate({ id: i.id, status: 'open' })}>
              {t('activities.reopen')}
            </Button>
          )
        ) : null,
    },
  ];
  return (
    <Card title={t('activities.meeting')} size="small">
      <Descriptions column={1} size="small">
        <Descriptions.Item label={t('activities.agenda')}>
          <span style={{ whiteSpace: 'pre-wrap' }}>{activity.agenda ?? '—'}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('activities.attendees')}>{activity.attendees.map((x) => x.name).join('、') || '—'}</Descriptions.Item>
        <Descriptions.Item label={t('activities.decisions')}>
          <span style={{ whiteSpace: 'pre-wrap' }}>{activity.decisions ?? '—'}</span>
        </Descriptions.Item>
      </Descriptions>
      <Table<ActionItem> rowKey="id" size="small" columns={columns} dataSource={activity.actionItems} pagination={false} data-testid="activity-action-items" />
      {(activity.ownerId === me.id || me.dataScopes.includes('all')) && (
        <Form form={form} layout="inline" style={{ marginTop: 12 }} onFinish={(v) => add.mutate(v)}>
          <Form.Item name="text" rules={[{ required: true, message: t('activities.actionItemText') }]}>
            <Input placeholder={t('activities.actionItemText')} style={{ width: 260 }} maxLength={500} />
          </Form.Item>
          <Form.Item name="ownerId" rules={[{ required: true, message: t('activities.actionItemOwner') }]}>
            <UserSelect source="directory" placeholder={t('activities.actionItemOwner')} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="dueOn">
            <DatePicker placeholder={t('activities.actionItemDue')} />
          </Form.Item>
          <Button htmlType="submit" loading={add.isPending}>
            {t('activities.addActionItem')}
          </Button>
        </Form>
      )}
    </Card>
  );
}
