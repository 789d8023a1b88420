import { type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../kernel/access/actor.js';
import { scopeCondition } from '../../kernel/access/scope.js';
import { customers } from './customers.tables.js';

/**
 * Which customers an actor may see (DOMAIN.md "who may see what"): a rep their own, a team lead
 * their team's, a regional manager their region's (department subtree or territory), the office
 * and management all, an agent its own company. Everything hanging off a customer (contacts,
 * documents, later orders and activities) is visible exactly when the customer is: modules filter
 * with `customerVisible(actor, theirCustomerIdColumn)`.
 */
export function customerScope(actor: Actor): SQL {
  return scopeCondition(actor, {
    owner: sql`${customers.ownerId}`,
    department: sql`${customers.ownerDepartmentId}`,
    territory: (pathMatches) => pathMatches(sql`${customers.territoryPath}`),
    agent: sql`${customers.id}`,
  });
}

/** For rows of other tables that belong to a customer: the customer is visible to the actor. */
export function customerVisible(actor: Actor, customerIdColumn: SQL | unknown): SQL {
  if (actor.scopes.has('all')) return sql`true`;
  return sql`exists (select 1 from ${customers} where ${customers.id} = ${customerIdColumn} and ${customerScope(actor)})`;
}
