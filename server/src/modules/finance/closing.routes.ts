import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { buildXlsx, type ExportColumn, sendXlsx } from '../../kernel/excel/export.js';
import { requestLocale } from '../../kernel/http/errors-handler.js';
import { actorOf } from '../../kernel/http/security.js';
import type { Locale } from '../../kernel/i18n.js';
import { companyToday } from '../customers/customers.scope.js';
import { closeMonth, closingWarnings, listPeriods, reopenMonth } from './closing.js';
import { type DailyClearing, dailyClearing } from './daily-clearing.js';

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'date.format' })
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), { message: 'date.format' });
const period = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'period.format' });
const fen = z.string();

const clearingQuery = z.object({ date: day.optional() });
const clearingReply = z.object({
  date: z.string(),
  orders: z.object({
    enteredCount: z.number().int(),
    enteredFen: fen,
    submittedCount: z.number().int(),
    submittedFen: fen,
    abnormalCount: z.number().int(),
    reviewedCount: z.number().int(),
    releasedCount: z.number().int(),
    releasedFen: fen,
    cancelledCount: z.number().int(),
  }),
  shipments: z.object({
    dispatchedCount: z.number().int(),
    dispatchedLines: z.number().int(),
    dispatchedQuantity: z.number().int(),
    coldChainCount: z.number().int(),
    deliveredCount: z.number().int(),
  }),
  invoices: z.object({ blueCount: z.number().int(), blueFen: fen, blueTaxFen: fen, redCount: z.number().int(), redFen: fen, redTaxFen: fen, netFen: fen }),
  receipts: z.object({ count: z.number().int(), totalFen: fen, byMethod: z.array(z.object({ method: z.string(), count: z.number().int(), amountFen: fen })) }),
  open: z.object({
    pendingApprovalCount: z.number().int(),
    pendingReviewCount: z.number().int(),
    releasedNotShippedCount: z.number().int(),
    releasedNotShippedFen: fen,
    shippedNotInvoicedFen: fen,
    overdueCount: z.number().int(),
    overdueFen: fen,
    overdueCustomers: z.number().int(),
  }),
  byRep: z.array(
    z.object({
      userId: z.number().int().nullable(),
      displayName: z.string().nullable(),
      ordersCount: z.number().int(),
      ordersFen: fen,
      dispatchedCount: z.number().int(),
      invoicedFen: fen,
      receivedFen: fen,
      overdueFen: fen,
    }),
  ),
  byCustomer: z.array(
    z.object({
      customerId: z.number().int(),
      customerName: z.string(),
      ownerName: z.string().nullable(),
      ordersCount: z.number().int(),
      ordersFen: fen,
      dispatchedCount: z.number().int(),
      invoicedFen: fen,
      receivedFen: fen,
    }),
  ),
});

const periodRow = z.object({
  period: z.string(),
  status: z.enum(['open', 'closed']),
  over: z.boolean(),
  closedAt: z.date().nullable(),
  closedByName: z.string().nullable(),
  ordersCount: z.number().int(),
  ordersFen: fen,
  shipmentsCount: z.number().int(),
  blueInvoicedFen: fen,
  redInvoicedFen: fen,
  receivedFen: fen,
  receivableAtEndFen: fen,
});
const warningRow = z.object({ kind: z.enum(['draft_orders', 'undispatched_shipments', 'draft_invoices', 'open_returns']), count: z.number().int() });
const closeBody = z.object({ period, acknowledgeWarnings: z.boolean().default(false) });
const reopenBody = z.object({ reason: z.string().trim().min(2).max(500) });

/** bigint → string, deeply: money leaves the API as strings of digits. */
type Stringified<T> = T extends bigint ? string : T extends Date ? Date : T extends (infer U)[] ? Stringified<U>[] : T extends object ? { [K in keyof T]: Stringified<T[K]> } : T;
function moneyText<T>(value: T): Stringified<T> {
  if (typeof value === 'bigint') return value.toString() as Stringified<T>;
  if (Array.isArray(value)) return value.map(moneyText) as Stringified<T>;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, moneyText(v)])) as Stringified<T>;
  }
  return value as Stringified<T>;
}

