import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Badge, Button, Card, List, Segmented, Space, Typography } from 'antd';
import { CheckOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../shared/format';
import { PageTitle } from '../../shared/PageTitle';
import { readPage, useUrlState } from '../../shared/urlState';
import { listNotifications, markAllRead, markRead, NOTIFICATIONS_KEY, type Notification } from './notifications.api';

/** All my notifications, paged, with an unread filter kept in the URL. */
export default function NotificationsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { params, update } = useUrlState();
  const { page, pageSize } = readPage(params);
  const unreadOnly = params.get('unread') === 'true';
  const query = { page, pageSize, unread: unreadOnly || undefined };

  const list = useQuery({
    queryKey: [...NOTIFICATIONS_KEY, 'page', query],
    queryFn: ({ signal }) => listNotifications(query, signal),
    placeholderData: keepPreviousData,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: NOTIFICATIONS_KEY });
  const readOne = useMutation({ mutationFn: markRead, onSuccess: refresh, onError: (err) => message.error(err.message) });
  const readAll = useMutation({
    mutationFn: markAllRead,
    onSuccess: (r) => {
      message.success(t('notifications.markedAll', { count: r.marked }));
      void refresh();
    },
    onError: (err) => message.error(err.message),
  });

  return (
    <>
      <PageTitle
        title={t('notifications.title')}
        extra={
          <Button icon={<CheckOutlined />} loading={readAll.isPending} onClick={() => readAll.mutate()} data-testid="notifications-page-read-all">
            {t('notifications.markAllRead')}
          </Button>
        }
      />
      <Card>
        <Segmented
          style={{ marginBottom: 12 }}
          value={unreadOnly ? 'unread' : 'all'}
          options={[
            { value: 'all', label: t('notifications.all') },
            { value: 'unread', label: t('notifications.unread') },
          ]}
          onChange={(v) => update({ unread: v === 'unread' ? 'true' : undefined })}
          data-testid="notifications-filter"
        />
        <List<Notification>
          loading={list.isFetching}
          dataSource={list.data?.items ?? []}
          locale={{ emptyText: list.isError ? list.error.message : t('notifications.empty') }}
          pagination={{
            current: page,
            pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [20, 50, 100],
            showTotal: (total) => t('common.total', { total }),
            onChange: (p, size) => update({ page: p === 1 || size !== pageSize ? undefined : p, pageSize: size === 20 ? undefined : size }, { resetPage: false }),
          }}
          renderItem={(n) => (
            <List.Item
              data-testid={`notification-row-${n.id}`}
              actions={[
                !n.readAt && (
                  <Button key="read" size="small" type="link" onClick={() => readOne.mutate(n.id)} data-testid={`notification-read-${n.id}`}>
                    {t('notifications.markRead')}
                  </Button>
                ),
                n.link && (
                  <Button
                    key="open"
                    size="small"
                    type="link"
                    onClick={() => {
                      if (!n.readAt) readOne.mutate(n.id);
                      navigate(n.link!);
                    }}
                  >
                    {t('notifications.open')}
                  </Button>
                ),
              ].filter(Boolean)}
            >
              <List.Item.Meta
                title={
                  <Space size={6}>
                    {!n.readAt && <Badge status="processing" />}
                    <Typography.Text strong={!n.readAt}>{n.title}</Typography.Text>
                  </Space>
                }
                description={
                  <>
                    <div>{n.body}</div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {formatDateTime(n.createdAt)}
                    </Typography.Text>
                  </>
                }
              />
            </List.Item>
          )}
        />
      </Card>
    </>
  );
}
