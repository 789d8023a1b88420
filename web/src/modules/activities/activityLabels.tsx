import { Tag } from 'antd';
import type { TFunction } from 'i18next';
import type { ActivityStatus, ActivityType } from './activities.api';

const TYPE_COLORS: Record<ActivityType, string> = {
  visit: 'blue',
  phone: 'cyan',
  email: 'geekblue',
  sms: 'purple',
  wechat: 'green',
  meeting: 'gold',
  meal: 'magenta',
};

export function ActivityTypeTag({ type, t }: { type: ActivityType; t: TFunction }) {
  return <Tag color={TYPE_COLORS[type]}>{t(`activities.types.${type}`)}</Tag>;
}

export function ActivityStatusTag({ status, t }: { status: ActivityStatus; t: TFunction }) {
  const color = status === 'done' ? 'success' : status === 'planned' ? 'processing' : 'default';
  return <Tag color={color}>{t(`activities.statuses.${status}`)}</Tag>;
}

/** The customer or lead an activity is about, as one label. */
export function subjectLabel(a: { customerName: string | null; leadOrganisation: string | null; leadCode: string | null }): string {
  return a.customerName ?? (a.leadOrganisation ? `${a.leadOrganisation}（${a.leadCode}）` : '');
}
