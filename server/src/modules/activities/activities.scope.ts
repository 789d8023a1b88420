import { type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../kernel/access/actor.js';
import { scopeCondition } from '../../kernel/access/scope.js';
import { customerVisible } from '../customers/customers.scope.js';
import { leadVisible } from '../leads/leads.scope.js';
import { activities } from './activities.tables.js';

/**
 * Which activities an actor may see: those within the actor's scope by owner (own / team /
 * department / territory of the customer when logged), and every activity with a customer or lead
 * the actor sees now — a new owner inherits the history of the customer.
 */
export function activityScope(actor: Actor): SQL {
  if (actor.scopes.has('all')) return sql`true`;
  const byOwner = scopeCondition(actor, {
    owner: sql`${activities.ownerId}`,
    department: sql`${activities.ownerDepartmentId}`,
    territory: (pathMatches) => pathMatches(sql`${activities.territoryPath}`),
  });
  return sql`(${byOwner}
    or (${activities.customerId} is not null and ${customerVisible(actor, sql`${activities.customerId}`)})
    or (${activities.customerId} is null and ${activities.leadId} is not null and ${leadVisible(actor, sql`${activities.leadId}`)}))`;
}
