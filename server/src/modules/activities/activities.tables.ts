import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgTable, primaryKey, text, timestamp, varchar } from 'drizzle-orm/pg-core';
import { departments, users } from '../../kernel/access/access.tables.js';
import { reminders } from '../../kernel/reminders/reminders.tables.js';
import { contacts } from '../contacts/contacts.tables.js';
import { customers } from '../customers/customers.tables.js';
import { leads } from '../leads/leads.tables.js';
import { products } from '../products/products.tables.js';

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(','));

/** 拜访 / 联系方式. */
export const ACTIVITY_TYPES = ['visit', 'phone', 'email', 'sms', 'wechat', 'meeting', 'meal'] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

/** planned: in the calendar; done: happened (outcome recorded); cancelled. */
export const ACTIVITY_STATUSES = ['planned', 'done', 'cancelled'] as const;
export type ActivityStatus = (typeof ACTIVITY_STATUSES)[number];

/**
 * 拜访 / 联系记录: what a rep did with a customer (or a lead, before it is one). Visible to the
 * owner's scope (own / team / department) and to whoever sees the customer now — history stays with
 * the customer when reps change (DOMAIN.md: "lost when reps leave").
 */
export const activities = pgTable(
  'activities',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    type: text('type').$type<ActivityType>().notNull(),
    status: text('status').$type<ActivityStatus>().notNull(),
    customerId: integer('customer_id').references(() => customers.id),
    leadId: integer('lead_id').references(() => leads.id),
    /** 科室 visited at a hospital. */
    hospitalDepartment: text('hospital_department'),
    subject: text('subject').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }),
    /** 签到: when a done visit was checked in, and where (free text or coordinates). */
    checkedInAt: timestamp('checked_in_at', { withTimezone: true }),
    checkInPlace: text('check_in_place'),
    description: text('description'),
    /** 资料 / 样品 handed over (free text; the samples module links later). */
    materials: text('materials'),
    outcome: text('outcome'),
    nextStep: text('next_step'),
    nextFollowUpOn: date('next_follow_up_on', { mode: 'string' }),
    /** When the follow-up was done (a later activity with the customer/lead, or marked by hand). */
    followUpDoneAt: timestamp('follow_up_done_at', { withTimezone: true }),
    /** The kernel reminder that tells the owner on the follow-up date. */
    followUpReminderId: integer('follow_up_reminder_id').references(() => reminders.id, { onDelete: 'set null' }),
    // 会议记录 (type meeting): agenda and decisions; attendees in activity_attendees, action items in activity_action_items.
    agenda: text('agenda'),
    decisions: text('decisions'),
    location: text('location'),
    ownerId: integer('owner_id').notNull().references(() => users.id),
    ownerDepartmentId: integer('owner_department_id').references(() => departments.id),
    /** The customer's (or lead's) territory path when logged, for territory scope and regional reports. */
    territoryPath: text('territory_path'),
    createdBy: integer('created_by').notNull().references(() => users.id),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('activities_customer_idx').on(t.customerId, t.startsAt),
    index('activities_lead_idx').on(t.leadId, t.startsAt),
    index('activities_owner_idx').on(t.ownerId, t.startsAt),
    index('activities_owner_department_idx').on(t.ownerDepartmentId, t.startsAt),
    index('activities_starts_idx').on(t.startsAt),
    index('activities_territory_path_idx').using('btree', t.territoryPath.op('text_pattern_ops')),
    index('activities_follow_up_idx').on(t.ownerId, t.nextFollowUpOn).where(sql`${t.nextFollowUpOn} is not null and ${t.followUpDoneAt} is null`),
    index('activities_reminder_idx').on(t.followUpReminderId),
    index('activities_created_by_idx').on(t.createdBy),
    // List filters: type (managers' drill-down by visit / call) and the keyword on the subject.
    index('activities_type_idx').on(t.type, t.startsAt),
    index('activities_subject_trgm_idx').using('gin', t.subject.op('gin_trgm_ops')),
    // The workload report (crm-reports.service.ts): follow-ups done in a period per rep, and follow-ups done after a period end.
    index('activities_follow_up_done_idx').on(t.ownerId, t.followUpDoneAt).where(sql`${t.followUpDoneAt} is not null`),
    check('activities_type_chk', sql`${t.type} in (${inList(ACTIVITY_TYPES)})`),
    check('activities_status_chk', sql`${t.status} in (${inList(ACTIVITY_STATUSES)})`),
    check('activities_subject_chk', sql`${t.customerId} is not null or ${t.leadId} is not null`),
    check('activities_ends_chk', sql`${t.endsAt} is null or ${t.endsAt} >= ${t.startsAt}`),
    check('activities_check_in_chk', sql`${t.checkedInAt} is null or ${t.status} = 'done'`),
  ],
);

