import { describe, expect, it } from 'vitest';
import { companyToday, lastClosed, nextClosable, type PeriodRow } from './closing.api';

const row = (period: string, status: 'open' | 'closed', over = true): PeriodRow => ({
  period,
  status,
  over,
  closedAt: null,
  closedByName: null,
  ordersCount: 0,
  ordersFen: '0',
  shipmentsCount: 0,
  blueInvoicedFen: '0',
  redInvoicedFen: '0',
  receivedFen: '0',
  receivableAtEndFen: '0',
});

describe('the closing page', () => {
  it('offers to close the oldest open month that is over, after the last closed one', () => {
    expect(nextClosable([row('2026-11', 'open', false), row('2026-10', 'open'), row('2026-09', 'open'), row('2026-08', 'closed')])).toBe('2026-09');
    expect(nextClosable([row('2026-11', 'open', false), row('2026-10', 'closed')])).toBeNull();
    expect(nextClosable([row('2026-11', 'open', false)])).toBeNull();
  });

  it('offers to reopen only the last closed month', () => {
    expect(lastClosed([row('2026-10', 'open'), row('2026-09', 'closed'), row('2026-08', 'closed')])).toBe('2026-09');
    expect(lastClosed([row('2026-10', 'open')])).toBeNull();
  });

  it('takes today in Shanghai time: 17:00 UTC is already the next day', () => {
    expect(companyToday(new Date('2026-10-31T17:00:00Z'))).toBe('2026-11-01');
    expect(companyToday(new Date('2026-10-31T15:59:00Z'))).toBe('2026-10-31');
  });
});
