import { describe, expect, it } from 'vitest';
import { buildTerritoryTree, cityOf, type Territory } from './territories.api';

const list: Territory[] = [
  { id: '370000', parentId: null, name: '山东省', level: 'province' },
  { id: '370100', parentId: '370000', name: '济南市', level: 'city' },
  { id: '370200', parentId: '370000', name: '青岛市', level: 'city' },
  { id: '310000', parentId: null, name: '上海市', level: 'province' },
  { id: '310115', parentId: '310000', name: '浦东新区', level: 'city' },
];

describe('territory tree', () => {
  it('nests cities under provinces, and cities can still be opened for their counties', () => {
    const tree = buildTerritoryTree(list);
    expect(tree.map((n) => n.title)).toEqual(['山东省', '上海市']);
    expect(tree[0].children!.map((n) => [n.title, n.isLeaf])).toEqual([
      ['济南市', false],
      ['青岛市', false],
    ]);
  });

  it('adds the counties loaded for a city, and marks a city without counties as a leaf', () => {
    const tree = buildTerritoryTree(list, {
      '370100': [{ id: '370102', parentId: '370100', name: '历下区', level: 'county' }],
      '310115': [],
    });
    expect(tree[0].children![0].children!.map((n) => n.title)).toEqual(['历下区']);
    expect(tree[1].children![0].isLeaf).toBe(true);
  });

  it('finds the city of a county from its administrative code', () => {
    expect(cityOf('370102')).toBe('370100');
  });
});
