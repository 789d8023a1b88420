import { Button } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ImportWizard } from '../../shared/ImportWizard';
import { PageTitle } from '../../shared/PageTitle';
import { CUSTOMERS_KEY } from './customers.api';

/**
 * 客户 → 客户列表 → 导入: the sales office brings its spreadsheet of existing customers in. They are
 * created directly (no account opening: they are historical customers), every row checked first.
 */
export default function CustomerImportPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageTitle
        title={t('customer.importTitle')}
        extra={
          <Link to="/customers">
            <Button icon={<ArrowLeftOutlined />} data-testid="customer-import-back">
              {t('customer.backToList')}
            </Button>
          </Link>
        }
      />
      <ImportWizard kind="customers" invalidate={CUSTOMERS_KEY} />
    </>
  );
}
