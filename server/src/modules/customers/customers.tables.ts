import { sql } from 'drizzle-orm';
import { type AnyPgColumn, bigint, check, index, integer, pgSequence, pgTable, text, timestamp, uniqueIndex, varchar } from 'drizzle-orm/pg-core';
import { departments, territories, users } from '../../kernel/access/access.tables.js';

/** 客户类型 (DOMAIN.md glossary): who the organisation is to us. */
export const CUSTOMER_TYPES = ['distributor', 'agent', 'hospital', 'clinic', 'pharmacy', 'other'] as const;
export type CustomerType = (typeof CUSTOMER_TYPES)[number];

/** 客户来源. */
export const CUSTOMER_SOURCES = ['phone', 'fax', 'email', 'sms', 'visit', 'media', 'website', 'event', 'referral', 'rep'] as const;
export type CustomerSource = (typeof CUSTOMER_SOURCES)[number];

/** 生命周期: identified → lead → intent → purchasing → complete-information. */
export const LIFECYCLE_STAGES = ['identified', 'lead', 'intent', 'purchasing', 'complete'] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

/** 客户分级: C cold … H hot, O ordered. */
export const CUSTOMER_GRADES = ['C', 'B', 'A', 'H', 'O'] as const;
export type CustomerGrade = (typeof CUSTOMER_GRADES)[number];

/** 医院等级: 三级甲等 … 一级丙等, plus 未定级. */
export const HOSPITAL_GRADES = ['3A', '3B', '3C', '2A', '2B', '2C', '1A', '1B', '1C', 'unrated'] as const;
export type HospitalGrade = (typeof HOSPITAL_GRADES)[number];

/** active: may trade; inactive: kept for history, no new business; merged: folded into another customer. */
export const CUSTOMER_STATUSES = ['active', 'inactive', 'merged'] as const;
export type CustomerStatus = (typeof CUSTOMER_STATUSES)[number];

/**
 * 资质状态, kept by qualifications.ts on every document change and by the daily job as dates pass:
 * ok, expiring (a required document expires within 30 days), missing, expired.
 */
export const QUALIFICATION_STATES = ['ok', 'expiring', 'missing', 'expired'] as const;
export type QualificationState = (typeof QUALIFICATION_STATES)[number];

/** 客户编码 KH000001…: given by the database so that account openings, imports and the demo never collide. */
export const customerCodeSeq = pgSequence('customer_code_seq', { startWith: 1 });

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(','));

/**
 * 客户: every organisation we deal with. Created only by an approved account opening (开户);
 * data scope through owner (rep), owner department (team) and territory.
 *
 * Duplicates: the credit code is unique, and so is the normalised name (kernel/names.ts) among
 * customers that are not merged away — two rows for one organisation is what the business lost
 * most with its spreadsheets.
 */
