import { Empty } from 'antd';
import { useTranslation } from 'react-i18next';
import { PageTitle } from '../../shared/PageTitle';

/** Placeholder until the page is built (issue 6). */
export default function OrderPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageTitle title={t('o2cPages.orderPage')} />
      <Empty />
    </>
  );
}
