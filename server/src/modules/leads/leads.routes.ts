import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { type ExportColumn, buildXlsx, sendXlsx } from '../../kernel/excel/export.js';
import { requestLocale } from '../../kernel/http/errors-handler.js';
import { actorOf } from '../../kernel/http/security.js';
import { DomainError } from '../../kernel/errors.js';
import type { Locale } from '../../kernel/i18n.js';
import { CUSTOMER_GRADES, CUSTOMER_SOURCES, CUSTOMER_TYPES, LIFECYCLE_STAGES } from '../customers/customers.tables.js';
import { CUSTOMER_TYPE_NAMES, GRADE_NAMES, LIFECYCLE_NAMES } from '../customers/customers.names.js';
import { INQUIRY_LIMIT_PER_HOUR, InquiryRateLimiter, receiveInquiry } from './inquiries.js';
import { lifecycleReport } from './lifecycle-report.js';
import { convertLead } from './leads.conversion.js';
import { LEAD_STATUS_NAMES, SOURCE_NAMES } from './leads.names.js';
import { LEAD_STAGES, inquiryBody, leadCreateBody, leadDetail, leadEvent, leadFilterQuery, leadListQuery, leadPage, leadUpdateBody } from './leads.schemas.js';
import {
  type LeadListRow,
  assignLeads,
  claimLead,
  closeLead,
  createLead,
  getLead,
  gradeLead,
  listAllLeads,
  listLeads,
  releaseLead,
  sourceLeadOfCustomer,
  reopenLead,
  stageLead,
  updateLead,
} from './leads.service.js';

const idParams = z.object({ id: z.coerce.number().int().positive() });
const version = z.number().int();

const exportColumns = (locale: Locale): ExportColumn<LeadListRow>[] => [
  { header: { 'zh-CN': '线索编号', 'en-US': 'Code' }, value: (l) => l.code, width: 12 },
  { header: { 'zh-CN': '单位名称', 'en-US': 'Organisation' }, value: (l) => l.organisation, width: 36 },
  { header: { 'zh-CN': '联系人', 'en-US': 'Contact' }, value: (l) => l.contactName },
  { header: { 'zh-CN': '电话', 'en-US': 'Phone' }, value: (l) => l.phone, width: 16 },
  { header: { 'zh-CN': '地区', 'en-US': 'Region' }, value: (l) => l.territoryName, width: 24 },
  { header: { 'zh-CN': '来源', 'en-US': 'Source' }, value: (l) => SOURCE_NAMES[l.source][locale] },
  { header: { 'zh-CN': '客户类型', 'en-US': 'Type' }, value: (l) => (l.customerType ? CUSTOMER_TYPE_NAMES[l.customerType][locale] : null) },
  { header: { 'zh-CN': '分级', 'en-US': 'Grade' }, value: (l) => GRADE_NAMES[l.grade][locale] },
  { header: { 'zh-CN': '分级日期', 'en-US': 'Graded' }, value: (l) => l.gradeChangedAt, width: 20 },
  { header: { 'zh-CN': '生命周期', 'en-US': 'Stage' }, value: (l) => LIFECYCLE_NAMES[l.lifecycleStage][locale] },
  { header: { 'zh-CN': '下次跟进', 'en-US': 'Next follow-up' }, value: (l) => l.nextFollowUpOn, width: 12 },
  { header: { 'zh-CN': '负责人', 'en-US': 'Owner' }, value: (l) => l.ownerName ?? (locale === 'zh-CN' ? '线索池' : 'Pool') },
  { header: { 'zh-CN': '状态', 'en-US': 'Status' }, value: (l) => LEAD_STATUS_NAMES[l.status][locale] },
  { header: { 'zh-CN': '创建时间', 'en-US': 'Created' }, value: (l) => l.createdAt, width: 20 },
];

const lifecycleRow = z.object({
  stage: z.enum(LIFECYCLE_STAGES),
  customers: z.number().int(),
  medianDays: z.number().nullable(),
  averageDays: z.number().nullable(),
  stalled: z.number().int(),
});

