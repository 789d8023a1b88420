import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';
import { drillDownUrl, presetPeriod, readWorkloadFilters, workloadQuery } from './workload';

const today = dayjs('2026-11-25'); // a Wednesday

describe('workload period presets', () => {
  it('gives Monday to Sunday for this week, whole months and the calendar quarter', () => {
    expect(presetPeriod('thisWeek', today)).toEqual({ from: '2026-11-23', to: '2026-11-29' });
    expect(presetPeriod('thisWeek', dayjs('2026-11-29'))).toEqual({ from: '2026-11-23', to: '2026-11-29' }); // a Sunday
    expect(presetPeriod('thisMonth', today)).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect(presetPeriod('lastMonth', dayjs('2026-03-31'))).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(presetPeriod('lastMonth', dayjs('2026-01-15'))).toEqual({ from: '2025-12-01', to: '2025-12-31' });
    expect(presetPeriod('thisQuarter', today)).toEqual({ from: '2026-10-01', to: '2026-12-31' });
    expect(presetPeriod('thisQuarter', dayjs('2026-02-01'))).toEqual({ from: '2026-01-01', to: '2026-03-31' });
  });

  it('reads this month by default, a custom range from the URL, and ignores nonsense', () => {
    expect(readWorkloadFilters(new URLSearchParams(''), today)).toEqual({ preset: 'thisMonth', from: '2026-11-01', to: '2026-11-30', groupBy: 'rep', departmentId: undefined, sort: 'visits', order: 'desc' });
    const custom = readWorkloadFilters(new URLSearchParams('from=2026-03-01&to=2026-03-31&groupBy=team&departmentId=7&sort=calls&order=asc'), today);
    expect(custom).toEqual({ preset: 'custom', from: '2026-03-01', to: '2026-03-31', groupBy: 'team', departmentId: 7, sort: 'calls', order: 'asc' });
    expect(workloadQuery(custom)).toEqual({ from: '2026-03-01', to: '2026-03-31', groupBy: 'team', departmentId: 7, sort: 'calls', order: 'asc' });
    const junk = readWorkloadFilters(new URLSearchParams('preset=custom&from=2026-02-30&to=x&sort=salary&groupBy=region&departmentId=-1'), today);
    expect(junk).toMatchObject({ preset: 'thisMonth', from: '2026-11-01', groupBy: 'rep', sort: 'visits', departmentId: undefined });
    expect(readWorkloadFilters(new URLSearchParams('preset=lastMonth&from=2026-03-01&to=2026-03-31'), today)).toMatchObject({ preset: 'lastMonth', from: '2026-10-01', to: '2026-10-31' });
  });
});

describe('workload drill-down', () => {
  it('links a rep’s counts to the activity list with the names the activities page reads', () => {
    expect(drillDownUrl('visits', 5, '2026-03-01', '2026-03-31')).toBe('/activities?ownerId=5&from=2026-03-01&to=2026-03-31&type=visit&status=done');
    expect(drillDownUrl('calls', 5, '2026-03-01', '2026-03-31')).toBe('/activities?ownerId=5&from=2026-03-01&to=2026-03-31&type=phone&status=done');
    expect(drillDownUrl('planned', 5, '2026-03-01', '2026-03-31')).toBe('/activities?ownerId=5&from=2026-03-01&to=2026-03-31&status=planned');
    expect(drillDownUrl('followUpsOverdue', 5, '2026-03-01', '2026-03-31')).toBe('/activities?ownerId=5&to=2026-03-31&followUp=overdue');
    expect(drillDownUrl('newLeads', 5, '2026-03-01', '2026-03-31')).toBeNull();
    expect(drillDownUrl('otherContacts', 5, '2026-03-01', '2026-03-31')).toBeNull();
  });
});
