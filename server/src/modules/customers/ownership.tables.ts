import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from '../../kernel/access/access.tables.js';
import { customers } from './customers.tables.js';

/** 客户归属历史: every change of a customer's owner (assign, bulk assign, 工作转移), kept and shown. */
export const customerOwnerHistory = pgTable(
  'customer_owner_history',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    customerId: integer('customer_id')
      .notNull()
      .references(() => customers.id),
    fromUserId: integer('from_user_id').references(() => users.id),
    toUserId: integer('to_user_id').references(() => users.id),
    /** assign | transfer | merge … plus the free text the user gave. */
    kind: text('kind').$type<'assign' | 'transfer'>().notNull(),
    reason: text('reason'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    byUserId: integer('by_user_id').references(() => users.id),
  },
  (t) => [
    index('customer_owner_history_customer_idx').on(t.customerId, t.at),
    index('customer_owner_history_from_idx').on(t.fromUserId),
    index('customer_owner_history_to_idx').on(t.toUserId),
    index('customer_owner_history_by_idx').on(t.byUserId),
    check('customer_owner_history_kind_chk', sql`${t.kind} in ('assign','transfer')`),
    check('customer_owner_history_changed_chk', sql`${t.fromUserId} is distinct from ${t.toUserId}`),
  ],
);

/**
 * 工作代理: while a rep is away, a colleague sees and works with the rep's customers for a date
 * range (company time zone, both ends included). One user's active delegations never overlap: an
 * exclusion constraint (btree_gist) in the migration `customer_delegations_no_overlap` says so.
 */
export const customerDelegations = pgTable(
  'customer_delegations',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    fromUserId: integer('from_user_id')
      .notNull()
      .references(() => users.id),
    toUserId: integer('to_user_id')
      .notNull()
      .references(() => users.id),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    endsOn: date('ends_on', { mode: 'string' }).notNull(),
    reason: text('reason'),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    cancelledBy: integer('cancelled_by').references(() => users.id),
  },
  (t) => [
    index('customer_delegations_from_idx').on(t.fromUserId, t.startsOn),
    index('customer_delegations_to_idx').on(t.toUserId, t.startsOn),
    index('customer_delegations_created_by_idx').on(t.createdBy),
    index('customer_delegations_cancelled_by_idx').on(t.cancelledBy),
    check('customer_delegations_dates_chk', sql`${t.endsOn} >= ${t.startsOn}`),
    check('customer_delegations_not_self_chk', sql`${t.fromUserId} <> ${t.toUserId}`),
  ],
);