export const customers = pgTable(
  'customers',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    /** 客户编码: KH + 6 digits from customer_code_seq unless an import brings the ERP's code. */
    code: text('code').notNull().default(sql`'KH' || lpad(nextval('customer_code_seq')::text, 6, '0')`),
    name: text('name').notNull(),
    shortName: text('short_name'),
    aliases: text('aliases').array().notNull().default(sql`'{}'::text[]`),
    /** kernel/names.ts normaliseName(name): the duplicate key. */
    nameKey: text('name_key').notNull(),
    /** 统一社会信用代码 (18 characters, GB 32100-2015 check digit). */
    creditCode: varchar('credit_code', { length: 18 }),
    type: text('type').$type<CustomerType>().notNull(),
    /** The most precise territory known (county, city or province) and its path, for scope and filters. */
    territoryId: varchar('territory_id', { length: 12 }).notNull().references(() => territories.id),
    territoryPath: text('territory_path').notNull(),
    address: text('address'),
    hospitalGrade: text('hospital_grade').$type<HospitalGrade>(),
    /** 科室 the reps target at a hospital. */
    hospitalDepartments: text('hospital_departments').array().notNull().default(sql`'{}'::text[]`),
    /** 上级集团 / parent group. */
    parentId: integer('parent_id').references((): AnyPgColumn => customers.id),
    /** 负责业务员 and their team when assigned: the data scope of the customer and everything hanging off it. */
    ownerId: integer('owner_id').references(() => users.id),
    ownerDepartmentId: integer('owner_department_id').references(() => departments.id),
    source: text('source').$type<CustomerSource>(),
    lifecycleStage: text('lifecycle_stage').$type<LifecycleStage>().notNull().default('identified'),
    grade: text('grade').$type<CustomerGrade>(),
    /** 信用额度 in fen; 0 = no credit (payment before delivery). */
    creditLimitFen: bigint('credit_limit_fen', { mode: 'bigint' }).notNull().default(sql`0`),
    /** 账期 in days. */
    paymentTermsDays: integer('payment_terms_days').notNull().default(0),
    // 开票信息
    invoiceTitle: text('invoice_title'),
    taxNumber: text('tax_number'),
    bankName: text('bank_name'),
    bankAccount: text('bank_account'),
    invoiceAddress: text('invoice_address'),
    invoicePhone: text('invoice_phone'),
    phone: text('phone'),
    notes: text('notes'),
    status: text('status').$type<CustomerStatus>().notNull().default('active'),
    /** Whether the required qualification documents are on file and valid (qualifications.ts). */
    qualificationState: text('qualification_state').$type<QualificationState>().notNull().default('missing'),
    mergedIntoId: integer('merged_into_id').references((): AnyPgColumn => customers.id),
    /** kernel/pinyin.ts searchText(name, short name, aliases) + code + credit code. */
    searchText: text('search_text').notNull(),
    createdBy: integer('created_by').references(() => users.id),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('customers_code_uq').on(t.code),
    uniqueIndex('customers_credit_code_uq').on(t.creditCode).where(sql`${t.creditCode} is not null and ${t.status} <> 'merged'`),
    uniqueIndex('customers_name_key_uq').on(t.nameKey).where(sql`${t.status} <> 'merged'`),
    index('customers_search_trgm_idx').using('gin', t.searchText.op('gin_trgm_ops')),
    index('customers_name_key_trgm_idx').using('gin', t.nameKey.op('gin_trgm_ops')),
    index('customers_territory_path_idx').using('btree', t.territoryPath.op('text_pattern_ops')),
    index('customers_territory_idx').on(t.territoryId),
    index('customers_owner_idx').on(t.ownerId),
    index('customers_owner_department_idx').on(t.ownerDepartmentId),
    index('customers_parent_idx').on(t.parentId),
    index('customers_merged_into_idx').on(t.mergedIntoId),
    index('customers_created_by_idx').on(t.createdBy),
    index('customers_type_idx').on(t.type, t.status),
    index('customers_name_idx').on(t.name),
    index('customers_updated_idx').on(t.updatedAt),
    index('customers_qualification_state_idx').on(t.qualificationState),
    check('customers_type_chk', sql`${t.type} in (${inList(CUSTOMER_TYPES)})`),
    check('customers_source_chk', sql`${t.source} is null or ${t.source} in (${inList(CUSTOMER_SOURCES)})`),
    check('customers_lifecycle_chk', sql`${t.lifecycleStage} in (${inList(LIFECYCLE_STAGES)})`),
    check('customers_grade_chk', sql`${t.grade} is null or ${t.grade} in (${inList(CUSTOMER_GRADES)})`),
    check('customers_hospital_grade_chk', sql`${t.hospitalGrade} is null or ${t.hospitalGrade} in (${inList(HOSPITAL_GRADES)})`),
    check('customers_qualification_state_chk', sql`${t.qualificationState} in (${inList(QUALIFICATION_STATES)})`),
    check('customers_status_chk', sql`${t.status} in (${inList(CUSTOMER_STATUSES)})`),
    check('customers_merged_chk', sql`(${t.status} = 'merged') = (${t.mergedIntoId} is not null)`),
    check('customers_not_own_parent_chk', sql`${t.parentId} is null or ${t.parentId} <> ${t.id}`),
    check('customers_credit_limit_chk', sql`${t.creditLimitFen} >= 0`),
    check('customers_payment_terms_chk', sql`${t.paymentTermsDays} between 0 and 3650`),
    check('customers_owner_department_chk', sql`${t.ownerId} is not null or ${t.ownerDepartmentId} is null`),
  ],
);

export type CustomerRow = typeof customers.$inferSelect;

