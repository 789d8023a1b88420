import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { todayIn } from '../../kernel/approvals/approvals.service.js';
import { buildXlsx, type ExportColumn, sendXlsx } from '../../kernel/excel/export.js';
import { requestLocale } from '../../kernel/http/errors-handler.js';
import { pageOf } from '../../kernel/http/paging.js';
import { actorOf } from '../../kernel/http/security.js';
import type { Locale } from '../../kernel/i18n.js';
import { addProductDocument, deleteProductDocument, listProductDocuments, updateProductDocument } from './product-documents.service.js';
import { PRODUCT_LABELS } from './products.labels.js';
import {
  createProductBody,
  productDocumentBody,
  productDocumentRow,
  productFilter,
  productLineBody,
  productLineRow,
  productListQuery,
  productRow,
  updateProductBody,
  updateProductDocumentBody,
} from './products.schemas.js';
import { createProduct, getProduct, listAllProducts, listProductLines, listProducts, productOptions, type ProductRow, saveProductLine, updateProduct } from './products.service.js';

const idParams = z.object({ id: z.coerce.number().int().positive() });

function exportColumns(locale: Locale): ExportColumn<ProductRow>[] {
  const label = <K extends keyof typeof PRODUCT_LABELS>(group: K, value: string) => (PRODUCT_LABELS[group] as Record<string, Record<Locale, string>>)[value]?.[locale] ?? value;
  return [
    { header: { 'zh-CN': '产品编码', 'en-US': 'Code' }, value: (p) => p.code },
    { header: { 'zh-CN': '通用名', 'en-US': 'Generic name' }, width: 20, value: (p) => p.genericName },
    { header: { 'zh-CN': '商品名', 'en-US': 'Trade name' }, value: (p) => p.tradeName },
    { header: { 'zh-CN': '剂型', 'en-US': 'Dosage form' }, value: (p) => label('dosageForm', p.dosageForm) },
    { header: { 'zh-CN': '规格', 'en-US': 'Specification' }, width: 18, value: (p) => p.specification },
    { header: { 'zh-CN': '包装单位', 'en-US': 'Package unit' }, value: (p) => label('packageUnit', p.packageUnit) },
    { header: { 'zh-CN': '包装数量', 'en-US': 'Units per package' }, value: (p) => p.unitsPerPackage },
    { header: { 'zh-CN': '批准文号', 'en-US': 'Approval number' }, width: 20, value: (p) => p.approvalNumber },
    { header: { 'zh-CN': '生产企业', 'en-US': 'Manufacturer' }, width: 24, value: (p) => p.manufacturer },
    { header: { 'zh-CN': '储存条件', 'en-US': 'Storage' }, value: (p) => label('storageCondition', p.storageCondition) },
    { header: { 'zh-CN': '处方分类', 'en-US': 'Prescription class' }, value: (p) => label('prescriptionClass', p.prescriptionClass) },
    { header: { 'zh-CN': '医保类别', 'en-US': 'Reimbursement' }, value: (p) => label('reimbursementClass', p.reimbursementClass) },
    { header: { 'zh-CN': '条形码', 'en-US': 'Barcode' }, value: (p) => p.barcode },
    { header: { 'zh-CN': '产品线', 'en-US': 'Product line' }, value: (p) => p.productLine?.name ?? '' },
    { header: { 'zh-CN': '状态', 'en-US': 'Status' }, value: (p) => label('status', p.status) },
    { header: { 'zh-CN': '资质状态', 'en-US': 'Documents' }, value: (p) => (p.documentsState ? label('expiryState', p.documentsState) : '') },
  ];
}

