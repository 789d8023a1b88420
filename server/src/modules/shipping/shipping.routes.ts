import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { type ExportColumn, buildXlsx, sendXlsx } from '../../kernel/excel/export.js';
import { requestLocale } from '../../kernel/http/errors-handler.js';
import { pageOf, pageQuery, queryBoolean } from '../../kernel/http/paging.js';
import { actorOf } from '../../kernel/http/security.js';
import type { Locale } from '../../kernel/i18n.js';
import { printContext, type PrintTemplate } from '../../kernel/print/document.js';
import { renderPrintHtml } from '../../kernel/print/html.js';
import { renderPdf } from '../../kernel/print/pdf.js';
import { printQuery, sendPdf, sendPrintHtml } from '../../kernel/print/print.routes.js';
import { deliveryNoteTemplate, getShipmentPrint, pickingListTemplate, type ShipmentPrint } from './delivery-note.js';
import {
  cancelShipment,
  checkShipment,
  confirmDelivery,
  createShipments,
  dispatchShipment,
  getShippable,
  getShipment,
  listShipments,
  type ShipmentRow,
  shipmentType,
  shippableOrders,
} from './shipping.service.js';
import { SHIPMENT_KINDS, SHIPMENT_STATUSES } from './shipping.tables.js';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const row = z.object({
  id: z.number().int(),
  number: z.string(),
  status: z.enum(SHIPMENT_STATUSES),
  kind: z.enum(SHIPMENT_KINDS),
  orderId: z.number().int(),
  orderNumber: z.string(),
  customerId: z.number().int(),
  customerName: z.string(),
  warehouseId: z.number().int(),
  warehouseName: z.string(),
  shipToAddress: z.string().nullable(),
  shipToContact: z.string().nullable(),
  shipToPhone: z.string().nullable(),
  carrier: z.string().nullable(),
  trackingNo: z.string().nullable(),
  coldChain: z.boolean(),
  temperatureLoggerId: z.string().nullable(),
  startTempTenths: z.number().int().nullable(),
  endTempTenths: z.number().int().nullable(),
  createdBy: z.number().int(),
  createdByName: z.string(),
  checkedBy: z.number().int().nullable(),
  checkedByName: z.string().nullable(),
  checkedAt: z.date().nullable(),
  dispatchedBy: z.number().int().nullable(),
  dispatchedByName: z.string().nullable(),
  dispatchedAt: z.date().nullable(),
  dispatchedOn: z.string().nullable(),
  deliveredAt: z.date().nullable(),
  deliveredNote: z.string().nullable(),
  cancelReason: z.string().nullable(),
  notes: z.string().nullable(),
  totalQuantity: z.number().int(),
  version: z.number().int(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
const line = z.object({
  id: z.number().int(),
  orderLineId: z.number().int(),
  lineNo: z.number().int(),
  productId: z.number().int(),
  productCode: z.string(),
  productName: z.string(),
  specification: z.string(),
  packageUnit: z.string(),
  manufacturer: z.string(),
  approvalNumber: z.string(),
  storageCondition: z.string(),
  batchId: z.number().int(),
  batchNo: z.string(),
  manufacturedOn: z.string().nullable(),
  expiresOn: z.string(),
  warehouseId: z.number().int(),
  quantity: z.number().int(),
  returnedOrRequested: z.number().int(),
});
const detail = row.extend({
  lines: z.array(line),
  returns: z.array(z.object({ id: z.number().int(), number: z.string(), status: z.string() })),
  exchangeForReturnId: z.number().int().nullable(),
});
const shippableLine = z.object({
  orderLineId: z.number().int(),
  lineNo: z.number().int(),
  productId: z.number().int(),
  productName: z.string(),
  specification: z.string(),
  packageUnit: z.string(),
  coldChain: z.boolean(),
  warehouseId: z.number().int(),
  warehouseName: z.string(),
  batchId: z.number().int(),
  batchNo: z.string(),
  expiresOn: z.string(),
  reserved: z.number().int(),
  onOpenShipments: z.number().int(),
  available: z.number().int(),
});

const idParams = z.object({ id: z.coerce.number().int().positive() });
const versionBody = z.object({ version: z.number().int() });
const filter = z.object({
  status: z.enum(SHIPMENT_STATUSES).optional(),
  customerId: z.coerce.number().int().positive().optional(),
  orderId: z.coerce.number().int().positive().optional(),
  from: day.optional(),
  to: day.optional(),
  coldChain: queryBoolean.optional(),
  q: z.string().trim().max(60).optional(),
});
const text = (max: number) => z.string().trim().max(max).nullable().optional();
const createBody = z.object({
  orderId: z.number().int().positive(),
  lines: z
    .array(z.object({ orderLineId: z.number().int().positive(), warehouseId: z.number().int().positive(), batchId: z.number().int().positive(), quantity: z.number().int().positive() }))
    .min(1)
    .max(500)
    .nullable()
    .optional(),
  shipToAddress: text(300),
  shipToContact: text(60),
  shipToPhone: text(40),
  notes: text(1000),
});
const dispatchBody = versionBody.extend({
  carrier: z.string().trim().max(60),
  trackingNo: text(60),
  selfDelivery: z.boolean().optional(),
  temperatureLoggerId: text(60),
  startTempTenths: z.number().int().min(-500).max(500).nullable().optional(),
  endTempTenths: z.number().int().min(-500).max(500).nullable().optional(),
});

const statusName = (s: string, locale: Locale) => shipmentType.states[s]?.[locale] ?? s;
const exportColumns = (locale: Locale): ExportColumn<ShipmentRow>[] => [
  { header: { 'zh-CN': '发货单号', 'en-US': 'Number' }, value: (s) => s.number, width: 18 },
  { header: { 'zh-CN': '订单号', 'en-US': 'Order' }, value: (s) => s.orderNumber, width: 18 },
  { header: { 'zh-CN': '客户', 'en-US': 'Customer' }, value: (s) => s.customerName, width: 32 },
  { header: { 'zh-CN': '仓库', 'en-US': 'Warehouse' }, value: (s) => s.warehouseName },
  { header: { 'zh-CN': '状态', 'en-US': 'Status' }, value: (s) => statusName(s.status, locale) },
  { header: { 'zh-CN': '冷链', 'en-US': 'Cold chain' }, value: (s) => (s.coldChain ? (locale === 'zh-CN' ? '是' : 'yes') : '') },
  { header: { 'zh-CN': '数量', 'en-US': 'Quantity' }, value: (s) => s.totalQuantity },
  { header: { 'zh-CN': '承运商', 'en-US': 'Carrier' }, value: (s) => s.carrier },
  { header: { 'zh-CN': '运单号', 'en-US': 'Tracking no.' }, value: (s) => s.trackingNo, width: 20 },
  { header: { 'zh-CN': '发货日期', 'en-US': 'Dispatched on' }, value: (s) => s.dispatchedOn },
  { header: { 'zh-CN': '签收时间', 'en-US': 'Delivered' }, value: (s) => s.deliveredAt, width: 20 },
  { header: { 'zh-CN': '创建时间', 'en-US': 'Created' }, value: (s) => s.createdAt, width: 20 },
];

export async function shippingRoutes(app: FastifyInstance, { db, config }: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['shipments'];
  r.get('/api/shipments', {
    config: { access: 'shipments.read' },
    schema: { tags, summary: 'Shipments of the customers I may see', querystring: pageQuery.extend(filter.shape), response: { 200: pageOf(row) } },
    handler: async (req) => {
      const { page, pageSize, sort, ...f } = req.query;
      return listShipments(db, actorOf(req), f, { page, pageSize, sort }, config.timeZone);
    },
  });
  r.get('/api/shipments/export', {
    config: { access: 'shipments.read' },
    schema: { tags, summary: 'The same list as an Excel file (at most 10 000 rows)', querystring: filter.extend({ sort: z.string().max(40).optional() }) },
    handler: async (req, reply) => {
      const { sort, ...f } = req.query;
      const locale = requestLocale(req);
      const { items } = await listShipments(db, actorOf(req), f, { page: 1, pageSize: 10_000, sort }, config.timeZone);
      const file = await buildXlsx(locale === 'zh-CN' ? '发货单' : 'Shipments', exportColumns(locale), items, locale);
      return sendXlsx(reply, `${locale === 'zh-CN' ? '发货单' : 'shipments'}-${new Date().toISOString().slice(0, 10)}.xlsx`, file);
    },
  });
  r.get('/api/shipments/shippable-orders', {
    config: { access: 'shipments.write' },
    schema: {
      tags,
      summary: 'Released orders with reserved stock not yet on an open shipment (order picker)',
      querystring: z.object({ q: z.string().trim().max(60).optional() }),
      response: {
        200: z.array(z.object({ id: z.number().int(), number: z.string(), status: z.string(), customerId: z.number().int(), customerName: z.string(), orderDate: z.string(), openQuantity: z.number().int() })),
      },
    },
    handler: async (req) => shippableOrders(db, actorOf(req), req.query.q),
  });
  r.get('/api/shipments/shippable', {
    config: { access: 'shipments.write' },
    schema: {
      tags,
      summary: 'What of an order may be shipped: its reservations batch by batch, less open shipments',
      querystring: z.object({ orderId: z.coerce.number().int().positive() }),
      response: { 200: z.object({ orderId: z.number().int(), orderNumber: z.string(), status: z.string(), customerId: z.number().int(), customerName: z.string(), lines: z.array(shippableLine) }) },
    },
    handler: async (req) => getShippable(db, actorOf(req), req.query.orderId),
  });
  r.get('/api/shipments/:id', {
    config: { access: 'shipments.read' },
    schema: { tags, summary: 'One shipment with its lines (404 when not visible)', params: idParams, response: { 200: detail } },
    handler: async (req) => getShipment(db, actorOf(req), req.params.id),
  });
  r.post('/api/shipments', {
    config: { access: 'shipments.write' },
    schema: {
      tags,
      summary: 'Create the shipment(s) of a released order: whole (no lines) or chosen batches; one shipment per warehouse',
      body: createBody,
      response: { 200: z.object({ shipments: z.array(detail) }) },
    },
    handler: async (req) => ({ shipments: await createShipments(db, actorOf(req), req.body, config.timeZone) }),
  });
  r.post('/api/shipments/:id/check', {
    config: { access: 'shipments.check' },
    schema: { tags, summary: 'Four-eyes check of the picked goods (not by the creator)', params: idParams, body: versionBody.extend({ note: text(500) }), response: { 200: detail } },
    handler: async (req) => checkShipment(db, actorOf(req), req.params.id, req.body.version, req.body.note ?? null),
  });
  r.post('/api/shipments/:id/dispatch', {
    config: { access: 'shipments.write' },
    schema: {
      tags,
      summary: 'Dispatch: carrier and tracking (none for self-delivery), cold-chain record in tenths of °C (20–80); stock leaves',
      params: idParams,
      body: dispatchBody,
      response: { 200: detail },
    },
    handler: async (req) => dispatchShipment(db, actorOf(req), req.params.id, req.body),
  });
  r.post('/api/shipments/:id/deliver', {
    config: { access: 'shipments.write' },
    schema: {
      tags,
      summary: 'Confirm delivery (签收) with time and note',
      params: idParams,
      body: versionBody.extend({ deliveredAt: z.coerce.date().nullable().optional(), note: text(500) }),
      response: { 200: detail },
    },
    handler: async (req) => confirmDelivery(db, actorOf(req), req.params.id, req.body),
  });
  r.post('/api/shipments/:id/cancel', {
    config: { access: 'shipments.write' },
    schema: { tags, summary: 'Cancel before dispatch (the reservations stay with the order)', params: idParams, body: versionBody.extend({ reason: z.string().trim().min(1).max(500) }), response: { 200: detail } },
    handler: async (req) => cancelShipment(db, actorOf(req), req.params.id, req.body),
  });

  const printRoutes = (path: string, template: PrintTemplate<ShipmentPrint>, what: string) => {
    r.get(`/api/shipments/:id/${path}`, {
      config: { access: 'shipments.read' },
      schema: { tags, summary: `${what} as an HTML print view (layout a4, continuous or continuous-half)`, params: idParams, querystring: printQuery },
      handler: async (req, reply) => {
        const ctx = printContext(req.query.layout, requestLocale(req));
        const data = await getShipmentPrint(db, actorOf(req), req.params.id);
        const base = `/api/shipments/${req.params.id}/${path}`;
        return sendPrintHtml(reply, renderPrintHtml(template, data, ctx, { pdfUrl: `${base}.pdf?layout=${ctx.layoutName}`, layoutUrl: (layout) => `${base}?layout=${layout}` }));
      },
    });
    r.get(`/api/shipments/:id/${path}.pdf`, {
      config: { access: 'shipments.read' },
      schema: { tags, summary: `${what} as a PDF`, params: idParams, querystring: printQuery },
      handler: async (req, reply) => {
        const ctx = printContext(req.query.layout, requestLocale(req));
        const data = await getShipmentPrint(db, actorOf(req), req.params.id);
        return sendPdf(reply, template.fileName(data, ctx), await renderPdf(template, data, ctx));
      },
    });
  };
  printRoutes('delivery-note', deliveryNoteTemplate, 'The delivery note (随货同行单)');
  printRoutes('picking-list', pickingListTemplate, 'The picking list (拣货单)');
}
