import dayjs, { type Dayjs } from 'dayjs';
import { api, type Page, type Query } from '../../shared/api';
import { COMPANY_TIME_ZONE } from '../../shared/format';

export const ACTIVITY_TYPES = ['visit', 'phone', 'email', 'sms', 'wechat', 'meeting', 'meal'] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];
export const ACTIVITY_STATUSES = ['planned', 'done', 'cancelled'] as const;
export type ActivityStatus = (typeof ACTIVITY_STATUSES)[number];
export const ACTION_ITEM_STATUSES = ['open', 'done', 'cancelled'] as const;
export type ActionItemStatus = (typeof ACTION_ITEM_STATUSES)[number];
export const FOLLOW_UP_FILTERS = ['due', 'overdue', 'open'] as const;

export const ACTIVITIES_KEY = ['activities'] as const;

export interface ActivityListRow {
  id: number;
  type: ActivityType;
  status: ActivityStatus;
  subject: string;
  startsAt: string;
  endsAt: string | null;
  customerId: number | null;
  customerName: string | null;
  leadId: number | null;
  leadCode: string | null;
  leadOrganisation: string | null;
  hospitalDepartment: string | null;
  ownerId: number;
  ownerName: string;
  contactNames: string[];
  productNames: string[];
  outcome: string | null;
  nextStep: string | null;
  nextFollowUpOn: string | null;
  followUpDoneAt: string | null;
  checkedInAt: string | null;
  location: string | null;
  commentCount: number;
  createdAt: string;
}

export interface ActivityComment {
  id: number;
  authorId: number;
  authorName: string;
  body: string;
  createdAt: string;
}

export interface ActionItem {
  id: number;
  activityId: number;
  activitySubject: string;
  meetingOwnerId: number;
  text: string;
  ownerId: number;
  ownerName: string;
  dueOn: string | null;
  status: ActionItemStatus;
  doneAt: string | null;
  doneNote: string | null;
  overdue: boolean;
  createdAt: string;
}

export interface ActivityDetail extends ActivityListRow {
  description: string | null;
  materials: string | null;
  agenda: string | null;
  decisions: string | null;
  checkInPlace: string | null;
  ownerDepartmentId: number | null;
  contacts: { id: number; name: string; title: string | null; department: string | null }[];
  products: { id: number; name: string }[];
  attendees: { id: number; name: string }[];
  actionItems: ActionItem[];
  comments: ActivityComment[];
  version: number;
  updatedAt: string;
}

export interface ActivityFields {
  type: ActivityType;
  status: 'planned' | 'done';
  customerId: number | null;
  leadId: number | null;
  hospitalDepartment: string | null;
  contactIds: number[];
  productIds: number[];
  subject: string | null;
  startsAt: string;
  endsAt: string | null;
  description: string | null;
  materials: string | null;
  outcome: string | null;
  nextStep: string | null;
  nextFollowUpOn: string | null;
  location: string | null;
  agenda: string | null;
  decisions: string | null;
  attendeeIds: number[];
  actionItems?: { text: string; ownerId: number; dueOn: string | null }[];
}

export interface FollowUpItem {
  kind: 'activity' | 'lead';
  activityId: number | null;
  leadId: number | null;
  customerId: number | null;
  name: string;
  subject: string | null;
  nextStep: string | null;
  dueOn: string;
  link: string;
}

export interface FollowUps {
  ownerId: number;
  today: string;
  overdue: FollowUpItem[];
  dueToday: FollowUpItem[];
  upcoming: FollowUpItem[];
  neglected: { customerId: number; customerName: string; grade: string | null; lastContactAt: string | null; days: number; limitDays: number }[];
  birthdays: { contactId: number; contactName: string; customerId: number; customerName: string; birthday: string; celebratedOn: string }[];
  actionItems: ActionItem[];
}

export const listActivities = (query: Query, signal?: AbortSignal) => api.get<Page<ActivityListRow>>('/activities', query, signal);
export const getActivity = (id: number, signal?: AbortSignal) => api.get<ActivityDetail>(`/activities/${id}`, undefined, signal);
export const createActivity = (body: ActivityFields) => api.post<ActivityDetail>('/activities', body);
export const updateActivity = (id: number, body: ActivityFields & { version: number }) => api.patch<ActivityDetail>(`/activities/${id}`, body);
export const completeActivity = (id: number, body: { version: number; outcome?: string | null; nextStep?: string | null; nextFollowUpOn?: string | null }) =>
  api.post<ActivityDetail>(`/activities/${id}/complete`, body);
export const checkInActivity = (id: number, place?: string | null) => api.post<ActivityDetail>(`/activities/${id}/check-in`, { place: place ?? null });
export const cancelActivity = (id: number, version: number) => api.post<ActivityDetail>(`/activities/${id}/cancel`, { version });
export const markFollowUpDone = (id: number) => api.post<ActivityDetail>(`/activities/${id}/follow-up-done`, {});
export const addComment = (id: number, body: string) => api.post<ActivityComment>(`/activities/${id}/comments`, { body });
export const addActionItem = (id: number, body: { text: string; ownerId: number; dueOn: string | null }) => api.post<ActionItem>(`/activities/${id}/action-items`, body);
export const updateActionItem = (id: number, body: { status?: ActionItemStatus; doneNote?: string | null }) => api.patch<ActionItem>(`/action-items/${id}`, body);
export const getFollowUps = (ownerId: number | undefined, signal?: AbortSignal) => api.get<FollowUps>('/follow-ups', { ownerId }, signal);

/** A lead as the leads list API answers (GET /api/leads?q=). */
export interface LeadOption {
  id: number;
  code: string;
  organisation: string;
}
export const leadOptions = (q: string | undefined, signal?: AbortSignal) =>
  api.get<{ items: LeadOption[] }>('/leads', { q, pageSize: 20 }, signal).then((r) => r.items);

// ---- company time -----------------------------------------------------------------------------

/** A picker value (browser wall clock) read as the same wall clock in the company's time zone. */
export function pickerToInstant(value: Dayjs): string {
  return dayjs.tz(value.format('YYYY-MM-DDTHH:mm:ss'), COMPANY_TIME_ZONE).toISOString();
}

/** An instant as a picker value showing the company's wall clock. */
export function instantToPicker(iso: string): Dayjs {
  return dayjs(dayjs(iso).tz(COMPANY_TIME_ZONE).format('YYYY-MM-DDTHH:mm:ss'));
}

/** Today in the company, 'YYYY-MM-DD'. */
export function companyToday(): string {
  return dayjs().tz(COMPANY_TIME_ZONE).format('YYYY-MM-DD');
}

/** The company date and time of an instant: { day: 'YYYY-MM-DD', time: 'HH:mm' }. */
export function companyDayTime(iso: string): { day: string; time: string } {
  const d = dayjs(iso).tz(COMPANY_TIME_ZONE);
  return { day: d.format('YYYY-MM-DD'), time: d.format('HH:mm') };
}

/** The Monday of the week containing the date (weeks run Monday–Sunday). */
export function mondayOf(day: string): string {
  const d = dayjs(day);
  const weekday = d.day(); // 0 = Sunday
  return d.add(weekday === 0 ? -6 : 1 - weekday, 'day').format('YYYY-MM-DD');
}

export function addDays(day: string, n: number): string {
  return dayjs(day).add(n, 'day').format('YYYY-MM-DD');
}
