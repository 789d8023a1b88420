import { useEffect, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { App, Badge, Button, Card, DatePicker, Input, Select, Space, Table, Tooltip, Typography, type TableColumnsType } from 'antd';
import { CalendarOutlined, CommentOutlined, DownloadOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { Link, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth';
import { PERMISSIONS } from '../../app/permissions';
import { downloadFile } from '../../shared/api';
import { CustomerSelect } from '../../shared/CustomerSelect';
import { formatDateTime } from '../../shared/format';
import { PageTitle } from '../../shared/PageTitle';
import { serverTableProps } from '../../shared/serverTable';
import { UserSelect } from '../../shared/UserSelect';
import { parseSort, readPage, useUrlState } from '../../shared/urlState';
import { ACTIVITIES_KEY, ACTIVITY_STATUSES, ACTIVITY_TYPES, FOLLOW_UP_FILTERS, type ActivityListRow, companyToday, listActivities } from './activities.api';
import { readActivityFilters } from './activityFilters';
import { ActivityDrawer } from './ActivityDrawer';
import { ActivityStatusTag, ActivityTypeTag, subjectLabel } from './activityLabels';

/** 拜访记录: the activities in the user's scope, filtered by the URL; 记录拜访 opens the drawer (new=1 prefilled). */
export default function ActivityListPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const navigate = useNavigate();
  const { params, update, clear } = useUrlState();
  const filters = readActivityFilters(params);
  const { page, pageSize } = readPage(params);
  const sort = parseSort(filters.sort as string | undefined);
  const query = { ...filters, page, pageSize };
  const canWrite = can(PERMISSIONS.activitiesWrite);

  const [keyword, setKeyword] = useState((filters.q as string) ?? '');
  useEffect(() => setKeyword((filters.q as string) ?? ''), [filters.q]);
  const [exporting, setExporting] = useState(false);
  const creating = params.get('new') === '1';

  const list = useQuery({
    queryKey: [...ACTIVITIES_KEY, 'list', query],
    queryFn: ({ signal }) => listActivities(query, signal),
    placeholderData: keepPreviousData,
  });

  async function exportList() {
    setExporting(true);
    try {
      const { sort: s, ...rest } = filters;
      await downloadFile('/activities/export.xlsx', { ...rest, sort: s }, `${t('activities.exportFileName')}.xlsx`);
    } catch (error) {
      message.error(error instanceof Error ? error.message : String(error));
    } finally {
      setExporting(false);
    }
  }

  const sortable = (field: string) => ({ sorter: true, sortOrder: sort.field === field ? sort.order : null });
  const today = companyToday();

  const columns: TableColumnsType<ActivityListRow> = [
    { title: t('activities.startsAt'), dataIndex: 'startsAt', key: 'startsAt', ...sortable('startsAt'), width: 150, render: (v: string) => formatDateTime(v) },
    { title: t('activities.type'), dataIndex: 'type', key: 'type', ...sortable('type'), width: 90, render: (_, a) => <ActivityTypeTag type={a.type} t={t} /> },
    { title: t('activities.status'), dataIndex: 'status', key: 'status', ...sortable('status'), width: 90, render: (_, a) => <ActivityStatusTag status={a.status} t={t} /> },
    {
      title: t('activities.customerOrLead'),
      key: 'customer',
      ...sortable('customer'),
      width: 200,
      render: (_, a) =>
        a.customerId ? <Link to={`/customers/${a.customerId}?tab=activities`}>{a.customerName}</Link> : a.leadId ? <Link to={`/leads/${a.leadId}`}>{subjectLabel(a)}</Link> : null,
    },
    {
      title: t('activities.subject'),
      key: 'subject',
      width: 240,
      render: (_, a) => (
        <Space direction="vertical" size={0}>
          <Space size={6}>
            <Link to={`/activities/${a.id}`} data-testid={`activity-link-${a.id}`}>
              {a.subject}
            </Link>
            {a.commentCount > 0 && (
              <Tooltip title={t('activities.commentCount', { count: a.commentCount })}>
                <Badge count={a.commentCount} size="small" color="orange">
                  <CommentOutlined />
                </Badge>
              </Tooltip>
            )}
          </Space>
          {a.contactNames.length > 0 && <Typography.Text type="secondary">{a.contactNames.join('、')}</Typography.Text>}
        </Space>
      ),
    },
    { title: t('activities.outcome'), dataIndex: 'outcome', key: 'outcome', width: 220, ellipsis: true },
    {
      title: t('activities.nextFollowUpOn'),
      dataIndex: 'nextFollowUpOn',
      key: 'nextFollowUpOn',
      ...sortable('nextFollowUpOn'),
      width: 120,
      render: (_, a) =>
        a.nextFollowUpOn ? (
          <Typography.Text type={a.followUpDoneAt ? 'secondary' : a.nextFollowUpOn < today && a.status !== 'cancelled' ? 'danger' : undefined} delete={!!a.followUpDoneAt}>
            {a.nextFollowUpOn}
          </Typography.Text>
        ) : null,
    },
    { title: t('activities.owner'), dataIndex: 'ownerName', key: 'owner', ...sortable('owner'), width: 100 },
  ];

  const range = filters.from || filters.to ? ([filters.from ? dayjs(filters.from as string) : null, filters.to ? dayjs(filters.to as string) : null] as const) : null;

  return (
    <>
      <PageTitle
        title={t('menu.activities')}
        extra={
          <Space>
            <Button icon={<CalendarOutlined />} onClick={() => navigate('/activities/calendar')}>
              {t('activities.calendar')}
            </Button>
            <Button icon={<DownloadOutlined />} loading={exporting} onClick={exportList} data-testid="activities-export">
              {t('common.export')}
            </Button>
            {canWrite && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => update({ new: 1 }, { resetPage: false })} data-testid="activities-new">
                {t('activities.new')}
              </Button>
            )}
          </Space>
        }
      />
      <Card>
        <Space wrap className="rx-filters" size={[12, 12]}>
          <Input.Search
            allowClear
            style={{ width: 240 }}
            placeholder={t('activities.keywordPlaceholder')}
            value={keyword}
            onChange={(e) => {
              setKeyword(e.target.value);
              if (!e.target.value) update({ q: undefined });
            }}
            onSearch={(value) => update({ q: value.trim() || undefined })}
            data-testid="activities-filter-q"
          />
          <CustomerSelect style={{ width: 240 }} value={filters.customerId as number | undefined} onChange={(v) => update({ customerId: v })} data-testid="activities-filter-customer" />
          <UserSelect style={{ width: 160 }} placeholder={t('activities.owner')} value={filters.ownerId as number | undefined} onChange={(v) => update({ ownerId: v })} data-testid="activities-filter-owner" />
          <Select
            allowClear
            style={{ width: 120 }}
            placeholder={t('activities.type')}
            value={filters.type as string | undefined}
            onChange={(v) => update({ type: v })}
            options={ACTIVITY_TYPES.map((x) => ({ value: x, label: t(`activities.types.${x}`) }))}
            data-testid="activities-filter-type"
          />
          <Select
            allowClear
            style={{ width: 110 }}
            placeholder={t('activities.status')}
            value={filters.status as string | undefined}
            onChange={(v) => update({ status: v })}
            options={ACTIVITY_STATUSES.map((x) => ({ value: x, label: t(`activities.statuses.${x}`) }))}
            data-testid="activities-filter-status"
          />
          <DatePicker.RangePicker
            allowEmpty={[true, true]}
            value={range as never}
            onChange={(v) => update({ from: v?.[0]?.format('YYYY-MM-DD'), to: v?.[1]?.format('YYYY-MM-DD') })}
            data-testid="activities-filter-dates"
          />
          <Select
            allowClear
            style={{ width: 140 }}
            placeholder={t('activities.followUpFilter')}
            value={filters.followUp as string | undefined}
            onChange={(v) => update({ followUp: v })}
            options={FOLLOW_UP_FILTERS.map((x) => ({ value: x, label: t(`activities.followUpFilters.${x}`) }))}
            data-testid="activities-filter-followUp"
          />
          <Button icon={<ReloadOutlined />} onClick={clear}>
            {t('common.reset')}
          </Button>
        </Space>
        <Table<ActivityListRow>
          style={{ marginTop: 16 }}
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={list.data?.items}
          loading={list.isFetching}
          scroll={{ x: 1300 }}
          locale={list.isError ? { emptyText: <Typography.Text type="danger">{list.error.message}</Typography.Text> } : undefined}
          {...serverTableProps<ActivityListRow>({ page, pageSize, total: list.data?.total ?? 0, update, t })}
          data-testid="activities-table"
        />
      </Card>
      <ActivityDrawer
        open={creating}
        onClose={() => update({ new: undefined }, { resetPage: false })}
        defaults={{ customerId: filters.customerId as number | undefined, leadId: filters.leadId as number | undefined }}
        onSaved={(saved) => navigate(`/activities/${saved.id}`)}
      />
    </>
  );
}
