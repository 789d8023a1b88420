import { type SQL, and, asc, count, eq, ilike, inArray, ne, or, sql } from 'drizzle-orm';
import type { Actor } from '../../kernel/access/actor.js';
import {
  type Locale,
  departments,
  roles,
  territories,
  userRoles,
  userTerritories,
  users,
} from '../../kernel/access/access.tables.js';
import { scopeCondition } from '../../kernel/access/scope.js';
import { audit, auditMany } from '../../kernel/audit/audit.js';
import { sessions } from '../../kernel/auth/auth.tables.js';
import { hashPassword } from '../../kernel/auth/passwords.js';
import type { Db, Queryable, Tx } from '../../kernel/db/client.js';
import { containsPattern } from '../../kernel/db/like.js';
import { DomainError, notFound, versionConflict } from '../../kernel/errors.js';
import { notify } from '../../kernel/notify/notify.js';
import { orderByOf, type Page, type PageQuery } from '../../kernel/http/paging.js';
import { missingTerritories } from '../territories/territories.service.js';

/**
 * User accounts. Rules:
 * - usernames are unique ignoring case; new and reset passwords must be changed at next login;
 * - a user sees and manages only the users their data scope covers (own / team / department subtree /
 *   territory / all / agent company);
 * - a disabled user's sessions end at once; nobody disables themselves; the last active
 *   administrator can be neither disabled nor stripped of the administrator role;
 * - edits are optimistic: the caller sends the version it read, a stale version is refused.
 */
export type UserRow = {
  id: number;
  username: string;
  displayName: string;
  email: string | null;
  phone: string | null;
  status: 'active' | 'disabled';
  locale: Locale;
  mustChangePassword: boolean;
  department: { id: number; name: string } | null;
  roles: { id: number; code: string; name: string }[];
  territories: { id: string; name: string }[];
  lastLoginAt: Date | null;
  createdAt: Date;
  version: number;
};

export type UserFilter = {
  q?: string;
  departmentId?: number;
  includeSubDepartments?: boolean;
  roleId?: number;
  status?: 'active' | 'disabled';
};

export type CreateUserInput = {
  username: string;
  displayName: string;
  password: string;
  email?: string | null;
  phone?: string | null;
  departmentId: number;
  roleIds: number[];
  territoryIds: string[];
  locale?: Locale;
};

export type UpdateUserInput = {
  displayName?: string;
  email?: string | null;
  phone?: string | null;
  departmentId?: number;
  roleIds?: number[];
  territoryIds?: string[];
  version: number;
};

/** Which users the actor may see: the scope rules applied to a user row. */
export function userScope(actor: Actor): SQL {
  return scopeCondition(actor, {
    owner: sql`${users.id}`,
    department: sql`${users.departmentId}`,
    territory: (matches) =>
      sql`exists (select 1 from user_territories ut join territories t on t.id = ut.territory_id where ut.user_id = ${users.id} and ${matches(sql`t.path`)})`,
    agent: sql`${users.agentCustomerId}`,
  });
}

function filterCondition(f: UserFilter): SQL | undefined {
  const parts: (SQL | undefined)[] = [];
  if (f.q) {
    const pattern = containsPattern(f.q);
    parts.push(or(ilike(users.username, pattern), ilike(users.displayName, pattern), ilike(users.phone, pattern), ilike(users.email, pattern)));
  }
  if (f.departmentId !== undefined) {
    parts.push(
      f.includeSubDepartments
        ? sql`${users.departmentId} in (select d.id from departments d where d.path like (select p.path from departments p where p.id = ${f.departmentId}) || '%')`
        : eq(users.departmentId, f.departmentId),
    );
  }
  if (f.roleId !== undefined) parts.push(sql`exists (select 1 from user_roles ur where ur.user_id = ${users.id} and ur.role_id = ${f.roleId})`);
  if (f.status) parts.push(eq(users.status, f.status));
  return and(...parts);
}

