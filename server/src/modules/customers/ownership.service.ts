import { and, asc, count, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Actor } from '../../kernel/access/actor.js';
import { can } from '../../kernel/access/actor.js';
import { departments, users } from '../../kernel/access/access.tables.js';
import { audit, auditMany } from '../../kernel/audit/audit.js';
import type { Db, Queryable, Tx } from '../../kernel/db/client.js';
import { DomainError, notFound } from '../../kernel/errors.js';
import { notify } from '../../kernel/notify/notify.js';
import { companyToday, customerScope } from './customers.scope.js';
import { customers } from './customers.tables.js';
import { customerDelegations, customerOwnerHistory } from './ownership.tables.js';

/**
 * Ownership (客户归属): who is responsible for a customer. Rules owned here (DOMAIN.md: "customer
 * data lost when reps leave"; 工作代理 / 工作转移):
 * - assigning (one or many customers) and transferring ALL customers of a leaving rep need
 *   customers.assign; the actor must see the customers (customerScope) and reach the reps: the
 *   office and administrators (scope all) everybody, a regional manager or director the users of
 *   their department subtree, a team lead their team. Out of reach is 403.
 * - the new owner must be an active user; owner_department_id follows the owner's department;
 * - every change writes customer_owner_history and the audit log, in one transaction per action,
 *   and tells the new owner (notify);
 * - delegation (工作代理): a rep may delegate their OWN customers (customers.write is enough), a
 *   manager with customers.assign may delegate those of a rep within reach. During the dates
 *   (company time zone, both ends included) the delegate sees and works with the delegator's
 *   customers (customers.scope.ts). One user's active delegations never overlap (exclusion
 *   constraint customer_delegations_no_overlap). The delegator, the creator or a manager in reach
 *   may cancel.
 */

type Reachable = { id: number; displayName: string; status: string; departmentId: number | null; departmentPath: string | null };

async function userRow(db: Queryable, id: number): Promise<Reachable | null> {
  const [u] = await db
    .select({ id: users.id, displayName: users.displayName, status: users.status, departmentId: users.departmentId, departmentPath: departments.path })
    .from(users)
    .leftJoin(departments, eq(departments.id, users.departmentId))
    .where(eq(users.id, id));
  return u ?? null;
}

/** Whether the actor's data scope covers this user (their customers and their assignments). */
export function reaches(actor: Actor, u: Reachable): boolean {
  if (actor.scopes.has('all')) return true;
  if (actor.scopes.has('department') && actor.departmentPath && u.departmentPath?.startsWith(actor.departmentPath)) return true;
  if (actor.scopes.has('team') && actor.departmentId !== null && u.departmentId === actor.departmentId) return true;
  return u.id === actor.id;
}

const outOfReach = (path: string) => new DomainError('OWNERSHIP_USER_OUT_OF_REACH', {}, 403, [{ path, code: 'OWNERSHIP_USER_OUT_OF_REACH' }]);

/** The user exists and the actor reaches them (403 otherwise). */
async function reachableUser(db: Queryable, actor: Actor, id: number, path: string): Promise<Reachable> {
  const u = await userRow(db, id);
  if (!u) throw new DomainError('VALIDATION_FAILED', {}, 422, [{ path, code: 'UNKNOWN_REFERENCE', params: { what: 'user', ids: id } }]);
  if (!reaches(actor, u)) throw outOfReach(path);
  return u;
}

/** The new owner: an active user the actor reaches. */
async function newOwner(db: Queryable, actor: Actor, id: number, path: string): Promise<Reachable> {
  const u = await reachableUser(db, actor, id, path);
  if (u.status !== 'active') throw new DomainError('VALIDATION_FAILED', {}, 422, [{ path, code: 'OWNERSHIP_USER_INACTIVE', params: { name: u.displayName } }]);
  return u;
}

type Locked = { id: number; code: string; name: string; ownerId: number | null; ownerDepartmentId: number | null; status: string; version: number };

