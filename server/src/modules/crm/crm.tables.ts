import { sql } from 'drizzle-orm';
import { check, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { departments, users } from '../../kernel/access/access.tables.js';
import type { CustomerGrade } from '../customers/customers.tables.js';

/** How new leads find a rep: by the lead's territory, round-robin within a team, or by hand (pool). */
export const LEAD_ASSIGNMENT_MODES = ['territory', 'round_robin', 'manual'] as const;
export type LeadAssignmentMode = (typeof LEAD_ASSIGNMENT_MODES)[number];

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(','));

/**
 * CRM settings of the company (one row, id = 1), edited by whoever holds crm.configure:
 * lead assignment and reclaim ("规定时间内处理"), how long a customer of each grade may go
 * without contact before its owner is told, and the probability from which an opportunity is "hot".
 */
export const crmSettings = pgTable(
  'crm_settings',
  {
    id: integer('id').primaryKey().default(1),
    leadAssignment: text('lead_assignment').$type<LeadAssignmentMode>().notNull().default('territory'),
    /** The team whose reps take leads in turn when leadAssignment = 'round_robin'. */
    roundRobinDepartmentId: integer('round_robin_department_id').references(() => departments.id),
    /** A rep who does not act on an assigned lead within this many days loses it to the pool; 0 = never. */
    leadReclaimDays: integer('lead_reclaim_days').notNull().default(7),
    /** Days without contact after which a customer of the grade counts as neglected (C/B/A/H/O). */
    dormantDays: jsonb('dormant_days').$type<Record<CustomerGrade, number>>().notNull().default({ C: 90, B: 60, A: 30, H: 14, O: 30 }),
    /** Open opportunities at or above this probability (%) are hot prospects (热点客户). */
    hotProbability: integer('hot_probability').notNull().default(60),
    updatedBy: integer('updated_by').references(() => users.id),
    version: integer('version').notNull().default(1),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('crm_settings_single_row', sql`${t.id} = 1`),
    check('crm_settings_assignment_chk', sql`${t.leadAssignment} in (${inList(LEAD_ASSIGNMENT_MODES)})`),
    check('crm_settings_reclaim_chk', sql`${t.leadReclaimDays} between 0 and 365`),
    check('crm_settings_hot_chk', sql`${t.hotProbability} between 1 and 100`),
    check('crm_settings_round_robin_chk', sql`${t.leadAssignment} <> 'round_robin' or ${t.roundRobinDepartmentId} is not null`),
  ],
);

/**
 * Alerts that must reach a user once per subject and period (a neglected customer this episode, a
 * contact's birthday this year): the job inserts here first, and only a row it inserted is sent.
 */
export const crmAlertsSent = pgTable(
  'crm_alerts_sent',
  {
    kind: text('kind').notNull(),
    subjectId: integer('subject_id').notNull(),
    /** Which occurrence: '2026' for a birthday, the date of the last contact for a neglected customer… */
    periodKey: text('period_key').notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'crm_alerts_sent_pk', columns: [t.kind, t.subjectId, t.periodKey] })],
);
