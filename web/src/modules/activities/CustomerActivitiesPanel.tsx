import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Empty, Pagination, Space, Spin, Tag, Timeline, Typography } from 'antd';
import { CommentOutlined, PlusOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth';
import { PERMISSIONS } from '../../app/permissions';
import { formatDateTime } from '../../shared/format';
import { ACTIVITIES_KEY, listActivities } from './activities.api';
import { ActivityDrawer } from './ActivityDrawer';
import { ActivityStatusTag, ActivityTypeTag } from './activityLabels';

/** The 拜访与跟进 tab of the customer 360° page: the customer's timeline, newest first, and 记录拜访. */
export function CustomerActivitiesPanel({ customerId, customerName, editable }: { customerId: number; customerName: string; editable: boolean }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const query = { customerId, page, pageSize: 20, sort: '-startsAt' };
  const list = useQuery({ queryKey: [...ACTIVITIES_KEY, 'customer', query], queryFn: ({ signal }) => listActivities(query, signal), placeholderData: keepPreviousData });

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space>
        {editable && can(PERMISSIONS.activitiesWrite) && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="customer-activities-new">
            {t('activities.new')}
          </Button>
        )}
        <Link to={`/activities?customerId=${customerId}`}>{t('activities.openInList')}</Link>
      </Space>
      {list.isLoading ? (
        <Spin />
      ) : (list.data?.items.length ?? 0) === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('activities.noActivities')} />
      ) : (
        <Timeline
          style={{ marginTop: 16 }}
          data-testid="customer-activities-timeline"
          items={list.data!.items.map((a) => ({
            key: a.id,
            color: a.status === 'done' ? 'green' : a.status === 'planned' ? 'blue' : 'gray',
            children: (
              <Space direction="vertical" size={2}>
                <Space size={6} wrap>
                  <Typography.Text type="secondary">{formatDateTime(a.startsAt)}</Typography.Text>
                  <ActivityTypeTag type={a.type} t={t} />
                  {a.status !== 'done' && <ActivityStatusTag status={a.status} t={t} />}
                  <Link to={`/activities/${a.id}`}>{a.subject}</Link>
                  <Typography.Text type="secondary">{a.ownerName}</Typography.Text>
                  {a.commentCount > 0 && (
                    <Tag icon={<CommentOutlined />} color="orange">
                      {a.commentCount}
                    </Tag>
                  )}
                </Space>
                {a.contactNames.length > 0 && <Typography.Text type="secondary">{a.contactNames.join('、')}</Typography.Text>}
                {a.outcome && <Typography.Text>{a.outcome}</Typography.Text>}
                {a.nextStep && (
                  <Typography.Text type="secondary">
                    {t('activities.nextStep')}：{a.nextStep}
                    {a.nextFollowUpOn ? `（${a.nextFollowUpOn}）` : ''}
                  </Typography.Text>
                )}
              </Space>
            ),
          }))}
        />
      )}
      {(list.data?.total ?? 0) > 20 && <Pagination current={page} pageSize={20} total={list.data?.total ?? 0} onChange={setPage} showSizeChanger={false} />}
      <ActivityDrawer open={creating} onClose={() => setCreating(false)} defaults={{ customerId, customerName }} onSaved={(saved) => navigate(`/activities/${saved.id}`)} />
    </Space>
  );
}