const yuan = (fenValue: bigint) => Number(fenValue) / 100;
const h = (zh: string, en: string): Record<Locale, string> => ({ 'zh-CN': zh, 'en-US': en });

type SheetRow = { section: string; item: string; count: number | null; amount: number | null };

/** The report as one sheet: the summary lines (section, item, count, amount in yuan), then the per-rep and per-customer lines. */
function clearingRows(r: DailyClearing, locale: Locale): SheetRow[] {
  const zh = locale === 'zh-CN';
  const t = (a: string, b: string) => (zh ? a : b);
  const rows: SheetRow[] = [
    { section: t('订单', 'Orders'), item: t('录入', 'Entered'), count: r.orders.enteredCount, amount: yuan(r.orders.enteredFen) },
    { section: t('订单', 'Orders'), item: t('提交', 'Submitted'), count: r.orders.submittedCount, amount: yuan(r.orders.submittedFen) },
    { section: t('订单', 'Orders'), item: t('异常订单', 'Abnormal'), count: r.orders.abnormalCount, amount: null },
    { section: t('订单', 'Orders'), item: t('已复核', 'Reviewed'), count: r.orders.reviewedCount, amount: null },
    { section: t('订单', 'Orders'), item: t('已下达', 'Released'), count: r.orders.releasedCount, amount: yuan(r.orders.releasedFen) },
    { section: t('发货', 'Shipments'), item: t('已发出', 'Dispatched'), count: r.shipments.dispatchedCount, amount: null },
    { section: t('发货', 'Shipments'), item: t('发货行数', 'Lines'), count: r.shipments.dispatchedLines, amount: null },
    { section: t('发货', 'Shipments'), item: t('冷链', 'Cold chain'), count: r.shipments.coldChainCount, amount: null },
    { section: t('发货', 'Shipments'), item: t('已签收', 'Delivered'), count: r.shipments.deliveredCount, amount: null },
    { section: t('开票', 'Invoices'), item: t('蓝字发票', 'Blue'), count: r.invoices.blueCount, amount: yuan(r.invoices.blueFen) },
    { section: t('开票', 'Invoices'), item: t('蓝字税额', 'Blue tax'), count: null, amount: yuan(r.invoices.blueTaxFen) },
    { section: t('开票', 'Invoices'), item: t('红字发票', 'Red'), count: r.invoices.redCount, amount: yuan(r.invoices.redFen) },
    { section: t('开票', 'Invoices'), item: t('净额', 'Net'), count: null, amount: yuan(r.invoices.netFen) },
    ...r.receipts.byMethod.map((m) => ({ section: t('回款', 'Receipts'), item: m.method, count: m.count, amount: yuan(m.amountFen) })),
    { section: t('回款', 'Receipts'), item: t('合计', 'Total'), count: r.receipts.count, amount: yuan(r.receipts.totalFen) },
    { section: t('日末未结', 'Open at day end'), item: t('审批中订单', 'Pending approval'), count: r.open.pendingApprovalCount, amount: null },
    { section: t('日末未结', 'Open at day end'), item: t('待复核订单', 'Pending review'), count: r.open.pendingReviewCount, amount: null },
    { section: t('日末未结', 'Open at day end'), item: t('已下达未发货', 'Released, not shipped'), count: r.open.releasedNotShippedCount, amount: yuan(r.open.releasedNotShippedFen) },
    { section: t('日末未结', 'Open at day end'), item: t('已发货未开票', 'Shipped, not invoiced'), count: null, amount: yuan(r.open.shippedNotInvoicedFen) },
    { section: t('日末未结', 'Open at day end'), item: t('逾期应收', 'Overdue receivables'), count: r.open.overdueCount, amount: yuan(r.open.overdueFen) },
    ...r.byRep.map((x) => ({ section: t('按业务员', 'By rep'), item: x.displayName ?? t('（无）', '(none)'), count: x.ordersCount, amount: yuan(x.ordersFen) })),
    ...r.byCustomer.map((x) => ({ section: t('按客户', 'By customer'), item: x.customerName, count: x.ordersCount, amount: yuan(x.ordersFen) })),
  ];
  return rows;
}

