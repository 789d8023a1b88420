import { describe, expect, it } from 'vitest';
import type { Department } from './departments.api';
import { buildDepartmentTree, filterTree, subtreeIds } from './departmentTree';

function dept(id: number, parentId: number | null, name: string, sort = 0, nameEn: string | null = null): Department {
  return { id, parentId, name, nameEn, kind: 'other', headUserId: null, headUserName: null, sort, userCount: 0, version: 1 };
}

const flat = [
  dept(1, null, '华东医药', 0, 'East China Pharma'),
  dept(2, 1, '销售内勤部', 2),
  dept(3, 1, '华东大区', 1, 'East Region'),
  dept(4, 3, '济南团队', 0),
  dept(5, 3, '青岛团队', 0),
  dept(6, 99, '失联部门', 0),
];

describe('buildDepartmentTree', () => {
  it('nests departments under their parents, ordered by sort', () => {
    const tree = buildDepartmentTree(flat, 'zh-CN');
    expect(tree.map((n) => n.title)).toEqual(['华东医药', '失联部门']);
    expect(tree[0].children!.map((n) => n.title)).toEqual(['华东大区', '销售内勤部']);
    expect(tree[0].children![0].children!.map((n) => n.key)).toEqual([4, 5]);
  });

  it('keeps a department whose parent is not visible as a root instead of losing it', () => {
    const tree = buildDepartmentTree(flat, 'zh-CN');
    expect(tree.some((n) => n.key === 6)).toBe(true);
  });

  it('uses the English name in English when there is one', () => {
    const tree = buildDepartmentTree(flat, 'en-US');
    expect(tree[0].title).toBe('East China Pharma');
    expect(tree[0].children!.map((n) => n.title)).toEqual(['East Region', '销售内勤部']);
  });
});

describe('subtreeIds', () => {
  it('collects a department and everything below it', () => {
    expect([...subtreeIds(flat, 3)].sort()).toEqual([3, 4, 5]);
    expect([...subtreeIds(flat, 4)]).toEqual([4]);
  });
});

describe('filterTree', () => {
  it('keeps matches together with the path leading to them', () => {
    const tree = filterTree(buildDepartmentTree(flat, 'zh-CN'), '青岛');
    expect(tree.map((n) => n.key)).toEqual([1]);
    expect(tree[0].children!.map((n) => n.key)).toEqual([3]);
    expect(tree[0].children![0].children!.map((n) => n.key)).toEqual([5]);
  });
});
