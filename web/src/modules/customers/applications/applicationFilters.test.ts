import { describe, expect, it } from 'vitest';
import { expiryOf } from '../qualifications.api';
import { applicationListQuery, readApplicationFilters } from './applications.api';

describe('account opening list filters', () => {
  it('reads status, mine, keyword, sort and paging from the URL and ignores what is malformed', () => {
    const params = new URLSearchParams('status=pending&mine=true&q=%20青海%20&sort=-createdAt&page=2&pageSize=50');
    expect(applicationListQuery(params)).toEqual({ status: 'pending', mine: true, q: '青海', sort: '-createdAt', page: 2, pageSize: 50 });
    expect(readApplicationFilters(new URLSearchParams('status=lost&mine=yes&sort=-password'))).toEqual({ status: undefined, mine: undefined, q: undefined, sort: undefined });
  });
});

describe('document expiry tags', () => {
  it('calls a document expiring within 30 days expiring, after its last day expired, and without a date long-term', () => {
    expect(expiryOf(null, '2026-11-25')).toBe('longTerm');
    expect(expiryOf('2026-12-25', '2026-11-25')).toBe('expiring');
    expect(expiryOf('2026-12-26', '2026-11-25')).toBe('valid');
    expect(expiryOf('2026-11-25', '2026-11-25')).toBe('expiring');
    expect(expiryOf('2026-11-24', '2026-11-25')).toBe('expired');
  });
});
