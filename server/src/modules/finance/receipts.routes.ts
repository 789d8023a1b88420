import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { companyToday } from '../customers/customers.scope.js';
import { type ExportColumn, buildXlsx, sendXlsx } from '../../kernel/excel/export.js';
import { requestLocale } from '../../kernel/http/errors-handler.js';
import { fenAmount } from '../../kernel/http/money.js';
import { pageOf, pageQuery, queryBoolean } from '../../kernel/http/paging.js';
import { actorOf } from '../../kernel/http/security.js';
import type { Locale } from '../../kernel/i18n.js';
import { fenToYuan } from '../../kernel/money.js';
import { renderPdf } from '../../kernel/print/pdf.js';
import { renderPrintHtml } from '../../kernel/print/html.js';
import { printContext } from '../../kernel/print/document.js';
import { printQuery, sendPdf, sendPrintHtml } from '../../kernel/print/print.routes.js';
import { RECEIPT_METHODS, RECEIPT_STATUSES } from './finance.tables.js';
import { allocationRow, fenJson } from './invoices.routes.js';
import { type ReceiptRow, allocateByHand, autoAllocate, getReceipt, listReceipts, recordReceipt, unallocate, voidReceipt } from './receipts.service.js';
import { type AgingRow, type OverdueInvoice, agingReport, customerCredit, customerStatement, overdueInvoices } from './receivables.service.js';
import { companyName, statementTemplate } from './statement.print.js';

const fen = z.string();
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const idParams = z.object({ id: z.coerce.number().int().positive() });

