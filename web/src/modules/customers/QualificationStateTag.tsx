import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { todayInCompany } from './qualificationDates';
import { expiryOf, type QualificationState } from './qualifications.api';

const STATE_COLORS: Record<QualificationState, string> = { ok: 'success', expiring: 'warning', missing: 'default', expired: 'error' };

/** 资质状态 of a customer: for list rows and the 360° header. */
export function QualificationStateTag({ state }: { state: QualificationState }) {
  const { t } = useTranslation();
  return (
    <Tooltip title={t(`qualification.stateHints.${state}`)}>
      <Tag color={STATE_COLORS[state]} data-testid="qualification-state">
        {t(`qualification.states.${state}`)}
      </Tag>
    </Tooltip>
  );
}

const EXPIRY_COLORS = { valid: 'success', expiring: 'warning', expired: 'error', longTerm: 'blue' } as const;

/** A document's expiry date with how it stands today (valid / expiring within 30 days / expired / long-term). */
export function ExpiryTag({ expiresOn }: { expiresOn: string | null }) {
  const { t } = useTranslation();
  const state = expiryOf(expiresOn, todayInCompany());
  return (
    <Tag color={EXPIRY_COLORS[state]} data-testid="qualification-expiry">
      {expiresOn ? `${expiresOn} · ${t(`qualification.expiry.${state}`)}` : t('qualification.expiry.longTerm')}
    </Tag>
  );
}
