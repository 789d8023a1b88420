import { describe, expect, it } from 'vitest';
import { contactListQuery, readContactFilters } from './contactFilters';

describe('contact list filters in the URL', () => {
  it('reads the filters a shared link carries and ignores what is malformed', () => {
    const f = readContactFilters(new URLSearchParams('q=wjg&influence=decision_maker&status=bogus&customerId=12&sort=-birthday'));
    expect(f).toEqual({ q: 'wjg', customerId: 12, department: undefined, influence: 'decision_maker', status: undefined, sort: '-birthday' });
  });

  it('drops an unknown sort field and adds paging to the query', () => {
    const q = contactListQuery(new URLSearchParams('sort=password&page=3'));
    expect(q.sort).toBeUndefined();
    expect(q.page).toBe(3);
  });
});