/** Moves the given (locked) customers to the owner: one update, history, audit and one notification. */
async function changeOwner(tx: Tx, actor: Actor, rows: Locked[], owner: Reachable, kind: 'assign' | 'transfer', reason: string | null) {
  const moving = rows.filter((c) => c.ownerId !== owner.id);
  if (moving.length === 0) return 0;
  const now = new Date();
  await tx
    .update(customers)
    .set({ ownerId: owner.id, ownerDepartmentId: owner.departmentId, version: sql`${customers.version} + 1`, updatedAt: now })
    .where(inArray(customers.id, moving.map((c) => c.id)));
  for (let i = 0; i < moving.length; i += 1000) {
    const chunk = moving.slice(i, i + 1000);
    await tx.insert(customerOwnerHistory).values(chunk.map((c) => ({ customerId: c.id, fromUserId: c.ownerId, toUserId: owner.id, kind, reason, at: now, byUserId: actor.id || null })));
    await auditMany(
      tx,
      actor,
      chunk.map((c) => ({
        action: kind === 'assign' ? 'customer.assigned' : 'customer.transferred',
        entity: 'customer',
        entityId: c.id,
        before: { ownerId: c.ownerId, ownerDepartmentId: c.ownerDepartmentId },
        after: { ownerId: owner.id, ownerDepartmentId: owner.departmentId, reason },
      })),
    );
  }
  if (owner.id !== actor.id) {
    const first = moving[0]!;
    await notify(tx, {
      userIds: [owner.id],
      event: 'customer.assigned',
      title:
        moving.length === 1
          ? { 'zh-CN': `客户 ${first.name} 已分配给您`, 'en-US': `Customer ${first.name} is now yours` }
          : { 'zh-CN': `${moving.length} 个客户已分配给您`, 'en-US': `${moving.length} customers are now yours` },
      body: { 'zh-CN': `操作人：${actor.displayName}${reason ? `；原因：${reason}` : ''}`, 'en-US': `By ${actor.displayName}${reason ? `; reason: ${reason}` : ''}` },
      link: moving.length === 1 ? `/customers/${first.id}` : `/customers?ownerId=${owner.id}`,
    });
  }
  return moving.length;
}

const lockedColumns = {
  id: customers.id,
  code: customers.code,
  name: customers.name,
  ownerId: customers.ownerId,
  ownerDepartmentId: customers.ownerDepartmentId,
  status: customers.status,
  version: customers.version,
};

/** 分配负责人: the selected customers (one or many) get a new owner. */
export async function assignCustomers(db: Db, actor: Actor, input: { customerIds: number[]; ownerId: number; reason?: string | null }): Promise<{ assigned: number }> {
  const ids = [...new Set(input.customerIds)].sort((a, b) => a - b);
  return db.transaction(async (tx) => {
    const owner = await newOwner(tx, actor, input.ownerId, 'ownerId');
    const rows = await tx.select(lockedColumns).from(customers).where(and(inArray(customers.id, ids), customerScope(actor))).orderBy(asc(customers.id)).for('update');
    if (rows.length !== ids.length) throw notFound();
    const merged = rows.find((c) => c.status === 'merged');
    if (merged) throw new DomainError('CUSTOMER_MERGED', { code: merged.code }, 409);
    return { assigned: await changeOwner(tx, actor, rows, owner, 'assign', input.reason?.trim() || null) };
  });
}

/** How many customers a transfer from this rep would move (shown before the 工作转移). */
export async function transferPreview(db: Queryable, actor: Actor, fromUserId: number): Promise<{ count: number }> {
  await reachableUser(db, actor, fromUserId, 'fromUserId');
  const [row] = await db.select({ n: count() }).from(customers).where(and(eq(customers.ownerId, fromUserId), sql`${customers.status} <> 'merged'`));
  return { count: Number(row?.n ?? 0) };
}

/** 工作转移: every customer of a (leaving) rep moves to another rep, in one transaction. */
export async function transferCustomers(db: Db, actor: Actor, input: { fromUserId: number; toUserId: number; reason: string }): Promise<{ transferred: number }> {
  if (input.fromUserId === input.toUserId) throw new DomainError('VALIDATION_FAILED', {}, 422, [{ path: 'toUserId', code: 'OWNERSHIP_SAME_USER' }]);
  return db.transaction(async (tx) => {
    await reachableUser(tx, actor, input.fromUserId, 'fromUserId');
    const owner = await newOwner(tx, actor, input.toUserId, 'toUserId');
    // Merged customers stay where they are: they are history, not work.
    const rows = await tx
      .select(lockedColumns)
      .from(customers)
      .where(and(eq(customers.ownerId, input.fromUserId), sql`${customers.status} <> 'merged'`))
      .orderBy(asc(customers.id))
      .for('update');
    return { transferred: await changeOwner(tx, actor, rows, owner, 'transfer', input.reason.trim() || null) };
  });
}

export type OwnerHistoryRow = { id: number; fromUserName: string | null; toUserName: string | null; kind: 'assign' | 'transfer'; reason: string | null; at: Date; byUserName: string | null };

