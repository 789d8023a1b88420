import { sql } from 'drizzle-orm';
import { check, date, index, integer, jsonb, pgSequence, pgTable, primaryKey, text, timestamp, varchar } from 'drizzle-orm/pg-core';
import { departments, territories, users } from '../../kernel/access/access.tables.js';
import { CUSTOMER_GRADES, CUSTOMER_SOURCES, CUSTOMER_TYPES, type CustomerGrade, type CustomerSource, type CustomerType, customers, LIFECYCLE_STAGES, type LifecycleStage } from '../customers/customers.tables.js';
import { customerApplications } from '../customers/applications.tables.js';
import { products } from '../products/products.tables.js';

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(','));

/** open: being worked (or waiting in the pool); converting: an account opening is pending; converted; closed (not a prospect). */
export const LEAD_STATUSES = ['open', 'converting', 'converted', 'closed'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

/** 线索编号 XS000001…, from a sequence like customer codes. */
export const leadCodeSeq = pgSequence('lead_code_seq', { startWith: 1 });

/**
 * 潜在客户 (潜在客户录入及跟踪表): an organisation that is not yet a customer. Owned by a rep, or
 * waiting in the pool (owner null). Data scope: owner / owner's department / territory like customers;
 * pool leads are seen by those who assign leads and by reps covering the lead's territory.
 */
export const leads = pgTable(
  'leads',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    code: text('code').notNull().default(sql`'XS' || lpad(nextval('lead_code_seq')::text, 6, '0')`),
    organisation: text('organisation').notNull(),
    /** kernel/names.ts normaliseName(organisation): matched against customers and other leads. */
    nameKey: text('name_key').notNull(),
    customerType: text('customer_type').$type<CustomerType>(),
    contactName: text('contact_name'),
    contactTitle: text('contact_title'),
    phone: text('phone'),
    /** Most precise territory known; null when the inquiry named none (waits in the pool). */
    territoryId: varchar('territory_id', { length: 12 }).references(() => territories.id),
    territoryPath: text('territory_path'),
    address: text('address'),
    source: text('source').$type<CustomerSource>().notNull(),
    /** 客户分级 C/B/A/H/O and when it last changed (lead_events keeps every change). */
    grade: text('grade').$type<CustomerGrade>().notNull().default('C'),
    gradeChangedAt: timestamp('grade_changed_at', { withTimezone: true }).notNull().defaultNow(),
    /** 生命周期 while a lead: identified → lead → intent. */
    lifecycleStage: text('lifecycle_stage').$type<LifecycleStage>().notNull().default('lead'),
    nextFollowUpOn: date('next_follow_up_on', { mode: 'string' }),
    ownerId: integer('owner_id').references(() => users.id),
    ownerDepartmentId: integer('owner_department_id').references(() => departments.id),
    assignedAt: timestamp('assigned_at', { withTimezone: true }),
    /** The owner's last action on the lead (activity, grade, edit): the reclaim clock starts here. */
    lastActedAt: timestamp('last_acted_at', { withTimezone: true }),
    status: text('status').$type<LeadStatus>().notNull().default('open'),
    closedReason: text('closed_reason'),
    /** The account opening made from it, and the customer once approved. */
    applicationId: integer('application_id').references(() => customerApplications.id),
    customerId: integer('customer_id').references(() => customers.id),
    notes: text('notes'),
    /** Free-form inquiry fields (web form, phone note) kept as they came. */
    inquiry: jsonb('inquiry').$type<Record<string, unknown>>(),
    searchText: text('search_text').notNull(),
    createdBy: integer('created_by').references(() => users.id),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('leads_code_idx').on(t.code),
    index('leads_owner_idx').on(t.ownerId, t.status),
    index('leads_owner_department_idx').on(t.ownerDepartmentId),
    index('leads_pool_idx').on(t.status, t.createdAt).where(sql`${t.ownerId} is null`),
    index('leads_territory_path_idx').using('btree', t.territoryPath.op('text_pattern_ops')),
    index('leads_territory_idx').on(t.territoryId),
    index('leads_reclaim_idx').on(t.lastActedAt).where(sql`${t.ownerId} is not null and ${t.status} = 'open'`),
    index('leads_follow_up_idx').on(t.nextFollowUpOn).where(sql`${t.status} = 'open'`),
    index('leads_name_key_idx').on(t.nameKey),
    index('leads_search_trgm_idx').using('gin', t.searchText.op('gin_trgm_ops')),
    index('leads_created_idx').on(t.createdAt),
    index('leads_created_by_idx').on(t.createdBy),
    index('leads_application_idx').on(t.applicationId),
    index('leads_customer_idx').on(t.customerId),
    // List filters by grade and source (helper "leads", issue 5).
    index('leads_grade_idx').on(t.grade, t.status),
    index('leads_source_idx').on(t.source, t.createdAt),
    check('leads_status_chk', sql`${t.status} in (${inList(LEAD_STATUSES)})`),
    check('leads_source_chk', sql`${t.source} in (${inList(CUSTOMER_SOURCES)})`),
    check('leads_grade_chk', sql`${t.grade} in (${inList(CUSTOMER_GRADES)})`),
    check('leads_stage_chk', sql`${t.lifecycleStage} in (${inList(LIFECYCLE_STAGES)})`),
    check('leads_type_chk', sql`${t.customerType} is null or ${t.customerType} in (${inList(CUSTOMER_TYPES)})`),
    check('leads_converted_chk', sql`(${t.status} = 'converted') = (${t.customerId} is not null)`),
    check('leads_owner_department_chk', sql`${t.ownerId} is not null or ${t.ownerDepartmentId} is null`),
    check('leads_organisation_chk', sql`length(btrim(${t.organisation})) > 0`),
  ],
);

