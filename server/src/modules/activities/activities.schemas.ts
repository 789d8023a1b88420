import { z } from 'zod';
import { pageOf, pageQuery } from '../../kernel/http/paging.js';
import { ACTION_ITEM_STATUSES, ACTIVITY_STATUSES, ACTIVITY_TYPES } from './activities.tables.js';

/** zod schemas of the activities API (the web drawer sends the same shape). */
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullable()
    .optional()
    .transform((v) => (v ? v : null));

const ids = z.array(z.number().int().positive()).max(50).default([]);

export const actionItemInput = z.object({
  text: z.string().trim().min(1).max(500),
  ownerId: z.number().int().positive(),
  dueOn: z.iso.date().nullable().optional(),
});

export const activityFieldsBody = z.object({
  type: z.enum(ACTIVITY_TYPES),
  status: z.enum(['planned', 'done']),
  customerId: z.number().int().positive().nullable().optional(),
  leadId: z.number().int().positive().nullable().optional(),
  hospitalDepartment: optionalText(60),
  contactIds: ids,
  productIds: ids,
  /** Blank: the service names it after the type and the customer ("拜访 北京协和医院"). */
  subject: optionalText(200),
  startsAt: z.coerce.date(),
  endsAt: z.coerce.date().nullable().optional(),
  description: optionalText(5000),
  materials: optionalText(2000),
  outcome: optionalText(5000),
  nextStep: optionalText(1000),
  nextFollowUpOn: z.iso.date().nullable().optional(),
  location: optionalText(200),
  agenda: optionalText(5000),
  decisions: optionalText(5000),
  attendeeIds: ids,
  /** Only on create: a meeting's action items; later ones through POST /api/activities/:id/action-items. */
  actionItems: z.array(actionItemInput).max(50).default([]),
});
export type ActivityFieldsBody = z.infer<typeof activityFieldsBody>;

export const activityUpdateBody = activityFieldsBody.omit({ actionItems: true }).extend({ version: z.number().int() });

export const activityCompleteBody = z.object({
  version: z.number().int(),
  startsAt: z.coerce.date().optional(),
  endsAt: z.coerce.date().nullable().optional(),
  outcome: optionalText(5000),
  nextStep: optionalText(1000),
  nextFollowUpOn: z.iso.date().nullable().optional(),
  materials: optionalText(2000),
  description: optionalText(5000),
});

export const activityListRow = z.object({
  id: z.number().int(),
  type: z.enum(ACTIVITY_TYPES),
  status: z.enum(ACTIVITY_STATUSES),
  subject: z.string(),
  startsAt: z.date(),
  endsAt: z.date().nullable(),
  customerId: z.number().int().nullable(),
  customerName: z.string().nullable(),
  leadId: z.number().int().nullable(),
  leadCode: z.string().nullable(),
  leadOrganisation: z.string().nullable(),
  hospitalDepartment: z.string().nullable(),
  ownerId: z.number().int(),
  ownerName: z.string(),
  contactNames: z.array(z.string()),
  productNames: z.array(z.string()),
  outcome: z.string().nullable(),
  nextStep: z.string().nullable(),
  nextFollowUpOn: z.string().nullable(),
  followUpDoneAt: z.date().nullable(),
  checkedInAt: z.date().nullable(),
  location: z.string().nullable(),
  commentCount: z.number().int(),
  createdAt: z.date(),
});

export const activityComment = z.object({
  id: z.number().int(),
  authorId: z.number().int(),
  authorName: z.string(),
  body: z.string(),
  createdAt: z.date(),
});

export const actionItemRow = z.object({
  id: z.number().int(),
  activityId: z.number().int(),
  activitySubject: z.string(),
  meetingOwnerId: z.number().int(),
  text: z.string(),
  ownerId: z.number().int(),
  ownerName: z.string(),
  dueOn: z.string().nullable(),
  status: z.enum(ACTION_ITEM_STATUSES),
  doneAt: z.date().nullable(),
  doneNote: z.string().nullable(),
  overdue: z.boolean(),
  createdAt: z.date(),
});

export const activityDetail = activityListRow.extend({
  description: z.string().nullable(),
  materials: z.string().nullable(),
  agenda: z.string().nullable(),
  decisions: z.string().nullable(),
  checkInPlace: z.string().nullable(),
  ownerDepartmentId: z.number().int().nullable(),
  contacts: z.array(z.object({ id: z.number().int(), name: z.string(), title: z.string().nullable(), department: z.string().nullable() })),
  products: z.array(z.object({ id: z.number().int(), name: z.string() })),
  attendees: z.array(z.object({ id: z.number().int(), name: z.string() })),
  actionItems: z.array(actionItemRow),
  comments: z.array(activityComment),
  version: z.number().int(),
  updatedAt: z.date(),
});

export const activityFilterQuery = z.object({
  q: z.string().trim().max(60).optional(),
  customerId: z.coerce.number().int().positive().optional(),
  leadId: z.coerce.number().int().positive().optional(),
  ownerId: z.coerce.number().int().positive().optional(),
  departmentId: z.coerce.number().int().positive().optional(),
  type: z.enum(ACTIVITY_TYPES).optional(),
  status: z.enum(ACTIVITY_STATUSES).optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  followUp: z.enum(['due', 'overdue', 'open']).optional(),
});
export type ActivityFilter = z.infer<typeof activityFilterQuery>;

export const activityListQuery = pageQuery.extend(activityFilterQuery.shape);
export const activityPage = pageOf(activityListRow);

export const actionItemPatchBody = z.object({
  status: z.enum(ACTION_ITEM_STATUSES).optional(),
  doneNote: optionalText(2000),
  text: z.string().trim().min(1).max(500).optional(),
  dueOn: z.iso.date().nullable().optional(),
  ownerId: z.number().int().positive().optional(),
});

export const followUpItem = z.object({
  kind: z.enum(['activity', 'lead']),
  activityId: z.number().int().nullable(),
  leadId: z.number().int().nullable(),
  customerId: z.number().int().nullable(),
  name: z.string(),
  subject: z.string().nullable(),
  nextStep: z.string().nullable(),
  dueOn: z.string(),
  link: z.string(),
});

export const followUpsReply = z.object({
  ownerId: z.number().int(),
  today: z.string(),
  overdue: z.array(followUpItem),
  dueToday: z.array(followUpItem),
  upcoming: z.array(followUpItem),
  neglected: z.array(
    z.object({
      customerId: z.number().int(),
      customerName: z.string(),
      grade: z.string().nullable(),
      lastContactAt: z.date().nullable(),
      days: z.number().int(),
      limitDays: z.number().int(),
    }),
  ),
  birthdays: z.array(
    z.object({
      contactId: z.number().int(),
      contactName: z.string(),
      customerId: z.number().int(),
      customerName: z.string(),
      birthday: z.string(),
      celebratedOn: z.string(),
    }),
  ),
  actionItems: z.array(actionItemRow),
});
