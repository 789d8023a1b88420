import { describe, expect, it } from 'vitest';
import { parseSort, patchParams, toSortParam } from './urlState';

describe('patchParams', () => {
  it('drops empty values and goes back to page 1 when a filter changes', () => {
    const next = patchParams(new URLSearchParams('q=abc&page=4&status=active'), { q: '', roleId: 2 }, true);
    expect(next.toString()).toBe('status=active&roleId=2');
  });

  it('keeps the page when only paging changes', () => {
    const next = patchParams(new URLSearchParams('q=abc'), { page: 3 }, false);
    expect(next.toString()).toBe('q=abc&page=3');
  });
});

describe('sort parameter', () => {
  it('round-trips between the URL form and antd Table form', () => {
    expect(parseSort('-createdAt')).toEqual({ field: 'createdAt', order: 'descend' });
    expect(parseSort('username')).toEqual({ field: 'username', order: 'ascend' });
    expect(parseSort(null)).toEqual({});
    expect(toSortParam('createdAt', 'descend')).toBe('-createdAt');
    expect(toSortParam('username', 'ascend')).toBe('username');
    expect(toSortParam('username', null)).toBeUndefined();
  });
});
