import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { type ExportColumn, buildXlsx, sendXlsx } from '../../kernel/excel/export.js';
import { requestLocale } from '../../kernel/http/errors-handler.js';
import { actorOf } from '../../kernel/http/security.js';
import type { Locale } from '../../kernel/i18n.js';
import { contactDetail, contactFieldsBody, contactFilterQuery, contactListQuery, contactListRow, contactPage } from './contacts.schemas.js';
import {
  type ContactListRow,
  createContact,
  customerContacts,
  getContact,
  listAllContacts,
  listContacts,
  markContactLeft,
  moveContact,
  updateContact,
} from './contacts.service.js';
import { INFLUENCE_NAMES } from './contacts.names.js';

const idParams = z.object({ id: z.coerce.number().int().positive() });
const version = z.object({ version: z.number().int() });

const exportColumns = (locale: Locale): ExportColumn<ContactListRow>[] => [
  { header: { 'zh-CN': '姓名', 'en-US': 'Name' }, value: (c) => c.name, width: 12 },
  { header: { 'zh-CN': '客户编码', 'en-US': 'Customer code' }, value: (c) => c.customerCode, width: 12 },
  { header: { 'zh-CN': '客户名称', 'en-US': 'Customer' }, value: (c) => c.customerName, width: 32 },
  { header: { 'zh-CN': '科室/部门', 'en-US': 'Department' }, value: (c) => c.department },
  { header: { 'zh-CN': '职务', 'en-US': 'Title' }, value: (c) => c.title },
  { header: { 'zh-CN': '手机', 'en-US': 'Mobile' }, value: (c) => c.mobile, width: 14 },
  { header: { 'zh-CN': '电话', 'en-US': 'Phone' }, value: (c) => c.phone, width: 14 },
  { header: { 'zh-CN': '邮箱', 'en-US': 'Email' }, value: (c) => c.email, width: 22 },
  { header: { 'zh-CN': '微信', 'en-US': 'WeChat' }, value: (c) => c.wechat },
  { header: { 'zh-CN': '生日', 'en-US': 'Birthday' }, value: (c) => c.birthday },
  { header: { 'zh-CN': '影响力', 'en-US': 'Influence' }, value: (c) => INFLUENCE_NAMES[c.influence][locale] },
  { header: { 'zh-CN': '状态', 'en-US': 'Status' }, value: (c) => (c.status === 'active' ? { 'zh-CN': '在职', 'en-US': 'Active' } : { 'zh-CN': '已离职', 'en-US': 'Left' })[locale] },
];

export async function contactsRoutes(app: FastifyInstance, { db }: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/contacts', {
    config: { access: 'contacts.read' },
    schema: {
      tags: ['contacts'],
      summary: 'Contacts of the customers in the caller’s scope; q matches name, pinyin, initials or mobile',
      querystring: contactListQuery,
      response: { 200: contactPage },
    },
    handler: async (req) => {
      const { page, pageSize, sort, ...filter } = req.query;
      return listContacts(db, actorOf(req), filter, { page, pageSize, sort });
    },
  });
  r.get('/api/contacts/export', {
    config: { access: 'customers.export' },
    schema: { tags: ['contacts'], summary: 'The same list as an Excel file (all pages)', querystring: contactFilterQuery.extend({ sort: z.string().max(40).optional() }) },
    handler: async (req, reply) => {
      const { sort, ...filter } = req.query;
      const locale = requestLocale(req);
      const rows = await listAllContacts(db, actorOf(req), filter, sort);
      const body = await buildXlsx(locale === 'zh-CN' ? '联系人' : 'Contacts', exportColumns(locale), rows, locale);
      return sendXlsx(reply, `${locale === 'zh-CN' ? '联系人' : 'contacts'}-${new Date().toISOString().slice(0, 10)}.xlsx`, body);
    },
  });
  r.get('/api/customers/:id/contacts', {
    config: { access: 'contacts.read' },
    schema: { tags: ['contacts'], summary: 'A customer’s contacts, active first (404 when the customer is out of scope)', params: idParams, response: { 200: z.array(contactListRow) } },
    handler: async (req) => customerContacts(db, actorOf(req), req.params.id),
  });
  r.get('/api/contacts/:id', {
    config: { access: 'contacts.read' },
    schema: { tags: ['contacts'], summary: 'One contact with the customers they worked at', params: idParams, response: { 200: contactDetail } },
    handler: async (req) => getContact(db, actorOf(req), req.params.id),
  });
  r.post('/api/contacts', {
    config: { access: 'contacts.write' },
    schema: {
      tags: ['contacts'],
      summary: 'Add a contact to a customer in scope',
      body: contactFieldsBody.extend({ customerId: z.number().int().positive() }),
      response: { 201: contactDetail },
    },
    handler: async (req, reply) => reply.code(201).send(await createContact(db, actorOf(req), req.body)),
  });
  r.patch('/api/contacts/:id', {
    config: { access: 'contacts.write' },
    schema: { tags: ['contacts'], summary: 'Edit a contact (send the version you read)', params: idParams, body: contactFieldsBody.extend(version.shape), response: { 200: contactDetail } },
    handler: async (req) => updateContact(db, actorOf(req), req.params.id, req.body),
  });
  r.post('/api/contacts/:id/move', {
    config: { access: 'contacts.write' },
    schema: {
      tags: ['contacts'],
      summary: 'The contact now works at another customer (both in scope); the history keeps the old one',
      params: idParams,
      body: version.extend({ customerId: z.number().int().positive() }),
      response: { 200: contactDetail },
    },
    handler: async (req) => moveContact(db, actorOf(req), req.params.id, req.body),
  });
  r.post('/api/contacts/:id/left', {
    config: { access: 'contacts.write' },
    schema: { tags: ['contacts'], summary: 'The contact has left the customer (kept, marked 已离职)', params: idParams, body: version, response: { 200: contactDetail } },
    handler: async (req) => markContactLeft(db, actorOf(req), req.params.id, req.body),
  });
}
