import { describe, expect, it } from 'vitest';
import { fenToYuanText, yuanTextToFen } from './priceMoney';

describe('yuan ⇄ fen for prices', () => {
  it('parses yuan text exactly, without floating point', () => {
    expect(yuanTextToFen('12.34')).toBe('1234');
    expect(yuanTextToFen('0.07')).toBe('7');
    expect(yuanTextToFen('0.1')).toBe('10');
    expect(yuanTextToFen('¥1,234.5')).toBe('123450');
    expect(yuanTextToFen('１２.３')).toBe('1230'); // full-width digits from a Chinese IME
    expect(yuanTextToFen('999999999999.99')).toBe('99999999999999');
  });

  it('refuses sub-fen, negative, zero and non-numbers', () => {
    for (const bad of ['12.345', '-1', '0', '0.00', 'abc', '', '1e3', '1.2.3']) expect(yuanTextToFen(bad), bad).toBeNull();
  });

  it('formats fen back to yuan text and round-trips', () => {
    expect(fenToYuanText('123450')).toBe('1234.50');
    expect(fenToYuanText('7')).toBe('0.07');
    expect(fenToYuanText(-5n)).toBe('-0.05');
    for (const t of ['0.01', '8.50', '368.00', '12345678901.99']) expect(fenToYuanText(yuanTextToFen(t)!)).toBe(t);
  });
});

import { isApprovalNumber, isEan13 } from './productRules';

describe('product identifier checks in forms', () => {
  it('matches the server’s approval number and EAN-13 rules', () => {
    expect(isApprovalNumber('国药准字H20043225')).toBe(true);
    expect(isApprovalNumber('H20170001')).toBe(true);
    expect(isApprovalNumber('国药准字H123')).toBe(false);
    expect(isEan13('6901234567892')).toBe(true);
    expect(isEan13('6901234567891')).toBe(false);
  });
});
