import type { Locale } from '../../kernel/i18n.js';
import type { ContactInfluence } from './contacts.tables.js';

/** Labels for exports and imports (the web has its own in the locale files). */
export const INFLUENCE_NAMES: Record<ContactInfluence, Record<Locale, string>> = {
  decision_maker: { 'zh-CN': '决策者', 'en-US': 'Decision maker' },
  influencer: { 'zh-CN': '影响者', 'en-US': 'Influencer' },
  user: { 'zh-CN': '使用者', 'en-US': 'User' },
  other: { 'zh-CN': '其他', 'en-US': 'Other' },
};
