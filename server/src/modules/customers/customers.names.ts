import type { CustomerGrade, CustomerType, LifecycleStage } from './customers.tables.js';

type Names = { 'zh-CN': string; 'en-US': string };

/** Names of the customer enumerations for exports and print (the web has its own in the locale files). */
export const CUSTOMER_TYPE_NAMES: Record<CustomerType, Names> = {
  distributor: { 'zh-CN': '商业公司/配送商', 'en-US': 'Distributor' },
  agent: { 'zh-CN': '代理商', 'en-US': 'Agent' },
  hospital: { 'zh-CN': '医院', 'en-US': 'Hospital' },
  clinic: { 'zh-CN': '诊所/基层医疗', 'en-US': 'Clinic' },
  pharmacy: { 'zh-CN': '零售药店/连锁', 'en-US': 'Retail pharmacy' },
  other: { 'zh-CN': '其他', 'en-US': 'Other' },
};

export const GRADE_NAMES: Record<CustomerGrade, Names> = {
  C: { 'zh-CN': 'C 冷淡', 'en-US': 'C cold' },
  B: { 'zh-CN': 'B 一般', 'en-US': 'B lukewarm' },
  A: { 'zh-CN': 'A 意向', 'en-US': 'A interested' },
  H: { 'zh-CN': 'H 热点', 'en-US': 'H hot' },
  O: { 'zh-CN': 'O 已订单', 'en-US': 'O ordered' },
};

export const LIFECYCLE_NAMES: Record<LifecycleStage, Names> = {
  identified: { 'zh-CN': '已识别', 'en-US': 'Identified' },
  lead: { 'zh-CN': '潜在客户', 'en-US': 'Lead' },
  intent: { 'zh-CN': '有意向', 'en-US': 'Intent' },
  purchasing: { 'zh-CN': '采购中', 'en-US': 'Purchasing' },
  complete: { 'zh-CN': '资料完整', 'en-US': 'Complete information' },
};
