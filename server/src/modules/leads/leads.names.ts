import type { CustomerSource } from '../customers/customers.tables.js';
import type { LeadStatus } from './leads.tables.js';

type Names = { 'zh-CN': string; 'en-US': string };

/** 客户来源 in both languages (export, import). */
export const SOURCE_NAMES: Record<CustomerSource, Names> = {
  phone: { 'zh-CN': '电话', 'en-US': 'Phone' },
  fax: { 'zh-CN': '传真', 'en-US': 'Fax' },
  email: { 'zh-CN': '邮件', 'en-US': 'E-mail' },
  sms: { 'zh-CN': '短信', 'en-US': 'SMS' },
  visit: { 'zh-CN': '上门拜访', 'en-US': 'Visit' },
  media: { 'zh-CN': '媒体广告', 'en-US': 'Media' },
  website: { 'zh-CN': '网站', 'en-US': 'Website' },
  event: { 'zh-CN': '会议/展会', 'en-US': 'Event' },
  referral: { 'zh-CN': '转介绍', 'en-US': 'Referral' },
  rep: { 'zh-CN': '业务员开发', 'en-US': 'Rep' },
};

export const LEAD_STATUS_NAMES: Record<LeadStatus, Names> = {
  open: { 'zh-CN': '跟进中', 'en-US': 'Open' },
  converting: { 'zh-CN': '开户中', 'en-US': 'Converting' },
  converted: { 'zh-CN': '已转客户', 'en-US': 'Converted' },
  closed: { 'zh-CN': '已关闭', 'en-US': 'Closed' },
};
