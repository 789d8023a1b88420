import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ReturnStatus } from './returns.api';

const COLORS: Record<ReturnStatus, string> = { draft: 'default', pending_approval: 'gold', approved: 'cyan', received: 'blue', completed: 'green', cancelled: 'default' };

export function ReturnStatusTag({ status }: { status: ReturnStatus }) {
  const { t } = useTranslation();
  return <Tag color={COLORS[status]}>{t(`returns.statuses.${status}`)}</Tag>;
}
