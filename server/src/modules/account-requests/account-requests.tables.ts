import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { departments, users } from '../../kernel/access/access.tables.js';

/**
 * 账号申请: a manager asks for a system account for a new colleague; it is approved through the
 * kernel's approval flow, and the approval creates the user. The first real document type.
 */
export const accountRequests = pgTable(
  'account_requests',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    number: text('number').notNull(),
    status: text('status', { enum: ['draft', 'pending', 'approved', 'cancelled'] }).notNull().default('draft'),
    requestedBy: integer('requested_by').notNull().references(() => users.id),
    /** The requester's department when created: the data scope of the request. */
    ownerDepartmentId: integer('owner_department_id').references(() => departments.id),
    username: text('username').notNull(),
    displayName: text('display_name').notNull(),
    departmentId: integer('department_id').notNull().references(() => departments.id),
    roleIds: integer('role_ids').array().notNull(),
    territoryIds: text('territory_ids').array().notNull().default(sql`'{}'::text[]`),
    phone: text('phone'),
    email: text('email'),
    reason: text('reason').notNull(),
    createdUserId: integer('created_user_id').references(() => users.id),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('account_requests_number_uq').on(t.number),
    index('account_requests_requested_by_idx').on(t.requestedBy),
    index('account_requests_owner_department_idx').on(t.ownerDepartmentId),
    index('account_requests_department_idx').on(t.departmentId),
    index('account_requests_status_idx').on(t.status, t.createdAt),
    index('account_requests_created_user_idx').on(t.createdUserId),
    check('account_requests_status_chk', sql`${t.status} in ('draft','pending','approved','cancelled')`),
    check('account_requests_created_user_chk', sql`${t.createdUserId} is null or ${t.status} = 'approved'`),
  ],
);