const sortable = {
  username: users.username,
  displayName: users.displayName,
  createdAt: users.createdAt,
  lastLoginAt: users.lastLoginAt,
};

/** Rows for a set of user ids: base columns, then roles and territories for all of them in two queries. */
async function hydrate(db: Queryable, where: SQL, order: SQL[], options: { limit?: number; offset?: number; locale?: Locale } = {}): Promise<UserRow[]> {
  const { limit, offset, locale = 'zh-CN' } = options;
  let query = db
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      email: users.email,
      phone: users.phone,
      status: users.status,
      locale: users.locale,
      mustChangePassword: users.mustChangePassword,
      departmentId: users.departmentId,
      departmentName: departments.name,
      lastLoginAt: users.lastLoginAt,
      createdAt: users.createdAt,
      version: users.version,
    })
    .from(users)
    .leftJoin(departments, eq(departments.id, users.departmentId))
    .where(where)
    .orderBy(...order)
    .$dynamic();
  if (limit !== undefined) query = query.limit(limit).offset(offset ?? 0);
  const base = await query;
  const ids = base.map((u) => u.id);
  if (ids.length === 0) return [];
  const [roleRows, territoryRows] = await Promise.all([
    db
      .select({ userId: userRoles.userId, id: roles.id, code: roles.code, name: locale === 'en-US' ? roles.nameEn : roles.name })
      .from(userRoles)
      .innerJoin(roles, eq(roles.id, userRoles.roleId))
      .where(inArray(userRoles.userId, ids))
      .orderBy(asc(roles.id)),
    db
      .select({ userId: userTerritories.userId, id: territories.id, name: territories.name })
      .from(userTerritories)
      .innerJoin(territories, eq(territories.id, userTerritories.territoryId))
      .where(inArray(userTerritories.userId, ids))
      .orderBy(asc(territories.path)),
  ]);
  return base.map(({ departmentId, departmentName, ...u }) => ({
    ...u,
    department: departmentId === null ? null : { id: departmentId, name: departmentName ?? '' },
    roles: roleRows.filter((r) => r.userId === u.id).map(({ userId: _, ...r }) => r),
    territories: territoryRows.filter((t) => t.userId === u.id).map(({ userId: _, ...t }) => t),
  }));
}

export async function listUsers(db: Queryable, actor: Actor, filter: UserFilter, page: PageQuery): Promise<Page<UserRow>> {
  const where = and(userScope(actor), filterCondition(filter))!;
  const [[{ n }], items] = await Promise.all([
    db.select({ n: count() }).from(users).where(where),
    hydrate(db, where, orderByOf(page.sort, sortable, [asc(users.id)]), {
      limit: page.pageSize,
      offset: (page.page - 1) * page.pageSize,
      locale: actor.locale,
    }),
  ]);
  return { items, total: Number(n), page: page.page, pageSize: page.pageSize };
}

/** Every matching user (for export), capped so one click cannot exhaust the server. */
export async function listAllUsers(db: Queryable, actor: Actor, filter: UserFilter, sort?: string, cap = 50_000): Promise<UserRow[]> {
  return hydrate(db, and(userScope(actor), filterCondition(filter))!, orderByOf(sort, sortable, [asc(users.id)]), { limit: cap, locale: actor.locale });
}

export async function getUser(db: Queryable, actor: Actor, id: number): Promise<UserRow> {
  const [row] = await hydrate(db, and(eq(users.id, id), userScope(actor))!, [asc(users.id)], { locale: actor.locale });
  if (!row) throw notFound();
  return row;
}

/** Locks a user the actor may manage (out of scope looks the same as missing). */
async function lockUser(tx: Tx, actor: Actor, id: number) {
  const [row] = await tx.select().from(users).where(and(eq(users.id, id), userScope(actor))).for('update');
  if (!row) throw notFound();
  return row;
}

