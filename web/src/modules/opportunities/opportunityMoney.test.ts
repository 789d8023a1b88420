import { describe, expect, it } from 'vitest';
import { linesTotalFen } from './OpportunityFormDrawer';
import { fenToYuanNumber, monthParam } from './reportParams';

describe('opportunity money in the form and the charts', () => {
  it('sums the product lines typed in yuan exactly in fen, and gives up while a line is not an amount', () => {
    expect(linesTotalFen([{ amountYuan: '0.07' }, { amountYuan: '1,234.56' }, { amountYuan: '' }, {}])).toBe(123463n);
    expect(linesTotalFen([{ amountYuan: '12.345' }])).toBeNull();
    expect(linesTotalFen(undefined)).toBe(0n);
  });

  it('turns fen into yuan for chart axes and reads the month from the URL', () => {
    expect(fenToYuanNumber('123456')).toBe(1234.56);
    expect(fenToYuanNumber('7')).toBe(0.07);
    expect(monthParam('2026-09')).toBe('2026-09');
    expect(monthParam('2026-13', '2026-01')).toBe('2026-01');
    expect(monthParam(null, '2026-02')).toBe('2026-02');
  });
});
