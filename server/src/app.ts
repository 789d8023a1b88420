import fs from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { sql } from 'drizzle-orm';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from './config.js';
import { authRoutes } from './kernel/auth/auth.routes.js';
import { purgeStaleLoginData } from './kernel/auth/auth.service.js';
import type { Db } from './kernel/db/client.js';
import { importRoutes } from './kernel/excel/import.routes.js';
import { installErrorHandler, requestLocale, sendError } from './kernel/http/errors-handler.js';
import { installSecurity } from './kernel/http/security.js';
import { translate } from './kernel/i18n.js';
import { approvalsRoutes } from './kernel/approvals/approvals.routes.js';
import { sendApprovalDigest, todayIn } from './kernel/approvals/approvals.service.js';
import { sendDueReminders } from './kernel/reminders/reminders.js';
import { remindersRoutes } from './kernel/reminders/reminders.routes.js';
import { documentsRoutes } from './kernel/documents/documents.routes.js';
import { accountRequestsRoutes } from './modules/account-requests/account-requests.routes.js';
import { printRoutes } from './kernel/print/print.routes.js';
import { jobsRoutes } from './kernel/jobs/jobs.routes.js';
import { type JobDefinition, Scheduler } from './kernel/jobs/scheduler.js';
import { defaultTransports, deliverDueNotifications, type Transports } from './kernel/notify/channels.js';
import { channelsRoutes } from './kernel/notify/channels.routes.js';
import { notifyRoutes } from './kernel/notify/notify.routes.js';
import { customersRoutes } from './modules/customers/customers.routes.js';
import { customerApplicationsRoutes } from './modules/customers/applications.routes.js';
import { qualificationsRoutes } from './modules/customers/qualifications.routes.js';
import { runQualificationCheck } from './modules/customers/qualifications.js';
import { ownershipRoutes } from './modules/customers/ownership.routes.js';
import { contactsImporter } from './modules/contacts/contacts.import.js';
import { contactsRoutes } from './modules/contacts/contacts.routes.js';
import { auditLogRoutes } from './modules/audit-log/audit-log.routes.js';
import { departmentsRoutes } from './modules/departments/departments.routes.js';
import { rolesRoutes } from './modules/roles/roles.routes.js';
import { territoriesRoutes } from './modules/territories/territories.routes.js';
import { usersImporter } from './modules/users/users.import.js';
import { productsImporter } from './modules/products/products.import.js';
import { productsRoutes } from './modules/products/products.routes.js';
import { pricesRoutes } from './modules/products/prices.routes.js';
import { customersImporter } from './modules/customers/customers.import.js';
import { usersRoutes } from './modules/users/users.routes.js';
import { crmRoutes } from './modules/crm/crm.routes.js';
import { crmReportsRoutes } from './modules/crm/crm-reports.routes.js';
import { leadsRoutes } from './modules/leads/leads.routes.js';
import { reclaimStaleLeads } from './modules/leads/leads.service.js';
import { leadsImporter } from './modules/leads/leads.import.js';
import { activitiesRoutes } from './modules/activities/activities.routes.js';
import { opportunitiesRoutes } from './modules/opportunities/opportunities.routes.js';
import { runBirthdayAlerts, runNeglectedAlerts } from './modules/activities/activities.jobs.js';
import { stockRoutes } from './modules/stock/stock.routes.js';
import { stockReceiptsImporter } from './modules/stock/stock.import.js';
import { runStockWarnings } from './modules/stock/stock-warnings.js';
import { ordersRoutes } from './modules/orders/orders.routes.js';
import { reserveBackorders } from './modules/orders/orders.service.js';
import { systemActor } from './kernel/access/actor.js';
import { shippingRoutes } from './modules/shipping/shipping.routes.js';
import { returnsRoutes } from './modules/returns/returns.routes.js';
import { invoicesRoutes } from './modules/finance/invoices.routes.js';
import { receiptsRoutes } from './modules/finance/receipts.routes.js';
import { closingRoutes } from './modules/finance/closing.routes.js';
import { remindOverdue } from './modules/finance/receivables.service.js';

export type AppContext = { db: Db; config: Config; scheduler: Scheduler };