export async function assertReferences(tx: Queryable, input: { departmentId?: number; roleIds?: number[]; territoryIds?: string[] }) {
  const fields: { path: string; code: string; params: Record<string, unknown> }[] = [];
  if (input.departmentId !== undefined) {
    const [d] = await tx.select({ id: departments.id }).from(departments).where(eq(departments.id, input.departmentId));
    if (!d) fields.push({ path: 'departmentId', code: 'UNKNOWN_REFERENCE', params: { what: 'department', ids: input.departmentId } });
  }
  if (input.roleIds?.length) {
    const found = await tx.select({ id: roles.id }).from(roles).where(inArray(roles.id, input.roleIds));
    const missing = input.roleIds.filter((id) => !found.some((f) => f.id === id));
    if (missing.length) fields.push({ path: 'roleIds', code: 'UNKNOWN_REFERENCE', params: { what: 'role', ids: missing.join(', ') } });
  }
  if (input.territoryIds?.length) {
    const missing = await missingTerritories(tx, input.territoryIds);
    if (missing.length) fields.push({ path: 'territoryIds', code: 'UNKNOWN_REFERENCE', params: { what: 'territory', ids: missing.join(', ') } });
  }
  if (fields.length) throw new DomainError('VALIDATION_FAILED', {}, 422, fields);
}

/** Which of these usernames are already taken, ignoring case (lower-cased), in one query. */
export async function takenUsernames(db: Queryable, usernames: string[]): Promise<Set<string>> {
  if (usernames.length === 0) return new Set();
  const lower = [...new Set(usernames.map((u) => u.toLowerCase()))];
  const rows = await db.select({ username: users.username }).from(users).where(inArray(sql`lower(${users.username})`, lower));
  return new Set(rows.map((r) => r.username.toLowerCase()));
}

export async function assertUsernameFree(tx: Queryable, username: string) {
  if ((await takenUsernames(tx, [username])).size > 0) {
    throw new DomainError('USERNAME_TAKEN', { username }, 409, [{ path: 'username', code: 'USERNAME_TAKEN', params: { username } }]);
  }
}

/** Refuses a change that would leave no active user holding the builtin administrator role. */
async function assertAdminRemains(tx: Tx) {
  const [{ n }] = await tx
    .select({ n: count() })
    .from(users)
    .innerJoin(userRoles, eq(userRoles.userId, users.id))
    .innerJoin(roles, eq(roles.id, userRoles.roleId))
    .where(and(eq(roles.code, 'admin'), eq(users.status, 'active')));
  if (Number(n) === 0) throw new DomainError('ROLE_ADMIN_LOCKOUT', {}, 409);
}

/** Serialises changes that could remove the last administrator (two admins disabling each other at once). */
const lockAdminSet = (tx: Tx) => tx.execute(sql`select pg_advisory_xact_lock(7291003)`);

const uniq = <T,>(xs: T[]) => [...new Set(xs)];

/** A user ready to be written: references checked, password already hashed (hash outside the transaction). */
export type NewUser = Omit<CreateUserInput, 'password'> & { passwordHash: string };

/**
 * Writes new users in bulk — one insert for the users, one for their roles, one for their territories,
 * one for the audit entries — whatever their number. Every new user must change the password at first login.
 */
