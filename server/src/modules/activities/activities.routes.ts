import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { type ExportColumn, buildXlsx, sendXlsx } from '../../kernel/excel/export.js';
import { requestLocale } from '../../kernel/http/errors-handler.js';
import { queryBoolean } from '../../kernel/http/paging.js';
import { actorOf } from '../../kernel/http/security.js';
import type { Locale } from '../../kernel/i18n.js';
import { getCrmSettings } from '../crm/crm.settings.js';
import { ACTIVITY_STATUS_NAMES, ACTIVITY_TYPE_NAMES } from './activities.names.js';
import {
  actionItemInput,
  actionItemPatchBody,
  actionItemRow,
  activityComment,
  activityCompleteBody,
  activityDetail,
  activityFieldsBody,
  activityFilterQuery,
  activityListQuery,
  activityPage,
  activityUpdateBody,
  followUpsReply,
} from './activities.schemas.js';
import {
  type ActivityListRow,
  addActionItem,
  addActivityComment,
  cancelActivity,
  checkInActivity,
  completeActivity,
  createActivity,
  followUpsOf,
  getActivity,
  listActionItems,
  listActivities,
  listActivityComments,
  listAllActivities,
  markFollowUpDone,
  updateActionItem,
  updateActivity,
} from './activities.service.js';
import { ACTION_ITEM_STATUSES } from './activities.tables.js';
import { setActivityTimeZone } from './activities.time.js';

const idParams = z.object({ id: z.coerce.number().int().positive() });
const version = z.object({ version: z.number().int() });

const exportColumns = (locale: Locale, timeZone: string): ExportColumn<ActivityListRow>[] => [
  { header: { 'zh-CN': '时间', 'en-US': 'When' }, value: (a) => a.startsAt.toLocaleString('sv-SE', { timeZone }).slice(0, 16), width: 18 },
  { header: { 'zh-CN': '方式', 'en-US': 'Type' }, value: (a) => ACTIVITY_TYPE_NAMES[a.type][locale], width: 10 },
  { header: { 'zh-CN': '状态', 'en-US': 'Status' }, value: (a) => ACTIVITY_STATUS_NAMES[a.status][locale], width: 10 },
  { header: { 'zh-CN': '客户/线索', 'en-US': 'Customer / lead' }, value: (a) => a.customerName ?? a.leadOrganisation, width: 30 },
  { header: { 'zh-CN': '科室', 'en-US': 'Department' }, value: (a) => a.hospitalDepartment },
  { header: { 'zh-CN': '联系人', 'en-US': 'Contacts' }, value: (a) => a.contactNames.join('、'), width: 20 },
  { header: { 'zh-CN': '主题', 'en-US': 'Subject' }, value: (a) => a.subject, width: 30 },
  { header: { 'zh-CN': '产品', 'en-US': 'Products' }, value: (a) => a.productNames.join('、'), width: 24 },
  { header: { 'zh-CN': '结果', 'en-US': 'Outcome' }, value: (a) => a.outcome, width: 30 },
  { header: { 'zh-CN': '下一步', 'en-US': 'Next step' }, value: (a) => a.nextStep, width: 24 },
  { header: { 'zh-CN': '下次跟进', 'en-US': 'Next follow-up' }, value: (a) => a.nextFollowUpOn, width: 12 },
  { header: { 'zh-CN': '签到时间', 'en-US': 'Checked in' }, value: (a) => (a.checkedInAt ? a.checkedInAt.toLocaleString('sv-SE', { timeZone }).slice(0, 16) : null), width: 18 },
  { header: { 'zh-CN': '业务员', 'en-US': 'Owner' }, value: (a) => a.ownerName, width: 12 },
  { header: { 'zh-CN': '批注数', 'en-US': 'Comments' }, value: (a) => a.commentCount, width: 8 },
];

