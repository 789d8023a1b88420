import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { todayIn } from '../../kernel/approvals/approvals.service.js';
import { type ExportColumn, buildXlsx, sendXlsx } from '../../kernel/excel/export.js';
import { requestLocale } from '../../kernel/http/errors-handler.js';
import { actorOf } from '../../kernel/http/security.js';
import type { Locale } from '../../kernel/i18n.js';
import { availableStock } from './stock.ledger.js';
import {
  adjustmentBody,
  availabilityQuery,
  availabilityRow,
  balanceFilterQuery,
  balanceListQuery,
  balancePage,
  batchQuery,
  batchRow,
  movementFilterQuery,
  movementListQuery,
  movementPage,
  receiptBody,
  stockDocumentRow,
  stockSettingsBody,
  stockSettingsRow,
  transferBody,
  warehouseCreateBody,
  warehouseListQuery,
  warehouseRow,
  warehouseUpdateBody,
} from './stock.schemas.js';
import { adjustStock, receiveStock, transferStock } from './stock.service.js';
import { allBalances, allMovements, type BalanceRow, listBalances, listMovements, type MovementRow, productBatches } from './stock-views.js';
import type { MovementKind } from './stock.tables.js';
import { createWarehouse, getStockSettings, listWarehouses, updateStockSettings, updateWarehouse } from './warehouses.service.js';

const idParams = z.object({ id: z.coerce.number().int().positive() });

const KIND_NAMES: Record<MovementKind, Record<Locale, string>> = {
  receipt: { 'zh-CN': '入库', 'en-US': 'Receipt' },
  shipment: { 'zh-CN': '出库', 'en-US': 'Shipment' },
  return: { 'zh-CN': '退货入库', 'en-US': 'Return' },
  adjustment: { 'zh-CN': '盘点调整', 'en-US': 'Adjustment' },
  transfer_out: { 'zh-CN': '调拨出', 'en-US': 'Transfer out' },
  transfer_in: { 'zh-CN': '调拨入', 'en-US': 'Transfer in' },
  destroy: { 'zh-CN': '销毁', 'en-US': 'Destroyed' },
};

const yesNo = (b: boolean, locale: Locale) => (b ? (locale === 'zh-CN' ? '是' : 'yes') : '');

const balanceColumns = (locale: Locale): ExportColumn<BalanceRow>[] => [
  { header: { 'zh-CN': '药品编码', 'en-US': 'Code' }, value: (r) => r.code, width: 12 },
  { header: { 'zh-CN': '通用名', 'en-US': 'Generic name' }, value: (r) => r.genericName, width: 22 },
  { header: { 'zh-CN': '规格', 'en-US': 'Specification' }, value: (r) => r.specification, width: 16 },
  { header: { 'zh-CN': '生产企业', 'en-US': 'Manufacturer' }, value: (r) => r.manufacturer, width: 22 },
  { header: { 'zh-CN': '在库', 'en-US': 'On hand' }, value: (r) => r.onHand, width: 10 },
  { header: { 'zh-CN': '已预留', 'en-US': 'Reserved' }, value: (r) => r.reserved, width: 10 },
  { header: { 'zh-CN': '可用', 'en-US': 'Available' }, value: (r) => r.available, width: 10 },
  { header: { 'zh-CN': '安全库存', 'en-US': 'Safety stock' }, value: (r) => r.safetyStock, width: 10 },
  { header: { 'zh-CN': '未满足需求', 'en-US': 'Open demand' }, value: (r) => r.openDemand, width: 10 },
  { header: { 'zh-CN': '近效期数量', 'en-US': 'Near expiry' }, value: (r) => r.nearExpiryQty, width: 10 },
  { header: { 'zh-CN': '过期数量', 'en-US': 'Expired' }, value: (r) => r.expiredQty, width: 10 },
  { header: { 'zh-CN': '低于安全库存', 'en-US': 'Below safety' }, value: (r) => yesNo(r.belowSafety, locale), width: 10 },
  { header: { 'zh-CN': '缺货', 'en-US': 'Shortage' }, value: (r) => yesNo(r.shortage, locale), width: 8 },
];

