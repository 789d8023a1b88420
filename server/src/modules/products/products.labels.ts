import type { Locale } from '../../kernel/i18n.js';

type Labels = Record<string, Record<Locale, string>>;

/** Names of the catalogue's enumerations in both languages: the export, the import and messages use them (the web has its own in the locale files). */
export const PRODUCT_LABELS = {
  dosageForm: {
    tablet: { 'zh-CN': '片剂', 'en-US': 'Tablet' },
    capsule: { 'zh-CN': '胶囊剂', 'en-US': 'Capsule' },
    injection: { 'zh-CN': '注射剂', 'en-US': 'Injection' },
    powder_injection: { 'zh-CN': '注射用无菌粉末', 'en-US': 'Powder for injection' },
    granule: { 'zh-CN': '颗粒剂', 'en-US': 'Granules' },
    oral_solution: { 'zh-CN': '口服溶液剂', 'en-US': 'Oral solution' },
    syrup: { 'zh-CN': '糖浆剂', 'en-US': 'Syrup' },
    ointment: { 'zh-CN': '软膏剂', 'en-US': 'Ointment' },
    eye_drops: { 'zh-CN': '滴眼剂', 'en-US': 'Eye drops' },
    aerosol: { 'zh-CN': '气雾剂', 'en-US': 'Aerosol' },
    suppository: { 'zh-CN': '栓剂', 'en-US': 'Suppository' },
    pill: { 'zh-CN': '丸剂', 'en-US': 'Pills' },
    patch: { 'zh-CN': '贴剂', 'en-US': 'Patch' },
    other: { 'zh-CN': '其他', 'en-US': 'Other' },
  },
  packageUnit: {
    box: { 'zh-CN': '盒', 'en-US': 'Box' },
    bottle: { 'zh-CN': '瓶', 'en-US': 'Bottle' },
    vial: { 'zh-CN': '支', 'en-US': 'Vial' },
    bag: { 'zh-CN': '袋', 'en-US': 'Bag' },
    tube: { 'zh-CN': '管', 'en-US': 'Tube' },
    piece: { 'zh-CN': '个', 'en-US': 'Piece' },
  },
  storageCondition: {
    normal: { 'zh-CN': '常温', 'en-US': 'Room temperature' },
    cool: { 'zh-CN': '阴凉', 'en-US': 'Cool (≤ 20 °C)' },
    cold_chain: { 'zh-CN': '冷链 2–8 °C', 'en-US': 'Cold chain 2–8 °C' },
  },
  prescriptionClass: {
    rx: { 'zh-CN': '处方药', 'en-US': 'Rx' },
    otc_a: { 'zh-CN': '甲类OTC', 'en-US': 'OTC class A' },
    otc_b: { 'zh-CN': '乙类OTC', 'en-US': 'OTC class B' },
  },
  reimbursementClass: {
    class_a: { 'zh-CN': '医保甲类', 'en-US': 'NRDL class A' },
    class_b: { 'zh-CN': '医保乙类', 'en-US': 'NRDL class B' },
    none: { 'zh-CN': '非医保', 'en-US': 'Not reimbursed' },
  },
  status: {
    active: { 'zh-CN': '在售', 'en-US': 'Active' },
    discontinued: { 'zh-CN': '停售', 'en-US': 'Discontinued' },
  },
  expiryState: {
    valid: { 'zh-CN': '有效', 'en-US': 'Valid' },
    expiring: { 'zh-CN': '即将到期', 'en-US': 'Expiring soon' },
    expired: { 'zh-CN': '已过期', 'en-US': 'Expired' },
  },
  priceKind: {
    ex_factory: { 'zh-CN': '出厂价', 'en-US': 'Ex-factory' },
    supply: { 'zh-CN': '供货价', 'en-US': 'Supply' },
    tender: { 'zh-CN': '中标价', 'en-US': 'Tender' },
    retail_guide: { 'zh-CN': '零售指导价', 'en-US': 'Retail guide' },
  },
  customerType: {
    distributor: { 'zh-CN': '经销商', 'en-US': 'Distributor' },
    agent: { 'zh-CN': '代理商', 'en-US': 'Agent' },
    hospital: { 'zh-CN': '医院', 'en-US': 'Hospital' },
    clinic: { 'zh-CN': '诊所', 'en-US': 'Clinic' },
    pharmacy: { 'zh-CN': '药店', 'en-US': 'Pharmacy' },
    other: { 'zh-CN': '其他', 'en-US': 'Other' },
  },
} satisfies Record<string, Labels>;

/** enumOf() options for the import: every value with its two labels. */
export function enumOptions<K extends keyof typeof PRODUCT_LABELS>(group: K) {
  return Object.entries(PRODUCT_LABELS[group] as Labels).map(([value, label]) => ({ value, label }));
}
