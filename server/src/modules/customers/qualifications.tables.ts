import { sql } from 'drizzle-orm';
import { type AnyPgColumn, check, date, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from '../../kernel/access/access.tables.js';
import { customers } from './customers.tables.js';

/**
 * 客户资质 (DOMAIN.md glossary "资质"): the licences a customer must hold before we may sell to it.
 * Which kinds a customer type must hold is decided in qualifications.ts (REQUIRED_QUALIFICATIONS).
 */
export const QUALIFICATION_KINDS = [
  'business_licence', // 营业执照
  'drug_operation_licence', // 药品经营许可证
  'gsp_certificate', // GSP证书
  'medical_institution_licence', // 医疗机构执业许可证
  'drug_manufacturing_licence', // 药品生产许可证
  'power_of_attorney', // 法人委托书
  'other',
] as const;
export type QualificationKind = (typeof QUALIFICATION_KINDS)[number];

/** current: the document on file; replaced: an older one kept as history after a renewal. */
export const QUALIFICATION_STATUSES = ['current', 'replaced'] as const;
export type QualificationStatus = (typeof QUALIFICATION_STATUSES)[number];

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(','));

/**
 * One licence or certificate of a customer. `number` is the licence number (证号); `expires_on`
 * null means long-term (长期). Files hang off it through the kernel attachments as document type
 * 'customer_qualification'. At most one current document of each kind ('other' excepted); a
 * renewal marks the old one replaced and points it to its successor.
 */
export const customerQualifications = pgTable(
  'customer_qualifications',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    customerId: integer('customer_id').notNull().references(() => customers.id),
    kind: text('kind').$type<QualificationKind>().notNull(),
    number: text('number').notNull(),
    issuedOn: date('issued_on', { mode: 'string' }),
    expiresOn: date('expires_on', { mode: 'string' }),
    notes: text('notes'),
    status: text('status').$type<QualificationStatus>().notNull().default('current'),
    replacedById: integer('replaced_by_id').references((): AnyPgColumn => customerQualifications.id),
    /** Expiry notices already sent for this document ('30d', 'expired'): each is sent once. */
    expiryNotices: text('expiry_notices').array().notNull().default(sql`'{}'::text[]`),
    createdBy: integer('created_by').references(() => users.id),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('customer_qualifications_customer_idx').on(t.customerId, t.kind, t.status),
    index('customer_qualifications_expires_idx').on(t.expiresOn).where(sql`${t.status} = 'current'`),
    index('customer_qualifications_replaced_by_idx').on(t.replacedById),
    index('customer_qualifications_created_by_idx').on(t.createdBy),
    uniqueIndex('customer_qualifications_current_uq').on(t.customerId, t.kind).where(sql`${t.status} = 'current' and ${t.kind} <> 'other'`),
    check('customer_qualifications_kind_chk', sql`${t.kind} in (${inList(QUALIFICATION_KINDS)})`),
    check('customer_qualifications_status_chk', sql`${t.status} in (${inList(QUALIFICATION_STATUSES)})`),
    check('customer_qualifications_dates_chk', sql`${t.issuedOn} is null or ${t.expiresOn} is null or ${t.expiresOn} >= ${t.issuedOn}`),
    check('customer_qualifications_replaced_chk', sql`(${t.status} = 'replaced') = (${t.replacedById} is not null)`),
    check('customer_qualifications_number_chk', sql`length(trim(${t.number})) > 0`),
  ],
);
