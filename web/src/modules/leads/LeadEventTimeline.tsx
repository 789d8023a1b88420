import { Timeline, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../shared/format';
import type { LeadEvent } from './leads.api';

/** What an event says beyond its kind: the grade or stage move, the reason… */
function detailText(e: LeadEvent, t: TFunction): string {
  const d = e.details;
  if (e.kind === 'graded') return `${d.from} → ${d.to}`;
  if (e.kind === 'staged') return `${t(`customer.lifecycleStages.${String(d.from)}`)} → ${t(`customer.lifecycleStages.${String(d.to)}`)}`;
  if (e.kind === 'assigned') return `${e.ownerName ?? ''}${d.by === 'rule' ? t('leads.byRule') : ''}`;
  if (e.kind === 'claimed') return e.ownerName ?? '';
  if (e.kind === 'reclaimed') return `${e.ownerName ?? ''} ${t('leads.reclaimedAfter', { days: d.days })}`;
  if ((e.kind === 'closed' || e.kind === 'released') && d.reason) return String(d.reason);
  if (e.kind === 'converting' && d.number) return String(d.number);
  return '';
}

/** The lead's history, newest first (also shown on the customer's page after conversion). */
export function LeadEventTimeline({ events }: { events: LeadEvent[] }) {
  const { t } = useTranslation();
  return (
    <Timeline
      data-testid="lead-events"
      items={[...events].reverse().map((e) => ({
        key: e.id,
        children: (
          <>
            <Typography.Text strong>{t(`leads.events.${e.kind}`)}</Typography.Text> <Typography.Text>{detailText(e, t)}</Typography.Text>
            <br />
            <Typography.Text type="secondary">
              {formatDateTime(e.at)} · {e.actorName ?? t('leads.system')}
            </Typography.Text>
          </>
        ),
      }))}
    />
  );
}
