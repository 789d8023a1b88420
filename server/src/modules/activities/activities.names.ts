import type { Locale } from '../../kernel/i18n.js';
import type { ActionItemStatus, ActivityStatus, ActivityType } from './activities.tables.js';

/** 拜访 / 联系方式 as users say them (default subjects, Excel export). */
export const ACTIVITY_TYPE_NAMES: Record<ActivityType, Record<Locale, string>> = {
  visit: { 'zh-CN': '拜访', 'en-US': 'Visit' },
  phone: { 'zh-CN': '电话', 'en-US': 'Phone call' },
  email: { 'zh-CN': '邮件', 'en-US': 'E-mail' },
  sms: { 'zh-CN': '短信', 'en-US': 'SMS' },
  wechat: { 'zh-CN': '微信', 'en-US': 'WeChat' },
  meeting: { 'zh-CN': '会议', 'en-US': 'Meeting' },
  meal: { 'zh-CN': '宴请/活动', 'en-US': 'Meal / event' },
};

export const ACTIVITY_STATUS_NAMES: Record<ActivityStatus, Record<Locale, string>> = {
  planned: { 'zh-CN': '计划', 'en-US': 'Planned' },
  done: { 'zh-CN': '已完成', 'en-US': 'Done' },
  cancelled: { 'zh-CN': '已取消', 'en-US': 'Cancelled' },
};

export const ACTION_ITEM_STATUS_NAMES: Record<ActionItemStatus, Record<Locale, string>> = {
  open: { 'zh-CN': '待办', 'en-US': 'Open' },
  done: { 'zh-CN': '已完成', 'en-US': 'Done' },
  cancelled: { 'zh-CN': '已取消', 'en-US': 'Cancelled' },
};
