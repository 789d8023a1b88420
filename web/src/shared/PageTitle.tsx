import type { ReactNode } from 'react';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

/** The page heading, with the page's main actions on the right; also names the browser tab. */
export function PageTitle({ title, extra }: { title: string; extra?: ReactNode }) {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${title} - ${t('app.shortName')}`;
    return () => {
      document.title = t('app.title');
    };
  }, [title, t]);
  return (
    <div className="rx-page-title">
      <h1>{title}</h1>
      {extra && <div>{extra}</div>}
    </div>
  );
}
