import { describe, expect, it } from 'vitest';
import zhCN from './zh-CN.json';
import enUS from './en-US.json';

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

const zh = flatten(zhCN as Tree);
const en = flatten(enUS as Tree);
const variables = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

describe('locale files', () => {
  it('have exactly the same keys in Chinese and English', () => {
    const missingInEn = [...zh.keys()].filter((k) => !en.has(k));
    const missingInZh = [...en.keys()].filter((k) => !zh.has(k));
    expect({ missingInEn, missingInZh }).toEqual({ missingInEn: [], missingInZh: [] });
  });

  it('have no empty texts', () => {
    const empty = [...zh, ...en].filter(([, v]) => v.trim() === '').map(([k]) => k);
    expect(empty).toEqual([]);
  });

  it('use the same placeholders in both languages', () => {
    const mismatched = [...zh.keys()]
      .filter((k) => en.has(k) && variables(zh.get(k)!).join() !== variables(en.get(k)!).join())
      .map((k) => k);
    expect(mismatched).toEqual([]);
  });

  it('contain every fixed key the source code asks for', () => {
    const sources = import.meta.glob(['../**/*.tsx', '../**/*.ts', '!../**/*.test.ts'], {
      query: '?raw',
      import: 'default',
      eager: true,
    }) as Record<string, string>;
    const used = new Set<string>();
    for (const text of Object.values(sources)) {
      // t('a.b'), t("a.b") and labelKey: 'a.b' — keys built at run time (`x.${y}`) are checked by hand.
      for (const m of text.matchAll(/\bt\(\s*'([A-Za-z0-9_.-]+)'/g)) used.add(m[1]);
      for (const m of text.matchAll(/labelKey:\s*'([A-Za-z0-9_.-]+)'/g)) used.add(m[1]);
      for (const m of text.matchAll(/\?\s*'([a-z]+\.[A-Za-z.]+)'\s*:\s*'([a-z]+\.[A-Za-z.]+)'/g)) used.add(m[1]).add(m[2]);
    }
    expect(used.size).toBeGreaterThan(50);
    expect([...used].filter((k) => !zh.has(k))).toEqual([]);
  });
});
