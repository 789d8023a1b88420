import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { DomainError } from '../../kernel/errors.js';
import { type ExportColumn, buildXlsx, sendXlsx } from '../../kernel/excel/export.js';
import { MAX_ATTACHMENT_BYTES } from '../../kernel/files/attachments.js';
import { requestLocale } from '../../kernel/http/errors-handler.js';
import { pageOf, pageQuery } from '../../kernel/http/paging.js';
import { actorOf } from '../../kernel/http/security.js';
import type { Locale } from '../../kernel/i18n.js';
import { APPLICATION_STATUSES } from './applications.tables.js';
import {
  type ApplicationRow,
  attachDocumentFile,
  cancelApplication,
  createApplication,
  getApplication,
  listApplications,
  submitApplication,
  updateApplication,
} from './applications.service.js';
import { CUSTOMER_TYPE_NAMES } from './customers.names.js';
import { customerFieldsBody } from './customers.schemas.js';
import { CUSTOMER_TYPES } from './customers.tables.js';
import { qualificationFields, qualificationKind } from './qualifications.routes.js';

const row = z.object({
  id: z.number().int(),
  number: z.string(),
  status: z.enum(APPLICATION_STATUSES),
  submittedBy: z.number().int(),
  submitterName: z.string(),
  ownerDepartmentId: z.number().int().nullable(),
  proposedOwnerId: z.number().int().nullable(),
  proposedOwnerName: z.string().nullable(),
  name: z.string(),
  creditCode: z.string().nullable(),
  type: z.enum(CUSTOMER_TYPES),
  territoryId: z.string(),
  /** The proposed customer's fields as sent (customerFieldsBody; money in fen). */
  customer: z.record(z.string(), z.unknown()),
  reason: z.string(),
  rejectionReason: z.string().nullable(),
  createdCustomerId: z.number().int().nullable(),
  createdCustomerCode: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
const documentRow = z.object({
  id: z.number().int(),
  kind: qualificationKind,
  number: z.string(),
  issuedOn: z.string().nullable(),
  expiresOn: z.string().nullable(),
  notes: z.string().nullable(),
  attachmentIds: z.array(z.number().int()),
  qualificationId: z.number().int().nullable(),
});
const detail = row.extend({ documents: z.array(documentRow) });

const body = customerFieldsBody.extend({
  proposedOwnerId: z.number().int().positive().nullable().optional(),
  reason: z.string().trim().min(2).max(1000),
  documents: z.array(qualificationFields.extend({ id: z.number().int().positive().nullable().optional(), kind: qualificationKind })).max(20).default([]),
});
const idParams = z.object({ id: z.coerce.number().int().positive() });
const versionBody = z.object({ version: z.number().int() });
const filter = z.object({
  status: z.enum(APPLICATION_STATUSES).optional(),
  q: z.string().trim().max(60).optional(),
  mine: z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1').optional(),
});

const STATUS_NAMES: Record<(typeof APPLICATION_STATUSES)[number], Record<Locale, string>> = {
  draft: { 'zh-CN': '草稿', 'en-US': 'Draft' },
  pending: { 'zh-CN': '审批中', 'en-US': 'Pending approval' },
  approved: { 'zh-CN': '已开户', 'en-US': 'Opened' },
  cancelled: { 'zh-CN': '已撤销', 'en-US': 'Cancelled' },
};
const exportColumns = (locale: Locale): ExportColumn<ApplicationRow>[] => [
  { header: { 'zh-CN': '申请单号', 'en-US': 'Number' }, value: (a) => a.number, width: 20 },
  { header: { 'zh-CN': '客户名称', 'en-US': 'Customer' }, value: (a) => a.name, width: 36 },
  { header: { 'zh-CN': '类型', 'en-US': 'Type' }, value: (a) => CUSTOMER_TYPE_NAMES[a.type as keyof typeof CUSTOMER_TYPE_NAMES][locale] },
  { header: { 'zh-CN': '统一社会信用代码', 'en-US': 'Credit code' }, value: (a) => a.creditCode, width: 22 },
  { header: { 'zh-CN': '申请人', 'en-US': 'Submitted by' }, value: (a) => a.submitterName },
  { header: { 'zh-CN': '拟负责业务员', 'en-US': 'Proposed owner' }, value: (a) => a.proposedOwnerName },
  { header: { 'zh-CN': '状态', 'en-US': 'Status' }, value: (a) => STATUS_NAMES[a.status][locale] },
  { header: { 'zh-CN': '客户编码', 'en-US': 'Customer code' }, value: (a) => a.createdCustomerCode },
  { header: { 'zh-CN': '创建时间', 'en-US': 'Created' }, value: (a) => a.createdAt, width: 20 },
];

export async function customerApplicationsRoutes(app: FastifyInstance, { db, config }: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/customer-applications', {
    config: { access: 'customer_applications.read' },
    schema: {
      tags: ['customer applications'],
      summary: 'Account openings I may see (mine, my team’s / department’s by data scope, or as an approver)',
      querystring: pageQuery.extend(filter.shape),
      response: { 200: pageOf(row) },
    },
    handler: async (req) => {
      const { page, pageSize, sort, ...f } = req.query;
      return listApplications(db, actorOf(req), f, { page, pageSize, sort });
    },
  });
  r.get('/api/customer-applications/export', {
    config: { access: 'customer_applications.read' },
    schema: { tags: ['customer applications'], summary: 'The same list as an Excel file (all pages, at most 10 000 rows)', querystring: filter.extend({ sort: z.string().max(40).optional() }) },
    handler: async (req, reply) => {
      const { sort, ...f } = req.query;
      const locale = requestLocale(req);
      const { items } = await listApplications(db, actorOf(req), f, { page: 1, pageSize: 10_000, sort });
      const file = await buildXlsx(locale === 'zh-CN' ? '开户申请' : 'Account openings', exportColumns(locale), items, locale);
      return sendXlsx(reply, `${locale === 'zh-CN' ? '开户申请' : 'account-openings'}-${new Date().toISOString().slice(0, 10)}.xlsx`, file);
    },
  });
  r.get('/api/customer-applications/:id', {
    // Approvers chosen by role may lack customer_applications.read; the row scope admits them.
    config: { access: 'authenticated' },
    schema: { tags: ['customer applications'], summary: 'One account opening with its documents (404 when not visible)', params: idParams, response: { 200: detail } },
    handler: async (req) => getApplication(db, actorOf(req), req.params.id),
  });
  r.post('/api/customer-applications', {
    config: { access: 'customer_applications.create' },
    schema: { tags: ['customer applications'], summary: 'Draft an account opening', body, response: { 200: detail } },
    handler: async (req) => createApplication(db, actorOf(req), req.body, config.timeZone),
  });
  r.patch('/api/customer-applications/:id', {
    config: { access: 'customer_applications.create' },
    schema: { tags: ['customer applications'], summary: 'Change my draft (send the version you read)', params: idParams, body: body.extend(versionBody.shape), response: { 200: detail } },
    handler: async (req) => updateApplication(db, actorOf(req), req.params.id, req.body),
  });
  r.post('/api/customer-applications/:id/submit', {
    config: { access: 'customer_applications.create' },
    schema: {
      tags: ['customer applications'],
      summary: 'Submit my draft for approval (refused for an exact duplicate of a customer or of a pending application)',
      params: idParams,
      body: versionBody,
      response: { 200: z.object({ application: detail, approved: z.boolean(), result: z.record(z.string(), z.unknown()).nullable() }) },
    },
    handler: async (req) => {
      const out = await submitApplication(db, actorOf(req), req.params.id, req.body.version);
      return { application: out.application, approved: out.approved, result: out.result ?? null };
    },
  });
  r.post('/api/customer-applications/:id/cancel', {
    config: { access: 'customer_applications.create' },
    schema: { tags: ['customer applications'], summary: 'Withdraw my application (draft or pending)', params: idParams, body: versionBody.extend({ reason: z.string().trim().max(500).nullable().optional() }), response: { 200: detail } },
    handler: async (req) => cancelApplication(db, actorOf(req), req.params.id, req.body.version, req.body.reason ?? null),
  });
  r.post('/api/customer-applications/:id/documents/:documentId/files', {
    config: { access: 'customer_applications.create' },
    schema: {
      tags: ['customer applications'],
      summary: 'Attach a scan to one of my draft’s documents (multipart field "file")',
      consumes: ['multipart/form-data'],
      params: idParams.extend({ documentId: z.coerce.number().int().positive() }),
      response: { 200: z.object({ id: z.number().int(), filename: z.string(), contentType: z.string(), sizeBytes: z.number().int(), uploadedBy: z.number().int(), uploadedByName: z.string(), uploadedAt: z.date() }) },
    },
    handler: async (req) => {
      const file = await req.file({ limits: { fileSize: MAX_ATTACHMENT_BYTES } });
      if (!file) throw new DomainError('ATTACHMENT_FILE_REQUIRED', {}, 422, [{ path: 'file', code: 'ATTACHMENT_FILE_REQUIRED' }]);
      return attachDocumentFile(db, actorOf(req), config.filesDir, req.params.id, req.params.documentId, {
        filename: file.filename,
        stream: file.file,
        truncated: () => file.file.truncated,
      });
    },
  });
}