/** HTTP for 潜在客户 (leads): capture, pool, assignment, conversion; website inquiries; the lifecycle report. */
export async function leadsRoutes(app: FastifyInstance, { db, config }: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const inquiryLimiter = new InquiryRateLimiter();

  r.get('/api/leads', {
    config: { access: 'leads.read' },
    schema: {
      tags: ['leads'],
      summary: 'Leads in the caller’s scope (own, team, region; pool leads of their territory); q matches organisation, contact, phone, code, pinyin',
      querystring: leadListQuery,
      response: { 200: leadPage },
    },
    handler: async (req) => {
      const { page, pageSize, sort, ...filter } = req.query;
      return listLeads(db, actorOf(req), filter, { page, pageSize, sort });
    },
  });
  r.get('/api/leads/export.xlsx', {
    config: { access: 'leads.read' },
    schema: { tags: ['leads'], summary: 'The same list as an Excel file (all pages)', querystring: leadFilterQuery.extend({ sort: z.string().max(40).optional() }) },
    handler: async (req, reply) => {
      const { sort, ...filter } = req.query;
      const locale = requestLocale(req);
      const rows = await listAllLeads(db, actorOf(req), filter, sort);
      const body = await buildXlsx(locale === 'zh-CN' ? '潜在客户' : 'Leads', exportColumns(locale), rows, locale);
      return sendXlsx(reply, `${locale === 'zh-CN' ? '潜在客户' : 'leads'}-${new Date().toISOString().slice(0, 10)}.xlsx`, body);
    },
  });
  r.post('/api/leads', {
    config: { access: 'leads.write' },
    schema: {
      tags: ['leads'],
      summary: 'Capture a lead; without an owner (assigners only) the assignment rules pick a rep or leave it in the pool',
      body: leadCreateBody,
      response: { 201: leadDetail },
    },
    handler: async (req, reply) => reply.code(201).send(await createLead(db, actorOf(req), req.body)),
  });
  r.post('/api/leads/assign', {
    config: { access: 'leads.assign' },
    schema: {
      tags: ['leads'],
      summary: 'Give leads to a rep within the caller’s reach',
      body: z.object({ leadIds: z.array(z.number().int().positive()).min(1).max(500), ownerId: z.number().int().positive() }),
      response: { 200: z.object({ assigned: z.number().int() }) },
    },
    handler: async (req) => assignLeads(db, actorOf(req), req.body.leadIds, req.body.ownerId),
  });
  r.get('/api/leads/:id', {
    config: { access: 'leads.read' },
    schema: { tags: ['leads'], summary: 'One lead with its products and history (404 outside the caller’s scope)', params: idParams, response: { 200: leadDetail } },
    handler: async (req) => getLead(db, actorOf(req), req.params.id),
  });
  r.patch('/api/leads/:id', {
    config: { access: 'leads.write' },
    schema: { tags: ['leads'], summary: 'Edit a lead (owner or assigner; send the version you read)', params: idParams, body: leadUpdateBody, response: { 200: leadDetail } },
    handler: async (req) => updateLead(db, actorOf(req), req.params.id, req.body),
  });
  r.post('/api/leads/:id/grade', {
    config: { access: 'leads.write' },
    schema: { tags: ['leads'], summary: 'Change the grade (C/B/A/H/O); the change is kept with its date', params: idParams, body: z.object({ grade: z.enum(CUSTOMER_GRADES), version }), response: { 200: leadDetail } },
    handler: async (req) => gradeLead(db, actorOf(req), req.params.id, req.body.grade, req.body.version),
  });
  r.post('/api/leads/:id/stage', {
    config: { access: 'leads.write' },
    schema: { tags: ['leads'], summary: 'Move the lead between identified / lead / intent', params: idParams, body: z.object({ stage: z.enum(LEAD_STAGES), version }), response: { 200: leadDetail } },
    handler: async (req) => stageLead(db, actorOf(req), req.params.id, req.body.stage, req.body.version),
  });
  r.post('/api/leads/:id/close', {
    config: { access: 'leads.write' },
    schema: { tags: ['leads'], summary: 'Close a lead that is not a prospect, with the reason', params: idParams, body: z.object({ reason: z.string().trim().min(1).max(500), version }), response: { 200: leadDetail } },
    handler: async (req) => closeLead(db, actorOf(req), req.params.id, req.body.reason, req.body.version),
  });
  r.post('/api/leads/:id/reopen', {
    config: { access: 'leads.write' },
    schema: { tags: ['leads'], summary: 'Reopen a closed lead', params: idParams, body: z.object({ version }), response: { 200: leadDetail } },
    handler: async (req) => reopenLead(db, actorOf(req), req.params.id, req.body.version),
  });
  r.post('/api/leads/:id/claim', {
    config: { access: 'leads.write' },
    schema: { tags: ['leads'], summary: 'Take a pool lead of one’s territory', params: idParams, response: { 200: leadDetail } },
    handler: async (req) => claimLead(db, actorOf(req), req.params.id),
  });
  r.post('/api/leads/:id/release', {
    config: { access: 'leads.write' },
    schema: {
      tags: ['leads'],
      summary: 'Put a lead back in the pool (its owner, or an assigner who reaches the owner)',
      params: idParams,
      body: z.object({ reason: z.string().trim().max(500).nullable().optional() }).optional(),
      response: { 200: leadDetail },
    },
    handler: async (req) => releaseLead(db, actorOf(req), req.params.id, req.body?.reason ?? null),
  });
  r.post('/api/leads/:id/convert', {
    config: { access: 'leads.write' },
    schema: {
      tags: ['leads'],
      summary: 'Turn the lead into a draft account opening prefilled from it (needs customer_applications.create)',
      params: idParams,
      response: { 201: z.object({ applicationId: z.number().int() }) },
    },
    handler: async (req, reply) => reply.code(201).send(await convertLead(db, actorOf(req), req.params.id, config.timeZone)),
  });

  r.get('/api/customers/:id/source-lead', {
    config: { access: 'customers.read' },
    schema: {
      tags: ['leads'],
      summary: 'The lead the customer was converted from, with its history (null when none); 404 when the customer is out of scope',
      params: idParams,
      response: {
        200: z.object({
          lead: z
            .object({ id: z.number().int(), code: z.string(), source: z.enum(CUSTOMER_SOURCES), createdAt: z.date(), organisation: z.string(), grade: z.enum(CUSTOMER_GRADES), events: z.array(leadEvent) })
            .nullable(),
        }),
      },
    },
    handler: async (req) => ({ lead: await sourceLeadOfCustomer(db, actorOf(req), req.params.id) }),
  });

  r.post('/api/public/inquiries', {
    config: { access: 'public' },
    schema: {
      tags: ['leads'],
      summary: `The company website’s contact form: becomes a lead (source website); at most ${INQUIRY_LIMIT_PER_HOUR} per IP per hour`,
      body: inquiryBody,
      response: { 202: z.object({ received: z.boolean() }) },
    },
    handler: async (req, reply) => {
      if (!inquiryLimiter.allow(req.ip)) throw new DomainError('INQUIRY_RATE_LIMITED', { limit: INQUIRY_LIMIT_PER_HOUR }, 429);
      await receiveInquiry(db, req.body, req.ip);
      return reply.code(202).send({ received: true });
    },
  });

  r.get('/api/crm/lifecycle', {
    config: { access: 'crm_reports.read' },
    schema: {
      tags: ['crm'],
      summary: 'Customers per lifecycle stage with median / average days in the stage so far and how many stalled (> 90 days)',
      querystring: z.object({
        ownerId: z.coerce.number().int().positive().optional(),
        territoryId: z.string().regex(/^\d{6}$/).optional(),
        type: z.enum(CUSTOMER_TYPES).optional(),
      }),
      response: { 200: z.object({ stalledAfterDays: z.number().int(), stages: z.array(lifecycleRow) }) },
    },
    handler: async (req) => ({ stalledAfterDays: 90, stages: await lifecycleReport(db, actorOf(req), req.query) }),
  });
}