export async function productsRoutes(app: FastifyInstance, { db, config }: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const today = () => todayIn(config.timeZone);

  r.get('/api/products', {
    config: { access: 'products.read' },
    schema: { tags: ['products'], summary: 'The drug catalogue, paged, sorted and filtered (q: name, pinyin, initials, code or approval number)', querystring: productListQuery, response: { 200: pageOf(productRow) } },
    handler: async (req) => {
      const { page, pageSize, sort, ...filter } = req.query;
      return listProducts(db, filter, { page, pageSize, sort }, today());
    },
  });
  r.get('/api/products/options', {
    config: { access: 'products.read' },
    schema: {
      tags: ['products'],
      summary: 'Products by name, pinyin or code, or by ids — for pickers (at most 20)',
      querystring: z.object({ q: z.string().trim().max(60).optional(), ids: z.string().regex(/^\d+(,\d+){0,19}$/).optional() }),
      response: { 200: z.object({ items: z.array(z.object({ id: z.number().int(), code: z.string(), genericName: z.string(), tradeName: z.string().nullable(), specification: z.string(), manufacturer: z.string(), status: z.string() })) }) },
    },
    handler: async (req) => ({ items: await productOptions(db, req.query.q, req.query.ids?.split(',').map(Number)) }),
  });
  r.get('/api/products/export.xlsx', {
    config: { access: 'products.read' },
    schema: { tags: ['products'], summary: 'The same list as an Excel file (all pages)', querystring: productFilter.extend({ sort: z.string().max(40).optional() }) },
    handler: async (req, reply) => {
      const { sort, ...filter } = req.query;
      const locale = requestLocale(req);
      const rows = await listAllProducts(db, filter, sort, today());
      const body = await buildXlsx(locale === 'zh-CN' ? '药品目录' : 'Products', exportColumns(locale), rows, locale);
      return sendXlsx(reply, `${locale === 'zh-CN' ? '药品目录' : 'products'}-${today()}.xlsx`, body);
    },
  });
  r.get('/api/products/:id', {
    config: { access: 'products.read' },
    schema: { tags: ['products'], summary: 'One product', params: idParams, response: { 200: productRow } },
    handler: async (req) => getProduct(db, req.params.id, today()),
  });
  r.post('/api/products', {
    config: { access: 'products.write' },
    schema: { tags: ['products'], summary: 'Add a product to the catalogue', body: createProductBody, response: { 200: productRow } },
    handler: async (req) => createProduct(db, actorOf(req), req.body, today()),
  });
  r.patch('/api/products/:id', {
    config: { access: 'products.write' },
    schema: { tags: ['products'], summary: 'Change a product, or discontinue it with status (send the version you read)', params: idParams, body: updateProductBody, response: { 200: productRow } },
    handler: async (req) => updateProduct(db, actorOf(req), req.params.id, req.body, today()),
  });

  r.get('/api/product-lines', {
    config: { access: 'products.read' },
    schema: { tags: ['products'], summary: 'Product lines (产品线) with their product counts', response: { 200: z.object({ items: z.array(productLineRow) }) } },
    handler: async () => ({ items: await listProductLines(db) }),
  });
  r.post('/api/product-lines', {
    config: { access: 'products.write' },
    schema: { tags: ['products'], summary: 'Add a product line', body: productLineBody, response: { 200: z.object({ id: z.number().int() }) } },
    handler: async (req) => ({ id: (await saveProductLine(db, actorOf(req), null, req.body)).id }),
  });
  r.patch('/api/product-lines/:id', {
    config: { access: 'products.write' },
    schema: { tags: ['products'], summary: 'Rename, reorder or move a product line', params: idParams, body: productLineBody, response: { 200: z.object({ id: z.number().int() }) } },
    handler: async (req) => ({ id: (await saveProductLine(db, actorOf(req), req.params.id, req.body)).id }),
  });

  r.get('/api/products/:id/documents', {
    config: { access: 'products.read' },
    schema: { tags: ['products'], summary: 'The qualification documents of a product with their expiry state (valid / expiring within 30 days / expired)', params: idParams, response: { 200: z.object({ items: z.array(productDocumentRow) }) } },
    handler: async (req) => ({ items: await listProductDocuments(db, req.params.id, today()) }),
  });
  r.post('/api/products/:id/documents', {
    config: { access: 'products.write' },
    schema: { tags: ['products'], summary: 'Add a qualification document (files: POST /api/documents/product_document/:id/attachments)', params: idParams, body: productDocumentBody, response: { 200: productDocumentRow } },
    handler: async (req) => addProductDocument(db, actorOf(req), req.params.id, req.body, today()),
  });
  r.patch('/api/product-documents/:id', {
    config: { access: 'products.write' },
    schema: { tags: ['products'], summary: 'Change a qualification document (send the version you read)', params: idParams, body: updateProductDocumentBody, response: { 200: productDocumentRow } },
    handler: async (req) => updateProductDocument(db, actorOf(req), req.params.id, req.body, today()),
  });
  r.delete('/api/product-documents/:id', {
    config: { access: 'products.write' },
    schema: { tags: ['products'], summary: 'Remove a qualification document', params: idParams, response: { 204: z.null() } },
    handler: async (req, reply) => {
      await deleteProductDocument(db, actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  });
}
