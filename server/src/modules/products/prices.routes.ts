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
import { fenToYuan } from '../../kernel/money.js';
import { type PriceCandidate, resolvePrice } from './price-resolution.js';
import { PRODUCT_LABELS } from './products.labels.js';
import { createPriceBody, priceFilter, priceListQuery, priceRow, resolveQuery, resolveResponse, updatePriceBody } from './products.schemas.js';
import { createPrice, deletePrice, getPrice, listAllPrices, listPrices, type PriceRow, updatePrice } from './prices.service.js';

const idParams = z.object({ id: z.coerce.number().int().positive() });

function exportColumns(locale: Locale): ExportColumn<PriceRow>[] {
  const kind = (k: string) => (PRODUCT_LABELS.priceKind as Record<string, Record<Locale, string>>)[k]?.[locale] ?? k;
  const type = (k: string | null) => (k ? ((PRODUCT_LABELS.customerType as Record<string, Record<Locale, string>>)[k]?.[locale] ?? k) : '');
  return [
    { header: { 'zh-CN': '产品编码', 'en-US': 'Product code' }, value: (p) => p.product.code },
    { header: { 'zh-CN': '通用名', 'en-US': 'Generic name' }, width: 20, value: (p) => p.product.genericName },
    { header: { 'zh-CN': '规格', 'en-US': 'Specification' }, width: 18, value: (p) => p.product.specification },
    { header: { 'zh-CN': '价格类型', 'en-US': 'Kind' }, value: (p) => kind(p.kind) },
    { header: { 'zh-CN': '金额（元）', 'en-US': 'Amount (CNY)' }, value: (p) => fenToYuan(BigInt(p.amountFen)) },
    { header: { 'zh-CN': '生效日期', 'en-US': 'Valid from' }, value: (p) => p.validFrom },
    { header: { 'zh-CN': '失效日期', 'en-US': 'Valid to' }, value: (p) => p.validTo ?? '' },
    { header: { 'zh-CN': '客户类型', 'en-US': 'Customer type' }, value: (p) => type(p.customerType) },
    { header: { 'zh-CN': '区域', 'en-US': 'Territory' }, value: (p) => p.territory?.name ?? '' },
    { header: { 'zh-CN': '指定客户', 'en-US': 'Customer' }, width: 24, value: (p) => p.customer?.name ?? '' },
    { header: { 'zh-CN': '招标项目', 'en-US': 'Tender' }, width: 24, value: (p) => p.tenderName },
    { header: { 'zh-CN': '备注', 'en-US': 'Notes' }, width: 24, value: (p) => p.notes },
  ];
}

const candidateOut = (c: PriceCandidate) => ({ ...c, amountFen: c.amountFen.toString() });

export async function pricesRoutes(app: FastifyInstance, { db, config }: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/prices', {
    config: { access: 'prices.read' },
    schema: { tags: ['prices'], summary: 'Prices, paged and filtered (product, kind, target, valid on a day); amounts in fen as strings', querystring: priceListQuery, response: { 200: pageOf(priceRow) } },
    handler: async (req) => {
      const { page, pageSize, sort, ...filter } = req.query;
      return listPrices(db, actorOf(req), filter, { page, pageSize, sort });
    },
  });
  r.get('/api/prices/export.xlsx', {
    config: { access: 'prices.read' },
    schema: { tags: ['prices'], summary: 'The same list as an Excel file (all pages, amounts in yuan)', querystring: priceFilter.extend({ sort: z.string().max(40).optional() }) },
    handler: async (req, reply) => {
      const { sort, ...filter } = req.query;
      const locale = requestLocale(req);
      const rows = await listAllPrices(db, actorOf(req), filter, sort);
      const body = await buildXlsx(locale === 'zh-CN' ? '价格' : 'Prices', exportColumns(locale), rows, locale);
      return sendXlsx(reply, `${locale === 'zh-CN' ? '价格表' : 'prices'}-${todayIn(config.timeZone)}.xlsx`, body);
    },
  });
  r.get('/api/prices/resolve', {
    config: { access: 'prices.read' },
    schema: {
      tags: ['prices'],
      summary: 'The price a customer pays for a product on a day and the rule it came from (404 when the customer is outside the caller’s scope)',
      querystring: resolveQuery,
      response: { 200: resolveResponse },
    },
    handler: async (req) => {
      const resolved = await resolvePrice(db, req.query, actorOf(req));
      return {
        ...resolved,
        amountFen: resolved.amountFen?.toString() ?? null,
        source: resolved.source ? candidateOut(resolved.source) : null,
        candidates: resolved.candidates.map(candidateOut),
      };
    },
  });
  r.get('/api/prices/:id', {
    config: { access: 'prices.read' },
    schema: { tags: ['prices'], summary: 'One price', params: idParams, response: { 200: priceRow } },
    handler: async (req) => getPrice(db, actorOf(req), req.params.id),
  });
  r.post('/api/prices', {
    config: { access: 'prices.write' },
    schema: { tags: ['prices'], summary: 'Add a price (amountFen: whole fen as a string); refused when it overlaps a price of the same kind and target', body: createPriceBody, response: { 200: priceRow } },
    handler: async (req) => createPrice(db, actorOf(req), req.body),
  });
  r.patch('/api/prices/:id', {
    config: { access: 'prices.write' },
    schema: { tags: ['prices'], summary: 'Change a price (send the version you read)', params: idParams, body: updatePriceBody, response: { 200: priceRow } },
    handler: async (req) => updatePrice(db, actorOf(req), req.params.id, req.body),
  });
  r.delete('/api/prices/:id', {
    config: { access: 'prices.write' },
    schema: { tags: ['prices'], summary: 'Delete a price entered by mistake (to end a price, set its valid-to date)', params: idParams, response: { 204: z.null() } },
    handler: async (req, reply) => {
      await deletePrice(db, actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  });
}
