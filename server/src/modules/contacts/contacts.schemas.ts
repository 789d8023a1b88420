import { z } from 'zod';
import { pageOf, pageQuery } from '../../kernel/http/paging.js';
import { CONTACT_GENDERS, CONTACT_INFLUENCES, CONTACT_STATUSES } from './contacts.tables.js';

/** zod schemas of the contacts API (the web form sends the same shape). */
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullable()
    .optional()
    .transform((v) => (v ? v : null));

export const contactFieldsBody = z.object({
  name: z.string().trim().min(1).max(40),
  gender: z.enum(CONTACT_GENDERS).nullable().optional(),
  department: optionalText(40),
  title: optionalText(40),
  /** Checked by the service (mainland mobile format), so the form shows the field's message. */
  mobile: optionalText(20),
  phone: optionalText(30),
  email: z.union([z.email().max(120), z.literal(''), z.null()]).optional().transform((v) => (v ? v : null)),
  wechat: optionalText(60),
  birthday: z.iso.date().nullable().optional(),
  preferences: optionalText(1000),
  notes: optionalText(2000),
  influence: z.enum(CONTACT_INFLUENCES).default('other'),
});

export const contactListRow = z.object({
  id: z.number().int(),
  customerId: z.number().int(),
  customerCode: z.string(),
  customerName: z.string(),
  name: z.string(),
  gender: z.enum(CONTACT_GENDERS).nullable(),
  department: z.string().nullable(),
  title: z.string().nullable(),
  mobile: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  wechat: z.string().nullable(),
  birthday: z.string().nullable(),
  influence: z.enum(CONTACT_INFLUENCES),
  status: z.enum(CONTACT_STATUSES),
  updatedAt: z.date(),
});

export const contactDetail = contactListRow.extend({
  preferences: z.string().nullable(),
  notes: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.date(),
  history: z.array(
    z.object({
      customerId: z.number().int(),
      customerCode: z.string(),
      customerName: z.string(),
      fromAt: z.date(),
      toAt: z.date().nullable(),
      movedByName: z.string().nullable(),
    }),
  ),
});

export const contactFilterQuery = z.object({
  q: z.string().trim().max(60).optional(),
  customerId: z.coerce.number().int().positive().optional(),
  department: z.string().trim().max(40).optional(),
  influence: z.enum(CONTACT_INFLUENCES).optional(),
  status: z.enum(CONTACT_STATUSES).optional(),
});

export const contactListQuery = pageQuery.extend(contactFilterQuery.shape);
export const contactPage = pageOf(contactListRow);
