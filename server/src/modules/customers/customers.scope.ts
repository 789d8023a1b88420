import { type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../kernel/access/actor.js';
import { scopeCondition } from '../../kernel/access/scope.js';
import { customers } from './customers.tables.js';

/**
 * The company's time zone decides which delegations (工作代理) are in force "today". Set once from
 * config.timeZone when the routes are registered (customers.routes.ts); TIME_ZONE or Asia/Shanghai before.
 */
let companyTimeZone = process.env.TIME_ZONE || 'Asia/Shanghai';
export function setCompanyTimeZone(timeZone: string) {
  companyTimeZone = timeZone;
}
/** Today in the company time zone, 'YYYY-MM-DD' (as kernel/approvals todayIn). */
export function companyToday(at = new Date()): string {
  return at.toLocaleDateString('sv-SE', { timeZone: companyTimeZone });
}

/**
 * Which customers an actor may see (DOMAIN.md "who may see what"): a rep their own, a team lead
 * their team's, a regional manager their region's (department subtree or territory), the office
 * and management all, an agent its own company. Everything hanging off a customer (contacts,
 * documents, later orders and activities) is visible exactly when the customer is: modules filter
 * with `customerVisible(actor, theirCustomerIdColumn)`.
 */
export function customerScope(actor: Actor): SQL {
  const byRole = scopeCondition(actor, {
    owner: sql`${customers.ownerId}`,
    department: sql`${customers.ownerDepartmentId}`,
    territory: (pathMatches) => pathMatches(sql`${customers.territoryPath}`),
    agent: sql`${customers.id}`,
  });
  if (actor.scopes.has('all') || actor.id === 0) return byRole;
  // 工作代理: the customer's owner has delegated their customers to me, and today is in the range.
  const today = companyToday();
  const delegated = sql`${customers.ownerId} in (select d.from_user_id from customer_delegations d
    where d.to_user_id = ${actor.id} and d.cancelled_at is null and d.starts_on <= ${today}::date and d.ends_on >= ${today}::date)`;
  return sql`(${byRole} or ${delegated})`;
}

/** For rows of other tables that belong to a customer: the customer is visible to the actor. */
export function customerVisible(actor: Actor, customerIdColumn: SQL | unknown): SQL {
  if (actor.scopes.has('all')) return sql`true`;
  return sql`exists (select 1 from ${customers} where ${customers.id} = ${customerIdColumn} and ${customerScope(actor)})`;
}
