import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from '../../kernel/access/access.tables.js';
import { customers } from '../customers/customers.tables.js';

/**
 * 影响力: the contact's role in a purchase decision (the reps' own vocabulary: 决策者 / 影响者 / 使用者).
 * We chose roles, not high/medium/low, because a rep plans visits by role: the 药剂科主任 decides
 * whether a drug is listed, the 心内科主任 influences, the ward doctor uses.
 */
export const CONTACT_INFLUENCES = ['decision_maker', 'influencer', 'user', 'other'] as const;
export type ContactInfluence = (typeof CONTACT_INFLUENCES)[number];

export const CONTACT_GENDERS = ['male', 'female'] as const;
export type ContactGender = (typeof CONTACT_GENDERS)[number];

/** active: works at the customer; left: no longer there (kept for history, not offered in pickers). */
export const CONTACT_STATUSES = ['active', 'left'] as const;
export type ContactStatus = (typeof CONTACT_STATUSES)[number];

/** 中国大陆手机号: 11 digits starting 13–19. */
export const CHINESE_MOBILE = /^1[3-9]\d{9}$/;

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(','));

/**
 * 联系人: a person at a customer (doctor, pharmacy director, buyer). Visible exactly when the current
 * customer is (customers.scope.ts customerVisible). A contact can move to another customer (a doctor
 * changes hospital); contact_customer_history keeps where they were and when.
 */
export const contacts = pgTable(
  'contacts',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    customerId: integer('customer_id')
      .notNull()
      .references(() => customers.id),
    name: text('name').notNull(),
    gender: text('gender').$type<ContactGender>(),
    /** 科室 / 部门. */
    department: text('department'),
    /** 职务. */
    title: text('title'),
    mobile: text('mobile'),
    phone: text('phone'),
    email: text('email'),
    wechat: text('wechat'),
    birthday: date('birthday', { mode: 'string' }),
    /** 喜好 / 备注. */
    preferences: text('preferences'),
    notes: text('notes'),
    influence: text('influence').$type<ContactInfluence>().notNull().default('other'),
    status: text('status').$type<ContactStatus>().notNull().default('active'),
    /** kernel/pinyin.ts searchText(name) + mobile. */
    searchText: text('search_text').notNull(),
    createdBy: integer('created_by').references(() => users.id),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('contacts_customer_idx').on(t.customerId, t.status),
    index('contacts_created_by_idx').on(t.createdBy),
    index('contacts_department_idx').on(t.department),
    index('contacts_influence_idx').on(t.influence, t.status),
    index('contacts_status_idx').on(t.status),
    index('contacts_name_idx').on(t.name),
    index('contacts_updated_idx').on(t.updatedAt),
    index('contacts_search_trgm_idx').using('gin', t.searchText.op('gin_trgm_ops')),
    /** The same mobile twice at one customer is one person entered twice. */
    uniqueIndex('contacts_customer_mobile_uq').on(t.customerId, t.mobile).where(sql`${t.mobile} is not null`),
    check('contacts_mobile_chk', sql`${t.mobile} is null or ${t.mobile} ~ '^1[3-9][0-9]{9}$'`),
    check('contacts_gender_chk', sql`${t.gender} is null or ${t.gender} in (${inList(CONTACT_GENDERS)})`),
    check('contacts_influence_chk', sql`${t.influence} in (${inList(CONTACT_INFLUENCES)})`),
    check('contacts_status_chk', sql`${t.status} in (${inList(CONTACT_STATUSES)})`),
    check('contacts_name_chk', sql`length(btrim(${t.name})) > 0`),
  ],
);

export type ContactRow = typeof contacts.$inferSelect;

/** Where a contact worked and when: one open row (to_at null) per contact, the current customer. */
export const contactCustomerHistory = pgTable(
  'contact_customer_history',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    contactId: integer('contact_id')
      .notNull()
      .references(() => contacts.id),
    customerId: integer('customer_id')
      .notNull()
      .references(() => customers.id),
    fromAt: timestamp('from_at', { withTimezone: true }).notNull().defaultNow(),
    toAt: timestamp('to_at', { withTimezone: true }),
    movedBy: integer('moved_by').references(() => users.id),
  },
  (t) => [
    index('contact_customer_history_contact_idx').on(t.contactId, t.fromAt),
    index('contact_customer_history_customer_idx').on(t.customerId),
    index('contact_customer_history_moved_by_idx').on(t.movedBy),
    uniqueIndex('contact_customer_history_open_uq').on(t.contactId).where(sql`${t.toAt} is null`),
    check('contact_customer_history_dates_chk', sql`${t.toAt} is null or ${t.toAt} >= ${t.fromAt}`),
  ],
);
