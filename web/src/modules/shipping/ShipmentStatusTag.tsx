import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ShipmentStatus } from './shipping.api';

const COLORS: Record<ShipmentStatus, string> = { picking: 'gold', checked: 'cyan', dispatched: 'blue', delivered: 'green', cancelled: 'default' };

export function ShipmentStatusTag({ status }: { status: ShipmentStatus }) {
  const { t } = useTranslation();
  return <Tag color={COLORS[status]}>{t(`shipping.statuses.${status}`)}</Tag>;
}