export type ActivityRow = typeof activities.$inferSelect;

/** The customer's contacts met or spoken to. */
export const activityContacts = pgTable(
  'activity_contacts',
  {
    activityId: integer('activity_id').notNull().references(() => activities.id, { onDelete: 'cascade' }),
    contactId: integer('contact_id').notNull().references(() => contacts.id),
  },
  (t) => [primaryKey({ columns: [t.activityId, t.contactId] }), index('activity_contacts_contact_idx').on(t.contactId)],
);

/** Products discussed. */
export const activityProducts = pgTable(
  'activity_products',
  {
    activityId: integer('activity_id').notNull().references(() => activities.id, { onDelete: 'cascade' }),
    productId: integer('product_id').notNull().references(() => products.id),
  },
  (t) => [primaryKey({ columns: [t.activityId, t.productId] }), index('activity_products_product_idx').on(t.productId)],
);

/** Colleagues at a meeting (users); outside attendees are named in the description. */
export const activityAttendees = pgTable(
  'activity_attendees',
  {
    activityId: integer('activity_id').notNull().references(() => activities.id, { onDelete: 'cascade' }),
    userId: integer('user_id').notNull().references(() => users.id),
  },
  (t) => [primaryKey({ columns: [t.activityId, t.userId] }), index('activity_attendees_user_idx').on(t.userId)],
);

/** 上级批注: a manager's comment on an activity; the owner is notified. */
export const activityComments = pgTable(
  'activity_comments',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    activityId: integer('activity_id').notNull().references(() => activities.id, { onDelete: 'cascade' }),
    authorId: integer('author_id').notNull().references(() => users.id),
    body: text('body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('activity_comments_activity_idx').on(t.activityId, t.createdAt),
    index('activity_comments_author_idx').on(t.authorId, t.createdAt),
    // The workload report counts comments received in a period.
    index('activity_comments_created_idx').on(t.createdAt),
    check('activity_comments_body_chk', sql`length(btrim(${t.body})) > 0`),
  ],
);

export const ACTION_ITEM_STATUSES = ['open', 'done', 'cancelled'] as const;
export type ActionItemStatus = (typeof ACTION_ITEM_STATUSES)[number];

/** A meeting's action items, each with an owner and a due date, tracked to done. */
export const activityActionItems = pgTable(
  'activity_action_items',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    activityId: integer('activity_id').notNull().references(() => activities.id, { onDelete: 'cascade' }),
    text: text('text').notNull(),
    ownerId: integer('owner_id').notNull().references(() => users.id),
    dueOn: date('due_on', { mode: 'string' }),
    status: text('status').$type<ActionItemStatus>().notNull().default('open'),
    doneAt: timestamp('done_at', { withTimezone: true }),
    doneNote: varchar('done_note', { length: 2000 }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('activity_action_items_activity_idx').on(t.activityId),
    index('activity_action_items_owner_idx').on(t.ownerId, t.status, t.dueOn),
    check('activity_action_items_status_chk', sql`${t.status} in (${inList(ACTION_ITEM_STATUSES)})`),
    check('activity_action_items_done_chk', sql`(${t.status} = 'done') = (${t.doneAt} is not null)`),
    check('activity_action_items_text_chk', sql`length(btrim(${t.text})) > 0`),
  ],
);
