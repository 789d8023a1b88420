import { describe, expect, it } from 'vitest';
import { opportunityBoardQuery, opportunityListQuery, readOpportunityFilters } from './opportunityFilters';

describe('opportunity filters in the URL', () => {
  it('reads the filters and drops what is malformed', () => {
    const params = new URLSearchParams('q=协和&status=won&stageId=3&amountMin=100&amountMax=1.5&closeFrom=2026-01-01&closeTo=bad&territoryId=310000&sort=-amount');
    expect(readOpportunityFilters(params)).toEqual({
      q: '协和',
      status: 'won',
      stageId: 3,
      ownerId: undefined,
      customerId: undefined,
      territoryId: '310000',
      closeFrom: '2026-01-01',
      closeTo: undefined,
      amountMin: '100',
      amountMax: undefined,
      sort: '-amount',
    });
    expect(readOpportunityFilters(new URLSearchParams('status=maybe&sort=password')).status).toBeUndefined();
    expect(readOpportunityFilters(new URLSearchParams('sort=password')).sort).toBeUndefined();
  });

  it('adds paging to the list query and leaves status, stage and sort out of the board query', () => {
    const params = new URLSearchParams('q=x&status=open&stageId=2&sort=name&page=3');
    expect(opportunityListQuery(params)).toMatchObject({ q: 'x', status: 'open', stageId: 2, sort: 'name', page: 3, pageSize: 20 });
    const board = opportunityBoardQuery(params);
    expect(board.q).toBe('x');
    expect(board).not.toHaveProperty('status');
    expect(board).not.toHaveProperty('stageId');
    expect(board).not.toHaveProperty('page');
  });
});
