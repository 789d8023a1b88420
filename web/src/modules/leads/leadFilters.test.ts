import { describe, expect, it } from 'vitest';
import { leadFiltersToQuery, leadListQuery, readLeadFilters } from './leadFilters';

describe('lead list filters in the URL', () => {
  it('reads the view, the filters and the sort, ignoring what is malformed', () => {
    const f = readLeadFilters(new URLSearchParams('view=pool&q=%20协和%20&grade=A&source=nowhere&territoryId=3101&followUp=overdue&createdFrom=2026-01-01&sort=-grade'));
    expect(f).toEqual({ view: 'pool', q: '协和', status: undefined, grade: 'A', source: undefined, territoryId: undefined, ownerId: undefined, followUp: 'overdue', createdFrom: '2026-01-01', createdTo: undefined, sort: '-grade' });
    expect(readLeadFilters(new URLSearchParams('sort=password')).sort).toBeUndefined();
    expect(readLeadFilters(new URLSearchParams('')).view).toBe('mine');
    expect(readLeadFilters(new URLSearchParams(''), 'all').view).toBe('all');
  });

  it('turns the view into the API’s mine / pool flags', () => {
    expect(leadFiltersToQuery({ view: 'mine' })).toMatchObject({ mine: true, pool: undefined });
    expect(leadFiltersToQuery({ view: 'team' })).toMatchObject({ mine: undefined, pool: false });
    expect(leadFiltersToQuery({ view: 'pool', ownerId: 5 })).toMatchObject({ pool: true, ownerId: undefined });
    expect(leadListQuery(new URLSearchParams('view=all&page=3'))).toMatchObject({ mine: undefined, pool: undefined, page: 3, pageSize: 20 });
  });
});
