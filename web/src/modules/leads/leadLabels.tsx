import { Tag } from 'antd';
import type { TFunction } from 'i18next';
import type { Grade, LeadStatus } from './leads.api';

const GRADE_COLORS: Record<Grade, string> = { C: 'default', B: 'blue', A: 'gold', H: 'red', O: 'green' };
const STATUS_COLORS: Record<LeadStatus, string> = { open: 'processing', converting: 'warning', converted: 'success', closed: 'default' };

export const LeadGradeTag = ({ grade, t }: { grade: Grade; t: TFunction }) => <Tag color={GRADE_COLORS[grade]}>{t(`customer.grades.${grade}`)}</Tag>;
export const LeadStatusTag = ({ status, t }: { status: LeadStatus; t: TFunction }) => <Tag color={STATUS_COLORS[status]}>{t(`leads.statuses.${status}`)}</Tag>;
