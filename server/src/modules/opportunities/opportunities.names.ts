import type { Locale } from '../../kernel/i18n.js';
import type { LostReason, OpportunityStatus } from './opportunities.tables.js';

/** 战败原因 as users read them (exports, group labels). */
export const LOST_REASON_NAMES: Record<LostReason, Record<Locale, string>> = {
  price: { 'zh-CN': '价格', 'en-US': 'Price' },
  competitor: { 'zh-CN': '竞品', 'en-US': 'Competitor' },
  qualification: { 'zh-CN': '资质', 'en-US': 'Qualification' },
  tender: { 'zh-CN': '招标未中', 'en-US': 'Tender lost' },
  relationship: { 'zh-CN': '客情关系', 'en-US': 'Relationship' },
  product: { 'zh-CN': '产品', 'en-US': 'Product' },
  timing: { 'zh-CN': '时机', 'en-US': 'Timing' },
  budget: { 'zh-CN': '预算', 'en-US': 'Budget' },
  other: { 'zh-CN': '其他', 'en-US': 'Other' },
};

export const STATUS_NAMES: Record<OpportunityStatus, Record<Locale, string>> = {
  open: { 'zh-CN': '进行中', 'en-US': 'Open' },
  won: { 'zh-CN': '赢单', 'en-US': 'Won' },
  lost: { 'zh-CN': '输单', 'en-US': 'Lost' },
};
