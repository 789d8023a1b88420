import { sql } from 'drizzle-orm';
import { bigint, boolean, check, date, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { departments, users } from '../../kernel/access/access.tables.js';
import { customers } from '../customers/customers.tables.js';
import { products } from '../products/products.tables.js';

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(','));

/** open stages form the pipeline; one 'won' and one 'lost' stage close an opportunity. */
export const STAGE_KINDS = ['open', 'won', 'lost'] as const;
export type StageKind = (typeof STAGE_KINDS)[number];

/** The sales pipeline (configurable by crm.configure): ordered stages with a default probability. */
export const opportunityStages = pgTable(
  'opportunity_stages',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    nameEn: text('name_en').notNull(),
    kind: text('kind').$type<StageKind>().notNull().default('open'),
    position: integer('position').notNull(),
    probability: integer('probability').notNull(),
    active: boolean('active').notNull().default(true),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    uniqueIndex('opportunity_stages_code_uq').on(t.code),
    uniqueIndex('opportunity_stages_won_uq').on(t.kind).where(sql`${t.kind} = 'won'`),
    uniqueIndex('opportunity_stages_lost_uq').on(t.kind).where(sql`${t.kind} = 'lost'`),
    check('opportunity_stages_kind_chk', sql`${t.kind} in (${inList(STAGE_KINDS)})`),
    check('opportunity_stages_probability_chk', sql`${t.probability} between 0 and 100`),
  ],
);

/** 战败原因. */
export const LOST_REASONS = ['price', 'competitor', 'qualification', 'tender', 'relationship', 'product', 'timing', 'budget', 'other'] as const;
export type LostReason = (typeof LOST_REASONS)[number];

export const OPPORTUNITY_STATUSES = ['open', 'won', 'lost'] as const;
export type OpportunityStatus = (typeof OPPORTUNITY_STATUSES)[number];

/**
 * 销售机会: a possible deal with a customer. Data scope like activities: the owner's scope, or whoever
 * sees the customer. status follows the stage's kind.
 */
export const opportunities = pgTable(
  'opportunities',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    customerId: integer('customer_id').notNull().references(() => customers.id),
    stageId: integer('stage_id').notNull().references(() => opportunityStages.id),
    status: text('status').$type<OpportunityStatus>().notNull().default('open'),
    /** %; starts at the stage's default, the rep may adjust. */
    probability: integer('probability').notNull(),
    /** Expected value in fen. */
    amountFen: bigint('amount_fen', { mode: 'bigint' }).notNull().default(sql`0`),
    expectedCloseOn: date('expected_close_on', { mode: 'string' }),
    competitor: text('competitor'),
    lostReason: text('lost_reason').$type<LostReason>(),
    lostNote: text('lost_note'),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    description: text('description'),
    ownerId: integer('owner_id').notNull().references(() => users.id),
    ownerDepartmentId: integer('owner_department_id').references(() => departments.id),
    /** The customer's territory path when created or moved, for territory scope and regional tables. */
    territoryPath: text('territory_path'),
    createdBy: integer('created_by').notNull().references(() => users.id),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('opportunities_customer_idx').on(t.customerId),
    index('opportunities_stage_idx').on(t.stageId, t.status),
    index('opportunities_owner_idx').on(t.ownerId, t.status),
    index('opportunities_owner_department_idx').on(t.ownerDepartmentId),
    index('opportunities_territory_path_idx').using('btree', t.territoryPath.op('text_pattern_ops')),
    index('opportunities_close_idx').on(t.status, t.expectedCloseOn),
    index('opportunities_closed_idx').on(t.closedAt).where(sql`${t.closedAt} is not null`),
    index('opportunities_created_by_idx').on(t.createdBy),
    // List filters and sorts (expected close without a status, amount range, newest first, name search).
    index('opportunities_expected_close_idx').on(t.expectedCloseOn),
    index('opportunities_amount_idx').on(t.amountFen),
    index('opportunities_updated_idx').on(t.updatedAt),
    index('opportunities_name_trgm_idx').using('gin', t.name.op('gin_trgm_ops')),
    check('opportunities_status_chk', sql`${t.status} in (${inList(OPPORTUNITY_STATUSES)})`),
    check('opportunities_probability_chk', sql`${t.probability} between 0 and 100`),
    check('opportunities_amount_chk', sql`${t.amountFen} >= 0`),
    check('opportunities_lost_chk', sql`${t.status} = 'lost' or (${t.lostReason} is null)`),
    check('opportunities_lost_reason_chk', sql`${t.status} <> 'lost' or ${t.lostReason} in (${inList(LOST_REASONS)})`),
    check('opportunities_closed_chk', sql`(${t.status} = 'open') = (${t.closedAt} is null)`),
    check('opportunities_name_chk', sql`length(btrim(${t.name})) > 0`),
  ],
);

export type OpportunityRow = typeof opportunities.$inferSelect;

/** Products of the deal with expected quantity (product's unit) and value (fen). */
export const opportunityProducts = pgTable(
  'opportunity_products',
  {
    opportunityId: integer('opportunity_id').notNull().references(() => opportunities.id, { onDelete: 'cascade' }),
    productId: integer('product_id').notNull().references(() => products.id),
    quantity: integer('quantity').notNull().default(0),
    amountFen: bigint('amount_fen', { mode: 'bigint' }).notNull().default(sql`0`),
  },
  (t) => [
    primaryKey({ columns: [t.opportunityId, t.productId] }),
    index('opportunity_products_product_idx').on(t.productId),
    check('opportunity_products_quantity_chk', sql`${t.quantity} >= 0`),
    check('opportunity_products_amount_chk', sql`${t.amountFen} >= 0`),
  ],
);

/** Every stage change with its time and who moved it (the workload report counts them). */
export const opportunityStageHistory = pgTable(
  'opportunity_stage_history',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    opportunityId: integer('opportunity_id').notNull().references(() => opportunities.id, { onDelete: 'cascade' }),
    fromStageId: integer('from_stage_id').references(() => opportunityStages.id),
    toStageId: integer('to_stage_id').notNull().references(() => opportunityStages.id),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorId: integer('actor_id').references(() => users.id),
  },
  (t) => [index('opportunity_stage_history_opportunity_idx').on(t.opportunityId, t.at), index('opportunity_stage_history_actor_idx').on(t.actorId, t.at), index('opportunity_stage_history_at_idx').on(t.at)],
);
