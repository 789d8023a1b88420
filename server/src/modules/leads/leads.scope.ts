import { type SQL, sql } from 'drizzle-orm';
import { type Actor, can } from '../../kernel/access/actor.js';
import { scopeCondition } from '../../kernel/access/scope.js';
import { leads } from './leads.tables.js';

/**
 * Which leads an actor may see: an owned lead like a customer (own / team / department subtree /
 * territory); a lead in the pool (no owner) by whoever covers its territory, and — when it names no
 * territory — by those who assign leads.
 */
export function leadScope(actor: Actor): SQL {
  if (actor.scopes.has('all')) return sql`true`;
  const owned = scopeCondition(actor, {
    owner: sql`${leads.ownerId}`,
    department: sql`${leads.ownerDepartmentId}`,
    territory: (pathMatches) => pathMatches(sql`${leads.territoryPath}`),
  });
  const covers = actor.territoryPaths.length
    ? sql`${leads.territoryPath} like any(array[${sql.join(actor.territoryPaths.map((p) => sql`${p + '%'}`), sql`, `)}]::text[])`
    : sql`false`;
  const pool = can(actor, 'leads.assign') ? sql`(${covers} or ${leads.territoryPath} is null)` : covers;
  return sql`(${owned} or (${leads.ownerId} is null and ${pool}))`;
}

/** For rows of other tables that belong to a lead (activities before conversion). */
export function leadVisible(actor: Actor, leadIdColumn: SQL | unknown): SQL {
  if (actor.scopes.has('all')) return sql`true`;
  return sql`exists (select 1 from ${leads} where ${leads.id} = ${leadIdColumn} and ${leadScope(actor)})`;
}