/** The scheduled jobs of the product (kernel/jobs): declared here, run by every server process, each instant once. */
export function builtinJobs(db: Db, transports: Transports = defaultTransports, timeZone = 'Asia/Shanghai'): JobDefinition[] {
  return [
    {
      name: 'customers.qualifications',
      description: {
        'zh-CN': '每天 1 点更新客户资质状态，提醒业务员 30 天内到期和已过期的资质',
        'en-US': 'Daily at 01:00: update customers’ qualification states and tell reps of documents expiring within 30 days or expired',
      },
      cron: '0 1 * * *',
      run: async ({ scheduledFor }) => {
        const { changed, notified } = await runQualificationCheck(db, todayIn(timeZone, scheduledFor));
        return changed + notified === 0 ? undefined : `${changed} customers changed state, ${notified} notices`;
      },
    },
    {
      name: 'sessions.purge',
      description: { 'zh-CN': '清理过期会话和 90 天前的登录记录', 'en-US': 'Delete expired sessions and login attempts older than 90 days' },
      cron: '0 * * * *',
      run: async () => {
        await purgeStaleLoginData(db);
      },
    },
    {
      name: 'approvals.digest',
      description: { 'zh-CN': '每天 8 点提醒审批人待审批的单据', 'en-US': 'Remind approvers of what waits for them, daily at 08:00' },
      cron: '0 8 * * *',
      run: async () => {
        const n = await sendApprovalDigest(db);
        return n === 0 ? undefined : `reminded ${n} approvers`;
      },
    },
    {
      name: 'reminders.due',
      description: { 'zh-CN': '发送到期的提醒（每 5 分钟）', 'en-US': 'Send reminders that are due (every 5 minutes)' },
      cron: '*/5 * * * *',
      run: async ({ scheduledFor }) => {
        const n = await sendDueReminders(db, scheduledFor);
        return n === 0 ? undefined : `sent ${n} reminders`;
      },
    },
    {
      name: 'notifications.deliver',
      description: { 'zh-CN': '发送待发的邮件、企业微信和钉钉通知（失败自动重试）', 'en-US': 'Send queued e-mail, WeCom and DingTalk notifications (failures retried)' },
      cron: '* * * * *',
      run: async ({ scheduledFor }) => {
        const { sent, retrying, failed } = await deliverDueNotifications(db, transports, scheduledFor);
        return sent + retrying + failed === 0 ? undefined : `sent ${sent}, retrying ${retrying}, failed ${failed}`;
      },
    },
    {
      name: 'leads.reclaim',
      description: {
        'zh-CN': '每小时收回超过规定天数未跟进的线索到线索池，并通知原负责人',
        'en-US': 'Hourly: return leads nobody acted on within the configured days to the pool and tell their former owners',
      },
      cron: '0 * * * *',
      run: async ({ scheduledFor }) => {
        const n = await reclaimStaleLeads(db, scheduledFor);
        return n === 0 ? undefined : `reclaimed ${n} leads`;
      },
    },
    {
      name: 'crm.neglected',
      description: {
        'zh-CN': '每天 7:30 提醒业务员按客户分级超过天数未联系的客户（每次失联只提醒一次）',
        'en-US': 'Daily at 07:30: tell reps about customers not contacted for longer than their grade allows (once per episode)',
      },
      cron: '30 7 * * *',
      run: async ({ scheduledFor }) => {
        const n = await runNeglectedAlerts(db, scheduledFor, timeZone);
        return n === 0 ? undefined : `told ${n} owners`;
      },
    },
    {
      name: 'orders.backorders',
      description: {
        'zh-CN': '每小时为已下达订单的欠货按先到期先出重新备货（到货后自动补上）',
        'en-US': 'Hourly: reserve back-ordered quantities of released orders first expiry first out, once stock has arrived',
      },
      cron: '20 * * * *',
      run: async ({ scheduledFor }) => {
        const n = await reserveBackorders(db, systemActor(), todayIn(timeZone, scheduledFor));
        return n === 0 ? undefined : `reserved ${n} back-ordered units`;
      },
    },
    {
      name: 'crm.birthdays',
      description: { 'zh-CN': '每周一 8 点提醒业务员本周过生日的联系人', 'en-US': 'Mondays at 08:00: tell reps whose contacts have a birthday this week' },
      cron: '0 8 * * 1',
      run: async ({ scheduledFor }) => {
        const n = await runBirthdayAlerts(db, scheduledFor, timeZone);
        return n === 0 ? undefined : `told ${n} owners`;
      },
    },
    {
      name: 'receivables.overdue',
      description: { 'zh-CN': '每周一 9 点提醒业务员其客户的逾期应收发票', 'en-US': 'Mondays at 09:00: tell reps about their customers’ overdue invoices' },
      cron: '0 9 * * 1',
      run: async ({ scheduledFor }) => {
        const n = await remindOverdue(db, todayIn(timeZone, scheduledFor));
        return n === 0 ? undefined : `told ${n} reps`;
      },
    },
    {
      name: 'stock.warnings',
      description: {
        'zh-CN': '每天 6:30 提醒仓库：低于安全库存、缺货、进入近效期和已过期的批次（每次只提醒一次）',
        'en-US': 'Daily at 06:30: tell the warehouse about stock below safety, shortages, batches near expiry and expired batches (once per episode)',
      },
      cron: '30 6 * * *',
      run: async ({ scheduledFor }) => {
        const n = await runStockWarnings(db, todayIn(timeZone, scheduledFor));
        return n === 0 ? undefined : `${n} notices`;
      },
    },
  ];
}

