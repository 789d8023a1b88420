import { describe, expect, it } from 'vitest';
import { changedKeys, jsonLines } from './auditDiff';

describe('audit before/after comparison', () => {
  it('finds changed, added and removed keys, and leaves equal ones alone', () => {
    const before = { name: '张三', roles: [1, 2], meta: { a: 1, b: 2 }, phone: '138' };
    const after = { name: '张三丰', roles: [1, 2], meta: { b: 2, a: 1 }, email: 'z@x.cn' };
    expect([...changedKeys(before, after)].sort()).toEqual(['email', 'name', 'phone']);
  });

  it('treats a creation or deletion as every key changed', () => {
    expect([...changedKeys(null, { a: 1, b: 2 })].sort()).toEqual(['a', 'b']);
    expect([...changedKeys({ a: 1 }, null)]).toEqual(['a']);
  });

  it('prints one line per key and marks the changed ones', () => {
    const lines = jsonLines({ a: 1, b: 'x' }, new Set(['b']));
    expect(lines).toEqual([
      { key: 'a', text: '"a": 1', changed: false },
      { key: 'b', text: '"b": "x"', changed: true },
    ]);
  });
});
