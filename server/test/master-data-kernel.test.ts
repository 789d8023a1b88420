import { describe, expect, it } from 'vitest';
import { creditCodeCheckChar, isValidCreditCode } from '../src/kernel/credit-code.js';
import { fenToYuan, formatMoney, parseYuan, roundHalfUp } from '../src/kernel/money.js';
import { normaliseName } from '../src/kernel/names.js';
import { initialsOf, searchQuery, searchText } from '../src/kernel/pinyin.js';

describe('names are compared after normalisation', () => {
  it('treats traditional, full-width, spaced and company-suffixed forms of one name as the same', () => {
    const key = normaliseName('国药控股广州有限公司');
    for (const variant of ['國藥控股廣州有限責任公司', '国药控股（广州）股份有限公司', ' 国药控股 广州 公司', '国药控股(广州)有限公司']) {
      expect(normaliseName(variant)).toBe(key);
    }
  });
  it('keeps different organisations apart', () => {
    expect(normaliseName('北京协和医院')).not.toBe(normaliseName('北京协和医院西院'));
    expect(normaliseName('华润医药商业集团有限公司')).not.toBe(normaliseName('华润医药商业有限公司'));
  });
  it('never strips a name down to nothing', () => {
    expect(normaliseName('有限公司')).toBe('有限公司');
  });
});

describe('pinyin search text', () => {
  it('finds 北京协和医院 by its initials, full pinyin and characters', () => {
    const text = searchText('北京协和医院');
    for (const q of ['bjxh', 'beijingxiehe', '协和', 'XieHe Yi']) expect(text).toContain(searchQuery(q));
    expect(initialsOf('重庆医药')).toBe('cqyy');
  });
  it('does not match across two names', () => {
    expect(searchText('安徽', '华源')).not.toContain(searchQuery('安徽华源'));
  });
});

describe('unified social credit code', () => {
  const valid = (first17: string) => first17 + creditCodeCheckChar(first17);
  it('accepts a code whose check character is right and refuses one typo', () => {
    const code = valid('91110108MA01ABCD1');
    expect(isValidCreditCode(code)).toBe(true);
    expect(isValidCreditCode(code.toLowerCase())).toBe(true);
    const typo = code.slice(0, 5) + (code[5] === '1' ? '2' : '1') + code.slice(6);
    expect(isValidCreditCode(typo)).toBe(false);
    expect(isValidCreditCode('91110108MA01ABCDI1')).toBe(false); // I is not in the alphabet
    expect(isValidCreditCode('123')).toBe(false);
  });
});

describe('money in fen', () => {
  it('parses yuan text exactly and refuses sub-fen amounts', () => {
    expect(parseYuan('1,234.5')).toBe(123450n);
    expect(parseYuan('¥0.07')).toBe(7n);
    expect(parseYuan('12.345')).toBeNull();
    expect(parseYuan('abc')).toBeNull();
    expect(fenToYuan(-5n)).toBe('-0.05');
    expect(formatMoney(123456789n)).toBe('¥1,234,567.89');
  });
  it('rounds half up once', () => {
    expect(roundHalfUp(5n, 2n)).toBe(3n);
    expect(roundHalfUp(-5n, 2n)).toBe(-3n);
    expect(roundHalfUp(4n, 3n)).toBe(1n);
  });
});
