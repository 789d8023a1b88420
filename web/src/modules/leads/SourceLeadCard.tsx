import { useQuery } from '@tanstack/react-query';
import { Card, Descriptions } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../shared/format';
import { LeadEventTimeline } from './LeadEventTimeline';
import { sourceLeadOf } from './leads.api';

/** 来源线索: on the customer's 360° page, the lead it was converted from and that lead's history. Nothing when none. */
export function SourceLeadCard({ customerId }: { customerId: number }) {
  const { t } = useTranslation();
  const source = useQuery({ queryKey: ['leads', 'source-of', customerId], queryFn: ({ signal }) => sourceLeadOf(customerId, signal) });
  const lead = source.data?.lead;
  if (!lead) return null;
  return (
    <Card size="small" title={t('leads.sourceLead')} data-testid="customer-source-lead">
      <Descriptions size="small" column={{ xs: 1, md: 3 }}>
        <Descriptions.Item label={t('leads.code')}>{lead.code}</Descriptions.Item>
        <Descriptions.Item label={t('leads.source')}>{t(`customer.sources.${lead.source}`)}</Descriptions.Item>
        <Descriptions.Item label={t('leads.createdAt')}>{formatDate(lead.createdAt)}</Descriptions.Item>
      </Descriptions>
      <LeadEventTimeline events={lead.events} />
    </Card>
  );
}
