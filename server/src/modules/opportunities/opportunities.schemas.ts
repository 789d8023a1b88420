import { z } from 'zod';
import { fenAmount } from '../../kernel/http/money.js';
import { pageOf, pageQuery } from '../../kernel/http/paging.js';
import { LOST_REASONS, OPPORTUNITY_STATUSES, STAGE_KINDS } from './opportunities.tables.js';

/** zod schemas of the opportunities API (the web forms send the same shapes). Money is fen as a string of digits. */
const yearMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/);

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullable()
    .optional()
    .transform((v) => (v ? v : null));

export const stageRow = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  nameEn: z.string(),
  kind: z.enum(STAGE_KINDS),
  position: z.number().int(),
  probability: z.number().int(),
  active: z.boolean(),
  version: z.number().int(),
  openCount: z.number().int(),
});

export const stageCreateBody = z.object({
  name: z.string().trim().min(1).max(30),
  nameEn: z.string().trim().min(1).max(60),
  probability: z.number().int().min(0).max(100),
});
export const stageUpdateBody = z.object({
  name: z.string().trim().min(1).max(30).optional(),
  nameEn: z.string().trim().min(1).max(60).optional(),
  probability: z.number().int().min(0).max(100).optional(),
  active: z.boolean().optional(),
  version: z.number().int(),
});
export const stageOrderBody = z.object({ ids: z.array(z.number().int().positive()).min(1).max(50) });

export const productLineBody = z.object({
  productId: z.number().int().positive(),
  quantity: z.number().int().min(0).max(100_000_000),
  amountFen: fenAmount,
});

export const opportunityFieldsBody = z.object({
  name: z.string().trim().min(1).max(100),
  products: z.array(productLineBody).max(50).default([]),
  /** Omitted: the sum of the products' amounts. */
  amountFen: fenAmount.nullable().optional(),
  expectedCloseOn: z.iso.date().nullable().optional(),
  competitor: optionalText(100),
  description: optionalText(2000),
  probability: z.number().int().min(0).max(100).nullable().optional(),
});
export const opportunityCreateBody = opportunityFieldsBody.extend({
  customerId: z.number().int().positive(),
  stageId: z.number().int().positive().nullable().optional(),
});
export const opportunityUpdateBody = opportunityFieldsBody.extend({ version: z.number().int() });
export const opportunityMoveBody = z.object({
  stageId: z.number().int().positive(),
  version: z.number().int(),
  lostReason: z.enum(LOST_REASONS).nullable().optional(),
  lostNote: optionalText(1000),
  probability: z.number().int().min(0).max(100).nullable().optional(),
});

export const opportunityListRow = z.object({
  id: z.number().int(),
  name: z.string(),
  customerId: z.number().int(),
  customerCode: z.string(),
  customerName: z.string(),
  customerGrade: z.string().nullable(),
  stageId: z.number().int(),
  stageName: z.string(),
  stageNameEn: z.string(),
  status: z.enum(OPPORTUNITY_STATUSES),
  probability: z.number().int(),
  amountFen: z.string(),
  weightedFen: z.string(),
  expectedCloseOn: z.string().nullable(),
  competitor: z.string().nullable(),
  lostReason: z.enum(LOST_REASONS).nullable(),
  closedAt: z.date().nullable(),
  ownerId: z.number().int(),
  ownerName: z.string(),
  version: z.number().int(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

export const opportunityDetail = opportunityListRow.extend({
  description: z.string().nullable(),
  lostNote: z.string().nullable(),
  territoryPath: z.string().nullable(),
  products: z.array(
    z.object({ productId: z.number().int(), productCode: z.string(), productName: z.string(), specification: z.string(), quantity: z.number().int(), amountFen: z.string() }),
  ),
  history: z.array(
    z.object({
      id: z.number().int(),
      fromStageId: z.number().int().nullable(),
      fromStageName: z.string().nullable(),
      fromStageNameEn: z.string().nullable(),
      toStageId: z.number().int(),
      toStageName: z.string(),
      toStageNameEn: z.string(),
      at: z.date(),
      actorName: z.string().nullable(),
    }),
  ),
});

export const opportunityFilterQuery = z.object({
  q: z.string().trim().max(60).optional(),
  status: z.enum(OPPORTUNITY_STATUSES).optional(),
  stageId: z.coerce.number().int().positive().optional(),
  ownerId: z.coerce.number().int().positive().optional(),
  customerId: z.coerce.number().int().positive().optional(),
  territoryId: z.string().regex(/^\d{6}$/).optional(),
  closeFrom: z.iso.date().optional(),
  closeTo: z.iso.date().optional(),
  amountMin: fenAmount.optional(),
  amountMax: fenAmount.optional(),
});
export const opportunityListQuery = pageQuery.extend(opportunityFilterQuery.shape);
export const opportunityPage = pageOf(opportunityListRow);

const totals = z.object({ count: z.number().int(), amountFen: z.string() });
export const boardResponse = z.object({
  columns: z.array(
    z.object({
      stage: stageRow.omit({ openCount: true }),
      count: z.number().int(),
      amountFen: z.string(),
      weightedFen: z.string(),
      cards: z.array(opportunityListRow),
    }),
  ),
  wonThisMonth: totals,
  lostThisMonth: totals,
  month: z.string(),
});

export const hotQuery = z.object({ month: yearMonth, groupBy: z.enum(['rep', 'region']).default('rep') });
export const hotRow = z.object({
  id: z.number().int(),
  name: z.string(),
  customerId: z.number().int(),
  customerName: z.string(),
  customerGrade: z.string().nullable(),
  region: z.string().nullable(),
  ownerId: z.number().int(),
  ownerName: z.string(),
  products: z.string().nullable(),
  amountFen: z.string(),
  probability: z.number().int(),
  weightedFen: z.string(),
  stageName: z.string(),
  stageNameEn: z.string(),
  expectedCloseOn: z.string().nullable(),
  daysInStage: z.number().int(),
  lastActivityOn: z.string().nullable(),
});
const groupRow = z.object({ key: z.string(), label: z.string(), count: z.number().int(), amountFen: z.string() });
export const hotResponse = z.object({
  month: z.string(),
  hotProbability: z.number().int(),
  groups: z.array(groupRow.extend({ weightedFen: z.string() })),
  rows: z.array(hotRow),
});

export const LOST_GROUPS = ['reason', 'rep', 'region', 'competitor', 'month'] as const;
export const lostQuery = z.object({ from: yearMonth, to: yearMonth, groupBy: z.enum(LOST_GROUPS).default('reason') });
export const lostRow = z.object({
  id: z.number().int(),
  name: z.string(),
  customerId: z.number().int(),
  customerName: z.string(),
  region: z.string().nullable(),
  ownerId: z.number().int(),
  ownerName: z.string(),
  amountFen: z.string(),
  competitor: z.string().nullable(),
  lostReason: z.enum(LOST_REASONS),
  lostNote: z.string().nullable(),
  stageBeforeName: z.string().nullable(),
  stageBeforeNameEn: z.string().nullable(),
  lostAt: z.date(),
  lostMonth: z.string(),
});
export const lostResponse = z.object({
  from: z.string(),
  to: z.string(),
  total: z.object({ count: z.number().int(), amountFen: z.string() }),
  groups: z.array(groupRow.extend({ sharePercent: z.number().int() })),
  rows: z.array(lostRow),
});
