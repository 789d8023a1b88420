import { z } from 'zod';
import { fenAmount, fenText } from '../../kernel/http/money.js';
import { pageOf } from '../../kernel/http/paging.js';
import { CUSTOMER_GRADES, CUSTOMER_SOURCES, CUSTOMER_STATUSES, CUSTOMER_TYPES, HOSPITAL_GRADES, LIFECYCLE_STAGES, QUALIFICATION_STATES } from './customers.tables.js';

/**
 * zod schemas of the customers API. Money crosses the API as integer fen in a JSON number (fields
 * ending in `Fen`; safe up to 90 trillion yuan) and is a bigint inside the server.
 */
const text = (max: number) => z.string().trim().max(max);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullable()
    .optional()
    .transform((v) => (v ? v : null));

export const customerFieldsBody = z.object({
  name: text(100).min(2),
  shortName: optionalText(40),
  aliases: z.array(text(100).min(1)).max(20).default([]),
  creditCode: optionalText(18),
  type: z.enum(CUSTOMER_TYPES),
  territoryId: z.string().regex(/^\d{6}$/),
  address: optionalText(200),
  hospitalGrade: z.enum(HOSPITAL_GRADES).nullable().optional(),
  hospitalDepartments: z.array(text(40).min(1)).max(100).default([]),
  parentId: z.number().int().positive().nullable().optional(),
  source: z.enum(CUSTOMER_SOURCES).nullable().optional(),
  lifecycleStage: z.enum(LIFECYCLE_STAGES).default('identified'),
  grade: z.enum(CUSTOMER_GRADES).nullable().optional(),
  creditLimitFen: fenAmount.default(0n),
  paymentTermsDays: z.number().int().min(0).max(3650).default(0),
  invoiceTitle: optionalText(100),
  taxNumber: optionalText(30),
  bankName: optionalText(100),
  bankAccount: optionalText(40),
  invoiceAddress: optionalText(200),
  invoicePhone: optionalText(30),
  phone: optionalText(30),
  notes: optionalText(2000),
});

export const customerListRow = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  shortName: z.string().nullable(),
  type: z.enum(CUSTOMER_TYPES),
  creditCode: z.string().nullable(),
  territoryId: z.string(),
  territoryName: z.string(),
  grade: z.enum(CUSTOMER_GRADES).nullable(),
  lifecycleStage: z.enum(LIFECYCLE_STAGES),
  hospitalGrade: z.enum(HOSPITAL_GRADES).nullable(),
  ownerId: z.number().int().nullable(),
  ownerName: z.string().nullable(),
  ownerDepartmentName: z.string().nullable(),
  status: z.enum(CUSTOMER_STATUSES),
  qualificationState: z.enum(QUALIFICATION_STATES),
  updatedAt: z.date(),
});

export const customerDetail = customerListRow.extend({
  aliases: z.array(z.string()),
  address: z.string().nullable(),
  hospitalDepartments: z.array(z.string()),
  parentId: z.number().int().nullable(),
  parentName: z.string().nullable(),
  source: z.enum(CUSTOMER_SOURCES).nullable(),
  /** Whole fen as a string (kernel/http/money.ts). */
  creditLimitFen: z.string(),
  paymentTermsDays: z.number().int(),
  invoiceTitle: z.string().nullable(),
  taxNumber: z.string().nullable(),
  bankName: z.string().nullable(),
  bankAccount: z.string().nullable(),
  invoiceAddress: z.string().nullable(),
  invoicePhone: z.string().nullable(),
  phone: z.string().nullable(),
  notes: z.string().nullable(),
  mergedIntoId: z.number().int().nullable(),
  createdAt: z.date(),
  version: z.number().int(),
});

/** A customer as the API sends it: the credit limit leaves the server as whole fen in a string. */
export const customerToApi = <T extends { creditLimitFen: bigint }>(c: T) => ({ ...c, creditLimitFen: fenText(c.creditLimitFen) });

export const customerFilterQuery = z.object({
  q: z.string().trim().max(60).optional(),
  type: z.enum(CUSTOMER_TYPES).optional(),
  status: z.enum(CUSTOMER_STATUSES).optional(),
  grade: z.enum(CUSTOMER_GRADES).optional(),
  lifecycleStage: z.enum(LIFECYCLE_STAGES).optional(),
  territoryId: z.string().regex(/^\d{6}$/).optional(),
  ownerId: z.coerce.number().int().positive().optional(),
  unassigned: z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1').optional(),
  qualificationState: z.enum(QUALIFICATION_STATES).optional(),
});

export const customerPage = pageOf(customerListRow);

export const customerOption = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  type: z.enum(CUSTOMER_TYPES),
  territoryName: z.string(),
  status: z.enum(CUSTOMER_STATUSES),
});

export const duplicateCandidate = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  creditCode: z.string().nullable(),
  ownerName: z.string().nullable(),
  reason: z.enum(['credit_code', 'name', 'similar_name']),
  similarity: z.number(),
});
