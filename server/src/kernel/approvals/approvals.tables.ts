import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { roles, users } from '../access/access.tables.js';

/**
 * Approval flows (审批流): per document type, flows with conditions and ordered steps; requests
 * and the tasks of each approver; delegations (工作代理) of an approver to a colleague for dates.
 */
export type FlowCondition = { fact: string; op: 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'contains'; value: string | number | boolean | (string | number)[] };

export const approvalFlows = pgTable(
  'approval_flows',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    docType: text('doc_type').notNull(),
    name: text('name').notNull(),
    /** Lower first: the first active flow whose conditions all hold is used. */
    priority: integer('priority').notNull().default(100),
    conditions: jsonb('conditions').$type<FlowCondition[]>().notNull().default(sql`'[]'::jsonb`),
    active: boolean('active').notNull().default(true),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('approval_flows_doc_type_idx').on(t.docType, t.priority)],
);

export const approvalFlowSteps = pgTable(
  'approval_flow_steps',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    flowId: integer('flow_id').notNull().references(() => approvalFlows.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    name: text('name').notNull(),
    approverKind: text('approver_kind', { enum: ['role', 'department_head', 'user'] }).notNull(),
    roleId: integer('role_id').references(() => roles.id),
    userId: integer('user_id').references(() => users.id),
    mode: text('mode', { enum: ['any', 'all'] }).notNull().default('any'),
  },
  (t) => [
    uniqueIndex('approval_flow_steps_seq_uq').on(t.flowId, t.seq),
    index('approval_flow_steps_role_idx').on(t.roleId),
    index('approval_flow_steps_user_idx').on(t.userId),
    check('approval_flow_steps_kind_chk', sql`(${t.approverKind} = 'role' and ${t.roleId} is not null) or (${t.approverKind} = 'user' and ${t.userId} is not null) or ${t.approverKind} = 'department_head'`),
  ],
);

export const approvalRequests = pgTable(
  'approval_requests',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    docType: text('doc_type').notNull(),
    docId: integer('doc_id').notNull(),
    flowId: integer('flow_id').notNull().references(() => approvalFlows.id),
    status: text('status', { enum: ['pending', 'approved', 'rejected', 'cancelled'] }).notNull().default('pending'),
    currentStep: integer('current_step').notNull(),
    submittedBy: integer('submitted_by').notNull().references(() => users.id),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull().defaultNow(),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
  },
  (t) => [
    index('approval_requests_doc_idx').on(t.docType, t.docId),
    index('approval_requests_flow_idx').on(t.flowId),
    index('approval_requests_submitter_idx').on(t.submittedBy),
    // A document has at most one approval under way.
    uniqueIndex('approval_requests_one_pending_uq').on(t.docType, t.docId).where(sql`${t.status} = 'pending'`),
  ],
);

export const approvalTasks = pgTable(
  'approval_tasks',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    requestId: integer('request_id').notNull().references(() => approvalRequests.id, { onDelete: 'cascade' }),
    stepSeq: integer('step_seq').notNull(),
    stepName: text('step_name').notNull(),
    mode: text('mode', { enum: ['any', 'all'] }).notNull(),
    approverId: integer('approver_id').notNull().references(() => users.id),
    status: text('status', { enum: ['pending', 'approved', 'rejected', 'skipped'] }).notNull().default('pending'),
    decidedBy: integer('decided_by').references(() => users.id),
    comment: text('comment'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
  },
  (t) => [
    index('approval_tasks_request_idx').on(t.requestId, t.stepSeq),
    index('approval_tasks_approver_idx').on(t.approverId, t.status),
    index('approval_tasks_decided_by_idx').on(t.decidedBy),
  ],
);

export const approvalDelegations = pgTable(
  'approval_delegations',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    userId: integer('user_id').notNull().references(() => users.id),
    delegateId: integer('delegate_id').notNull().references(() => users.id),
    startsOn: date('starts_on').notNull(),
    endsOn: date('ends_on').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('approval_delegations_user_idx').on(t.userId, t.startsOn),
    index('approval_delegations_delegate_idx').on(t.delegateId, t.startsOn),
    check('approval_delegations_dates_chk', sql`${t.endsOn} >= ${t.startsOn}`),
    check('approval_delegations_not_self_chk', sql`${t.userId} <> ${t.delegateId}`),
  ],
);
