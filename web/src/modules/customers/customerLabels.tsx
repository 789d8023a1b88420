import { Tag } from 'antd';
import type { TFunction } from 'i18next';
import type { CustomerGrade, CustomerStatus, CustomerType } from './customers.api';

const TYPE_COLORS: Record<CustomerType, string> = {
  distributor: 'blue',
  agent: 'purple',
  hospital: 'green',
  clinic: 'cyan',
  pharmacy: 'orange',
  other: 'default',
};
const GRADE_COLORS: Record<CustomerGrade, string> = { C: 'default', B: 'blue', A: 'gold', H: 'red', O: 'green' };

export function CustomerTypeTag({ type, t }: { type: CustomerType; t: TFunction }) {
  return (
    <Tag color={TYPE_COLORS[type]} style={{ marginInlineEnd: 0 }}>
      {t(`customer.types.${type}`)}
    </Tag>
  );
}

export function GradeTag({ grade, t }: { grade: CustomerGrade | null; t: TFunction }) {
  if (!grade) return <>—</>;
  return (
    <Tag color={GRADE_COLORS[grade]} style={{ marginInlineEnd: 0 }} title={t(`customer.grades.${grade}`)}>
      {grade}
    </Tag>
  );
}

export function CustomerStatusTag({ status, t }: { status: CustomerStatus; t: TFunction }) {
  if (status === 'active') return null;
  return (
    <Tag color={status === 'merged' ? 'default' : 'warning'} style={{ marginInlineEnd: 0 }}>
      {t(`customer.statuses.${status}`)}
    </Tag>
  );
}
