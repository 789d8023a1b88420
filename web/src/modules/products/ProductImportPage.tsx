import { Button } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ImportWizard } from '../../shared/ImportWizard';
import { PageTitle } from '../../shared/PageTitle';
import { PRODUCTS_KEY } from './products.api';

/** 药品目录 → 导入: many products at once from the Excel template. */
export default function ProductImportPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageTitle
        title={t('product.importTitle')}
        extra={
          <Link to="/products">
            <Button icon={<ArrowLeftOutlined />} data-testid="product-import-back">
              {t('product.backToList')}
            </Button>
          </Link>
        }
      />
      <ImportWizard kind="products" invalidate={PRODUCTS_KEY} />
    </>
  );
}
