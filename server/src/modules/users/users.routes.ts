import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { passwordSchema } from '../../kernel/auth/passwords.js';
import { buildXlsx, type ExportColumn, sendXlsx } from '../../kernel/excel/export.js';
import { requestLocale } from '../../kernel/http/errors-handler.js';
import { pageOf } from '../../kernel/http/paging.js';
import { printContext } from '../../kernel/print/document.js';
import { renderPrintHtml } from '../../kernel/print/html.js';
import { renderPdf } from '../../kernel/print/pdf.js';
import { printQuery, sendPdf, sendPrintHtml } from '../../kernel/print/print.routes.js';
import { actorOf } from '../../kernel/http/security.js';
import { accountNoticeTemplate, getAccountNotice } from './account-notice.js';
import { createUserBody, updateUserBody, userFilter, userListQuery, userRow } from './users.schemas.js';
import { createUser, getUser, userDirectory, listAllUsers, listUsers, resetPassword, setUserStatus, type UserRow, updateUser } from './users.service.js';

const idParams = z.object({ id: z.coerce.number().int().positive() });

const exportColumns: ExportColumn<UserRow>[] = [
  { header: { 'zh-CN': '用户名', 'en-US': 'Username' }, value: (u) => u.username },
  { header: { 'zh-CN': '姓名', 'en-US': 'Name' }, value: (u) => u.displayName },
  { header: { 'zh-CN': '部门', 'en-US': 'Department' }, width: 20, value: (u) => u.department?.name ?? '' },
  { header: { 'zh-CN': '角色', 'en-US': 'Roles' }, width: 24, value: (u) => u.roles.map((r) => r.name).join('、') },
  { header: { 'zh-CN': '负责区域', 'en-US': 'Territories' }, width: 24, value: (u) => u.territories.map((t) => t.name).join('、') },
  { header: { 'zh-CN': '手机', 'en-US': 'Phone' }, value: (u) => u.phone },
  { header: { 'zh-CN': '邮箱', 'en-US': 'Email' }, width: 24, value: (u) => u.email },
  { header: { 'zh-CN': '状态', 'en-US': 'Status' }, value: (u) => (u.status === 'active' ? '启用' : '停用') },
  { header: { 'zh-CN': '最近登录', 'en-US': 'Last login' }, width: 20, value: (u) => u.lastLoginAt },
  { header: { 'zh-CN': '创建时间', 'en-US': 'Created' }, width: 20, value: (u) => u.createdAt },
];

