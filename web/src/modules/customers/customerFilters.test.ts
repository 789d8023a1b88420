import { describe, expect, it } from 'vitest';
import { customerFiltersToQuery, customerListQuery, readCustomerFilters } from './customerFilters';

describe('customer list filters in the URL', () => {
  it('reads a bookmarked view back into the same query', () => {
    const params = new URLSearchParams('q=bjxh&type=hospital&grade=A&territoryId=110000&sort=-updatedAt&page=3');
    expect(customerListQuery(params)).toEqual({
      q: 'bjxh',
      type: 'hospital',
      status: undefined,
      grade: 'A',
      lifecycleStage: undefined,
      territoryId: '110000',
      ownerId: undefined,
      unassigned: undefined,
      sort: '-updatedAt',
      page: 3,
      pageSize: 20,
    });
  });

  it('ignores malformed values instead of failing', () => {
    const f = readCustomerFilters(new URLSearchParams('type=spaceship&grade=Z&territoryId=abc&sort=-password&ownerId=x'));
    expect(f).toMatchObject({ type: undefined, grade: undefined, territoryId: undefined, sort: undefined, ownerId: undefined });
  });

  it('lets an owner win over "unassigned"', () => {
    expect(customerFiltersToQuery({ unassigned: true, ownerId: 7 })).toMatchObject({ ownerId: 7, unassigned: undefined });
    expect(customerFiltersToQuery({ unassigned: true })).toMatchObject({ unassigned: true });
  });
});
