import { Button } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ImportWizard } from '../../shared/ImportWizard';
import { PageTitle } from '../../shared/PageTitle';
import { USERS_KEY } from './users.api';

/** 系统管理 → 用户 → 导入: many accounts at once from the Excel template. */
export default function UserImportPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageTitle
        title={t('user.importTitle')}
        extra={
          <Link to="/admin/users">
            <Button icon={<ArrowLeftOutlined />} data-testid="user-import-back">
              {t('user.backToList')}
            </Button>
          </Link>
        }
      />
      <ImportWizard kind="users" invalidate={USERS_KEY} />
    </>
  );
}
