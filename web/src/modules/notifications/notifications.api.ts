import { api, type Page, type Query } from '../../shared/api';

export interface Notification {
  id: number;
  event: string;
  title: string;
  body: string;
  link: string | null;
  createdAt: string;
  readAt: string | null;
}

export const NOTIFICATIONS_KEY = ['notifications'] as const;
/** How often the bell asks for the unread count. */
export const UNREAD_POLL_MS = 60_000;

export const listNotifications = (query: Query, signal?: AbortSignal) => api.get<Page<Notification>>('/notifications', query, signal);
export const unreadCount = (signal?: AbortSignal) => api.get<{ count: number }>('/notifications/unread-count', undefined, signal);
export const markRead = (id: number) => api.post<Notification>(`/notifications/${id}/read`);
export const markAllRead = () => api.post<{ marked: number }>('/notifications/read-all');
