import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { InvoiceKind, InvoiceStatus, InvoiceType, ReceiptMethod } from './finance.api';

const STATUS_COLOR: Record<InvoiceStatus, string> = { draft: 'gold', issued: 'green', cancelled: 'default' };

export function InvoiceStatusTag({ status }: { status: InvoiceStatus }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLOR[status]}>{t(`invoices.status.${status}`)}</Tag>;
}
export function InvoiceKindTag({ kind }: { kind: InvoiceKind }) {
  const { t } = useTranslation();
  return <Tag color={kind === 'red' ? 'red' : 'blue'}>{t(`invoices.kind.${kind}`)}</Tag>;
}
export function useFinanceLabels() {
  const { t } = useTranslation();
  return {
    type: (v: InvoiceType) => t(`invoices.type.${v}`),
    method: (v: ReceiptMethod) => t(`receipts.method.${v}`),
  };
}
/** 'YYYY-MM-DD' today in the browser (the company works in one time zone). */
export const todayText = () => new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