export async function insertUsers(tx: Tx, actor: Actor, input: NewUser[]): Promise<number[]> {
  if (input.length === 0) return [];
  const ids: number[] = [];
  for (let i = 0; i < input.length; i += 1000) {
    const created = await tx
      .insert(users)
      .values(
        input.slice(i, i + 1000).map((u) => ({
          username: u.username,
          displayName: u.displayName,
          email: u.email ?? null,
          phone: u.phone ?? null,
          passwordHash: u.passwordHash,
          departmentId: u.departmentId,
          locale: u.locale ?? 'zh-CN',
          mustChangePassword: true,
        })),
      )
      .returning({ id: users.id });
    ids.push(...created.map((c) => c.id));
  }
  const roleRows = input.flatMap((u, i) => uniq(u.roleIds).map((roleId) => ({ userId: ids[i], roleId })));
  const territoryRows = input.flatMap((u, i) => uniq(u.territoryIds).map((territoryId) => ({ userId: ids[i], territoryId })));
  for (let i = 0; i < roleRows.length; i += 5000) await tx.insert(userRoles).values(roleRows.slice(i, i + 5000));
  for (let i = 0; i < territoryRows.length; i += 5000) await tx.insert(userTerritories).values(territoryRows.slice(i, i + 5000));
  const after = await hydrate(tx, inArray(users.id, ids), [asc(users.id)]);
  await auditMany(
    tx,
    actor,
    after.map((u) => ({ action: 'user.created', entity: 'user', entityId: u.id, after: u })),
  );
  return ids;
}

export async function createUser(db: Db, actor: Actor, input: CreateUserInput): Promise<UserRow> {
  const passwordHash = await hashPassword(input.password);
  const id = await db.transaction((tx) => insertUser(tx, actor, input, passwordHash));
  return getUser(db, actor, id);
}

/**
 * Creates one user inside the caller's transaction (the admin form, an approved account request):
 * checks the username and references, then writes through insertUsers. The password is hashed by
 * the caller, outside the transaction (argon2 is slow on purpose).
 */
export async function insertUser(tx: Tx, actor: Actor, input: Omit<CreateUserInput, 'password'>, passwordHash: string): Promise<number> {
  await assertUsernameFree(tx, input.username);
  await assertReferences(tx, input);
  const [id] = await insertUsers(tx, actor, [{ ...input, passwordHash }]);
  return id;
}

export async function updateUser(db: Db, actor: Actor, id: number, input: UpdateUserInput): Promise<UserRow> {
  await db.transaction(async (tx) => {
    if (input.roleIds) await lockAdminSet(tx);
    const locked = await lockUser(tx, actor, id);
    if (locked.version !== input.version) throw versionConflict();
    await assertReferences(tx, input);
    const before = (await hydrate(tx, eq(users.id, id), [asc(users.id)]))[0];
    await tx
      .update(users)
      .set({
        displayName: input.displayName ?? locked.displayName,
        email: input.email !== undefined ? input.email : locked.email,
        phone: input.phone !== undefined ? input.phone : locked.phone,
        departmentId: input.departmentId ?? locked.departmentId,
        version: locked.version + 1,
        updatedAt: new Date(),
      })
      .where(eq(users.id, id));
    if (input.roleIds) {
      await tx.delete(userRoles).where(eq(userRoles.userId, id));
      const roleIds = uniq(input.roleIds);
      if (roleIds.length) await tx.insert(userRoles).values(roleIds.map((roleId) => ({ userId: id, roleId })));
      await assertAdminRemains(tx);
    }
    if (input.territoryIds) {
      await tx.delete(userTerritories).where(eq(userTerritories.userId, id));
      const territoryIds = uniq(input.territoryIds);
      if (territoryIds.length) await tx.insert(userTerritories).values(territoryIds.map((territoryId) => ({ userId: id, territoryId })));
    }
    const after = (await hydrate(tx, eq(users.id, id), [asc(users.id)]))[0];
    await audit(tx, actor, { action: 'user.updated', entity: 'user', entityId: id, before, after });
    const roleNames = (u: UserRow) => u.roles.map((r) => r.code).sort().join(',');
    if (roleNames(before) !== roleNames(after)) await notifyRolesChanged(tx, actor, id);
  });
  return getUser(db, actor, id);
}

