import { COMPANY_TIME_ZONE } from '../../shared/format';

/** Today in the company's time zone, 'YYYY-MM-DD' (the server decides expiry the same way). */
export function todayInCompany(at = new Date()): string {
  return at.toLocaleDateString('sv-SE', { timeZone: COMPANY_TIME_ZONE });
}
