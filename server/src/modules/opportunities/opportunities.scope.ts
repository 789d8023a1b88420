import { type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../kernel/access/actor.js';
import { scopeCondition } from '../../kernel/access/scope.js';
import { customerVisible } from '../customers/customers.scope.js';
import { opportunities } from './opportunities.tables.js';

/** Which opportunities an actor may see: by owner scope, or because the actor sees the customer. */
export function opportunityScope(actor: Actor): SQL {
  if (actor.scopes.has('all')) return sql`true`;
  const byOwner = scopeCondition(actor, {
    owner: sql`${opportunities.ownerId}`,
    department: sql`${opportunities.ownerDepartmentId}`,
    territory: (pathMatches) => pathMatches(sql`${opportunities.territoryPath}`),
  });
  return sql`(${byOwner} or ${customerVisible(actor, sql`${opportunities.customerId}`)})`;
}
