import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatFen } from './format';

describe('formatFen', () => {
  it('shows integer fen as yuan with thousands separators and two decimals', () => {
    expect(formatFen(123450)).toBe('¥1,234.50');
    expect(formatFen(123450n)).toBe('¥1,234.50');
    expect(formatFen('123450')).toBe('¥1,234.50');
  });

  it('shows small amounts with a leading zero yuan', () => {
    expect(formatFen(0)).toBe('¥0.00');
    expect(formatFen(5)).toBe('¥0.05');
    expect(formatFen(99)).toBe('¥0.99');
    expect(formatFen(100)).toBe('¥1.00');
  });

  it('puts the minus sign before the currency symbol for refunds and credit notes', () => {
    expect(formatFen(-123450)).toBe('-¥1,234.50');
    expect(formatFen('-7')).toBe('-¥0.07');
    expect(formatFen(-0)).toBe('¥0.00');
  });

  it('stays exact for amounts beyond what a JavaScript number can hold', () => {
    expect(formatFen(123456789012345678901n)).toBe('¥1,234,567,890,123,456,789.01');
    expect(formatFen('900719925474099312')).toBe('¥9,007,199,254,740,993.12');
  });

  it('groups millions correctly', () => {
    expect(formatFen(100000000)).toBe('¥1,000,000.00');
    expect(formatFen(99999999)).toBe('¥999,999.99');
  });

  it('refuses text that is not a whole number of fen', () => {
    expect(() => formatFen('12.5')).toThrow(TypeError);
    expect(() => formatFen('abc')).toThrow(TypeError);
    expect(() => formatFen(Number.NaN)).toThrow(TypeError);
  });
});

describe('formatDateTime', () => {
  it('shows instants on the company clock (Asia/Shanghai), whatever the browser zone', () => {
    expect(formatDateTime('2025-03-01T01:30:00Z')).toBe('2025-03-01 09:30');
    expect(formatDateTime('2025-03-01T16:30:05Z', true)).toBe('2025-03-02 00:30:05');
  });

  it('shows a dash for a missing or invalid instant', () => {
    expect(formatDateTime(null)).toBe('—');
    expect(formatDateTime(undefined)).toBe('—');
    expect(formatDateTime('not a date')).toBe('—');
  });
});

describe('formatDate', () => {
  it('keeps a business date as it is (no time zone shift)', () => {
    expect(formatDate('2025-12-31')).toBe('2025-12-31');
  });

  it('shows an instant as the company-local day', () => {
    expect(formatDate('2025-12-31T17:00:00Z')).toBe('2026-01-01');
  });
});
