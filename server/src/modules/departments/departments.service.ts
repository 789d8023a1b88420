import { and, asc, count, eq, like, ne, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Actor } from '../../kernel/access/actor.js';
import { type DepartmentKind, departments, users } from '../../kernel/access/access.tables.js';
import { audit } from '../../kernel/audit/audit.js';
import type { Db, Queryable, Tx } from '../../kernel/db/client.js';
import { DomainError, notFound, versionConflict } from '../../kernel/errors.js';

/**
 * The department tree: one company root; sales regions and teams below a sales centre; functional
 * departments beside it. The tree is read by everyone with departments.read (it is the company's
 * map, not business data); only administrators change it. A department with users or children
 * cannot be deleted; a department cannot move under itself. `path` ('/1/4/9/') answers subtree scopes.
 */
export type DepartmentRow = {
  id: number;
  parentId: number | null;
  name: string;
  nameEn: string | null;
  kind: DepartmentKind;
  headUserId: number | null;
  headUserName: string | null;
  sort: number;
  userCount: number;
  version: number;
};

export type DepartmentInput = {
  parentId: number;
  name: string;
  nameEn?: string | null;
  kind: DepartmentKind;
  headUserId?: number | null;
  sort?: number;
};

const head = alias(users, 'head');

export async function listDepartments(db: Queryable, where = sql`true`): Promise<DepartmentRow[]> {
  const userCounts = db
    .select({ departmentId: users.departmentId, n: count().as('n') })
    .from(users)
    .groupBy(users.departmentId)
    .as('uc');
  const rows = await db
    .select({
      id: departments.id,
      parentId: departments.parentId,
      name: departments.name,
      nameEn: departments.nameEn,
      kind: departments.kind,
      headUserId: departments.headUserId,
      headUserName: head.displayName,
      sort: departments.sort,
      userCount: sql<number>`coalesce(${userCounts.n}, 0)::int`,
      version: departments.version,
      path: departments.path,
    })
    .from(departments)
    .leftJoin(head, eq(head.id, departments.headUserId))
    .leftJoin(userCounts, eq(userCounts.departmentId, departments.id))
    .where(where)
    .orderBy(asc(departments.sort), asc(departments.id));
  return rows.map(({ path: _path, ...r }) => r);
}

async function getDepartment(db: Queryable, id: number): Promise<DepartmentRow> {
  const [row] = await listDepartments(db, eq(departments.id, id));
  if (!row) throw notFound();
  return row;
}

async function lockDepartment(tx: Tx, id: number) {
  const [row] = await tx.select().from(departments).where(eq(departments.id, id)).for('update');
  if (!row) throw notFound();
  return row;
}

async function assertHeadExists(tx: Tx, headUserId: number | null | undefined) {
  if (headUserId == null) return;
  const [u] = await tx.select({ id: users.id }).from(users).where(eq(users.id, headUserId));
  if (!u) throw new DomainError('UNKNOWN_REFERENCE', { what: 'user', ids: headUserId }, 422, [{ path: 'headUserId', code: 'UNKNOWN_REFERENCE', params: { what: 'user', ids: headUserId } }]);
}

async function assertNameFree(tx: Tx, parentId: number | null, name: string, exceptId?: number) {
  const [dup] = await tx
    .select({ id: departments.id })
    .from(departments)
    .where(and(sql`coalesce(${departments.parentId}, 0) = ${parentId ?? 0}`, eq(departments.name, name), exceptId ? ne(departments.id, exceptId) : undefined));
  if (dup) throw new DomainError('DEPARTMENT_NAME_TAKEN', { name }, 409, [{ path: 'name', code: 'DEPARTMENT_NAME_TAKEN', params: { name } }]);
}

