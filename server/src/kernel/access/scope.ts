import { type SQL, sql } from 'drizzle-orm';
import type { Actor } from './actor.js';

/**
 * Data scope: which rows an actor may see. Each kind of row says how it relates to people and
 * places; the actor's roles grant one or more scopes and the row is visible if ANY grant matches.
 *
 *   own        — rows the actor owns
 *   team       — rows owned within the actor's own department (a sales team)
 *   department — rows owned within the actor's department and every department below it
 *   territory  — rows located in the actor's territories or below (a province covers its cities)
 *   all        — every row
 *   agent      — rows of the actor's own agent company
 */
export type ScopeColumns = {
  /** The owning user id. */
  owner?: SQL;
  /** The owning department id. */
  department?: SQL;
  /** Given SQL for a territory-path prefix test (`t.path like ...`), returns a condition on the row. */
  territory?: (pathMatches: (pathColumn: SQL) => SQL) => SQL;
  /** The agent company (customer) id. */
  agent?: SQL;
};

const FALSE = sql`false`;

export function scopeCondition(actor: Actor, cols: ScopeColumns): SQL {
  if (actor.scopes.has('all')) return sql`true`;
  const parts: SQL[] = [];
  for (const scope of actor.scopes) {
    switch (scope) {
      case 'own':
        if (cols.owner) parts.push(sql`${cols.owner} = ${actor.id}`);
        break;
      case 'team':
        if (cols.department && actor.departmentId !== null) parts.push(sql`${cols.department} = ${actor.departmentId}`);
        break;
      case 'department':
        if (cols.department && actor.departmentPath)
          parts.push(sql`${cols.department} in (select d.id from departments d where d.path like ${actor.departmentPath + '%'})`);
        break;
      case 'territory':
        if (cols.territory && actor.territoryPaths.length > 0) {
          const prefixes = actor.territoryPaths.map((p) => p + '%');
          parts.push(cols.territory((pathColumn) => sql`${pathColumn} like any(${toTextArray(prefixes)})`));
        }
        break;
      case 'agent':
        if (cols.agent && actor.agentCustomerId !== null) parts.push(sql`${cols.agent} = ${actor.agentCustomerId}`);
        break;
    }
  }
  if (parts.length === 0) return FALSE;
  return sql`(${sql.join(parts, sql` or `)})`;
}

function toTextArray(values: string[]): SQL {
  return sql`array[${sql.join(values.map((v) => sql`${v}`), sql`, `)}]::text[]`;
}