const movementColumns = (locale: Locale): ExportColumn<MovementRow>[] => [
  { header: { 'zh-CN': '业务日期', 'en-US': 'Date' }, value: (r) => r.businessDate, width: 12 },
  { header: { 'zh-CN': '类型', 'en-US': 'Kind' }, value: (r) => KIND_NAMES[r.kind][locale], width: 10 },
  { header: { 'zh-CN': '单据号', 'en-US': 'Document' }, value: (r) => r.docNumber, width: 18 },
  { header: { 'zh-CN': '仓库', 'en-US': 'Warehouse' }, value: (r) => r.warehouseName, width: 14 },
  { header: { 'zh-CN': '药品编码', 'en-US': 'Code' }, value: (r) => r.productCode, width: 12 },
  { header: { 'zh-CN': '通用名', 'en-US': 'Generic name' }, value: (r) => r.productName, width: 22 },
  { header: { 'zh-CN': '规格', 'en-US': 'Specification' }, value: (r) => r.specification, width: 16 },
  { header: { 'zh-CN': '批号', 'en-US': 'Batch' }, value: (r) => r.batchNo, width: 14 },
  { header: { 'zh-CN': '有效期至', 'en-US': 'Expires' }, value: (r) => r.expiresOn, width: 12 },
  { header: { 'zh-CN': '数量', 'en-US': 'Quantity' }, value: (r) => r.quantity, width: 10 },
  { header: { 'zh-CN': '说明', 'en-US': 'Note' }, value: (r) => r.note, width: 24 },
  { header: { 'zh-CN': '操作人', 'en-US': 'By' }, value: (r) => r.actorName, width: 10 },
  { header: { 'zh-CN': '时间', 'en-US': 'At' }, value: (r) => new Date(r.at), width: 18 },
];