export async function ownerHistory(db: Queryable, actor: Actor, customerId: number): Promise<OwnerHistoryRow[]> {
  const [visible] = await db.select({ id: customers.id }).from(customers).where(and(eq(customers.id, customerId), customerScope(actor)));
  if (!visible) throw notFound();
  const fromU = alias(users, 'from_u');
  const toU = alias(users, 'to_u');
  const byU = alias(users, 'by_u');
  return db
    .select({
      id: customerOwnerHistory.id,
      fromUserName: fromU.displayName,
      toUserName: toU.displayName,
      kind: customerOwnerHistory.kind,
      reason: customerOwnerHistory.reason,
      at: customerOwnerHistory.at,
      byUserName: byU.displayName,
    })
    .from(customerOwnerHistory)
    .leftJoin(fromU, eq(fromU.id, customerOwnerHistory.fromUserId))
    .leftJoin(toU, eq(toU.id, customerOwnerHistory.toUserId))
    .leftJoin(byU, eq(byU.id, customerOwnerHistory.byUserId))
    .where(eq(customerOwnerHistory.customerId, customerId))
    .orderBy(desc(customerOwnerHistory.at), desc(customerOwnerHistory.id))
    .limit(500);
}

// ---- 工作代理 -------------------------------------------------------------------------------------

export type DelegationInput = { fromUserId: number; toUserId: number; startsOn: string; endsOn: string; reason?: string | null };
export type DelegationRow = {
  id: number;
  fromUserId: number;
  fromUserName: string;
  toUserId: number;
  toUserName: string;
  startsOn: string;
  endsOn: string;
  reason: string | null;
  createdByName: string | null;
  createdAt: Date;
  cancelledAt: Date | null;
  /** active today, upcoming, past or cancelled. */
  state: 'active' | 'upcoming' | 'past' | 'cancelled';
};

/** The actor may arrange the user's 工作代理: their own, or as a manager (customers.assign) in reach. */
function mayDelegateFor(actor: Actor, u: Reachable): boolean {
  return u.id === actor.id || (can(actor, 'customers.assign') && reaches(actor, u));
}

export async function createDelegation(db: Db, actor: Actor, input: DelegationInput): Promise<DelegationRow> {
  const fields: { path: string; code: string; params?: Record<string, unknown> }[] = [];
  if (input.fromUserId === input.toUserId) fields.push({ path: 'toUserId', code: 'DELEGATION_SELF' });
  if (input.endsOn < input.startsOn) fields.push({ path: 'endsOn', code: 'DELEGATION_DATES' });
  else if (input.endsOn < companyToday()) fields.push({ path: 'endsOn', code: 'DELEGATION_IN_PAST' });
  if (fields.length) throw new DomainError('VALIDATION_FAILED', {}, 422, fields);
  const id = await db.transaction(async (tx) => {
    const from = await userRow(tx, input.fromUserId);
    if (!from) throw new DomainError('VALIDATION_FAILED', {}, 422, [{ path: 'fromUserId', code: 'UNKNOWN_REFERENCE', params: { what: 'user', ids: input.fromUserId } }]);
    if (!mayDelegateFor(actor, from)) throw outOfReach('fromUserId');
    const to = await userRow(tx, input.toUserId);
    if (!to || to.status !== 'active') throw new DomainError('VALIDATION_FAILED', {}, 422, [{ path: 'toUserId', code: 'OWNERSHIP_USER_INACTIVE', params: { name: to?.displayName ?? input.toUserId } }]);
    // Serialise delegations of one user so the overlap check below and the constraint agree.
    await tx.execute(sql`select pg_advisory_xact_lock(7291400, ${input.fromUserId})`);
    const [overlap] = await tx
      .select({ id: customerDelegations.id })
      .from(customerDelegations)
      .where(
        and(
          eq(customerDelegations.fromUserId, input.fromUserId),
          isNull(customerDelegations.cancelledAt),
          sql`${customerDelegations.startsOn} <= ${input.endsOn}::date and ${customerDelegations.endsOn} >= ${input.startsOn}::date`,
        ),
      );
    if (overlap) throw delegationOverlap();
    const reason = input.reason?.trim() || null;
    const [row] = await tx
      .insert(customerDelegations)
      .values({ fromUserId: input.fromUserId, toUserId: input.toUserId, startsOn: input.startsOn, endsOn: input.endsOn, reason, createdBy: actor.id || null })
      .returning({ id: customerDelegations.id })
      .catch((e: unknown) => {
        const pg = ((e as { cause?: { code?: string } }).cause ?? e) as { code?: string };
        throw pg.code === '23P01' ? delegationOverlap() : e;
      });
    await audit(tx, actor, { action: 'customer_delegation.created', entity: 'customer_delegation', entityId: row!.id, after: { ...input, reason } });
    await notify(tx, {
      userIds: [input.toUserId],
      event: 'customer.delegated',
      title: { 'zh-CN': `${from.displayName} 的客户由您代理（${input.startsOn} 至 ${input.endsOn}）`, 'en-US': `You stand in for ${from.displayName} (${input.startsOn} – ${input.endsOn})` },
      body: reason ?? '',
      link: `/customers?ownerId=${input.fromUserId}`,
    });
    return row!.id;
  });
  const [created] = await delegationRows(db, eq(customerDelegations.id, id));
  return created!;
}