export async function createDepartment(db: Db, actor: Actor, input: DepartmentInput): Promise<DepartmentRow> {
  const id = await db.transaction(async (tx) => {
    const parent = await tx.select().from(departments).where(eq(departments.id, input.parentId)).for('update').then((r) => r[0]);
    if (!parent) {
      throw new DomainError('UNKNOWN_REFERENCE', { what: 'department', ids: input.parentId }, 422, [
        { path: 'parentId', code: 'UNKNOWN_REFERENCE', params: { what: 'department', ids: input.parentId } },
      ]);
    }
    await assertNameFree(tx, input.parentId, input.name);
    await assertHeadExists(tx, input.headUserId);
    const [created] = await tx
      .insert(departments)
      .values({ parentId: input.parentId, name: input.name, nameEn: input.nameEn ?? null, kind: input.kind, headUserId: input.headUserId ?? null, sort: input.sort ?? 0 })
      .returning();
    const path = `${parent.path}${created.id}/`;
    await tx.update(departments).set({ path }).where(eq(departments.id, created.id));
    await audit(tx, actor, { action: 'department.created', entity: 'department', entityId: created.id, after: { ...created, path } });
    return created.id;
  });
  return getDepartment(db, id);
}

export async function updateDepartment(
  db: Db,
  actor: Actor,
  id: number,
  input: Partial<DepartmentInput> & { version: number },
): Promise<DepartmentRow> {
  await db.transaction(async (tx) => {
    const before = await lockDepartment(tx, id);
    if (before.version !== input.version) throw versionConflict();
    const moving = input.parentId !== undefined && input.parentId !== before.parentId;
    let path = before.path;
    if (moving) {
      if (before.parentId === null) throw new DomainError('DEPARTMENT_ROOT_REQUIRED', {}, 422);
      const parent = await lockDepartment(tx, input.parentId!).catch(() => {
        throw new DomainError('UNKNOWN_REFERENCE', { what: 'department', ids: input.parentId }, 422, [
          { path: 'parentId', code: 'UNKNOWN_REFERENCE', params: { what: 'department', ids: input.parentId } },
        ]);
      });
      if (parent.path.startsWith(before.path)) throw new DomainError('DEPARTMENT_CYCLE', {}, 422, [{ path: 'parentId', code: 'DEPARTMENT_CYCLE' }]);
      path = `${parent.path}${id}/`;
      // Re-root the whole subtree in one statement.
      await tx
        .update(departments)
        .set({ path: sql`${path} || substr(${departments.path}, ${before.path.length + 1})` })
        .where(like(departments.path, `${before.path}%`));
    }
    const name = input.name ?? before.name;
    if (input.name !== undefined || moving) await assertNameFree(tx, input.parentId ?? before.parentId, name, id);
    await assertHeadExists(tx, input.headUserId);
    const [after] = await tx
      .update(departments)
      .set({
        parentId: input.parentId ?? before.parentId,
        name,
        nameEn: input.nameEn !== undefined ? input.nameEn : before.nameEn,
        kind: input.kind ?? before.kind,
        headUserId: input.headUserId !== undefined ? input.headUserId : before.headUserId,
        sort: input.sort ?? before.sort,
        version: before.version + 1,
        updatedAt: new Date(),
      })
      .where(eq(departments.id, id))
      .returning();
    await audit(tx, actor, { action: moving ? 'department.moved' : 'department.updated', entity: 'department', entityId: id, before, after: { ...after, path } });
  });
  return getDepartment(db, id);
}

export async function deleteDepartment(db: Db, actor: Actor, id: number): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await lockDepartment(tx, id);
    if (before.parentId === null) throw new DomainError('DEPARTMENT_ROOT_REQUIRED', {}, 422);
    const [[u], [c]] = await Promise.all([
      tx.select({ n: count() }).from(users).where(eq(users.departmentId, id)),
      tx.select({ n: count() }).from(departments).where(eq(departments.parentId, id)),
    ]);
    if (Number(u.n) > 0 || Number(c.n) > 0) {
      throw new DomainError('DEPARTMENT_NOT_EMPTY', { users: Number(u.n), children: Number(c.n) }, 409);
    }
    await tx.delete(departments).where(eq(departments.id, id));
    await audit(tx, actor, { action: 'department.deleted', entity: 'department', entityId: id, before });
  });
}