const clearingColumns: ExportColumn<SheetRow>[] = [
  { header: h('类别', 'Section'), width: 16, value: (r) => r.section },
  { header: h('项目', 'Item'), width: 28, value: (r) => r.item },
  { header: h('数量', 'Count'), width: 10, value: (r) => r.count },
  { header: h('金额（元）', 'Amount (yuan)'), width: 18, value: (r) => r.amount },
];

/** 日清月结: the daily clearing report and the monthly closing. */
export async function closingRoutes(app: FastifyInstance, { db, config }: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tz = config.timeZone;

  r.get('/api/daily-clearing', {
    config: { access: 'order_reports.read' },
    schema: {
      tags: ['finance'],
      summary: '日清报表: the day’s orders, shipments, invoices and receipts, what is open at the day’s end, by rep and by customer (caller’s scope)',
      querystring: clearingQuery,
      response: { 200: clearingReply },
    },
    handler: async (req) => moneyText(await dailyClearing(db, actorOf(req), req.query.date ?? companyToday(), tz)),
  });
  r.get('/api/daily-clearing/export.xlsx', {
    config: { access: 'order_reports.read' },
    schema: { tags: ['finance'], summary: 'The daily clearing report as an Excel file', querystring: clearingQuery },
    handler: async (req, reply) => {
      const locale = requestLocale(req);
      const report = await dailyClearing(db, actorOf(req), req.query.date ?? companyToday(), tz);
      const body = await buildXlsx(locale === 'zh-CN' ? '日清报表' : 'Daily clearing', clearingColumns, clearingRows(report, locale), locale);
      return sendXlsx(reply, `${locale === 'zh-CN' ? '日清报表' : 'daily-clearing'}-${report.date}.xlsx`, body);
    },
  });

  r.get('/api/period-closings', {
    config: { access: 'finance.close' },
    schema: { tags: ['finance'], summary: '月结: every month from the first dated record to the current one, newest first, with status and figures', response: { 200: z.array(periodRow) } },
    handler: async () => (await listPeriods(db, companyToday())).map(({ summary: _summary, ...row }) => moneyText(row)),
  });
  r.get('/api/period-closings/:period/warnings', {
    config: { access: 'finance.close' },
    schema: { tags: ['finance'], summary: 'Unfinished documents dated in the month (to acknowledge before closing it)', params: z.object({ period }), response: { 200: z.array(warningRow) } },
    handler: async (req) => closingWarnings(db, req.params.period, tz),
  });
  r.post('/api/period-closings', {
    config: { access: 'finance.close' },
    schema: {
      tags: ['finance'],
      summary: 'Close a month that is over, after the earlier ones; unfinished documents must be acknowledged',
      body: closeBody,
      response: { 201: periodRow.omit({ status: true, over: true, closedAt: true, closedByName: true }) },
    },
    handler: async (req, reply) => {
      const figures = await db.transaction((tx) => closeMonth(tx, actorOf(req), req.body, companyToday(), tz));
      return reply.code(201).send(moneyText(figures));
    },
  });
  r.post('/api/period-closings/:period/reopen', {
    config: { access: 'finance.close' },
    schema: { tags: ['finance'], summary: 'Reopen the last closed month, with a reason (audited)', params: z.object({ period }), body: reopenBody, response: { 204: z.null() } },
    handler: async (req, reply) => {
      await db.transaction((tx) => reopenMonth(tx, actorOf(req), { period: req.params.period, reason: req.body.reason }));
      return reply.code(204).send(null);
    },
  });
}
