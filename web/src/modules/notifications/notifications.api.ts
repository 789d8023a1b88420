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

export type Channel = 'email' | 'wecom' | 'dingtalk';
export const CHANNELS: Channel[] = ['email', 'wecom', 'dingtalk'];

export interface Preferences {
  events: { event: string; name: string; channels: Record<Channel, boolean> }[];
  available: Record<Channel, boolean>;
}

export interface ChannelSettings {
  smtp: { host: string | null; port: number; secure: boolean; user: string | null; from: string | null; passwordSet: boolean };
  wecomWebhookUrl: string | null;
  dingtalkWebhookUrl: string | null;
  version: number;
}

export interface ChannelSettingsInput {
  smtp: { host: string | null; port: number; secure: boolean; user: string | null; from: string | null; password?: string | null };
  wecomWebhookUrl: string | null;
  dingtalkWebhookUrl: string | null;
  version: number;
}

export const PREFERENCES_KEY = ['notification-preferences'] as const;
export const CHANNEL_SETTINGS_KEY = ['notification-settings'] as const;

export const getPreferences = () => api.get<Preferences>('/notifications/preferences');
export const savePreferences = (items: { event: string; channel: Channel; enabled: boolean }[]) => api.put<Preferences>('/notifications/preferences', { items });
export const getChannelSettings = () => api.get<ChannelSettings>('/notification-settings');
export const saveChannelSettings = (input: ChannelSettingsInput) => api.put<ChannelSettings>('/notification-settings', input);
