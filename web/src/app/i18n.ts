import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import 'dayjs/locale/en';
import zhCN from '../locales/zh-CN.json';
import enUS from '../locales/en-US.json';

export type Locale = 'zh-CN' | 'en-US';
export const LOCALES: Locale[] = ['zh-CN', 'en-US'];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

const STORAGE_KEY = 'rxdesk.locale';
const DAYJS_LOCALE: Record<Locale, string> = { 'zh-CN': 'zh-cn', 'en-US': 'en' };

export function isLocale(value: unknown): value is Locale {
  return value === 'zh-CN' || value === 'en-US';
}

/** Before anyone logs in, use what this browser chose last time; zh-CN otherwise. */
function initialLocale(): Locale {
  if (typeof window === 'undefined') return DEFAULT_LOCALE;
  try {
    const saved = window.localStorage.getItem(STORAGE_KEY);
    if (isLocale(saved)) return saved;
  } catch {
    // storage blocked: fall through
  }
  return DEFAULT_LOCALE;
}

const locale = initialLocale();
dayjs.locale(DAYJS_LOCALE[locale]);

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN }, 'en-US': { translation: enUS } },
  lng: locale,
  fallbackLng: DEFAULT_LOCALE,
  supportedLngs: LOCALES,
  interpolation: { escapeValue: false }, // React escapes
  returnNull: false,
  showSupportNotice: false,
  initAsync: false, // resources are bundled: be ready before the first render
});

function showLanguage(lng: Locale): void {
  if (typeof document === 'undefined') return;
  document.documentElement.lang = lng;
  document.title = i18n.t('app.title');
}
showLanguage(locale);

i18n.on('languageChanged', (lng) => {
  if (!isLocale(lng)) return;
  dayjs.locale(DAYJS_LOCALE[lng]);
  showLanguage(lng);
  if (typeof window === 'undefined') return;
  try {
    window.localStorage.setItem(STORAGE_KEY, lng);
  } catch {
    // storage blocked: the choice still applies to this tab
  }
});

/** Applies a language everywhere at once: texts, antd (via the provider), dayjs, <html lang>. */
export async function applyLocale(next: Locale): Promise<void> {
  if (i18n.language !== next) await i18n.changeLanguage(next);
}

export default i18n;
