import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { type ExportColumn, buildXlsx, sendXlsx } from '../../kernel/excel/export.js';
import { requestLocale } from '../../kernel/http/errors-handler.js';
import { pageOf, pageQuery } from '../../kernel/http/paging.js';
import { actorOf } from '../../kernel/http/security.js';
import type { Locale } from '../../kernel/i18n.js';
import { fenToYuan } from '../../kernel/money.js';
import { companyToday } from '../customers/customers.scope.js';
import { orderChain } from './order-chain.js';
import {
  entryContextOut,
  entryContextQuery,
  idParams,
  lastPricesOut,
  lastPricesQuery,
  orderBody,
  orderChainOut,
  orderDetail,
  orderFilter,
  orderRow,
  reasonBody,
  submitResult,
  versionBody,
} from './orders.schemas.js';
import {
  type OrderRow,
  cancelOrder,
  closeBackorder,
  createOrder,
  entryContext,
  getOrder,
  lastPrices,
  listOrders,
  reserveAgain,
  reviewOrder,
  salesOrderType,
  submitOrder,
  updateOrder,
} from './orders.service.js';

const exportColumns = (locale: Locale): ExportColumn<OrderRow>[] => [
  { header: { 'zh-CN': '订单号', 'en-US': 'Number' }, value: (o) => o.number, width: 18 },
  { header: { 'zh-CN': '订单日期', 'en-US': 'Order date' }, value: (o) => o.orderDate, width: 12 },
  { header: { 'zh-CN': '客户编码', 'en-US': 'Customer code' }, value: (o) => o.customerCode },
  { header: { 'zh-CN': '客户', 'en-US': 'Customer' }, value: (o) => o.customerName, width: 36 },
  { header: { 'zh-CN': '负责业务员', 'en-US': 'Rep' }, value: (o) => o.ownerName },
  { header: { 'zh-CN': '状态', 'en-US': 'Status' }, value: (o) => salesOrderType.states[o.status]?.[locale] ?? o.status },
  { header: { 'zh-CN': '紧急', 'en-US': 'Urgent' }, value: (o) => (o.urgency === 'urgent' ? (locale === 'zh-CN' ? '是' : 'yes') : '') },
  { header: { 'zh-CN': '金额（元）', 'en-US': 'Total (CNY)' }, value: (o) => Number(fenToYuan(BigInt(o.totalFen))), width: 14 },
  { header: { 'zh-CN': '异常', 'en-US': 'Exceptions' }, value: (o) => o.problems.map((p) => p.message).join('；'), width: 50 },
  { header: { 'zh-CN': '要求到货', 'en-US': 'Requested delivery' }, value: (o) => o.requestedDeliveryOn, width: 12 },
  { header: { 'zh-CN': '客户订单号', 'en-US': 'Customer PO' }, value: (o) => o.customerPoNumber },
  { header: { 'zh-CN': '录入人', 'en-US': 'Entered by' }, value: (o) => o.enteredByName },
];

