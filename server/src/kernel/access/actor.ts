import { eq, inArray } from 'drizzle-orm';
import type { Queryable } from '../db/client.js';
import type { Locale } from '../i18n.js';
import { type DataScope, departments, roles, territories, userRoles, userTerritories, users } from './access.tables.js';
import { isPermission, type Permission } from './permissions.js';

/** The acting user, as every service function receives it. Loaded once per request. */
export type Actor = {
  id: number;
  username: string;
  displayName: string;
  locale: Locale;
  status: 'active' | 'disabled';
  mustChangePassword: boolean;
  departmentId: number | null;
  departmentName: string | null;
  /** '/1/4/' of the actor's department, for subtree scopes. */
  departmentPath: string | null;
  agentCustomerId: number | null;
  roles: { id: number; code: string; name: string; nameEn: string }[];
  permissions: Set<Permission>;
  scopes: Set<DataScope>;
  /** Paths of the territories assigned to the actor ('/440000/440300/'). */
  territoryPaths: string[];
  ip: string | null;
};

export function can(actor: Actor, permission: Permission): boolean {
  return actor.permissions.has(permission);
}

/** Loads a user with roles, permissions, scopes and territories: three small indexed queries. */
export async function loadActor(db: Queryable, userId: number, ip: string | null = null): Promise<Actor | null> {
  const [row] = await db
    .select({ user: users, departmentName: departments.name, departmentPath: departments.path })
    .from(users)
    .leftJoin(departments, eq(departments.id, users.departmentId))
    .where(eq(users.id, userId));
  if (!row) return null;
  const [roleRows, territoryRows] = await Promise.all([
    db
      .select({ id: roles.id, code: roles.code, name: roles.name, nameEn: roles.nameEn, permissions: roles.permissions, dataScope: roles.dataScope })
      .from(userRoles)
      .innerJoin(roles, eq(roles.id, userRoles.roleId))
      .where(eq(userRoles.userId, userId))
      .orderBy(roles.id),
    db
      .select({ path: territories.path })
      .from(userTerritories)
      .innerJoin(territories, eq(territories.id, userTerritories.territoryId))
      .where(eq(userTerritories.userId, userId)),
  ]);
  const permissions = new Set<Permission>();
  const scopes = new Set<DataScope>();
  for (const r of roleRows) {
    for (const p of r.permissions) if (isPermission(p)) permissions.add(p);
    scopes.add(r.dataScope);
  }
  const u = row.user;
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    locale: u.locale,
    status: u.status,
    mustChangePassword: u.mustChangePassword,
    departmentId: u.departmentId,
    departmentName: row.departmentName,
    departmentPath: row.departmentPath,
    agentCustomerId: u.agentCustomerId,
    roles: roleRows.map(({ id, code, name, nameEn }) => ({ id, code, name, nameEn })),
    permissions,
    scopes,
    territoryPaths: territoryRows.map((t) => t.path),
    ip,
  };
}

/** The system itself (start-up seeding, scheduled jobs): audited as "system", sees everything. */
export function systemActor(): Actor {
  return {
    id: 0,
    username: 'system',
    displayName: 'system',
    locale: 'zh-CN',
    status: 'active',
    mustChangePassword: false,
    departmentId: null,
    departmentName: null,
    departmentPath: null,
    agentCustomerId: null,
    roles: [],
    permissions: new Set(),
    scopes: new Set(['all']),
    territoryPaths: [],
    ip: null,
  };
}

export async function usersExist(db: Queryable, ids: number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await db.select({ id: users.id }).from(users).where(inArray(users.id, ids));
  const found = new Set(rows.map((r) => r.id));
  return ids.filter((id) => !found.has(id));
}
