import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { type ExportColumn, buildXlsx, sendXlsx } from '../../kernel/excel/export.js';
import { requestLocale } from '../../kernel/http/errors-handler.js';
import type { Locale } from '../../kernel/i18n.js';
import { pageQuery } from '../../kernel/http/paging.js';
import { actorOf } from '../../kernel/http/security.js';
import { findDuplicateCustomers } from './duplicates.js';
import { setCompanyTimeZone } from './customers.scope.js';
import {
  customerDetail,
  customerToApi,
  customerFieldsBody,
  customerFilterQuery,
  customerOption,
  customerPage,
  duplicateCandidate,
} from './customers.schemas.js';
import { type CustomerDetail, type CustomerListRow, customerOptions, getCustomer, listAllCustomers, listCustomers, updateCustomer } from './customers.service.js';
import { CUSTOMER_TYPE_NAMES, GRADE_NAMES, LIFECYCLE_NAMES } from './customers.names.js';
import { QUALIFICATION_STATE_NAMES } from './qualifications.js';

const idParams = z.object({ id: z.coerce.number().int().positive() });

const exportColumns = (locale: Locale): ExportColumn<CustomerListRow>[] => [
  { header: { 'zh-CN': '客户编码', 'en-US': 'Code' }, value: (c) => c.code, width: 12 },
  { header: { 'zh-CN': '客户名称', 'en-US': 'Name' }, value: (c) => c.name, width: 36 },
  { header: { 'zh-CN': '简称', 'en-US': 'Short name' }, value: (c) => c.shortName },
  { header: { 'zh-CN': '类型', 'en-US': 'Type' }, value: (c) => CUSTOMER_TYPE_NAMES[c.type][locale] },
  { header: { 'zh-CN': '统一社会信用代码', 'en-US': 'Credit code' }, value: (c) => c.creditCode, width: 22 },
  { header: { 'zh-CN': '地区', 'en-US': 'Region' }, value: (c) => c.territoryName, width: 24 },
  { header: { 'zh-CN': '分级', 'en-US': 'Grade' }, value: (c) => (c.grade ? GRADE_NAMES[c.grade][locale] : null) },
  { header: { 'zh-CN': '生命周期', 'en-US': 'Lifecycle' }, value: (c) => LIFECYCLE_NAMES[c.lifecycleStage][locale] },
  { header: { 'zh-CN': '负责业务员', 'en-US': 'Owner' }, value: (c) => c.ownerName },
  { header: { 'zh-CN': '所属团队', 'en-US': 'Team' }, value: (c) => c.ownerDepartmentName },
  { header: { 'zh-CN': '状态', 'en-US': 'Status' }, value: (c) => c.status },
  { header: { 'zh-CN': '资质状态', 'en-US': 'Documents' }, value: (c) => QUALIFICATION_STATE_NAMES[c.qualificationState][locale] },
  { header: { 'zh-CN': '更新时间', 'en-US': 'Updated' }, value: (c) => c.updatedAt, width: 20 },
];

export async function customersRoutes(app: FastifyInstance, { db, config }: AppContext) {
  setCompanyTimeZone(config.timeZone);
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/customers', {
    config: { access: 'customers.read' },
    schema: {
      tags: ['customers'],
      summary: 'Customers in the caller’s data scope; q matches name, alias, pinyin, pinyin initials (bjxh), code or credit code',
      querystring: pageQuery.extend(customerFilterQuery.shape),
      response: { 200: customerPage },
    },
    handler: async (req) => {
      const { page, pageSize, sort, ...filter } = req.query;
      return listCustomers(db, actorOf(req), filter, { page, pageSize, sort });
    },
  });
  r.get('/api/customers/export', {
    config: { access: 'customers.export' },
    schema: { tags: ['customers'], summary: 'The same list as an Excel file (all pages)', querystring: customerFilterQuery.extend({ sort: z.string().max(40).optional() }) },
    handler: async (req, reply) => {
      const { sort, ...filter } = req.query;
      const locale = requestLocale(req);
      const rows = await listAllCustomers(db, actorOf(req), filter, sort);
      const body = await buildXlsx(locale === 'zh-CN' ? '客户' : 'Customers', exportColumns(locale), rows, locale);
      return sendXlsx(reply, `${locale === 'zh-CN' ? '客户列表' : 'customers'}-${new Date().toISOString().slice(0, 10)}.xlsx`, body);
    },
  });
  r.get('/api/customers/options', {
    config: { access: 'customers.read' },
    schema: {
      tags: ['customers'],
      summary: 'Customers for a picker: matching q (name / pinyin / initials / code), or the given ids; at most 20',
      querystring: z.object({
        q: z.string().trim().max(60).optional(),
        ids: z
          .string()
          .regex(/^\d+(,\d+)*$/)
          .transform((s) => s.split(',').map(Number))
          .optional(),
        type: customerFilterQuery.shape.type,
      }),
      response: { 200: z.array(customerOption) },
    },
    handler: async (req) => customerOptions(db, actorOf(req), req.query),
  });
  r.get('/api/customers/duplicates', {
    config: { access: 'customers.read' },
    schema: {
      tags: ['customers'],
      summary: 'Existing customers with the same credit code, the same normalised name or a similar name (checked across all customers)',
      querystring: z.object({
        name: z.string().trim().max(100).optional(),
        creditCode: z.string().trim().max(18).optional(),
        excludeId: z.coerce.number().int().positive().optional(),
      }),
      response: { 200: z.array(duplicateCandidate) },
    },
    handler: async (req) => findDuplicateCustomers(db, req.query),
  });
  r.get('/api/customers/:id', {
    config: { access: 'customers.read' },
    schema: { tags: ['customers'], summary: 'One customer (404 when outside the caller’s scope)', params: idParams, response: { 200: customerDetail } },
    handler: async (req) => customerToApi(await getCustomer(db, actorOf(req), req.params.id)),
  });
  r.patch('/api/customers/:id', {
    config: { access: 'customers.write' },
    schema: {
      tags: ['customers'],
      summary: 'Edit a customer’s data (send the version you read); the owner changes through assignment',
      params: idParams,
      body: customerFieldsBody.extend({ version: z.number().int() }),
      response: { 200: customerDetail },
    },
    handler: async (req) => customerToApi(await updateCustomer(db, actorOf(req), req.params.id, req.body)),
  });
}
