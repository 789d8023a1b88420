import { pinyin } from 'pinyin-pro';

/**
 * Pinyin search on every name (ARCHITECTURE.md "Chinese first"): a row keeps one `search_text`
 * column holding its names, their full pinyin and their pinyin initials, lower-case and without
 * spaces, so that `北京协和医院`, `beijingxiehe` and `bjxh` all find it with one trigram-indexed
 * `like '%…%'`. Parts are joined with '|' so that a query never matches across two parts.
 */
export function searchText(...parts: Array<string | null | undefined | readonly string[]>): string {
  const names = parts.flatMap((p) => (p == null ? [] : typeof p === 'string' ? [p] : [...p])).map(compact).filter((p) => p !== '');
  const keys = new Set<string>();
  for (const name of names) {
    keys.add(name);
    if (/[\u3400-\u9fff]/.test(name)) {
      keys.add(pinyinOf(name));
      keys.add(initialsOf(name));
    }
  }
  return [...keys].join('|');
}

/** The full pinyin of a name without tones or spaces: 北京协和医院 → beijingxieheyiyuan. */
export function pinyinOf(name: string): string {
  return compact(pinyin(name, { toneType: 'none', type: 'array', nonZh: 'consecutive' }).join(''));
}

/** The pinyin initials of a name: 北京协和医院 → bjxhyy. Latin letters and digits are kept as they are. */
export function initialsOf(name: string): string {
  return compact(pinyin(name, { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'consecutive' }).join(''));
}

/** What a typed query is compared with: lower-case, no spaces, no '|'. Empty when nothing is left. */
export function searchQuery(query: string): string {
  return compact(query).replaceAll('|', '');
}

function compact(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}
