import { describe, expect, it } from 'vitest';
import { accountRequestListQuery, readAccountRequestFilters } from './account-requests.api';

describe('account request list filters', () => {
  it('reads status, keyword, sort and paging from a shared URL', () => {
    const params = new URLSearchParams('status=pending&q=%20AR-2026%20&sort=-createdAt&page=2&pageSize=50');
    expect(accountRequestListQuery(params)).toEqual({ status: 'pending', q: 'AR-2026', sort: '-createdAt', page: 2, pageSize: 50 });
  });

  it('ignores a status or sort field the server does not know rather than failing', () => {
    expect(readAccountRequestFilters(new URLSearchParams('status=lost&sort=-password'))).toEqual({ q: undefined, status: undefined, sort: undefined });
  });
});