/** 库存 stock: warehouses, batches, balances, movements, receipts, adjustments, transfers, availability. */
export async function stockRoutes(app: FastifyInstance, { db, config }: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const today = () => todayIn(config.timeZone);
  const nearMonths = async () => (await getStockSettings(db)).nearExpiryMonths;

  // ---- Warehouses and settings ------------------------------------------------------------------------
  r.get('/api/warehouses', {
    config: { access: 'stock.read' },
    schema: { tags: ['stock'], summary: 'Warehouses by code, with the quantity each holds', querystring: warehouseListQuery, response: { 200: z.array(warehouseRow) } },
    handler: async (req) => listWarehouses(db, { activeOnly: req.query.active }),
  });
  r.post('/api/warehouses', {
    config: { access: 'stock.configure' },
    schema: { tags: ['stock'], summary: 'Add a warehouse (normal or quarantine, cold chain or not)', body: warehouseCreateBody, response: { 201: warehouseRow } },
    handler: async (req, reply) => reply.code(201).send(await createWarehouse(db, actorOf(req), req.body)),
  });
  r.patch('/api/warehouses/:id', {
    config: { access: 'stock.configure' },
    schema: {
      tags: ['stock'],
      summary: 'Edit or (de)activate a warehouse; one holding stock cannot be deactivated, nor lose its cold-chain flag while holding cold-chain goods',
      params: idParams,
      body: warehouseUpdateBody,
      response: { 200: warehouseRow },
    },
    handler: async (req) => updateWarehouse(db, actorOf(req), req.params.id, req.body),
  });
  r.get('/api/stock/settings', {
    config: { access: 'stock.read' },
    schema: { tags: ['stock'], summary: 'Stock settings: near-expiry months', response: { 200: stockSettingsRow } },
    handler: async () => getStockSettings(db),
  });
  r.put('/api/stock/settings', {
    config: { access: 'stock.configure' },
    schema: { tags: ['stock'], summary: 'Change the near-expiry months (0–36)', body: stockSettingsBody, response: { 200: stockSettingsRow } },
    handler: async (req) => updateStockSettings(db, actorOf(req), req.body),
  });

  // ---- Receipts, adjustments, transfers ---------------------------------------------------------------
  r.post('/api/stock/receipts', {
    config: { access: 'stock.write' },
    schema: { tags: ['stock'], summary: 'Receive goods from production or purchase (one RK- receipt, batch by batch)', body: receiptBody, response: { 201: stockDocumentRow } },
    handler: async (req, reply) => {
      const t = today();
      const doc = await db.transaction((tx) => receiveStock(tx, actorOf(req), { ...req.body, businessDate: req.body.businessDate ?? t }, t));
      return reply.code(201).send(doc);
    },
  });
  r.post('/api/stock/adjustments', {
    config: { access: 'stock.write' },
    schema: { tags: ['stock'], summary: 'Correct a batch in a warehouse after a count (signed quantity, reason required)', body: adjustmentBody, response: { 201: stockDocumentRow } },
    handler: async (req, reply) => {
      const t = today();
      const doc = await db.transaction((tx) => adjustStock(tx, actorOf(req), { ...req.body, businessDate: req.body.businessDate ?? t }, t));
      return reply.code(201).send(doc);
    },
  });
  r.post('/api/stock/transfers', {
    config: { access: 'stock.write' },
    schema: { tags: ['stock'], summary: 'Move batches from one warehouse to another (cold-chain goods only into a cold-chain warehouse)', body: transferBody, response: { 201: stockDocumentRow } },
    handler: async (req, reply) => {
      const t = today();
      const doc = await db.transaction((tx) => transferStock(tx, actorOf(req), { ...req.body, businessDate: req.body.businessDate ?? t }, t));
      return reply.code(201).send(doc);
    },
  });

  // ---- Views ------------------------------------------------------------------------------------------
  r.get('/api/stock/balances', {
    config: { access: 'stock.read' },
    schema: { tags: ['stock'], summary: 'Stock by product: on hand, reserved, available, safety stock, open demand and warnings', querystring: balanceListQuery, response: { 200: balancePage } },
    handler: async (req) => {
      const { page, pageSize, sort, warnings, ...filter } = req.query;
      return listBalances(db, { ...filter, onlyWarnings: warnings }, { page, pageSize, sort }, today(), await nearMonths());
    },
  });
  r.get('/api/stock/balances/export.xlsx', {
    config: { access: 'stock.read' },
    schema: { tags: ['stock'], summary: 'The stock list as Excel (same filters)', querystring: balanceFilterQuery.extend({ sort: z.string().max(40).optional() }) },
    handler: async (req, reply) => {
      const locale = requestLocale(req);
      const { sort, warnings, ...filter } = req.query;
      const rows = await allBalances(db, { ...filter, onlyWarnings: warnings }, sort, today(), await nearMonths());
      return sendXlsx(reply, locale === 'zh-CN' ? `库存-${today()}.xlsx` : `stock-${today()}.xlsx`, await buildXlsx(locale === 'zh-CN' ? '库存' : 'Stock', balanceColumns(locale), rows, locale));
    },
  });
  r.get('/api/stock/products/:id/batches', {
    config: { access: 'stock.read' },
    schema: { tags: ['stock'], summary: 'A product’s batches per warehouse with stock, first expiry first', params: idParams, querystring: batchQuery, response: { 200: z.array(batchRow) } },
    handler: async (req) => productBatches(db, req.params.id, today(), await nearMonths(), req.query.warehouseId),
  });
  r.get('/api/stock/movements', {
    config: { access: 'stock.read' },
    schema: { tags: ['stock'], summary: 'The stock ledger (库存流水), newest first', querystring: movementListQuery, response: { 200: movementPage } },
    handler: async (req) => {
      const { page, pageSize, sort, ...filter } = req.query;
      return listMovements(db, filter, { page, pageSize, sort });
    },
  });
  r.get('/api/stock/movements/export.xlsx', {
    config: { access: 'stock.read' },
    schema: { tags: ['stock'], summary: 'The stock ledger as Excel (same filters, at most 50,000 rows)', querystring: movementFilterQuery.extend({ sort: z.string().max(40).optional() }) },
    handler: async (req, reply) => {
      const locale = requestLocale(req);
      const { sort, ...filter } = req.query;
      const rows = await allMovements(db, filter, sort);
      return sendXlsx(reply, locale === 'zh-CN' ? `库存流水-${today()}.xlsx` : `stock-movements-${today()}.xlsx`, await buildXlsx(locale === 'zh-CN' ? '库存流水' : 'Movements', movementColumns(locale), rows, locale));
    },
  });
  // The order form asks what it could allocate; whoever may read orders may ask (reps included).
  r.get('/api/stock/availability', {
    config: { access: 'orders.read' },
    schema: { tags: ['stock'], summary: 'Stock that could be allocated today per product (normal active warehouses, not expired, not reserved)', querystring: availabilityQuery, response: { 200: z.array(availabilityRow) } },
    handler: async (req) => {
      const map = await availableStock(db, req.query.productIds, today());
      return [...map].map(([productId, available]) => ({ productId, available }));
    },
  });
}
