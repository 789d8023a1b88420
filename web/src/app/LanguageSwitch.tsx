import { Button, Dropdown, App } from 'antd';
import { GlobalOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { LOCALES, isLocale, type Locale } from './i18n';

/** 中文 / English. Logged in, the choice is saved for the user; on the login page, for this browser. */
export function LanguageSwitch({ onChange, dark = false }: { onChange: (locale: Locale) => Promise<void> | void; dark?: boolean }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        selectable: true,
        selectedKeys: [i18n.language],
        items: LOCALES.map((locale) => ({
          key: locale,
          label: <span data-testid={`lang-${locale}`}>{t(`language.${locale}`)}</span>,
        })),
        onClick: ({ key }) => {
          if (!isLocale(key)) return;
          Promise.resolve(onChange(key)).catch((error: unknown) =>
            message.error(error instanceof Error ? error.message : String(error)),
          );
        },
      }}
    >
      <Button type="text" icon={<GlobalOutlined />} data-testid="lang-switch" style={dark ? { color: '#fff' } : undefined}>
        {t(`language.${isLocale(i18n.language) ? i18n.language : 'zh-CN'}`)}
      </Button>
    </Dropdown>
  );
}
