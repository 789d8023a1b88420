import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { OpportunityStatus } from './opportunities.api';

const COLORS: Record<OpportunityStatus, string> = { open: 'processing', won: 'success', lost: 'error' };

export function StatusTag({ status }: { status: OpportunityStatus }) {
  const { t } = useTranslation();
  return <Tag color={COLORS[status]}>{t(`opportunities.statuses.${status}`)}</Tag>;
}
