import { Button } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ImportWizard } from '../../shared/ImportWizard';
import { PageTitle } from '../../shared/PageTitle';
import { CONTACTS_KEY } from './contacts.api';

/** 联系人 → 导入: the reps' old contact spreadsheets, customer named by code or exact name. */
export default function ContactImportPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageTitle
        title={t('contact.importTitle')}
        extra={
          <Link to="/contacts">
            <Button icon={<ArrowLeftOutlined />}>{t('contact.backToList')}</Button>
          </Link>
        }
      />
      <ImportWizard kind="contacts" invalidate={CONTACTS_KEY} />
    </>
  );
}