const delegationOverlap = () => new DomainError('DELEGATION_OVERLAP', {}, 409, [{ path: 'startsOn', code: 'DELEGATION_OVERLAP' }]);

export async function cancelDelegation(db: Db, actor: Actor, id: number): Promise<DelegationRow> {
  await db.transaction(async (tx) => {
    const [d] = await tx.select().from(customerDelegations).where(eq(customerDelegations.id, id)).for('update');
    if (!d) throw notFound();
    const from = (await userRow(tx, d.fromUserId))!;
    if (!(d.createdBy === actor.id || d.toUserId === actor.id || mayDelegateFor(actor, from))) throw notFound();
    if (d.cancelledAt) throw new DomainError('DELEGATION_CANCELLED', {}, 409);
    await tx.update(customerDelegations).set({ cancelledAt: new Date(), cancelledBy: actor.id || null }).where(eq(customerDelegations.id, id));
    await audit(tx, actor, { action: 'customer_delegation.cancelled', entity: 'customer_delegation', entityId: id, before: { cancelledAt: null } });
  });
  const [row] = await delegationRows(db, eq(customerDelegations.id, id));
  return row!;
}

/** The delegations the actor is part of, or (with customers.assign) arranges for users in reach. */
export async function listDelegations(db: Queryable, actor: Actor, filter: { userId?: number; current?: boolean }): Promise<DelegationRow[]> {
  let visible = or(eq(customerDelegations.fromUserId, actor.id), eq(customerDelegations.toUserId, actor.id), eq(customerDelegations.createdBy, actor.id));
  if (can(actor, 'customers.assign')) {
    if (actor.scopes.has('all')) visible = sql`true`;
    else if (actor.scopes.has('department') && actor.departmentPath)
      visible = or(visible, sql`${customerDelegations.fromUserId} in (select u.id from users u join departments d on d.id = u.department_id where d.path like ${actor.departmentPath + '%'})`);
    else if (actor.scopes.has('team') && actor.departmentId !== null)
      visible = or(visible, sql`${customerDelegations.fromUserId} in (select u.id from users u where u.department_id = ${actor.departmentId})`);
  }
  const today = companyToday();
  return delegationRows(
    db,
    and(
      visible,
      filter.userId ? or(eq(customerDelegations.fromUserId, filter.userId), eq(customerDelegations.toUserId, filter.userId)) : undefined,
      filter.current ? and(isNull(customerDelegations.cancelledAt), sql`${customerDelegations.endsOn} >= ${today}::date`) : undefined,
    ),
  );
}

async function delegationRows(db: Queryable, where: ReturnType<typeof and>): Promise<DelegationRow[]> {
  const fromU = alias(users, 'from_u');
  const toU = alias(users, 'to_u');
  const byU = alias(users, 'by_u');
  const today = companyToday();
  const rows = await db
    .select({
      id: customerDelegations.id,
      fromUserId: customerDelegations.fromUserId,
      fromUserName: fromU.displayName,
      toUserId: customerDelegations.toUserId,
      toUserName: toU.displayName,
      startsOn: customerDelegations.startsOn,
      endsOn: customerDelegations.endsOn,
      reason: customerDelegations.reason,
      createdByName: byU.displayName,
      createdAt: customerDelegations.createdAt,
      cancelledAt: customerDelegations.cancelledAt,
    })
    .from(customerDelegations)
    .innerJoin(fromU, eq(fromU.id, customerDelegations.fromUserId))
    .innerJoin(toU, eq(toU.id, customerDelegations.toUserId))
    .leftJoin(byU, eq(byU.id, customerDelegations.createdBy))
    .where(where)
    .orderBy(desc(customerDelegations.startsOn), desc(customerDelegations.id))
    .limit(500);
  return rows.map((r) => ({
    ...r,
    state: r.cancelledAt ? 'cancelled' : r.startsOn > today ? 'upcoming' : r.endsOn < today ? 'past' : 'active',
  }));
}