const receiptRow = z.object({
  id: z.number().int(),
  number: z.string(),
  status: z.enum(RECEIPT_STATUSES),
  customerId: z.number().int(),
  customerName: z.string(),
  method: z.enum(RECEIPT_METHODS),
  amountFen: fen,
  allocatedFen: fen,
  unappliedFen: fen,
  receivedOn: z.string(),
  reference: z.string().nullable(),
  payerName: z.string().nullable(),
  billNo: z.string().nullable(),
  billDueOn: z.string().nullable(),
  voidReason: z.string().nullable(),
  notes: z.string().nullable(),
  createdBy: z.number().int(),
  createdByName: z.string(),
  version: z.number().int(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
const receiptDetail = receiptRow.extend({ allocations: z.array(allocationRow) });
const receiptFilter = z.object({
  status: z.enum(RECEIPT_STATUSES).optional(),
  method: z.enum(RECEIPT_METHODS).optional(),
  customerId: z.coerce.number().int().positive().optional(),
  from: date.optional(),
  to: date.optional(),
  unapplied: queryBoolean.optional(),
  q: z.string().trim().max(60).optional(),
});

const agingRow = z.object({
  customerId: z.number().int(),
  customerCode: z.string(),
  customerName: z.string(),
  ownerId: z.number().int().nullable(),
  ownerName: z.string().nullable(),
  paymentTermsDays: z.number().int(),
  notDueFen: fen,
  d1to30Fen: fen,
  d31to60Fen: fen,
  d61to90Fen: fen,
  over90Fen: fen,
  openBlueFen: fen,
  creditFen: fen,
  balanceFen: fen,
  overdueFen: fen,
});
const agingFilter = z.object({
  ownerId: z.coerce.number().int().positive().optional(),
  territoryId: z.string().regex(/^\d{2,12}$/).optional(),
  customerId: z.coerce.number().int().positive().optional(),
  asOf: date.optional(),
});
const overdueRow = z.object({
  invoiceId: z.number().int(),
  number: z.string(),
  taxInvoiceNo: z.string().nullable(),
  customerId: z.number().int(),
  customerName: z.string(),
  ownerId: z.number().int().nullable(),
  ownerName: z.string().nullable(),
  issuedOn: z.string(),
  dueOn: z.string(),
  daysOverdue: z.number().int(),
  openFen: fen,
});
const statementQuery = z.object({ from: date, to: date });
const statementSchema = z.object({
  customer: z.object({ id: z.number().int(), code: z.string(), name: z.string(), invoiceTitle: z.string().nullable(), paymentTermsDays: z.number().int() }),
  from: z.string(),
  to: z.string(),
  openingFen: fen,
  entries: z.array(z.object({ date: z.string(), kind: z.enum(['invoice', 'red_invoice', 'receipt']), id: z.number().int(), number: z.string(), reference: z.string().nullable(), debitFen: fen, creditFen: fen, balanceFen: fen })),
  invoicedFen: fen,
  redFen: fen,
  receivedFen: fen,
  closingFen: fen,
});
const creditSchema = z.object({
  customerId: z.number().int(),
  limitFen: fen,
  paymentTermsDays: z.number().int(),
  receivableFen: z.string(),
  uninvoicedFen: fen,
  exposureFen: z.string(),
  availableFen: z.string(),
  overdueFen: fen,
  oldestOverdueDays: z.number().int(),
});

const yuan = (f: bigint) => Number(fenToYuan(f));
const METHOD_NAMES = {
  bank_transfer: { 'zh-CN': '银行转账', 'en-US': 'Bank transfer' },
  acceptance_bill: { 'zh-CN': '承兑汇票', 'en-US': 'Acceptance bill' },
  cash: { 'zh-CN': '现金', 'en-US': 'Cash' },
  other: { 'zh-CN': '其他', 'en-US': 'Other' },
} as const;
const receiptColumns = (locale: Locale): ExportColumn<ReceiptRow>[] => [
  { header: { 'zh-CN': '回款单号', 'en-US': 'Number' }, value: (r) => r.number, width: 18 },
  { header: { 'zh-CN': '客户', 'en-US': 'Customer' }, value: (r) => r.customerName, width: 32 },
  { header: { 'zh-CN': '方式', 'en-US': 'Method' }, value: (r) => METHOD_NAMES[r.method][locale] },
  { header: { 'zh-CN': '到账日期', 'en-US': 'Received' }, value: (r) => r.receivedOn, width: 12 },
  { header: { 'zh-CN': '金额', 'en-US': 'Amount' }, value: (r) => yuan(r.amountFen) },
  { header: { 'zh-CN': '已核销', 'en-US': 'Allocated' }, value: (r) => yuan(r.allocatedFen) },
  { header: { 'zh-CN': '未核销', 'en-US': 'Unapplied' }, value: (r) => yuan(r.unappliedFen) },
  { header: { 'zh-CN': '票据号', 'en-US': 'Bill no.' }, value: (r) => r.billNo, width: 20 },
  { header: { 'zh-CN': '票据到期日', 'en-US': 'Bill due' }, value: (r) => r.billDueOn, width: 12 },
  { header: { 'zh-CN': '流水号', 'en-US': 'Reference' }, value: (r) => r.reference, width: 20 },
  { header: { 'zh-CN': '状态', 'en-US': 'Status' }, value: (r) => (r.status === 'posted' ? (locale === 'zh-CN' ? '已入账' : 'Posted') : locale === 'zh-CN' ? '已作废' : 'Voided') },
];
const agingColumns: ExportColumn<AgingRow>[] = [
  { header: { 'zh-CN': '客户编码', 'en-US': 'Code' }, value: (r) => r.customerCode },
  { header: { 'zh-CN': '客户', 'en-US': 'Customer' }, value: (r) => r.customerName, width: 32 },
  { header: { 'zh-CN': '业务员', 'en-US': 'Rep' }, value: (r) => r.ownerName },
  { header: { 'zh-CN': '账期', 'en-US': 'Terms' }, value: (r) => r.paymentTermsDays },
  { header: { 'zh-CN': '未到期', 'en-US': 'Not due' }, value: (r) => yuan(r.notDueFen) },
  { header: { 'zh-CN': '逾期1-30天', 'en-US': '1–30 days' }, value: (r) => yuan(r.d1to30Fen) },
  { header: { 'zh-CN': '逾期31-60天', 'en-US': '31–60 days' }, value: (r) => yuan(r.d31to60Fen) },
  { header: { 'zh-CN': '逾期61-90天', 'en-US': '61–90 days' }, value: (r) => yuan(r.d61to90Fen) },
  { header: { 'zh-CN': '逾期90天以上', 'en-US': 'Over 90 days' }, value: (r) => yuan(r.over90Fen) },
  { header: { 'zh-CN': '贷项（红票/预收）', 'en-US': 'Credits' }, value: (r) => yuan(r.creditFen) },
  { header: { 'zh-CN': '应收余额', 'en-US': 'Balance' }, value: (r) => yuan(r.balanceFen) },
];
const overdueColumns: ExportColumn<OverdueInvoice>[] = [
  { header: { 'zh-CN': '业务员', 'en-US': 'Rep' }, value: (r) => r.ownerName },
  { header: { 'zh-CN': '客户', 'en-US': 'Customer' }, value: (r) => r.customerName, width: 32 },
  { header: { 'zh-CN': '开票单号', 'en-US': 'Invoice' }, value: (r) => r.number, width: 18 },
  { header: { 'zh-CN': '发票号码', 'en-US': 'Tax number' }, value: (r) => r.taxInvoiceNo, width: 22 },
  { header: { 'zh-CN': '开票日期', 'en-US': 'Issued' }, value: (r) => r.issuedOn },
  { header: { 'zh-CN': '到期日', 'en-US': 'Due' }, value: (r) => r.dueOn },
  { header: { 'zh-CN': '逾期天数', 'en-US': 'Days overdue' }, value: (r) => r.daysOverdue },
  { header: { 'zh-CN': '未收金额', 'en-US': 'Open' }, value: (r) => yuan(r.openFen) },
];

/** 回款 receipts, allocation to invoices, statements, aging, overdue, customers' credit status. */
export async function receiptsRoutes(app: FastifyInstance, { db, config }: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/receipts', {
    config: { access: 'receipts.read' },
    schema: { tags: ['receipts'], summary: 'Receipts of the customers I may see', querystring: pageQuery.extend(receiptFilter.shape), response: { 200: pageOf(receiptRow) } },
    handler: async (req) => {
      const { page, pageSize, sort, ...f } = req.query;
      return fenJson(await listReceipts(db, actorOf(req), f, { page, pageSize, sort })) as never;
    },
  });
  r.get('/api/receipts/export', {
    config: { access: 'receipts.read' },
    schema: { tags: ['receipts'], summary: 'The same list as an Excel file (at most 10 000 rows)', querystring: receiptFilter.extend({ sort: z.string().max(40).optional() }) },
    handler: async (req, reply) => {
      const { sort, ...f } = req.query;
      const locale = requestLocale(req);
      const { items } = await listReceipts(db, actorOf(req), f, { page: 1, pageSize: 10_000, sort });
      return sendXlsx(reply, `${locale === 'zh-CN' ? '回款' : 'receipts'}-${companyToday()}.xlsx`, await buildXlsx(locale === 'zh-CN' ? '回款' : 'Receipts', receiptColumns(locale), items, locale));
    },
  });
  r.get('/api/receipts/:id', {
    config: { access: 'receipts.read' },
    schema: { tags: ['receipts'], summary: 'One receipt with its allocations', params: idParams, response: { 200: receiptDetail } },
    handler: async (req) => fenJson(await getReceipt(db, actorOf(req), req.params.id)) as never,
  });
  r.post('/api/receipts', {
    config: { access: 'receipts.write' },
    schema: {
      tags: ['receipts'],
      summary: 'Record money received (承兑汇票 needs bill number and due date); optionally allocate oldest first at once',
      body: z.object({
        customerId: z.number().int().positive(),
        method: z.enum(RECEIPT_METHODS),
        amountFen: fenAmount,
        receivedOn: date,
        reference: z.string().trim().max(60).nullable().optional(),
        payerName: z.string().trim().max(100).nullable().optional(),
        billNo: z.string().trim().max(40).nullable().optional(),
        billDueOn: date.nullable().optional(),
        notes: z.string().trim().max(500).nullable().optional(),
        autoAllocate: z.boolean().optional(),
      }),
      response: { 200: receiptDetail },
    },
    handler: async (req) => fenJson(await recordReceipt(db, actorOf(req), req.body, config.timeZone)) as never,
  });
  r.post('/api/receipts/:id/auto-allocate', {
    config: { access: 'receipts.write' },
    schema: { tags: ['receipts'], summary: 'Allocate what is left of the receipt to the customer’s open invoices, oldest due first', params: idParams, response: { 200: receiptDetail } },
    handler: async (req) => fenJson(await autoAllocate(db, actorOf(req), req.params.id)) as never,
  });
  r.post('/api/receipts/:id/allocations', {
    config: { access: 'receipts.write' },
    schema: {
      tags: ['receipts'],
      summary: 'Allocate by hand: amounts to named open invoices of the same customer',
      params: idParams,
      body: z.object({ version: z.number().int(), allocations: z.array(z.object({ invoiceId: z.number().int().positive(), amountFen: fenAmount })).min(1).max(200) }),
      response: { 200: receiptDetail },
    },
    handler: async (req) => fenJson(await allocateByHand(db, actorOf(req), req.params.id, req.body.version, req.body.allocations)) as never,
  });
  r.post('/api/receipts/:id/allocations/:allocationId/remove', {
    config: { access: 'receipts.write' },
    schema: {
      tags: ['receipts'],
      summary: 'Take back one allocation (audited); the money becomes unapplied again',
      params: idParams.extend({ allocationId: z.coerce.number().int().positive() }),
      body: z.object({ reason: z.string().trim().max(500).nullable().optional() }),
      response: { 200: receiptDetail },
    },
    handler: async (req) => fenJson(await unallocate(db, actorOf(req), req.params.id, req.params.allocationId, req.body.reason ?? null)) as never,
  });
  r.post('/api/receipts/:id/void', {
    config: { access: 'receipts.write' },
    schema: { tags: ['receipts'], summary: 'Void a receipt with nothing allocated', params: idParams, body: z.object({ version: z.number().int(), reason: z.string().trim().min(2).max(500) }), response: { 200: receiptDetail } },
    handler: async (req) => fenJson(await voidReceipt(db, actorOf(req), req.params.id, req.body.version, req.body.reason)) as never,
  });

  r.get('/api/receivables/aging', {
    config: { access: 'receivables.read' },
    schema: {
      tags: ['receivables'],
      summary: 'Aging per customer (not yet due, 1–30, 31–60, 61–90, over 90 days past due) on a day (default today)',
      querystring: agingFilter,
      response: { 200: z.object({ asOf: z.string(), rows: z.array(agingRow), totals: agingRow.omit({ customerId: true, customerCode: true, customerName: true, ownerId: true, ownerName: true, paymentTermsDays: true }) }) },
    },
    handler: async (req) => {
      const asOf = req.query.asOf ?? companyToday();
      return { asOf, ...(fenJson(await agingReport(db, actorOf(req), { ...req.query, asOf })) as object) } as never;
    },
  });
  r.get('/api/receivables/aging/export', {
    config: { access: 'receivables.read' },
    schema: { tags: ['receivables'], summary: 'The aging table as an Excel file', querystring: agingFilter },
    handler: async (req, reply) => {
      const asOf = req.query.asOf ?? companyToday();
      const locale = requestLocale(req);
      const { rows } = await agingReport(db, actorOf(req), { ...req.query, asOf });
      return sendXlsx(reply, `${locale === 'zh-CN' ? '应收账龄' : 'aging'}-${asOf}.xlsx`, await buildXlsx(locale === 'zh-CN' ? '应收账龄' : 'Aging', agingColumns, rows, locale));
    },
  });
  r.get('/api/receivables/overdue', {
    config: { access: 'receivables.read' },
    schema: {
      tags: ['receivables'],
      summary: 'Overdue invoices by rep (the customer’s owner), oldest due first',
      querystring: z.object({ ownerId: z.coerce.number().int().positive().optional(), asOf: date.optional() }),
      response: { 200: z.object({ asOf: z.string(), items: z.array(overdueRow) }) },
    },
    handler: async (req) => {
      const asOf = req.query.asOf ?? companyToday();
      return { asOf, items: fenJson(await overdueInvoices(db, actorOf(req), { ownerId: req.query.ownerId, asOf })) as never };
    },
  });
  r.get('/api/receivables/overdue/export', {
    config: { access: 'receivables.read' },
    schema: { tags: ['receivables'], summary: 'The overdue list as an Excel file', querystring: z.object({ ownerId: z.coerce.number().int().positive().optional(), asOf: date.optional() }) },
    handler: async (req, reply) => {
      const asOf = req.query.asOf ?? companyToday();
      const locale = requestLocale(req);
      const items = await overdueInvoices(db, actorOf(req), { ownerId: req.query.ownerId, asOf });
      return sendXlsx(reply, `${locale === 'zh-CN' ? '逾期应收' : 'overdue'}-${asOf}.xlsx`, await buildXlsx(locale === 'zh-CN' ? '逾期应收' : 'Overdue', overdueColumns, items, locale));
    },
  });

  r.get('/api/customers/:id/statement', {
    config: { access: 'receivables.read' },
    schema: { tags: ['receivables'], summary: 'Customer statement (对账单) for a date range: opening, invoices, reds, receipts, closing', params: idParams, querystring: statementQuery, response: { 200: statementSchema } },
    handler: async (req) => fenJson(await customerStatement(db, actorOf(req), req.params.id, req.query.from, req.query.to)) as never,
  });
  r.get('/api/customers/:id/statement/print', {
    config: { access: 'receivables.read' },
    schema: { tags: ['receivables'], summary: 'The statement as a print page (A4 or continuous)', params: idParams, querystring: statementQuery.extend(printQuery.shape) },
    handler: async (req, reply) => {
      const ctx = printContext(req.query.layout, requestLocale(req));
      const s = await customerStatement(db, actorOf(req), req.params.id, req.query.from, req.query.to);
      const base = `/api/customers/${req.params.id}/statement`;
      const range = `from=${req.query.from}&to=${req.query.to}`;
      const page = renderPrintHtml(statementTemplate, { ...s, company: await companyName(db), printedOn: companyToday() }, ctx, {
        pdfUrl: `${base}/print.pdf?${range}&layout=${ctx.layoutName}`,
        layoutUrl: (layout) => `${base}/print?${range}&layout=${layout}`,
      });
      return sendPrintHtml(reply, page);
    },
  });
  r.get('/api/customers/:id/statement/print.pdf', {
    config: { access: 'receivables.read' },
    schema: { tags: ['receivables'], summary: 'The statement as a PDF', params: idParams, querystring: statementQuery.extend(printQuery.shape) },
    handler: async (req, reply) => {
      const ctx = printContext(req.query.layout, requestLocale(req));
      const s = await customerStatement(db, actorOf(req), req.params.id, req.query.from, req.query.to);
      const data = { ...s, company: await companyName(db), printedOn: companyToday() };
      return sendPdf(reply, statementTemplate.fileName(data, ctx), await renderPdf(statementTemplate, data, ctx));
    },
  });
  r.get('/api/customers/:id/statement/export', {
    config: { access: 'receivables.read' },
    schema: { tags: ['receivables'], summary: 'The statement as an Excel file', params: idParams, querystring: statementQuery },
    handler: async (req, reply) => {
      const locale = requestLocale(req);
      const s = await customerStatement(db, actorOf(req), req.params.id, req.query.from, req.query.to);
      type Row = { date: string; kind: string; number: string; reference: string | null; debit: bigint | null; credit: bigint | null; balance: bigint };
      const kinds = { invoice: ['开票', 'Invoice'], red_invoice: ['红字发票', 'Credit note'], receipt: ['回款', 'Receipt'], opening: ['期初余额', 'Opening'], closing: ['期末余额', 'Closing'] } as const;
      const k = (key: keyof typeof kinds) => kinds[key][locale === 'zh-CN' ? 0 : 1];
      const rows: Row[] = [
        { date: s.from, kind: k('opening'), number: '', reference: null, debit: null, credit: null, balance: s.openingFen },
        ...s.entries.map((e) => ({ date: e.date, kind: k(e.kind), number: e.number, reference: e.reference, debit: e.debitFen || null, credit: e.creditFen || null, balance: e.balanceFen })),
        { date: s.to, kind: k('closing'), number: '', reference: null, debit: null, credit: null, balance: s.closingFen },
      ];
      const columns: ExportColumn<Row>[] = [
        { header: { 'zh-CN': '日期', 'en-US': 'Date' }, value: (x) => x.date, width: 12 },
        { header: { 'zh-CN': '类型', 'en-US': 'Type' }, value: (x) => x.kind },
        { header: { 'zh-CN': '单号', 'en-US': 'Number' }, value: (x) => x.number, width: 18 },
        { header: { 'zh-CN': '发票号/票据号/流水号', 'en-US': 'Reference' }, value: (x) => x.reference, width: 22 },
        { header: { 'zh-CN': '应收增加', 'en-US': 'Debit' }, value: (x) => (x.debit == null ? null : yuan(x.debit)) },
        { header: { 'zh-CN': '应收减少', 'en-US': 'Credit' }, value: (x) => (x.credit == null ? null : yuan(x.credit)) },
        { header: { 'zh-CN': '余额', 'en-US': 'Balance' }, value: (x) => yuan(x.balance) },
      ];
      const file = await buildXlsx(locale === 'zh-CN' ? '对账单' : 'Statement', columns, rows, locale);
      return sendXlsx(reply, `${locale === 'zh-CN' ? '对账单' : 'statement'}-${s.customer.code}-${s.from}-${s.to}.xlsx`, file);
    },
  });
  r.get('/api/customers/:id/credit', {
    // receivables.read: everybody who follows money (sales side in their own scope, finance, management).
    config: { access: 'receivables.read' },
    schema: { tags: ['receivables'], summary: 'Credit status of a customer: limit, receivable, uninvoiced, exposure, available, overdue', params: idParams, response: { 200: creditSchema } },
    handler: async (req) => fenJson(await customerCredit(db, actorOf(req), req.params.id, companyToday())) as never,
  });
}
