import { useQuery } from '@tanstack/react-query';
import { Card, Statistic, Row, Col, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth';
import { PERMISSIONS } from '../../app/permissions';
import { formatFen } from '../../shared/format';
import { RECEIVABLES_KEY, customerCredit } from './finance.api';

/** 信用状况 of a customer (GET /customers/:id/credit, receivables.read), shown on the customer's money tabs. */
export function CreditStatusCard({ customerId }: { customerId: number }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const credit = useQuery({ queryKey: [...RECEIVABLES_KEY, 'credit', customerId], queryFn: ({ signal }) => customerCredit(customerId, signal), enabled: can(PERMISSIONS.receivablesRead) });
  const c = credit.data;
  if (!c) return null;
  const over = BigInt(c.availableFen) < 0n;
  return (
    <Card size="small" title={t('receipts.credit.title')} style={{ marginBottom: 12 }}>
      <Row gutter={16}>
        <Col span={4}><Statistic title={t('receipts.credit.limit')} value={formatFen(c.limitFen)} /></Col>
        <Col span={4}><Statistic title={t('receipts.credit.receivable')} value={formatFen(c.receivableFen)} /></Col>
        <Col span={4}><Statistic title={t('receipts.credit.uninvoiced')} value={formatFen(c.uninvoicedFen)} /></Col>
        <Col span={4}><Statistic title={t('receipts.credit.available')} value={formatFen(c.availableFen)} valueStyle={over ? { color: '#cf1322' } : undefined} /></Col>
        <Col span={4}><Statistic title={t('receipts.credit.overdue')} value={formatFen(c.overdueFen)} valueStyle={c.overdueFen !== '0' ? { color: '#cf1322' } : undefined} /></Col>
        <Col span={4}><Statistic title={t('receipts.credit.terms')} value={c.paymentTermsDays} /></Col>
      </Row>
      {c.oldestOverdueDays > 0 && <Typography.Text type="danger">{t('receipts.credit.oldest', { days: c.oldestOverdueDays })}</Typography.Text>}
    </Card>
  );
}
