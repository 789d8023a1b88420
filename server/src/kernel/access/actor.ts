import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import { sessions } from '../auth/auth.tables.js';
import type { Queryable } from '../db/client.js';
import type { Locale } from '../i18n.js';
import { type DataScope, departments, users } from './access.tables.js';
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

type RoleJson = { id: number; code: string; name: string; nameEn: string; permissions: string[]; dataScope: DataScope };

/** Everything an Actor needs in one row: the user, the department, the roles (json) and the territory paths. */
const actorColumns = {
  user: users,
  departmentName: departments.name,
  departmentPath: departments.path,
  roles: sql<RoleJson[]>`coalesce((
    select json_agg(json_build_object('id', r.id, 'code', r.code, 'name', r.name, 'nameEn', r.name_en,
                                      'permissions', r.permissions, 'dataScope', r.data_scope) order by r.id)
    from user_roles ur join roles r on r.id = ur.role_id where ur.user_id = ${users.id}), '[]'::json)`,
  territoryPaths: sql<string[]>`coalesce((
    select array_agg(t.path order by t.path) from user_territories ut join territories t on t.id = ut.territory_id
    where ut.user_id = ${users.id}), '{}'::text[])`,
};

type ActorRow = { user: typeof users.$inferSelect; departmentName: string | null; departmentPath: string | null; roles: RoleJson[]; territoryPaths: string[] };

function toActor(row: ActorRow, ip: string | null): Actor {
  const roleRows = typeof row.roles === 'string' ? (JSON.parse(row.roles) as RoleJson[]) : row.roles;
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
    territoryPaths: row.territoryPaths,
    ip,
  };
}

/** Loads a user with roles, permissions, scopes and territories in one query. */
export async function loadActor(db: Queryable, userId: number, ip: string | null = null): Promise<Actor | null> {
  const [row] = await db
    .select(actorColumns)
    .from(users)
    .leftJoin(departments, eq(departments.id, users.departmentId))
    .where(eq(users.id, userId));
  return row ? toActor(row, ip) : null;
}

/** The live session with this id and its user as an Actor, in one query (run on every API request). */
export async function loadSessionActor(db: Queryable, sessionId: string, ip: string | null) {
  const [row] = await db
    .select({ ...actorColumns, csrfToken: sessions.csrfToken, lastSeenAt: sessions.lastSeenAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(departments, eq(departments.id, users.departmentId))
    .where(and(eq(sessions.id, sessionId), gt(sessions.expiresAt, new Date())));
  return row ? { actor: toActor(row, ip), csrfToken: row.csrfToken, lastSeenAt: row.lastSeenAt } : null;
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