/** 订单 sales orders: entry, checks, approval, four-eyes review, release, cancellation, the order chain. */
export async function ordersRoutes(app: FastifyInstance, { db, config }: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['orders'];
  const detail = (req: { params: { id: number } } & Parameters<typeof actorOf>[0]) => getOrder(db, actorOf(req), req.params.id, companyToday());

  r.get('/api/orders', {
    config: { access: 'orders.read' },
    schema: { tags, summary: 'Orders of customers I may see (filters, paging, sort)', querystring: pageQuery.extend(orderFilter.shape), response: { 200: pageOf(orderRow) } },
    handler: async (req) => {
      const { page, pageSize, sort, ...f } = req.query;
      return listOrders(db, actorOf(req), f, { page, pageSize, sort });
    },
  });
  r.get('/api/orders/export', {
    config: { access: 'orders.read' },
    schema: { tags, summary: 'The same list as an Excel file (all pages, at most 10 000 rows)', querystring: orderFilter.extend({ sort: z.string().max(40).optional() }) },
    handler: async (req, reply) => {
      const { sort, ...f } = req.query;
      const locale = requestLocale(req);
      const { items } = await listOrders(db, actorOf(req), f, { page: 1, pageSize: 10_000, sort });
      const file = await buildXlsx(locale === 'zh-CN' ? '订单' : 'Orders', exportColumns(locale), items, locale);
      return sendXlsx(reply, `${locale === 'zh-CN' ? '订单' : 'orders'}-${companyToday()}.xlsx`, file);
    },
  });
  r.get('/api/orders/last-prices', {
    config: { access: 'orders.read' },
    schema: { tags, summary: 'The customer’s last price of each product (productIds comma-separated)', querystring: lastPricesQuery, response: { 200: lastPricesOut } },
    handler: async (req) => lastPrices(db, actorOf(req), req.query.customerId, req.query.productIds),
  });
  r.get('/api/orders/entry-context', {
    config: { access: 'orders.write' },
    schema: {
      tags,
      summary: 'For the entry form: list price, last price, available stock per product and the customer’s credit status',
      querystring: entryContextQuery,
      response: { 200: entryContextOut },
    },
    handler: async (req) => entryContext(db, actorOf(req), req.query.customerId, req.query.productIds, req.query.orderDate ?? companyToday(), companyToday()),
  });
  r.get('/api/orders/:id', {
    config: { access: 'orders.read' },
    schema: { tags, summary: 'One order with lines, problems, reservations, approvals and the customer’s credit', params: idParams, response: { 200: orderDetail } },
    handler: async (req) => detail(req),
  });
  r.get('/api/orders/:id/chain', {
    config: { access: 'orders.read' },
    schema: { tags, summary: 'The order chain: shipments, invoices, receipts allocated to them, returns, and the three indicators', params: idParams, response: { 200: orderChainOut } },
    handler: async (req) => orderChain(db, actorOf(req), req.params.id),
  });
  r.post('/api/orders', {
    config: { access: 'orders.write' },
    schema: { tags, summary: 'Enter a draft order (lines priced from the price list; overrides need a reason)', body: orderBody, response: { 200: orderDetail } },
    handler: async (req) => {
      const id = await createOrder(db, actorOf(req), req.body, companyToday(), config.timeZone);
      return getOrder(db, actorOf(req), id, companyToday());
    },
  });
  r.put('/api/orders/:id', {
    config: { access: 'orders.write' },
    schema: { tags, summary: 'Change a draft order (send the version you read)', params: idParams, body: orderBody.extend(versionBody.shape), response: { 200: orderDetail } },
    handler: async (req) => {
      await updateOrder(db, actorOf(req), req.params.id, req.body);
      return detail(req);
    },
  });
  r.post('/api/orders/:id/submit', {
    config: { access: 'orders.write' },
    schema: {
      tags,
      summary: 'Submit: run the checks; clean → pending review, problems (异常订单) → approval flow; a stock shortage only flags a back-order',
      params: idParams,
      body: versionBody,
      response: { 200: submitResult },
    },
    handler: async (req) => {
      const out = await submitOrder(db, actorOf(req), req.params.id, req.body.version, companyToday());
      return { order: await detail(req), approvalStarted: out.approvalStarted };
    },
  });
  r.post('/api/orders/:id/review', {
    config: { access: 'orders.review' },
    schema: { tags, summary: '双人复核: release the order and reserve stock FEFO (not by whoever entered or submitted it)', params: idParams, body: versionBody.extend({ comment: z.string().trim().max(500).nullable().optional() }), response: { 200: orderDetail } },
    handler: async (req) => {
      await reviewOrder(db, actorOf(req), req.params.id, req.body.version, req.body.comment ?? null, companyToday());
      return detail(req);
    },
  });
  r.post('/api/orders/:id/cancel', {
    config: { access: 'orders.write' },
    schema: { tags, summary: 'Cancel an order nothing of which has shipped (reason required; reservations released)', params: idParams, body: reasonBody, response: { 200: orderDetail } },
    handler: async (req) => {
      await cancelOrder(db, actorOf(req), req.params.id, req.body.version, req.body.reason);
      return detail(req);
    },
  });
  r.post('/api/orders/:id/close-backorder', {
    config: { access: 'orders.write' },
    schema: { tags, summary: 'Close the back-order of a partially shipped order (the rest is not delivered; reservations released)', params: idParams, body: reasonBody, response: { 200: orderDetail } },
    handler: async (req) => {
      await closeBackorder(db, actorOf(req), req.params.id, req.body.version, req.body.reason);
      return detail(req);
    },
  });
  r.post('/api/orders/:id/reserve', {
    config: { access: 'orders.write' },
    schema: { tags, summary: 'Reserve again (FEFO) what is back-ordered, once stock has arrived', params: idParams, body: versionBody, response: { 200: orderDetail.extend({ reservedNow: z.number().int() }) } },
    handler: async (req) => {
      const { reserved } = await reserveAgain(db, actorOf(req), req.params.id, req.body.version, companyToday());
      return { ...(await detail(req)), reservedNow: reserved };
    },
  });
}