export type LeadRow = typeof leads.$inferSelect;

/** Products the lead is interested in. */
export const leadProducts = pgTable(
  'lead_products',
  {
    leadId: integer('lead_id').notNull().references(() => leads.id, { onDelete: 'cascade' }),
    productId: integer('product_id').notNull().references(() => products.id),
  },
  (t) => [primaryKey({ columns: [t.leadId, t.productId] }), index('lead_products_product_idx').on(t.productId)],
);

export const LEAD_EVENT_KINDS = ['created', 'edited', 'assigned', 'claimed', 'released', 'reclaimed', 'graded', 'staged', 'converting', 'converted', 'closed', 'reopened'] as const;
export type LeadEventKind = (typeof LEAD_EVENT_KINDS)[number];

/**
 * The lead's history: every assignment, grade and stage change with its time. Carried to the
 * customer on conversion (the customer's 360° page shows it).
 */
export const leadEvents = pgTable(
  'lead_events',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    leadId: integer('lead_id').notNull().references(() => leads.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<LeadEventKind>().notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorId: integer('actor_id').references(() => users.id),
    /** e.g. { from: 'C', to: 'A' } for graded, { ownerId } for assigned. */
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('lead_events_lead_idx').on(t.leadId, t.at), index('lead_events_kind_idx').on(t.kind, t.at), index('lead_events_actor_idx').on(t.actorId, t.at)],
);

/** Round-robin position per team: the last rep who received a lead (locked while assigning). */
export const leadAssignmentCursors = pgTable('lead_assignment_cursors', {
  departmentId: integer('department_id').primaryKey().references(() => departments.id),
  lastUserId: integer('last_user_id').references(() => users.id),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * 生命周期 changes of customers, timed, so managers see where customers stall. A converted lead's
 * stage changes are copied here with their original times.
 */
export const customerStageHistory = pgTable(
  'customer_stage_history',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    customerId: integer('customer_id').notNull().references(() => customers.id),
    fromStage: text('from_stage').$type<LifecycleStage>(),
    toStage: text('to_stage').$type<LifecycleStage>().notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorId: integer('actor_id').references(() => users.id),
  },
  (t) => [
    index('customer_stage_history_customer_idx').on(t.customerId, t.at),
    index('customer_stage_history_at_idx').on(t.at),
    check('customer_stage_history_stage_chk', sql`${t.toStage} in (${inList(LIFECYCLE_STAGES)})`),
  ],
);
