import * as OpenCC from 'opencc-js/t2cn';

/**
 * Names of organisations are compared after normalisation (DOMAIN.md flow 1 and flow 5): the same
 * hospital is written 北京協和醫院, 北京协和医院 or 北京 协和医院（东院）in different files.
 *
 * normaliseName: full-width → half-width (NFKC), traditional → simplified, lower case, no spaces,
 * brackets dropped (their content kept), a trailing company-form suffix dropped (有限公司, 有限责任公司,
 * 股份有限公司, Co., Ltd. …). Two names with the same normalised form are the same organisation.
 */
const toSimplified = OpenCC.Converter({ from: 'hk', to: 'cn' });

const COMPANY_SUFFIXES = [
  '股份有限公司',
  '有限责任公司',
  '有限公司',
  '责任公司',
  '公司',
  'co.,ltd.',
  'co.,ltd',
  'co.ltd.',
  'co.ltd',
  'ltd.',
  'ltd',
  'inc.',
  'inc',
];

export function normaliseName(name: string): string {
  let s = toSimplified(name.normalize('NFKC')).toLowerCase();
  s = s.replace(/[\s\u3000]+/g, '').replace(/[()[\]{}<>【】〔〕《》「」『』〈〉'"‘’“”·・,，、.。]/g, (c: string) => (c === '.' || c === ',' ? c : ''));
  // One suffix, the longest that matches; a name that is nothing but a suffix stays as it is.
  const suffix = COMPANY_SUFFIXES.find((x) => s.endsWith(x));
  if (suffix && s.length > suffix.length) s = s.slice(0, -suffix.length).replace(/[.,]+$/, '');
  return s.replace(/[.,]/g, '');
}