export async function usersRoutes(app: FastifyInstance, { db, config }: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/users', {
    config: { access: 'users.read' },
    schema: {
      tags: ['users'],
      summary: 'Users within the caller’s data scope, paged, sorted and filtered',
      querystring: userListQuery,
      response: { 200: pageOf(userRow) },
    },
    handler: async (req) => {
      const { page, pageSize, sort, ...filter } = req.query;
      return listUsers(db, actorOf(req), filter, { page, pageSize, sort });
    },
  });
  r.get('/api/users/directory', {
    config: { access: 'directory.read' },
    schema: {
      tags: ['users'],
      summary: 'Active colleagues by name or username, or by ids — for pickers such as a delegate (at most 20)',
      querystring: z.object({ q: z.string().trim().max(60).optional(), ids: z.string().regex(/^\d+(,\d+){0,19}$/).optional() }),
      response: { 200: z.object({ items: z.array(z.object({ id: z.number().int(), username: z.string(), displayName: z.string(), departmentName: z.string().nullable() })) }) },
    },
    handler: async (req) => ({ items: await userDirectory(db, req.query.q, req.query.ids?.split(',').map(Number)) }),
  });
  r.get('/api/users/export.xlsx', {
    config: { access: 'users.read' },
    schema: { tags: ['users'], summary: 'The same list as an Excel file (all pages)', querystring: userFilter.extend({ sort: z.string().max(40).optional() }) },
    handler: async (req, reply) => {
      const { sort, ...filter } = req.query;
      const locale = requestLocale(req);
      const rows = await listAllUsers(db, actorOf(req), filter, sort);
      const body = await buildXlsx(locale === 'zh-CN' ? '用户' : 'Users', exportColumns, rows, locale);
      return sendXlsx(reply, `${locale === 'zh-CN' ? '用户列表' : 'users'}-${new Date().toISOString().slice(0, 10)}.xlsx`, body);
    },
  });
  r.get('/api/users/:id', {
    config: { access: 'users.read' },
    schema: { tags: ['users'], summary: 'One user (404 when outside the caller’s scope)', params: idParams, response: { 200: userRow } },
    handler: async (req) => getUser(db, actorOf(req), req.params.id),
  });
  r.get('/api/users/:id/print', {
    config: { access: 'users.write' },
    schema: {
      tags: ['users'],
      summary: 'The account notice (账号开通通知单) to print and hand to the user, as an HTML page (layout a4 or 241 mm continuous)',
      params: idParams,
      querystring: printQuery,
    },
    handler: async (req, reply) => {
      const ctx = printContext(req.query.layout, requestLocale(req));
      const notice = await getAccountNotice(db, actorOf(req), req.params.id, config.timeZone);
      const base = `/api/users/${req.params.id}`;
      const page = renderPrintHtml(accountNoticeTemplate, { ...notice, loginUrl: loginUrlOf(req) }, ctx, {
        pdfUrl: `${base}/print.pdf?layout=${ctx.layoutName}`,
        layoutUrl: (layout) => `${base}/print?layout=${layout}`,
      });
      return sendPrintHtml(reply, page);
    },
  });
  r.get('/api/users/:id/print.pdf', {
    config: { access: 'users.write' },
    schema: { tags: ['users'], summary: 'The same account notice as a PDF with the Chinese font embedded', params: idParams, querystring: printQuery },
    handler: async (req, reply) => {
      const ctx = printContext(req.query.layout, requestLocale(req));
      const notice = await getAccountNotice(db, actorOf(req), req.params.id, config.timeZone);
      const data = { ...notice, loginUrl: loginUrlOf(req) };
      return sendPdf(reply, accountNoticeTemplate.fileName(data, ctx), await renderPdf(accountNoticeTemplate, data, ctx));
    },
  });
  r.post('/api/users', {
    config: { access: 'users.write' },
    schema: { tags: ['users'], summary: 'Create a user; they must change the initial password at first login', body: createUserBody, response: { 200: userRow } },
    handler: async (req) => createUser(db, actorOf(req), req.body),
  });
  r.patch('/api/users/:id', {
    config: { access: 'users.write' },
    schema: { tags: ['users'], summary: 'Change a user (send the version you read)', params: idParams, body: updateUserBody, response: { 200: userRow } },
    handler: async (req) => updateUser(db, actorOf(req), req.params.id, req.body),
  });
  r.post('/api/users/:id/disable', {
    config: { access: 'users.write' },
    schema: { tags: ['users'], summary: 'Disable a user and end their sessions', params: idParams, response: { 200: userRow } },
    handler: async (req) => setUserStatus(db, actorOf(req), req.params.id, 'disabled'),
  });
  r.post('/api/users/:id/enable', {
    config: { access: 'users.write' },
    schema: { tags: ['users'], summary: 'Enable a disabled user', params: idParams, response: { 200: userRow } },
    handler: async (req) => setUserStatus(db, actorOf(req), req.params.id, 'active'),
  });
  r.post('/api/users/:id/reset-password', {
    config: { access: 'users.write' },
    schema: {
      tags: ['users'],
      summary: 'Set a new password that the user must change at next login',
      params: idParams,
      body: z.object({ newPassword: passwordSchema }),
      response: { 204: z.null() },
    },
    handler: async (req, reply) => {
      await resetPassword(db, actorOf(req), req.params.id, req.body.newPassword);
      return reply.code(204).send(null);
    },
  });
}

/** Where the user logs in, printed on the notice: the address the administrator is using. */
function loginUrlOf(req: FastifyRequest): string {
  return `${req.protocol}://${req.host}`;
}
