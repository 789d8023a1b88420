import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { approvalTrail } from '../../kernel/approvals/approvals.service.js';
import { type ExportColumn, buildXlsx, sendXlsx } from '../../kernel/excel/export.js';
import { requestLocale } from '../../kernel/http/errors-handler.js';
import { pageOf, pageQuery } from '../../kernel/http/paging.js';
import { actorOf } from '../../kernel/http/security.js';
import type { Locale } from '../../kernel/i18n.js';
import {
  cancelReturn,
  createExchangeShipment,
  getReturn,
  inspectReturn,
  activeWarehouses,
  listReturns,
  receiveReturn,
  requestReturn,
  resubmitReturn,
  returnableLines,
  returnRequestType,
  type ReturnRow,
} from './returns.service.js';
import { INSPECTION_RESULTS, RETURN_REASONS, RETURN_RESOLUTIONS, RETURN_STATUSES } from './returns.tables.js';

const row = z.object({
  id: z.number().int(),
  number: z.string(),
  status: z.enum(RETURN_STATUSES),
  orderId: z.number().int(),
  orderNumber: z.string(),
  customerId: z.number().int(),
  customerName: z.string(),
  reason: z.enum(RETURN_REASONS),
  resolution: z.enum(RETURN_RESOLUTIONS),
  description: z.string(),
  createdBy: z.number().int(),
  createdByName: z.string(),
  receivedWarehouseId: z.number().int().nullable(),
  receivedBy: z.number().int().nullable(),
  receivedAt: z.date().nullable(),
  inspectedBy: z.number().int().nullable(),
  inspectedAt: z.date().nullable(),
  exchangeShipmentId: z.number().int().nullable(),
  exchangeShipmentNumber: z.string().nullable(),
  cancelReason: z.string().nullable(),
  totalQuantity: z.number().int(),
  version: z.number().int(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
const line = z.object({
  id: z.number().int(),
  orderLineId: z.number().int(),
  shipmentLineId: z.number().int(),
  shipmentId: z.number().int(),
  shipmentNumber: z.string(),
  productId: z.number().int(),
  productName: z.string(),
  specification: z.string(),
  packageUnit: z.string(),
  batchId: z.number().int(),
  batchNo: z.string(),
  expiresOn: z.string(),
  quantity: z.number().int(),
  inspectionResult: z.enum(INSPECTION_RESULTS).nullable(),
  restockWarehouseId: z.number().int().nullable(),
  inspectionNote: z.string().nullable(),
});
const detail = row.extend({ lines: z.array(line), receivedWarehouseName: z.string().nullable() });
const trail = z.array(
  z.object({
    id: z.number().int(),
    status: z.string(),
    submittedAt: z.date(),
    decidedAt: z.date().nullable(),
    tasks: z.array(
      z.object({
        id: z.number().int(),
        stepSeq: z.number().int(),
        stepName: z.string(),
        approverName: z.string().nullable(),
        decidedByName: z.string().nullable(),
        status: z.string(),
        comment: z.string().nullable(),
        decidedAt: z.date().nullable(),
      }),
    ),
  }),
);

const idParams = z.object({ id: z.coerce.number().int().positive() });
const versionBody = z.object({ version: z.number().int() });
const filter = z.object({
  status: z.enum(RETURN_STATUSES).optional(),
  customerId: z.coerce.number().int().positive().optional(),
  orderId: z.coerce.number().int().positive().optional(),
  reason: z.enum(RETURN_REASONS).optional(),
  resolution: z.enum(RETURN_RESOLUTIONS).optional(),
  q: z.string().trim().max(60).optional(),
});
const createBody = z.object({
  reason: z.enum(RETURN_REASONS),
  resolution: z.enum(RETURN_RESOLUTIONS),
  description: z.string().trim().min(1).max(2000),
  lines: z.array(z.object({ shipmentLineId: z.number().int().positive(), quantity: z.number().int().positive() })).min(1).max(200),
});

const REASON_NAMES: Record<(typeof RETURN_REASONS)[number], Record<Locale, string>> = {
  quality: { 'zh-CN': '质量问题', 'en-US': 'Quality' },
  damage: { 'zh-CN': '破损', 'en-US': 'Damage' },
  near_expiry: { 'zh-CN': '近效期', 'en-US': 'Near expiry' },
  wrong_goods: { 'zh-CN': '错发', 'en-US': 'Wrong goods' },
  other: { 'zh-CN': '其他', 'en-US': 'Other' },
};
const exportColumns = (locale: Locale): ExportColumn<ReturnRow>[] => [
  { header: { 'zh-CN': '退换货单号', 'en-US': 'Number' }, value: (r) => r.number, width: 18 },
  { header: { 'zh-CN': '订单号', 'en-US': 'Order' }, value: (r) => r.orderNumber, width: 18 },
  { header: { 'zh-CN': '客户', 'en-US': 'Customer' }, value: (r) => r.customerName, width: 32 },
  { header: { 'zh-CN': '原因', 'en-US': 'Reason' }, value: (r) => REASON_NAMES[r.reason][locale] },
  { header: { 'zh-CN': '处理方式', 'en-US': 'Resolution' }, value: (r) => (r.resolution === 'refund' ? (locale === 'zh-CN' ? '退货退款' : 'Refund') : locale === 'zh-CN' ? '换货' : 'Exchange') },
  { header: { 'zh-CN': '数量', 'en-US': 'Quantity' }, value: (r) => r.totalQuantity },
  { header: { 'zh-CN': '状态', 'en-US': 'Status' }, value: (r) => returnRequestType.states[r.status]?.[locale] ?? r.status },
  { header: { 'zh-CN': '申请人', 'en-US': 'Requested by' }, value: (r) => r.createdByName },
  { header: { 'zh-CN': '创建时间', 'en-US': 'Created' }, value: (r) => r.createdAt, width: 20 },
];

export async function returnsRoutes(app: FastifyInstance, { db, config }: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['returns'];
  r.get('/api/returns', {
    config: { access: 'returns.read' },
    schema: { tags, summary: 'Return requests of the customers I may see', querystring: pageQuery.extend(filter.shape), response: { 200: pageOf(row) } },
    handler: async (req) => {
      const { page, pageSize, sort, ...f } = req.query;
      return listReturns(db, actorOf(req), f, { page, pageSize, sort });
    },
  });
  r.get('/api/returns/export', {
    config: { access: 'returns.read' },
    schema: { tags, summary: 'The same list as an Excel file (at most 10 000 rows)', querystring: filter.extend({ sort: z.string().max(40).optional() }) },
    handler: async (req, reply) => {
      const { sort, ...f } = req.query;
      const locale = requestLocale(req);
      const { items } = await listReturns(db, actorOf(req), f, { page: 1, pageSize: 10_000, sort });
      const file = await buildXlsx(locale === 'zh-CN' ? '退换货' : 'Returns', exportColumns(locale), items, locale);
      return sendXlsx(reply, `${locale === 'zh-CN' ? '退换货' : 'returns'}-${new Date().toISOString().slice(0, 10)}.xlsx`, file);
    },
  });
  r.get('/api/returns/returnable', {
    config: { access: 'returns.write' },
    schema: {
      tags,
      summary: 'The lines of a shipment a return may name, with the quantity still returnable',
      querystring: z.object({ shipmentId: z.coerce.number().int().positive() }),
      response: {
        200: z.array(
          z.object({
            shipmentLineId: z.number().int(),
            shipmentNumber: z.string(),
            shipmentStatus: z.string(),
            productName: z.string(),
            specification: z.string(),
            packageUnit: z.string(),
            batchNo: z.string(),
            expiresOn: z.string(),
            shipped: z.number().int(),
            returnable: z.number().int(),
          }),
        ),
      },
    },
    handler: async (req) => returnableLines(db, actorOf(req), req.query.shipmentId),
  });
  r.get('/api/returns/warehouses', {
    config: { access: 'returns.inspect' },
    schema: {
      tags,
      summary: 'Active warehouses to receive returns into (quarantine) and restock into (normal)',
      response: { 200: z.array(z.object({ id: z.number().int(), code: z.string(), name: z.string(), kind: z.string(), coldChain: z.boolean() })) },
    },
    handler: async () => activeWarehouses(db),
  });
  r.get('/api/returns/:id', {
    config: { access: 'returns.read' },
    schema: { tags, summary: 'One return request with its lines and approval trail (404 when not visible)', params: idParams, response: { 200: detail.extend({ approvals: trail }) } },
    handler: async (req) => {
      const ret = await getReturn(db, actorOf(req), req.params.id);
      return { ...ret, approvals: await approvalTrail(db, 'return_request', ret.id) };
    },
  });
  r.post('/api/returns', {
    config: { access: 'returns.write' },
    schema: { tags, summary: 'Request a return of shipped batches and submit it for approval', body: createBody, response: { 200: z.object({ returnRequest: detail, approved: z.boolean() }) } },
    handler: async (req) => requestReturn(db, actorOf(req), req.body, config.timeZone),
  });
  r.post('/api/returns/:id/submit', {
    config: { access: 'returns.write' },
    schema: { tags, summary: 'Submit a request sent back by the approver again', params: idParams, body: versionBody, response: { 200: z.object({ returnRequest: detail, approved: z.boolean() }) } },
    handler: async (req) => resubmitReturn(db, actorOf(req), req.params.id, req.body.version),
  });
  r.post('/api/returns/:id/cancel', {
    config: { access: 'returns.write' },
    schema: { tags, summary: 'Cancel before the goods come back', params: idParams, body: versionBody.extend({ reason: z.string().trim().min(1).max(500) }), response: { 200: detail } },
    handler: async (req) => cancelReturn(db, actorOf(req), req.params.id, req.body),
  });
  r.post('/api/returns/:id/receive', {
    config: { access: 'returns.inspect' },
    schema: {
      tags,
      summary: 'Receive the returned goods into a quarantine warehouse',
      params: idParams,
      body: versionBody.extend({ warehouseId: z.number().int().positive(), note: z.string().trim().max(500).nullable().optional() }),
      response: { 200: detail },
    },
    handler: async (req) => receiveReturn(db, actorOf(req), req.params.id, req.body),
  });
  r.post('/api/returns/:id/inspect', {
    config: { access: 'returns.inspect' },
    schema: {
      tags,
      summary: 'Quality inspection per line: restock (to a normal warehouse), keep in quarantine, or destroy',
      params: idParams,
      body: versionBody.extend({
        lines: z
          .array(
            z.object({
              returnLineId: z.number().int().positive(),
              result: z.enum(INSPECTION_RESULTS),
              restockWarehouseId: z.number().int().positive().nullable().optional(),
              note: z.string().trim().max(500).nullable().optional(),
            }),
          )
          .min(1)
          .max(200),
      }),
      response: { 200: detail },
    },
    handler: async (req) => inspectReturn(db, actorOf(req), req.params.id, req.body),
  });
  r.post('/api/returns/:id/exchange-shipment', {
    config: { access: 'shipments.write' },
    schema: {
      tags,
      summary: 'For an exchange: reserve the goods again and create the replacement shipment',
      params: idParams,
      body: versionBody,
      response: { 200: z.object({ returnRequest: detail, shipmentId: z.number().int() }) },
    },
    handler: async (req) => createExchangeShipment(db, actorOf(req), req.params.id, req.body.version, config.timeZone),
  });
}
