import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Badge, Button, Empty, List, Popover, Space, Typography } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../shared/format';
import { listNotifications, markAllRead, markRead, NOTIFICATIONS_KEY, UNREAD_POLL_MS, unreadCount, type Notification } from './notifications.api';

/** The header bell: the unread count (polled every minute) and the latest notifications on click. */
export function NotificationBell() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);

  const count = useQuery({
    queryKey: [...NOTIFICATIONS_KEY, 'unread-count'],
    queryFn: ({ signal }) => unreadCount(signal),
    refetchInterval: UNREAD_POLL_MS,
  });
  const latest = useQuery({
    queryKey: [...NOTIFICATIONS_KEY, 'latest'],
    queryFn: ({ signal }) => listNotifications({ pageSize: 8 }, signal),
    enabled: open,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: NOTIFICATIONS_KEY });
  const readOne = useMutation({ mutationFn: markRead, onSuccess: refresh });
  const readAll = useMutation({ mutationFn: markAllRead, onSuccess: refresh });

  function openNotification(n: Notification) {
    if (!n.readAt) readOne.mutate(n.id);
    setOpen(false);
    if (n.link) navigate(n.link);
  }

  const content = (
    <div style={{ width: 360 }} data-testid="notification-dropdown">
      <List<Notification>
        size="small"
        loading={latest.isFetching && !latest.data}
        dataSource={latest.data?.items ?? []}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notifications.empty')} /> }}
        renderItem={(n) => (
          <List.Item style={{ cursor: 'pointer', opacity: n.readAt ? 0.6 : 1 }} onClick={() => openNotification(n)} data-testid={`notification-${n.id}`}>
            <List.Item.Meta
              title={
                <Space size={6}>
                  {!n.readAt && <Badge status="processing" />}
                  <span>{n.title}</span>
                </Space>
              }
              description={
                <>
                  <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ marginBottom: 0 }}>
                    {n.body}
                  </Typography.Paragraph>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {formatDateTime(n.createdAt)}
                  </Typography.Text>
                </>
              }
            />
          </List.Item>
        )}
      />
      <Space style={{ width: '100%', justifyContent: 'space-between', marginTop: 8 }}>
        <Button size="small" type="link" disabled={!count.data?.count} loading={readAll.isPending} onClick={() => readAll.mutate()} data-testid="notifications-read-all">
          {t('notifications.markAllRead')}
        </Button>
        <Button
          size="small"
          type="link"
          onClick={() => {
            setOpen(false);
            navigate('/notifications');
          }}
          data-testid="notifications-view-all"
        >
          {t('notifications.viewAll')}
        </Button>
      </Space>
    </div>
  );

  return (
    <Popover trigger="click" placement="bottomRight" open={open} onOpenChange={setOpen} content={content} title={t('notifications.title')}>
      <Button type="text" aria-label={t('notifications.title')} data-testid="notification-bell">
        <Badge count={count.data?.count ?? 0} size="small" overflowCount={99}>
          <BellOutlined style={{ fontSize: 18 }} />
        </Badge>
      </Button>
    </Popover>
  );
}
