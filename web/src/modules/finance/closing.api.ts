import { api } from '../../shared/api';
import { COMPANY_TIME_ZONE } from '../../shared/format';

/** 日清报表 as the server sends it: counts are numbers, money is fen as a string of digits. */
export interface DailyClearing {
  date: string;
  orders: {
    enteredCount: number;
    enteredFen: string;
    submittedCount: number;
    submittedFen: string;
    abnormalCount: number;
    reviewedCount: number;
    releasedCount: number;
    releasedFen: string;
    cancelledCount: number;
  };
  shipments: { dispatchedCount: number; dispatchedLines: number; dispatchedQuantity: number; coldChainCount: number; deliveredCount: number };
  invoices: { blueCount: number; blueFen: string; blueTaxFen: string; redCount: number; redFen: string; redTaxFen: string; netFen: string };
  receipts: { count: number; totalFen: string; byMethod: { method: string; count: number; amountFen: string }[] };
  open: {
    pendingApprovalCount: number;
    pendingReviewCount: number;
    releasedNotShippedCount: number;
    releasedNotShippedFen: string;
    shippedNotInvoicedFen: string;
    overdueCount: number;
    overdueFen: string;
    overdueCustomers: number;
  };
  byRep: { userId: number | null; displayName: string | null; ordersCount: number; ordersFen: string; dispatchedCount: number; invoicedFen: string; receivedFen: string; overdueFen: string }[];
  byCustomer: { customerId: number; customerName: string; ownerName: string | null; ordersCount: number; ordersFen: string; dispatchedCount: number; invoicedFen: string; receivedFen: string }[];
}

export interface PeriodRow {
  period: string;
  status: 'open' | 'closed';
  over: boolean;
  closedAt: string | null;
  closedByName: string | null;
  ordersCount: number;
  ordersFen: string;
  shipmentsCount: number;
  blueInvoicedFen: string;
  redInvoicedFen: string;
  receivedFen: string;
  receivableAtEndFen: string;
}

export type ClosingWarning = { kind: 'draft_orders' | 'undispatched_shipments' | 'draft_invoices' | 'open_returns'; count: number };

/** Today in the company's time zone, 'YYYY-MM-DD'. */
export function companyToday(now = new Date()): string {
  return now.toLocaleDateString('sv-SE', { timeZone: COMPANY_TIME_ZONE });
}

/**
 * The month that may be closed next: the oldest open month that is over, provided no closed month
 * comes after it (months close in order; the server checks the same).
 */
export function nextClosable(periods: PeriodRow[]): string | null {
  const lastClosed = periods.filter((p) => p.status === 'closed').map((p) => p.period).sort().pop();
  const candidates = periods.filter((p) => p.status === 'open' && p.over && (!lastClosed || p.period > lastClosed)).map((p) => p.period).sort();
  return candidates[0] ?? null;
}

/** The last closed month (the only one that may be reopened). */
export function lastClosed(periods: PeriodRow[]): string | null {
  return periods.filter((p) => p.status === 'closed').map((p) => p.period).sort().pop() ?? null;
}

export const fetchDailyClearing = (date: string, signal?: AbortSignal) => api.get<DailyClearing>('/daily-clearing', { date }, signal);
export const fetchPeriods = (signal?: AbortSignal) => api.get<PeriodRow[]>('/period-closings', undefined, signal);
export const fetchWarnings = (period: string) => api.get<ClosingWarning[]>(`/period-closings/${period}/warnings`);
export const closePeriod = (period: string, acknowledgeWarnings: boolean) => api.post<unknown>('/period-closings', { period, acknowledgeWarnings });
export const reopenPeriod = (period: string, reason: string) => api.post<void>(`/period-closings/${period}/reopen`, { reason });