export async function setUserStatus(db: Db, actor: Actor, id: number, status: 'active' | 'disabled'): Promise<UserRow> {
  if (status === 'disabled' && id === actor.id) throw new DomainError('USER_CANNOT_DISABLE_SELF', {}, 409);
  await db.transaction(async (tx) => {
    await lockAdminSet(tx);
    const before = await lockUser(tx, actor, id);
    if (before.status === status) return;
    await tx.update(users).set({ status, version: before.version + 1, updatedAt: new Date() }).where(eq(users.id, id));
    if (status === 'disabled') {
      await assertAdminRemains(tx);
      await tx.delete(sessions).where(eq(sessions.userId, id));
    }
    await audit(tx, actor, {
      action: status === 'disabled' ? 'user.disabled' : 'user.enabled',
      entity: 'user',
      entityId: id,
      before: { status: before.status },
      after: { status },
    });
    await notify(tx, {
      userIds: [id],
      event: status === 'disabled' ? 'user.disabled' : 'user.enabled',
      title:
        status === 'disabled'
          ? { 'zh-CN': '您的账号已被停用', 'en-US': 'Your account was disabled' }
          : { 'zh-CN': '您的账号已重新启用', 'en-US': 'Your account was enabled again' },
      body: { 'zh-CN': `操作人：${actor.displayName}`, 'en-US': `By ${actor.displayName}` },
    });
  });
  return getUser(db, actor, id);
}

export async function resetPassword(db: Db, actor: Actor, id: number, newPassword: string): Promise<void> {
  const passwordHash = await hashPassword(newPassword);
  await db.transaction(async (tx) => {
    const before = await lockUser(tx, actor, id);
    await tx
      .update(users)
      .set({ passwordHash, mustChangePassword: true, version: before.version + 1, updatedAt: new Date() })
      .where(eq(users.id, id));
    await tx.delete(sessions).where(and(eq(sessions.userId, id), ne(sessions.userId, actor.id)));
    await audit(tx, actor, { action: 'user.password_reset', entity: 'user', entityId: id });
    await notify(tx, {
      userIds: [id],
      event: 'user.password_reset',
      title: { 'zh-CN': '您的密码已被管理员重置', 'en-US': 'An administrator reset your password' },
      body: {
        'zh-CN': `操作人：${actor.displayName}。请使用新密码登录并立即修改；如非本人申请，请联系管理员。`,
        'en-US': `By ${actor.displayName}. Log in with the new password and change it; if you did not ask for this, contact the administrator.`,
      },
    });
  });
}

/** Tells a user their roles changed, naming the new ones in their own language. */
async function notifyRolesChanged(tx: Tx, actor: Actor, id: number) {
  const [zh, en] = await Promise.all(
    (['zh-CN', 'en-US'] as const).map(async (locale) => {
      const [u] = await hydrate(tx, eq(users.id, id), [asc(users.id)], { locale });
      return u.roles.map((r) => r.name).join(locale === 'zh-CN' ? '、' : ', ');
    }),
  );
  await notify(tx, {
    userIds: [id],
    event: 'user.roles_changed',
    title: { 'zh-CN': '您的角色已变更', 'en-US': 'Your roles changed' },
    body: {
      'zh-CN': `现在的角色：${zh || '无'}（操作人：${actor.displayName}）。`,
      'en-US': `Your roles are now: ${en || 'none'} (by ${actor.displayName}).`,
    },
    link: '/',
  });
}

/** The company directory: active users' names only, for pickers open to every employee (not agents). */
export async function userDirectory(db: Queryable, q?: string, ids?: number[]) {
  const where = and(
    eq(users.status, 'active'),
    sql`${users.agentCustomerId} is null`,
    ids?.length ? inArray(users.id, ids) : undefined,
    q ? or(ilike(users.username, containsPattern(q)), ilike(users.displayName, containsPattern(q))) : undefined,
  );
  return db
    .select({ id: users.id, username: users.username, displayName: users.displayName, departmentName: departments.name })
    .from(users)
    .leftJoin(departments, eq(departments.id, users.departmentId))
    .where(where)
    .orderBy(asc(users.displayName))
    .limit(20);
}
