import { sql } from 'drizzle-orm';
import { check, date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, varchar } from 'drizzle-orm/pg-core';
import { departments, territories, users } from '../../kernel/access/access.tables.js';
import { type CustomerType, customers } from './customers.tables.js';
import { QUALIFICATION_KINDS, type QualificationKind, customerQualifications } from './qualifications.tables.js';

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(','));

export const APPLICATION_STATUSES = ['draft', 'pending', 'approved', 'cancelled'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/**
 * 开户申请: a rep (or manager, or the office) asks for a new customer; approval creates it.
 * The proposed customer's fields live in `customer` (the API shape of customerFieldsBody, money in
 * fen as a JSON number); name, name key, credit code and type are copied out for lists and for
 * the duplicate checks.
 */
export const customerApplications = pgTable(
  'customer_applications',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    number: text('number').notNull(),
    status: text('status').$type<ApplicationStatus>().notNull().default('draft'),
    submittedBy: integer('submitted_by').notNull().references(() => users.id),
    /** The submitter's department when drafted: with submitted_by, the data scope of the application. */
    ownerDepartmentId: integer('owner_department_id').references(() => departments.id),
    proposedOwnerId: integer('proposed_owner_id').references(() => users.id),
    name: text('name').notNull(),
    nameKey: text('name_key').notNull(),
    creditCode: varchar('credit_code', { length: 18 }),
    type: text('type').$type<CustomerType>().notNull(),
    territoryId: varchar('territory_id', { length: 12 }).notNull().references(() => territories.id),
    customer: jsonb('customer').$type<Record<string, unknown>>().notNull(),
    reason: text('reason').notNull(),
    createdCustomerId: integer('created_customer_id').references(() => customers.id),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('customer_applications_number_uq').on(t.number),
    index('customer_applications_submitted_by_idx').on(t.submittedBy, t.id),
    index('customer_applications_owner_department_idx').on(t.ownerDepartmentId),
    index('customer_applications_proposed_owner_idx').on(t.proposedOwnerId),
    index('customer_applications_status_idx').on(t.status, t.createdAt),
    index('customer_applications_territory_idx').on(t.territoryId),
    index('customer_applications_created_customer_idx').on(t.createdCustomerId),
    index('customer_applications_name_key_idx').on(t.nameKey).where(sql`${t.status} = 'pending'`),
    index('customer_applications_credit_code_idx').on(t.creditCode).where(sql`${t.status} = 'pending'`),
    check('customer_applications_status_chk', sql`${t.status} in (${inList(APPLICATION_STATUSES)})`),
    check('customer_applications_created_customer_chk', sql`${t.createdCustomerId} is null or ${t.status} = 'approved'`),
  ],
);

/** The qualification documents an application files; copied to customer_qualifications on approval. */
export const customerApplicationDocuments = pgTable(
  'customer_application_documents',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    applicationId: integer('application_id').notNull().references(() => customerApplications.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<QualificationKind>().notNull(),
    number: text('number').notNull(),
    issuedOn: date('issued_on', { mode: 'string' }),
    expiresOn: date('expires_on', { mode: 'string' }),
    notes: text('notes'),
    /** Attachments of the application (kernel files) that are this document's scans. */
    attachmentIds: integer('attachment_ids').array().notNull().default(sql`'{}'::int[]`),
    /** The customer document made from it when the application was approved. */
    qualificationId: integer('qualification_id').references(() => customerQualifications.id),
  },
  (t) => [
    index('customer_application_documents_application_idx').on(t.applicationId),
    index('customer_application_documents_qualification_idx').on(t.qualificationId),
    uniqueIndex('customer_application_documents_kind_uq').on(t.applicationId, t.kind).where(sql`${t.kind} <> 'other'`),
    check('customer_application_documents_kind_chk', sql`${t.kind} in (${inList(QUALIFICATION_KINDS)})`),
    check('customer_application_documents_dates_chk', sql`${t.issuedOn} is null or ${t.expiresOn} is null or ${t.expiresOn} >= ${t.issuedOn}`),
  ],
);
