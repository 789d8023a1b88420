import { z } from 'zod';
import { pageOf, pageQuery, queryBoolean } from '../../kernel/http/paging.js';
import { CUSTOMER_GRADES, CUSTOMER_SOURCES, CUSTOMER_TYPES, LIFECYCLE_STAGES } from '../customers/customers.tables.js';
import { LEAD_EVENT_KINDS, LEAD_STATUSES } from './leads.tables.js';

/** zod schemas of the leads API (潜在客户), shared by routes and tests. */
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullable()
    .optional()
    .transform((v) => (v ? v : null));

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** The stages a lead may be in (purchasing / complete belong to customers). */
export const LEAD_STAGES = ['identified', 'lead', 'intent'] as const;

export const leadFieldsBody = z.object({
  organisation: z.string().trim().min(2).max(100),
  contactName: optionalText(40),
  contactTitle: optionalText(40),
  phone: optionalText(30),
  territoryId: z.string().regex(/^\d{6}$/).nullable().optional(),
  address: optionalText(200),
  source: z.enum(CUSTOMER_SOURCES),
  customerType: z.enum(CUSTOMER_TYPES).nullable().optional(),
  productIds: z.array(z.number().int().positive()).max(50).default([]),
  nextFollowUpOn: isoDate.nullable().optional(),
  notes: optionalText(2000),
});

export const leadCreateBody = leadFieldsBody.extend({
  grade: z.enum(CUSTOMER_GRADES).default('C'),
  lifecycleStage: z.enum(LEAD_STAGES).default('lead'),
  ownerId: z.number().int().positive().nullable().optional(),
  /** The user saw the duplicate warning and creates the lead anyway. */
  confirmDuplicate: z.boolean().default(false),
  inquiry: z.record(z.string(), z.unknown()).nullable().optional(),
});
export type LeadCreateInput = z.infer<typeof leadCreateBody>;

export const leadUpdateBody = leadFieldsBody.extend({ version: z.number().int() });
export type LeadUpdateInput = z.infer<typeof leadUpdateBody>;

export const leadListRow = z.object({
  id: z.number().int(),
  code: z.string(),
  organisation: z.string(),
  contactName: z.string().nullable(),
  phone: z.string().nullable(),
  territoryId: z.string().nullable(),
  territoryName: z.string().nullable(),
  source: z.enum(CUSTOMER_SOURCES),
  customerType: z.enum(CUSTOMER_TYPES).nullable(),
  grade: z.enum(CUSTOMER_GRADES),
  gradeChangedAt: z.date(),
  lifecycleStage: z.enum(LIFECYCLE_STAGES),
  nextFollowUpOn: z.string().nullable(),
  ownerId: z.number().int().nullable(),
  ownerName: z.string().nullable(),
  status: z.enum(LEAD_STATUSES),
  assignedAt: z.date().nullable(),
  lastActedAt: z.date().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export const leadPage = pageOf(leadListRow);

export const leadEvent = z.object({
  id: z.number().int(),
  kind: z.enum(LEAD_EVENT_KINDS),
  at: z.date(),
  actorId: z.number().int().nullable(),
  actorName: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  ownerName: z.string().nullable(),
});

export const leadDetail = leadListRow.extend({
  contactTitle: z.string().nullable(),
  territoryPath: z.string().nullable(),
  address: z.string().nullable(),
  notes: z.string().nullable(),
  closedReason: z.string().nullable(),
  ownerDepartmentId: z.number().int().nullable(),
  applicationId: z.number().int().nullable(),
  applicationNumber: z.string().nullable(),
  customerId: z.number().int().nullable(),
  customerCode: z.string().nullable(),
  inquiry: z.record(z.string(), z.unknown()).nullable(),
  createdBy: z.number().int().nullable(),
  version: z.number().int(),
  products: z.array(z.object({ id: z.number().int(), code: z.string(), name: z.string() })),
  events: z.array(leadEvent),
  activityCount: z.number().int(),
});

export const leadFilterQuery = z.object({
  q: z.string().trim().max(60).optional(),
  status: z.enum(LEAD_STATUSES).optional(),
  ownerId: z.coerce.number().int().positive().optional(),
  mine: queryBoolean.optional(),
  pool: queryBoolean.optional(),
  grade: z.enum(CUSTOMER_GRADES).optional(),
  source: z.enum(CUSTOMER_SOURCES).optional(),
  territoryId: z.string().regex(/^\d{6}$/).optional(),
  followUp: z.enum(['due', 'overdue']).optional(),
  createdFrom: isoDate.optional(),
  createdTo: isoDate.optional(),
});
export type LeadFilter = z.infer<typeof leadFilterQuery>;
export const leadListQuery = pageQuery.extend(leadFilterQuery.shape);

/** The company website's contact form (POST /api/public/inquiries). `website` is the honeypot. */
export const inquiryBody = z.object({
  organisation: z.string().trim().min(2).max(100),
  contactName: z.string().trim().min(1).max(40),
  phone: optionalText(30),
  email: z.email().max(120).nullable().optional(),
  province: optionalText(20),
  city: optionalText(20),
  territoryId: z.string().regex(/^\d{6}$/).nullable().optional(),
  products: optionalText(500),
  message: optionalText(2000),
  website: z.string().max(200).optional(),
});
export type InquiryInput = z.infer<typeof inquiryBody>;
