import { asc, count, eq, sql } from 'drizzle-orm';
import type { Actor } from '../../kernel/access/actor.js';
import { type DataScope, roles, userRoles } from '../../kernel/access/access.tables.js';
import { ALL_PERMISSIONS, isPermission } from '../../kernel/access/permissions.js';
import { audit } from '../../kernel/audit/audit.js';
import type { Db, Queryable, Tx } from '../../kernel/db/client.js';
import { DomainError, notFound, versionConflict } from '../../kernel/errors.js';

/**
 * Roles are named sets of permissions with one data scope. The builtin roles of the demo company
 * can be edited but not deleted; the administrator role always holds every permission with scope
 * "all", so nobody can lock the company out of its own system. A role in use cannot be deleted.
 */
export type RoleRow = {
  id: number;
  code: string;
  name: string;
  nameEn: string;
  permissions: string[];
  dataScope: DataScope;
  builtin: boolean;
  userCount: number;
  version: number;
};

export type RoleInput = { code: string; name: string; nameEn: string; permissions: string[]; dataScope: DataScope };

export async function listRoles(db: Queryable, where = sql`true`): Promise<RoleRow[]> {
  const counts = db.select({ roleId: userRoles.roleId, n: count().as('n') }).from(userRoles).groupBy(userRoles.roleId).as('rc');
  return db
    .select({
      id: roles.id,
      code: roles.code,
      name: roles.name,
      nameEn: roles.nameEn,
      permissions: roles.permissions,
      dataScope: roles.dataScope,
      builtin: roles.builtin,
      userCount: sql<number>`coalesce(${counts.n}, 0)::int`,
      version: roles.version,
    })
    .from(roles)
    .leftJoin(counts, eq(counts.roleId, roles.id))
    .where(where)
    .orderBy(asc(roles.id));
}

async function getRole(db: Queryable, id: number): Promise<RoleRow> {
  const [row] = await listRoles(db, eq(roles.id, id));
  if (!row) throw notFound();
  return row;
}

function checkPermissions(codes: string[]): string[] {
  const unknown = codes.filter((c) => !isPermission(c));
  if (unknown.length) {
    throw new DomainError('UNKNOWN_PERMISSION', { codes: unknown.join(', ') }, 422, [
      { path: 'permissions', code: 'UNKNOWN_PERMISSION', params: { codes: unknown.join(', ') } },
    ]);
  }
  return [...new Set(codes)].sort();
}

async function lockRole(tx: Tx, id: number) {
  const [row] = await tx.select().from(roles).where(eq(roles.id, id)).for('update');
  if (!row) throw notFound();
  return row;
}

export async function createRole(db: Db, actor: Actor, input: RoleInput): Promise<RoleRow> {
  const permissions = checkPermissions(input.permissions);
  const id = await db.transaction(async (tx) => {
    const [dup] = await tx.select({ id: roles.id }).from(roles).where(eq(roles.code, input.code));
    if (dup) throw new DomainError('ROLE_CODE_TAKEN', { code: input.code }, 409, [{ path: 'code', code: 'ROLE_CODE_TAKEN', params: { code: input.code } }]);
    const [created] = await tx.insert(roles).values({ ...input, permissions }).returning();
    await audit(tx, actor, { action: 'role.created', entity: 'role', entityId: created.id, after: created });
    return created.id;
  });
  return getRole(db, id);
}

export async function updateRole(
  db: Db,
  actor: Actor,
  id: number,
  input: Partial<Omit<RoleInput, 'code'>> & { version: number },
): Promise<RoleRow> {
  const permissions = input.permissions ? checkPermissions(input.permissions) : undefined;
  await db.transaction(async (tx) => {
    const before = await lockRole(tx, id);
    if (before.version !== input.version) throw versionConflict();
    if (before.code === 'admin' && ((permissions && permissions.length !== ALL_PERMISSIONS.length) || (input.dataScope && input.dataScope !== 'all'))) {
      throw new DomainError('ROLE_ADMIN_LOCKOUT', {}, 409);
    }
    const [after] = await tx
      .update(roles)
      .set({
        name: input.name ?? before.name,
        nameEn: input.nameEn ?? before.nameEn,
        permissions: permissions ?? before.permissions,
        dataScope: input.dataScope ?? before.dataScope,
        version: before.version + 1,
        updatedAt: new Date(),
      })
      .where(eq(roles.id, id))
      .returning();
    await audit(tx, actor, { action: 'role.updated', entity: 'role', entityId: id, before, after });
  });
  return getRole(db, id);
}

export async function deleteRole(db: Db, actor: Actor, id: number): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await lockRole(tx, id);
    if (before.builtin) throw new DomainError('ROLE_BUILTIN', {}, 409);
    const [{ n }] = await tx.select({ n: count() }).from(userRoles).where(eq(userRoles.roleId, id));
    if (Number(n) > 0) throw new DomainError('ROLE_IN_USE', { users: Number(n) }, 409);
    await tx.delete(roles).where(eq(roles.id, id));
    await audit(tx, actor, { action: 'role.deleted', entity: 'role', entityId: id, before });
  });
}
