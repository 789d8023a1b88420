import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/pg-core';

// Identity and organisation: who people are, where they sit, what they may do and which rows they see.
// These tables live in the kernel because every module's data scope is computed from them.

export const DATA_SCOPES = ['own', 'team', 'department', 'territory', 'all', 'agent'] as const;
export type DataScope = (typeof DATA_SCOPES)[number];

export const DEPARTMENT_KINDS = [
  'company', 'office', 'sales_office', 'finance', 'logistics', 'quality', 'region', 'team', 'other',
] as const;
export type DepartmentKind = (typeof DEPARTMENT_KINDS)[number];

export const LOCALES = ['zh-CN', 'en-US'] as const;
export type Locale = (typeof LOCALES)[number];

/** Real Chinese administrative divisions; id is the 6-digit code. path = '/110000/110100/' for subtree queries. */
export const territories = pgTable(
  'territories',
  {
    id: varchar('id', { length: 12 }).primaryKey(),
    parentId: varchar('parent_id', { length: 12 }).references((): AnyPgColumn => territories.id),
    name: text('name').notNull(),
    level: text('level', { enum: ['province', 'city', 'county'] }).notNull(),
    path: text('path').notNull(),
  },
  (t) => [
    index('territories_parent_idx').on(t.parentId),
    index('territories_path_idx').using('btree', t.path.op('text_pattern_ops')),
    check('territories_level_chk', sql`${t.level} in ('province','city','county')`),
  ],
);

export const departments = pgTable(
  'departments',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    parentId: integer('parent_id').references((): AnyPgColumn => departments.id),
    name: text('name').notNull(),
    nameEn: text('name_en'),
    kind: text('kind').$type<DepartmentKind>().notNull(),
    headUserId: integer('head_user_id').references((): AnyPgColumn => users.id),
    /** Materialised path of ids, '/1/4/9/', kept by the service on insert and move. */
    path: text('path').notNull().default(''),
    sort: integer('sort').notNull().default(0),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('departments_parent_idx').on(t.parentId),
    index('departments_head_idx').on(t.headUserId),
    index('departments_path_idx').using('btree', t.path.op('text_pattern_ops')),
    uniqueIndex('departments_sibling_name_uq').on(sql`coalesce(${t.parentId}, 0)`, t.name),
    check('departments_kind_chk', sql`${t.kind} in ('company','office','sales_office','finance','logistics','quality','region','team','other')`),
    check('departments_not_own_parent_chk', sql`${t.parentId} is null or ${t.parentId} <> ${t.id}`),
  ],
);

export const users = pgTable(
  'users',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    username: text('username').notNull(),
    displayName: text('display_name').notNull(),
    email: text('email'),
    phone: text('phone'),
    passwordHash: text('password_hash').notNull(),
    departmentId: integer('department_id').references(() => departments.id),
    locale: text('locale').$type<Locale>().notNull().default('zh-CN'),
    status: text('status', { enum: ['active', 'disabled'] }).notNull().default('active'),
    mustChangePassword: boolean('must_change_password').notNull().default(false),
    /** For agent users: the agent company (a customer) whose data they may see. */
    agentCustomerId: bigint('agent_customer_id', { mode: 'number' }),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('users_username_uq').on(sql`lower(${t.username})`),
    index('users_department_idx').on(t.departmentId),
    index('users_agent_customer_idx').on(t.agentCustomerId),
    index('users_created_idx').on(t.createdAt),
    index('users_display_name_idx').on(t.displayName),
    check('users_status_chk', sql`${t.status} in ('active','disabled')`),
    check('users_locale_chk', sql`${t.locale} in ('zh-CN','en-US')`),
  ],
);

export const roles = pgTable(
  'roles',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    code: text('code').notNull().unique('roles_code_uq'),
    name: text('name').notNull(),
    nameEn: text('name_en').notNull(),
    permissions: text('permissions').array().notNull().default(sql`'{}'::text[]`),
    dataScope: text('data_scope').$type<DataScope>().notNull(),
    builtin: boolean('builtin').notNull().default(false),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('roles_data_scope_chk', sql`${t.dataScope} in ('own','team','department','territory','all','agent')`),
    check('roles_code_format_chk', sql`${t.code} ~ '^[a-z][a-z0-9_]{1,39}$'`),
  ],
);

export const userRoles = pgTable(
  'user_roles',
  {
    userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    roleId: integer('role_id').notNull().references(() => roles.id),
  },
  (t) => [primaryKey({ columns: [t.userId, t.roleId] }), index('user_roles_role_idx').on(t.roleId)],
);

export const userTerritories = pgTable(
  'user_territories',
  {
    userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    territoryId: varchar('territory_id', { length: 12 }).notNull().references(() => territories.id),
  },
  (t) => [primaryKey({ columns: [t.userId, t.territoryId] }), index('user_territories_territory_idx').on(t.territoryId)],
);

/**
 * Permissions the installation has seen. A permission new to the code is granted once to the
 * builtin roles that declare it; after that, what administrators change stays changed.
 */
export const knownPermissions = pgTable('known_permissions', {
  code: text('code').primaryKey(),
  seenAt: timestamp('seen_at', { withTimezone: true }).notNull().defaultNow(),
});