/** The modules of the product, in menu order. Each registers its own routes. */
const modules = [
  authRoutes,
  documentsRoutes,
  approvalsRoutes,
  departmentsRoutes,
  usersRoutes,
  rolesRoutes,
  territoriesRoutes,
  auditLogRoutes,
  accountRequestsRoutes,
  customersRoutes,
  qualificationsRoutes,
  customerApplicationsRoutes,
  printRoutes,
  productsRoutes,
  pricesRoutes,
  importRoutes([usersImporter, productsImporter, customersImporter, contactsImporter, leadsImporter, stockReceiptsImporter]),
  ownershipRoutes,
  contactsRoutes,
  crmRoutes,
  leadsRoutes,
  activitiesRoutes,
  opportunitiesRoutes,
  crmReportsRoutes,
  ordersRoutes,
  stockRoutes,
  shippingRoutes,
  returnsRoutes,
  invoicesRoutes,
  receiptsRoutes,
  closingRoutes,
  notifyRoutes,
  channelsRoutes,
  jobsRoutes,
  remindersRoutes,
];

export type BuildOptions = { logger?: boolean; trustProxy?: boolean };

/** Builds the whole HTTP application; used by main.ts and by tests (with app.inject). */
export async function buildApp(
  context: Omit<AppContext, 'scheduler'> & { scheduler?: Scheduler; transports?: Transports },
  options: BuildOptions = {},
): Promise<FastifyInstance> {
  // The scheduler is built with the app (its routes need it) but started only by main.ts or a test that asks.
  const scheduler =
    context.scheduler ??
    new Scheduler(
      context.db,
      { timeZone: context.config.timeZone, onError: (job, error) => app.log.error({ job, err: error }, 'scheduled job failed') },
      builtinJobs(context.db, context.transports, context.config.timeZone),
    );
  const ctx: AppContext = { ...context, scheduler };
  const app: FastifyInstance = Fastify({
    logger: options.logger ? { level: ctx.config.logLevel } : false,
    trustProxy: options.trustProxy ?? false,
    bodyLimit: 2 * 1024 * 1024,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  app.decorate('scheduler', scheduler);
  app.addHook('onClose', async () => scheduler.stop());

  await app.register(cookie);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"], // Ant Design injects its CSS-in-JS styles
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  installSecurity(app, ctx.db);
  // Uploads (attachments, imports): each route passes its own size limit to request.file().
  await app.register(multipart, { limits: { files: 1, fields: 10, parts: 12 } });

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'RxDesk API',
        description:
          'The RxDesk sales back office API. Cookie session (log in with POST /api/auth/login); every write sends the ' +
          '`x-csrf-token` header returned by login and /api/auth/me. Errors: `{ error: { code, message, fields? } }`.',
        version: '0.1.0',
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/health', {
    config: { access: 'public' },
    schema: { tags: ['system'], summary: 'Liveness and database reachability', response: { 200: z.object({ ok: z.boolean(), time: z.string() }) } },
    handler: async () => {
      await ctx.db.execute(sqlSelectOne);
      return { ok: true, time: new Date().toISOString() };
    },
  });

  for (const register of modules) await register(app, ctx);

  const indexHtml = path.join(ctx.config.webDist, 'index.html');
  const hasWeb = fs.existsSync(indexHtml);
  if (hasWeb) {
    await app.register(fastifyStatic, { root: ctx.config.webDist, wildcard: false, index: false });
  }
  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0];
    if (url.startsWith('/api/') || request.method !== 'GET' || !hasWeb) {
      return sendError(reply, 404, { error: { code: 'ROUTE_NOT_FOUND', message: translate('ROUTE_NOT_FOUND', requestLocale(request)) } });
    }
    // The single-page app answers every other path; assets have their own files.
    const file = path.join(ctx.config.webDist, path.normalize(url).replace(/^(\.\.[/\\])+/, ''));
    if (url !== '/' && fs.existsSync(file) && fs.statSync(file).isFile()) return reply.sendFile(path.relative(ctx.config.webDist, file));
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
  return app;
}

const sqlSelectOne = sql`select 1`;

declare module 'fastify' {
  interface FastifyInstance {
    scheduler: Scheduler;
  }
}
