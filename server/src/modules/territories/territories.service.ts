import { asc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Queryable } from '../../kernel/db/client.js';
import { territories } from '../../kernel/access/access.tables.js';

/** Territories are the real administrative divisions of China: reference data, read by every signed-in user. */
export type TerritoryRow = { id: string; parentId: string | null; name: string; level: 'province' | 'city' | 'county' };

const columns = { id: territories.id, parentId: territories.parentId, name: territories.name, level: territories.level };

/** Provinces and cities (≈370 rows), or the children of one territory. */
export async function listTerritories(db: Queryable, parentId?: string): Promise<TerritoryRow[]> {
  const where = parentId
    ? eq(territories.parentId, parentId)
    : lte(sql`case ${territories.level} when 'province' then 1 when 'city' then 2 else 3 end`, 2);
  return db.select(columns).from(territories).where(where).orderBy(asc(territories.path));
}

export async function missingTerritories(db: Queryable, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db.select({ id: territories.id }).from(territories).where(inArray(territories.id, ids));
  const found = new Set(rows.map((r) => r.id));
  return ids.filter((id) => !found.has(id));
}
