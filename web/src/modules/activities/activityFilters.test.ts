import { describe, expect, it } from 'vitest';
import { addDays, mondayOf } from './activities.api';
import { readActivityFilters } from './activityFilters';

describe('activity list filters in the URL', () => {
  it('reads the names other pages link with and drops values the API would refuse', () => {
    const f = readActivityFilters(new URLSearchParams('ownerId=7&from=2026-11-01&to=2026-11-30&type=visit&status=done&leadId=3&new=1'));
    expect(f).toMatchObject({ ownerId: 7, from: '2026-11-01', to: '2026-11-30', type: 'visit', status: 'done', leadId: 3 });
    const bad = readActivityFilters(new URLSearchParams('ownerId=x&from=yesterday&type=fax&followUp=soon'));
    expect(bad).toMatchObject({ ownerId: undefined, from: undefined, type: undefined, followUp: undefined });
  });

  it('starts weeks on Monday', () => {
    expect(mondayOf('2026-11-25')).toBe('2026-11-23');
    expect(mondayOf('2026-11-29')).toBe('2026-11-23');
    expect(mondayOf('2026-11-30')).toBe('2026-11-30');
    expect(addDays('2026-12-28', 7)).toBe('2027-01-04');
  });
});
