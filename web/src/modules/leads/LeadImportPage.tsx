import { Button } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ImportWizard } from '../../shared/ImportWizard';
import { PageTitle } from '../../shared/PageTitle';
import { LEADS_KEY } from './leads.api';

/** 潜在客户 → 导入: the 潜在客户录入及跟踪表 spreadsheets; rows without an owner go through the assignment rules. */
export default function LeadImportPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageTitle
        title={t('leads.importTitle')}
        extra={
          <Link to="/leads">
            <Button icon={<ArrowLeftOutlined />}>{t('leads.backToList')}</Button>
          </Link>
        }
      />
      <ImportWizard kind="leads" invalidate={LEADS_KEY} />
    </>
  );
}