/** HTTP for 拜访/联系记录 (activities), comments, meetings, follow-ups. */
export async function activitiesRoutes(app: FastifyInstance, { db, config }: AppContext) {
  setActivityTimeZone(config.timeZone);
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/activities', {
    config: { access: 'activities.read' },
    schema: {
      tags: ['activities'],
      summary: 'Activities in the caller’s scope (newest first); with customerId it is the customer’s timeline',
      querystring: activityListQuery,
      response: { 200: activityPage },
    },
    handler: async (req) => {
      const { page, pageSize, sort, ...filter } = req.query;
      return listActivities(db, actorOf(req), filter, { page, pageSize, sort });
    },
  });
  r.get('/api/activities/export.xlsx', {
    config: { access: 'activities.read' },
    schema: { tags: ['activities'], summary: 'The same list as an Excel file (all pages)', querystring: activityFilterQuery.extend({ sort: z.string().max(40).optional() }) },
    handler: async (req, reply) => {
      const { sort, ...filter } = req.query;
      const locale = requestLocale(req);
      const rows = await listAllActivities(db, actorOf(req), filter, sort);
      const body = await buildXlsx(locale === 'zh-CN' ? '拜访记录' : 'Activities', exportColumns(locale, config.timeZone), rows, locale);
      return sendXlsx(reply, `${locale === 'zh-CN' ? '拜访记录' : 'activities'}-${new Date().toISOString().slice(0, 10)}.xlsx`, body);
    },
  });
  r.get('/api/activities/:id', {
    config: { access: 'activities.read' },
    schema: { tags: ['activities'], summary: 'One activity with contacts, products, attendees, action items and comments', params: idParams, response: { 200: activityDetail } },
    handler: async (req) => getActivity(db, actorOf(req), req.params.id),
  });
  r.post('/api/activities', {
    config: { access: 'activities.write' },
    schema: {
      tags: ['activities'],
      summary: 'Log or plan an activity with a customer or lead in scope (the caller owns it); a follow-up date schedules a reminder',
      body: activityFieldsBody,
      response: { 201: activityDetail },
    },
    handler: async (req, reply) => reply.code(201).send(await createActivity(db, actorOf(req), req.body)),
  });
  r.patch('/api/activities/:id', {
    config: { access: 'activities.write' },
    schema: { tags: ['activities'], summary: 'Edit an activity (its owner; send the version you read)', params: idParams, body: activityUpdateBody, response: { 200: activityDetail } },
    handler: async (req) => updateActivity(db, actorOf(req), req.params.id, req.body),
  });
  r.post('/api/activities/:id/complete', {
    config: { access: 'activities.write' },
    schema: { tags: ['activities'], summary: 'A planned activity happened: record the outcome and next step', params: idParams, body: activityCompleteBody, response: { 200: activityDetail } },
    handler: async (req) => completeActivity(db, actorOf(req), req.params.id, req.body),
  });
  r.post('/api/activities/:id/check-in', {
    config: { access: 'activities.write' },
    schema: {
      tags: ['activities'],
      summary: '签到: the owner is at the visit now; the visit becomes done with the check-in time',
      params: idParams,
      body: z.object({ place: z.string().trim().max(200).nullable().optional() }).default({}),
      response: { 200: activityDetail },
    },
    handler: async (req) => checkInActivity(db, actorOf(req), req.params.id, req.body ?? {}),
  });
  r.post('/api/activities/:id/cancel', {
    config: { access: 'activities.write' },
    schema: { tags: ['activities'], summary: 'Cancel a planned activity (its follow-up reminder is withdrawn)', params: idParams, body: version, response: { 200: activityDetail } },
    handler: async (req) => cancelActivity(db, actorOf(req), req.params.id, req.body),
  });
  r.post('/api/activities/:id/follow-up-done', {
    config: { access: 'activities.write' },
    schema: { tags: ['activities'], summary: 'Mark the activity’s follow-up done by hand (the reminder is withdrawn)', params: idParams, response: { 200: activityDetail } },
    handler: async (req) => markFollowUpDone(db, actorOf(req), req.params.id),
  });
  r.get('/api/activities/:id/comments', {
    config: { access: 'activities.read' },
    schema: { tags: ['activities'], summary: '上级批注 on an activity, oldest first, with author names', params: idParams, response: { 200: z.array(activityComment) } },
    handler: async (req) => listActivityComments(db, actorOf(req), req.params.id),
  });
  r.post('/api/activities/:id/comments', {
    config: { access: 'activities.comment' },
    schema: {
      tags: ['activities'],
      summary: '上级批注: comment on an activity in scope; its owner is notified',
      params: idParams,
      body: z.object({ body: z.string().trim().min(1).max(2000) }),
      response: { 201: activityComment },
    },
    handler: async (req, reply) => reply.code(201).send(await addActivityComment(db, actorOf(req), req.params.id, req.body)),
  });
  r.post('/api/activities/:id/action-items', {
    config: { access: 'activities.write' },
    schema: { tags: ['activities'], summary: 'Add an action item to a meeting (its owner); the item’s owner is notified', params: idParams, body: actionItemInput, response: { 201: actionItemRow } },
    handler: async (req, reply) => reply.code(201).send(await addActionItem(db, actorOf(req), req.params.id, req.body)),
  });
  r.patch('/api/action-items/:id', {
    config: { access: 'activities.write' },
    schema: { tags: ['activities'], summary: 'Track a meeting action item (done, cancelled, reopened, reassigned): its owner or the meeting’s owner', params: idParams, body: actionItemPatchBody, response: { 200: actionItemRow } },
    handler: async (req) => updateActionItem(db, actorOf(req), req.params.id, req.body),
  });
  r.get('/api/action-items', {
    config: { access: 'activities.read' },
    schema: {
      tags: ['activities'],
      summary: 'Meeting action items: mine (mine=1), or of meetings I see; status and overdue filters',
      querystring: z.object({
        mine: queryBoolean.optional(),
        status: z.enum(ACTION_ITEM_STATUSES).optional(),
        overdue: queryBoolean.optional(),
        activityId: z.coerce.number().int().positive().optional(),
      }),
      response: { 200: z.object({ items: z.array(actionItemRow) }) },
    },
    handler: async (req) => ({ items: await listActionItems(db, actorOf(req), req.query) }),
  });
  r.get('/api/follow-ups', {
    config: { access: 'activities.read' },
    schema: {
      tags: ['activities'],
      summary: 'My follow-ups (overdue, today, next 7 days), neglected customers, this week’s birthdays and open action items; managers pass ownerId',
      querystring: z.object({ ownerId: z.coerce.number().int().positive().optional() }),
      response: { 200: followUpsReply },
    },
    handler: async (req) => {
      const settings = await getCrmSettings(db);
      return followUpsOf(db, actorOf(req), { ownerId: req.query.ownerId, dormantDays: settings.dormantDays });
    },
  });
}
