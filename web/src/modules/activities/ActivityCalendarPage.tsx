import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Space, Spin, Tooltip, Typography } from 'antd';
import { LeftOutlined, PlusOutlined, RightOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useAuth, useMe } from '../../app/auth';
import { PERMISSIONS } from '../../app/permissions';
import { PageTitle } from '../../shared/PageTitle';
import { UserSelect } from '../../shared/UserSelect';
import { readInt, useUrlState } from '../../shared/urlState';
import { ACTIVITIES_KEY, type ActivityListRow, addDays, companyDayTime, companyToday, listActivities, mondayOf } from './activities.api';
import { ActivityDrawer } from './ActivityDrawer';
import { ActivityTypeTag, subjectLabel } from './activityLabels';

const cardStyle = (a: ActivityListRow) => ({
  padding: '6px 8px',
  marginBottom: 6,
  borderRadius: 6,
  cursor: 'pointer',
  fontSize: 12,
  border: a.status === 'planned' ? '1px dashed #1677ff' : '1px solid #b7eb8f',
  background: a.status === 'done' ? '#f6ffed' : a.status === 'planned' ? '#e6f4ff' : '#fafafa',
  opacity: a.status === 'cancelled' ? 0.55 : 1,
  textDecoration: a.status === 'cancelled' ? 'line-through' : undefined,
});

/** 拜访日历: one week (Monday first) of a rep's planned and done activities; click a day to plan a visit on it. */
export default function ActivityCalendarPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { can } = useAuth();
  const navigate = useNavigate();
  const { params, update } = useUrlState();
  const today = companyToday();
  const weekParam = params.get('week');
  const monday = mondayOf(weekParam && /^\d{4}-\d{2}-\d{2}$/.test(weekParam) ? weekParam : today);
  const days = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
  const ownerId = readInt(params, 'ownerId') ?? me.id;
  const isManager = me.dataScopes.some((s) => s !== 'own');
  const [planDay, setPlanDay] = useState<string | null>(null);

  const query = { ownerId, from: days[0], to: days[6], pageSize: 200, sort: 'startsAt' };
  const list = useQuery({ queryKey: [...ACTIVITIES_KEY, 'week', query], queryFn: ({ signal }) => listActivities(query, signal), placeholderData: keepPreviousData });
  const byDay = new Map<string, ActivityListRow[]>(days.map((d) => [d, []]));
  for (const a of list.data?.items ?? []) byDay.get(companyDayTime(a.startsAt).day)?.push(a);
  for (const items of byDay.values()) items.sort((x, y) => x.startsAt.localeCompare(y.startsAt));
  const canPlan = can(PERMISSIONS.activitiesWrite) && ownerId === me.id;

  return (
    <>
      <PageTitle
        title={t('menu.activityCalendar')}
        extra={
          <Space wrap>
            {isManager && (
              <UserSelect
                style={{ width: 200 }}
                placeholder={t('activities.rep')}
                value={ownerId === me.id ? undefined : ownerId}
                onChange={(v) => update({ ownerId: v }, { resetPage: false })}
                data-testid="calendar-rep"
              />
            )}
            <Button icon={<LeftOutlined />} onClick={() => update({ week: addDays(monday, -7) })} data-testid="calendar-prev">
              {t('activities.prevWeek')}
            </Button>
            <Button onClick={() => update({ week: undefined })} data-testid="calendar-this-week">
              {t('activities.thisWeek')}
            </Button>
            <Button onClick={() => update({ week: addDays(monday, 7) })} data-testid="calendar-next">
              {t('activities.nextWeek')}
              <RightOutlined />
            </Button>
          </Space>
        }
      />
      <Card>
        <Typography.Title level={5} style={{ marginTop: 0 }} data-testid="calendar-range">
          {days[0]} — {days[6]}
          {list.isFetching && <Spin size="small" style={{ marginLeft: 12 }} />}
        </Typography.Title>
        <div style={{ display: 'grid', gridTemplateColumns: 'repeat(7, minmax(120px, 1fr))', gap: 8, overflowX: 'auto' }} data-testid="calendar-week">
          {days.map((day, i) => (
            <div
              key={day}
              data-testid={`calendar-day-${day}`}
              style={{ border: '1px solid #f0f0f0', borderRadius: 8, minHeight: 360, background: day === today ? '#fffbe6' : undefined, display: 'flex', flexDirection: 'column' }}
            >
              <div style={{ padding: '6px 8px', borderBottom: '1px solid #f0f0f0', display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
                <span>
                  <Typography.Text strong>{t(`activities.weekdays.${i}`)}</Typography.Text> <Typography.Text type="secondary">{day.slice(5)}</Typography.Text>
                </span>
                {canPlan && (
                  <Tooltip title={t('activities.planOn', { day })}>
                    <Button size="small" type="text" icon={<PlusOutlined />} onClick={() => setPlanDay(day)} data-testid={`calendar-plan-${day}`} />
                  </Tooltip>
                )}
              </div>
              <div style={{ padding: 6, flex: 1 }} onDoubleClick={() => canPlan && setPlanDay(day)}>
                {(byDay.get(day) ?? []).map((a) => (
                  <div key={a.id} style={cardStyle(a)} onClick={() => navigate(`/activities/${a.id}`)} data-testid={`calendar-item-${a.id}`} data-status={a.status}>
                    <div>
                      <Typography.Text strong style={{ fontSize: 12 }}>
                        {companyDayTime(a.startsAt).time}
                      </Typography.Text>{' '}
                      <ActivityTypeTag type={a.type} t={t} />
                    </div>
                    <div>{subjectLabel(a) || a.subject}</div>
                    {a.status === 'planned' && <Typography.Text type="secondary">{t('activities.statuses.planned')}</Typography.Text>}
                  </div>
                ))}
              </div>
            </div>
          ))}
        </div>
        <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
          {t('activities.calendarHint')}
        </Typography.Paragraph>
      </Card>
      <ActivityDrawer open={planDay !== null} onClose={() => setPlanDay(null)} defaults={{ day: planDay ?? undefined }} />
    </>
  );
}
