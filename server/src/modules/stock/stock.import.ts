import { sql } from 'drizzle-orm';
import { type Queryable, rowsOf } from '../../kernel/db/client.js';
import { date, type Importer, integer, reference, text } from '../../kernel/excel/import.js';
import type { StoredCellError } from '../../kernel/excel/import.tables.js';
import { companyToday } from '../customers/customers.scope.js';
import { checkReceiptLines, type ReceiptLine, receiveStock } from './stock.service.js';

/**
 * 入库导入: a stock receipt from an Excel sheet (e.g. the production system's 入库单 export). Each row is
 * a receipt line with the same rules as the form (stock.service.ts checkReceiptLines: cold chain,
 * expired batch, expiry after manufacture, batch expiry consistent); a committed file is one RK- receipt
 * dated today, so a file goes in whole or (valid-only) without its bad rows — never twice.
 */
async function loadWarehouses(db: Queryable, values: string[] | null) {
  const rows = rowsOf<{ id: number; code: string; name: string }>(
    await db.execute(sql`select id, code, name from warehouses where status = 'active'
      ${values ? sql`and (code in (${sql.join([...values, ''].map((v) => sql`${v}`), sql`, `)}) or name in (${sql.join([...values, ''].map((v) => sql`${v}`), sql`, `)}))` : sql``}
      order by code`),
  );
  return rows.map((r) => ({ id: r.id, keys: [r.code, r.name], label: `${r.code} ${r.name}` }));
}

async function loadProducts(db: Queryable, values: string[] | null) {
  if (values === null) return [];
  if (values.length === 0) return [];
  const rows = rowsOf<{ id: number; code: string; name: string }>(
    await db.execute(sql`select id, code, generic_name || ' ' || specification as name from products
      where code in (${sql.join(values.map((v) => sql`${v}`), sql`, `)})`),
  );
  return rows.map((r) => ({ id: r.id, keys: [r.code], label: `${r.code} ${r.name}` }));
}

const FIELD_COLUMN: Record<keyof ReceiptLine, string> = {
  warehouseId: 'warehouseId',
  productId: 'productId',
  batchNo: 'batchNo',
  manufacturedOn: 'manufacturedOn',
  expiresOn: 'expiresOn',
  quantity: 'quantity',
};

const lineOf = (values: Record<string, unknown>): ReceiptLine => ({
  warehouseId: values.warehouseId as number,
  productId: values.productId as number,
  batchNo: values.batchNo as string,
  manufacturedOn: (values.manufacturedOn as string | null) ?? null,
  expiresOn: values.expiresOn as string,
  quantity: values.quantity as number,
});

export const stockReceiptsImporter: Importer = {
  kind: 'stock_receipts',
  permission: 'stock.write',
  title: { 'zh-CN': '入库单', 'en-US': 'Stock receipt' },
  maxRows: 5000,
  columns: [
    { key: 'warehouseId', header: { 'zh-CN': '仓库编码', 'en-US': 'Warehouse code' }, required: true, parser: reference({ what: 'warehouse', load: (db, values) => loadWarehouses(db, values), dropDown: true }), note: { 'zh-CN': '启用的仓库编码，如 ZC', 'en-US': 'An active warehouse code, e.g. ZC' }, example: 'ZC' },
    { key: 'productId', header: { 'zh-CN': '药品编码', 'en-US': 'Product code' }, required: true, parser: reference({ what: 'product', load: (db, values) => loadProducts(db, values) }), note: { 'zh-CN': '药品目录中的产品编码', 'en-US': 'The product code in the catalogue' }, example: 'P0101' },
    { key: 'batchNo', header: { 'zh-CN': '批号', 'en-US': 'Batch no.' }, required: true, parser: text({ max: 40 }), note: { 'zh-CN': '生产批号，最长 40 字', 'en-US': 'Lot number, at most 40 characters' }, example: '20261101' },
    { key: 'manufacturedOn', header: { 'zh-CN': '生产日期', 'en-US': 'Manufactured on' }, parser: date(), note: { 'zh-CN': '如 2026-11-01，可空', 'en-US': 'e.g. 2026-11-01; optional' }, example: '2026-11-01' },
    { key: 'expiresOn', header: { 'zh-CN': '有效期至', 'en-US': 'Expires on' }, required: true, parser: date(), note: { 'zh-CN': '须晚于生产日期和今天', 'en-US': 'After the manufacture date and today' }, example: '2028-10-31' },
    { key: 'quantity', header: { 'zh-CN': '数量', 'en-US': 'Quantity' }, required: true, parser: integer({ min: 1, max: 10_000_000 }), note: { 'zh-CN': '正整数，销售单位', 'en-US': 'A positive whole number in selling units' }, example: '100' },
  ],

  async validate(db, rows) {
    const problems = new Map<number, StoredCellError[]>();
    const found = await checkReceiptLines(db, rows.map((r) => lineOf(r.values)), companyToday());
    for (const p of found) {
      const row = rows[p.index]!.row;
      problems.set(row, [...(problems.get(row) ?? []), { column: FIELD_COLUMN[p.field], code: p.code, params: p.params }]);
    }
    return problems;
  },

  async commit(tx, actor, rows) {
    const today = companyToday();
    await receiveStock(tx, actor, { businessDate: today, note: null, lines: rows.map((r) => lineOf(r.values)) }, today, 'import');
    return { committed: rows.length };
  },
};
