import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { DomainError } from '../../kernel/errors.js';
import { type ExportColumn, buildXlsx, sendXlsx } from '../../kernel/excel/export.js';
import { requestLocale } from '../../kernel/http/errors-handler.js';
import { pageOf, pageQuery, queryBoolean } from '../../kernel/http/paging.js';
import { actorOf } from '../../kernel/http/security.js';
import type { Locale } from '../../kernel/i18n.js';
import { fenToYuan, parseYuan } from '../../kernel/money.js';
import { INVOICE_KINDS, INVOICE_STATUSES, INVOICE_TYPES } from './finance.tables.js';
import {
  type InvoiceRow,
  type TaxImportRow,
  cancelInvoice,
  createDraftInvoice,
  createRedInvoice,
  getInvoice,
  importTaxNumbers,
  invoiceableLines,
  issueInvoice,
  listInvoices,
  redPendingLines,
} from './invoices.service.js';

/** bigint → string for the API (money crosses as a string of fen), recursively. */
export function fenJson<T>(value: T): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(fenJson);
  if (value && typeof value === 'object' && !(value instanceof Date)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fenJson(v)]));
  return value;
}

const fen = z.string();
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const idParams = z.object({ id: z.coerce.number().int().positive() });

const invoiceRow = z.object({
  id: z.number().int(),
  number: z.string(),
  kind: z.enum(INVOICE_KINDS),
  invoiceType: z.enum(INVOICE_TYPES),
  status: z.enum(INVOICE_STATUSES),
  customerId: z.number().int(),
  customerName: z.string(),
  orderId: z.number().int().nullable(),
  orderNumber: z.string().nullable(),
  originalInvoiceId: z.number().int().nullable(),
  originalNumber: z.string().nullable(),
  returnId: z.number().int().nullable(),
  taxInvoiceCode: z.string().nullable(),
  taxInvoiceNo: z.string().nullable(),
  issuedOn: z.string().nullable(),
  dueOn: z.string().nullable(),
  amountFen: fen,
  taxFen: fen,
  paidFen: fen,
  creditedFen: fen,
  openFen: fen,
  reason: z.string().nullable(),
  notes: z.string().nullable(),
  createdBy: z.number().int(),
  issuedBy: z.number().int().nullable(),
  version: z.number().int(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export const allocationRow = z.object({
  id: z.number().int(),
  receiptId: z.number().int(),
  receiptNumber: z.string(),
  invoiceId: z.number().int(),
  invoiceNumber: z.string(),
  amountFen: fen,
  receivedOn: z.string(),
  allocatedAt: z.date(),
  allocatedByName: z.string(),
});
const invoiceDetail = invoiceRow.extend({
  lines: z.array(
    z.object({
      id: z.number().int(),
      orderLineId: z.number().int(),
      orderNumber: z.string(),
      lineNo: z.number().int(),
      productId: z.number().int(),
      productName: z.string(),
      spec: z.string().nullable(),
      quantity: z.number().int(),
      unitPriceFen: fen,
      amountFen: fen,
      vatRateBp: z.number().int(),
      taxFen: fen,
      redQty: z.number().int(),
    }),
  ),
  allocations: z.array(allocationRow),
  reds: z.array(z.object({ id: z.number().int(), number: z.string(), status: z.enum(INVOICE_STATUSES), amountFen: fen, issuedOn: z.string().nullable() })),
  customerInvoiceInfo: z.object({
    invoiceTitle: z.string().nullable(),
    taxNumber: z.string().nullable(),
    bankName: z.string().nullable(),
    bankAccount: z.string().nullable(),
    invoiceAddress: z.string().nullable(),
    invoicePhone: z.string().nullable(),
  }),
});
const worklistLine = z.object({
  orderLineId: z.number().int(),
  orderId: z.number().int(),
  orderNumber: z.string(),
  orderDate: z.string(),
  customerId: z.number().int(),
  customerName: z.string(),
  lineNo: z.number().int(),
  productId: z.number().int(),
  productName: z.string(),
  spec: z.string().nullable(),
  quantity: z.number().int(),
  shippedQty: z.number().int(),
  returnedQty: z.number().int(),
  invoicedQty: z.number().int(),
  draftQty: z.number().int(),
  invoiceableQty: z.number().int(),
  unitPriceFen: fen,
  amountFen: fen,
  vatRateBp: z.number().int(),
});
const redPendingLine = worklistLine.extend({ excessQty: z.number().int(), returnId: z.number().int().nullable(), returnNumber: z.string().nullable() });

const filter = z.object({
  status: z.enum(INVOICE_STATUSES).optional(),
  kind: z.enum(INVOICE_KINDS).optional(),
  invoiceType: z.enum(INVOICE_TYPES).optional(),
  customerId: z.coerce.number().int().positive().optional(),
  orderId: z.coerce.number().int().positive().optional(),
  from: date.optional(),
  to: date.optional(),
  open: queryBoolean.optional(),
  q: z.string().trim().max(60).optional(),
});
const lineInput = z.object({ orderLineId: z.number().int().positive(), quantity: z.number().int().positive().max(10_000_000) });

const NAMES = {
  status: { draft: { 'zh-CN': '待开', 'en-US': 'Draft' }, issued: { 'zh-CN': '已开', 'en-US': 'Issued' }, cancelled: { 'zh-CN': '作废', 'en-US': 'Cancelled' } },
  kind: { blue: { 'zh-CN': '蓝字', 'en-US': 'Invoice' }, red: { 'zh-CN': '红字', 'en-US': 'Credit note' } },
  type: { special: { 'zh-CN': '专票', 'en-US': 'Special VAT' }, normal: { 'zh-CN': '普票', 'en-US': 'Normal VAT' } },
} as const;
const exportColumns = (locale: Locale): ExportColumn<InvoiceRow>[] => [
  { header: { 'zh-CN': '开票单号', 'en-US': 'Number' }, value: (i) => i.number, width: 18 },
  { header: { 'zh-CN': '红/蓝', 'en-US': 'Kind' }, value: (i) => NAMES.kind[i.kind][locale] },
  { header: { 'zh-CN': '票种', 'en-US': 'Type' }, value: (i) => NAMES.type[i.invoiceType][locale] },
  { header: { 'zh-CN': '状态', 'en-US': 'Status' }, value: (i) => NAMES.status[i.status][locale] },
  { header: { 'zh-CN': '客户', 'en-US': 'Customer' }, value: (i) => i.customerName, width: 32 },
  { header: { 'zh-CN': '订单', 'en-US': 'Order' }, value: (i) => i.orderNumber, width: 18 },
  { header: { 'zh-CN': '发票代码', 'en-US': 'Tax code' }, value: (i) => i.taxInvoiceCode, width: 14 },
  { header: { 'zh-CN': '发票号码', 'en-US': 'Tax number' }, value: (i) => i.taxInvoiceNo, width: 22 },
  { header: { 'zh-CN': '开票日期', 'en-US': 'Issued' }, value: (i) => i.issuedOn, width: 12 },
  { header: { 'zh-CN': '到期日', 'en-US': 'Due' }, value: (i) => i.dueOn, width: 12 },
  { header: { 'zh-CN': '价税合计', 'en-US': 'Amount' }, value: (i) => Number(fenToYuan(i.amountFen)) },
  { header: { 'zh-CN': '税额', 'en-US': 'Tax' }, value: (i) => Number(fenToYuan(i.taxFen)) },
  { header: { 'zh-CN': '已回款', 'en-US': 'Paid' }, value: (i) => Number(fenToYuan(i.paidFen)) },
  { header: { 'zh-CN': '已红冲', 'en-US': 'Credited' }, value: (i) => Number(fenToYuan(i.creditedFen)) },
  { header: { 'zh-CN': '未收', 'en-US': 'Open' }, value: (i) => Number(fenToYuan(i.openFen)) },
];

/** Header names of the tax system's export (增值税发票综合服务平台 / 全电) that the import reads. */
const TAX_HEADERS = {
  code: ['发票代码'],
  no: ['发票号码', '数电票号码', '全电发票号码'],
  date: ['开票日期'],
  amount: ['价税合计', '价税合计(元)', '金额合计'],
  customer: ['购方名称', '购买方名称'],
  ours: ['备注', '我方单号'],
};

async function readTaxExport(buffer: Buffer): Promise<TaxImportRow[]> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch {
    throw new DomainError('INVOICE_IMPORT_FILE_INVALID', {}, 422);
  }
  const sheet = wb.worksheets[0];
  if (!sheet) throw new DomainError('INVOICE_IMPORT_FILE_INVALID', {}, 422);
  const header = (sheet.getRow(1).values as unknown[]).map((v) => String(v ?? '').trim());
  const col = (names: string[]) => header.findIndex((h) => names.includes(h));
  const cols = Object.fromEntries(Object.entries(TAX_HEADERS).map(([k, names]) => [k, col(names)])) as Record<keyof typeof TAX_HEADERS, number>;
  if (cols.no < 0 || cols.date < 0) throw new DomainError('INVOICE_IMPORT_FILE_INVALID', {}, 422);
  const rows: TaxImportRow[] = [];
  const cell = (r: ExcelJS.Row, i: number) => (i < 0 ? null : r.getCell(i).value);
  sheet.eachRow((r, n) => {
    if (n === 1 || rows.length >= 2000) return;
    const no = String(cell(r, cols.no) ?? '').trim();
    if (!no) return;
    const d = cell(r, cols.date);
    const issuedOn = d instanceof Date ? d.toISOString().slice(0, 10) : String(d ?? '').trim().replace(/[年月/.]/g, '-').replace('日', '').slice(0, 10);
    const amount = cell(r, cols.amount);
    const ours = String(cell(r, cols.ours) ?? '').match(/KP\d{6}-\d{5}/)?.[0] ?? null;
    rows.push({
      row: n,
      taxInvoiceCode: String(cell(r, cols.code) ?? '').trim() || null,
      taxInvoiceNo: no,
      issuedOn,
      amountFen: amount == null ? null : parseYuan(String(amount)),
      customerName: String(cell(r, cols.customer) ?? '').trim() || null,
      ourNumber: ours,
    });
  });
  return rows;
}

/** 开票 invoices: from shipped quantities, VAT, red-letter credits. */
export async function invoicesRoutes(app: FastifyInstance, { db, config }: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/invoices', {
    config: { access: 'invoices.read' },
    schema: { tags: ['invoices'], summary: 'Invoices of the customers I may see', querystring: pageQuery.extend(filter.shape), response: { 200: pageOf(invoiceRow) } },
    handler: async (req) => {
      const { page, pageSize, sort, ...f } = req.query;
      return fenJson(await listInvoices(db, actorOf(req), f, { page, pageSize, sort })) as never;
    },
  });
  r.get('/api/invoices/export', {
    config: { access: 'invoices.read' },
    schema: { tags: ['invoices'], summary: 'The same list as an Excel file (at most 10 000 rows)', querystring: filter.extend({ sort: z.string().max(40).optional() }) },
    handler: async (req, reply) => {
      const { sort, ...f } = req.query;
      const locale = requestLocale(req);
      const { items } = await listInvoices(db, actorOf(req), f, { page: 1, pageSize: 10_000, sort });
      const file = await buildXlsx(locale === 'zh-CN' ? '发票' : 'Invoices', exportColumns(locale), items, locale);
      return sendXlsx(reply, `${locale === 'zh-CN' ? '发票' : 'invoices'}-${new Date().toISOString().slice(0, 10)}.xlsx`, file);
    },
  });
  r.get('/api/invoices/invoiceable', {
    config: { access: 'invoices.read' },
    schema: {
      tags: ['invoices'],
      summary: '待开票: order lines with shipped goods not yet invoiced (shipped − returned − invoiced − on drafts)',
      querystring: z.object({ customerId: z.coerce.number().int().positive().optional() }),
      response: { 200: z.object({ items: z.array(worklistLine) }) },
    },
    handler: async (req) => ({ items: fenJson(await invoiceableLines(db, actorOf(req), req.query)) as never }),
  });
  r.get('/api/invoices/red-pending', {
    config: { access: 'invoices.read' },
    schema: {
      tags: ['invoices'],
      summary: '待红冲: order lines invoiced beyond what the customer kept (goods returned after invoicing)',
      querystring: z.object({ customerId: z.coerce.number().int().positive().optional() }),
      response: { 200: z.object({ items: z.array(redPendingLine) }) },
    },
    handler: async (req) => ({ items: fenJson(await redPendingLines(db, actorOf(req), req.query)) as never }),
  });
  r.get('/api/invoices/:id', {
    config: { access: 'invoices.read' },
    schema: { tags: ['invoices'], summary: 'One invoice with lines, allocations and red invoices (404 when not visible)', params: idParams, response: { 200: invoiceDetail } },
    handler: async (req) => fenJson(await getInvoice(db, actorOf(req), req.params.id)) as never,
  });
  r.post('/api/invoices', {
    config: { access: 'invoices.write' },
    schema: {
      tags: ['invoices'],
      summary: 'Draft a blue invoice from shipped order lines of one customer (票货相符)',
      body: z.object({ customerId: z.number().int().positive(), invoiceType: z.enum(INVOICE_TYPES), lines: z.array(lineInput).min(1).max(200), notes: z.string().trim().max(500).nullable().optional() }),
      response: { 200: invoiceDetail },
    },
    handler: async (req) => fenJson(await createDraftInvoice(db, actorOf(req), req.body, config.timeZone)) as never,
  });
  r.post('/api/invoices/:id/issue', {
    config: { access: 'invoices.write' },
    schema: {
      tags: ['invoices'],
      summary: 'Issue a draft with the tax system’s code/number and date (due date from the customer’s payment terms)',
      params: idParams,
      body: z.object({ version: z.number().int(), taxInvoiceCode: z.string().trim().max(20).nullable().optional(), taxInvoiceNo: z.string().trim().min(1).max(30), issuedOn: date }),
      response: { 200: invoiceDetail },
    },
    handler: async (req) => fenJson(await issueInvoice(db, actorOf(req), req.params.id, req.body)) as never,
  });
  r.post('/api/invoices/:id/cancel', {
    config: { access: 'invoices.write' },
    schema: { tags: ['invoices'], summary: 'Cancel a draft (作废)', params: idParams, body: z.object({ version: z.number().int(), reason: z.string().trim().max(500).nullable().optional() }), response: { 200: invoiceDetail } },
    handler: async (req) => fenJson(await cancelInvoice(db, actorOf(req), req.params.id, req.body.version, req.body.reason ?? null)) as never,
  });
  r.post('/api/invoices/:id/red', {
    config: { access: 'invoices.write' },
    schema: {
      tags: ['invoices'],
      summary: 'Draft a red-letter invoice (红字发票) against this issued blue invoice',
      params: idParams,
      body: z.object({ reason: z.string().trim().min(2).max(500), returnId: z.number().int().positive().nullable().optional(), lines: z.array(lineInput).min(1).max(200) }),
      response: { 200: invoiceDetail },
    },
    handler: async (req) => fenJson(await createRedInvoice(db, actorOf(req), { ...req.body, originalInvoiceId: req.params.id }, config.timeZone)) as never,
  });
  r.post('/api/invoices/import-tax', {
    config: { access: 'invoices.write' },
    schema: {
      tags: ['invoices'],
      summary: 'Issue drafts from the tax system’s Excel export (multipart "file"): matched by our number in 备注, else by 购方名称 + 价税合计',
      consumes: ['multipart/form-data'],
      response: { 200: z.object({ items: z.array(z.object({ row: z.number().int(), invoiceId: z.number().int().nullable(), number: z.string().nullable(), ok: z.boolean(), code: z.string().nullable() })) }) },
    },
    handler: async (req) => {
      const file = await req.file({ limits: { fileSize: 5 * 1024 * 1024 } });
      if (!file) throw new DomainError('INVOICE_IMPORT_FILE_INVALID', {}, 422);
      const rows = await readTaxExport(await file.toBuffer());
      return { items: await importTaxNumbers(db, actorOf(req), rows) };
    },
  });
}
