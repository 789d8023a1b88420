import { describe, expect, it } from 'vitest';
import { formatFen } from './format';
import { fenToYuanText, yuanToFen } from './money';

describe('money typed in yuan, kept in fen', () => {
  it('converts exactly, without floating-point drift', () => {
    expect(yuanToFen('0.07')).toBe('7');
    expect(yuanToFen('1,234.5')).toBe('123450');
    expect(yuanToFen('¥ 19.99')).toBe('1999');
    expect(yuanToFen('１２.３')).toBe('1230'); // full-width digits from a Chinese IME
  });
  it('refuses what is not an amount of at most two decimals', () => {
    for (const bad of ['', 'abc', '1.234', '-5', '1e3']) expect(yuanToFen(bad)).toBeNull();
  });
  it('shows fen as yuan (inputs here, display in format.ts)', () => {
    expect(fenToYuanText(5)).toBe('0.05');
    expect(formatFen(123456789)).toBe('¥1,234,567.89');
  });
});
