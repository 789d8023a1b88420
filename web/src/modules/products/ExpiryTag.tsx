import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ExpiryState } from './products.api';

const COLORS: Record<ExpiryState, string> = { valid: 'green', expiring: 'orange', expired: 'red' };

/** 有效 / 即将到期 / 已过期 of a qualification document (or the worst of a product's). */
export function ExpiryTag({ state }: { state: ExpiryState | null }) {
  const { t } = useTranslation();
  if (state === null) return <Tag>{t('product.noDocuments')}</Tag>;
  return (
    <Tag color={COLORS[state]} data-testid={`expiry-${state}`}>
      {t(`product.expiry.${state}`)}
    </Tag>
  );
}
