import { sql } from 'drizzle-orm';
import type { Actor } from '../../kernel/access/actor.js';
import { audit } from '../../kernel/audit/audit.js';
import { type Queryable, rowsOf, type Tx } from '../../kernel/db/client.js';
import { nextDocumentNumber } from '../../kernel/documents/numbering.js';
import { DomainError, notFound } from '../../kernel/errors.js';
import { assertPeriodOpen } from '../finance/periods.js';
import { ensureBatch, moveStock, type StockMove } from './stock.ledger.js';
import { type StockDocumentKind, stockDocuments } from './stock.tables.js';

/**
 * 入库、盘点调整、调拨: the warehouse's own stock documents. Rules owned here:
 * - every operation is one numbered stock_documents row (RK- receipt, TZ- adjustment, DB- transfer) and
 *   its movements, written by the ledger (stock.ledger.ts) in one transaction, audited, in an open period
 *   (assertPeriodOpen on the business date, which may not lie in the future);
 * - a receipt names product, batch number, manufacture and expiry dates and a positive quantity per line;
 *   the expiry must be after the manufacture date, manufacture not in the future, and a batch that has
 *   already expired is refused (it could never be sold); a batch number already known for the product must
 *   carry the same expiry;
 * - cold-chain products (storage 冷链) only into an active cold-chain warehouse — by receipt, positive
 *   adjustment or transfer; nothing goes into an inactive warehouse;
 * - an adjustment is signed and needs a reason; a transfer moves between two different warehouses as
 *   transfer_out + transfer_in; neither can take away reserved stock (the ledger refuses: STOCK_INSUFFICIENT).
 */
export const STOCK_NUMBER_PATTERNS: Record<StockDocumentKind, { docType: string; pattern: string }> = {
  receipt: { docType: 'stock_receipt', pattern: 'RK-{yyyy}{mm}-{seq:4}' },
  adjustment: { docType: 'stock_adjustment', pattern: 'TZ-{yyyy}{mm}-{seq:4}' },
  transfer: { docType: 'stock_transfer', pattern: 'DB-{yyyy}{mm}-{seq:4}' },
};

export type ReceiptLine = { warehouseId: number; productId: number; batchNo: string; manufacturedOn?: string | null; expiresOn: string; quantity: number };
export type ReceiptInput = { businessDate: string; note?: string | null; lines: ReceiptLine[] };
export type StockDocument = { id: number; kind: StockDocumentKind; number: string; businessDate: string; note: string | null; source: 'form' | 'import'; moves: number };

/** A problem with one line (index into the lines), in the shape of a DomainError field and an import cell error. */
export type LineProblem = { index: number; field: keyof ReceiptLine; code: string; params: Record<string, unknown> };

type WarehouseFacts = { id: number; name: string; status: string; cold_chain: boolean };
type ProductFacts = { id: number; name: string; status: string; storage_condition: string };

async function warehouseFacts(db: Queryable, ids: number[]): Promise<Map<number, WarehouseFacts>> {
  if (ids.length === 0) return new Map();
  const rows = rowsOf<WarehouseFacts>(
    // FOR SHARE: a warehouse being deactivated (updateWarehouse locks it FOR UPDATE) waits for stock coming in, and vice versa.
    await db.execute(sql`select id, name, status, cold_chain from warehouses where id in (${sql.join([...new Set(ids)].sort((a, b) => a - b).map((id) => sql`${id}`), sql`, `)}) order by id for share`),
  );
  return new Map(rows.map((r) => [r.id, r]));
}

async function productFacts(db: Queryable, ids: number[]): Promise<Map<number, ProductFacts>> {
  if (ids.length === 0) return new Map();
  const rows = rowsOf<ProductFacts>(
    await db.execute(sql`select id, generic_name || ' ' || specification as name, status, storage_condition from products
      where id in (${sql.join([...new Set(ids)].map((id) => sql`${id}`), sql`, `)})`),
  );
  return new Map(rows.map((r) => [r.id, r]));
}

/** The cold-chain and active-warehouse rule for stock coming into a warehouse. */
function intoWarehouseProblem(w: WarehouseFacts | undefined, p: ProductFacts | undefined): { code: string; params: Record<string, unknown> } | null {
  if (!w) return { code: 'STOCK_WAREHOUSE_NOT_FOUND', params: {} };
  if (w.status !== 'active') return { code: 'STOCK_WAREHOUSE_INACTIVE', params: { warehouse: w.name } };
  if (p && p.storage_condition === 'cold_chain' && !w.cold_chain) return { code: 'STOCK_COLD_CHAIN_WAREHOUSE', params: { product: p.name, warehouse: w.name } };
  return null;
}

/** Checks receipt lines in bulk (the form and the Excel import share it); returns every problem found. */
export async function checkReceiptLines(db: Queryable, lines: ReceiptLine[], today: string): Promise<LineProblem[]> {
  const problems: LineProblem[] = [];
  const ws = await warehouseFacts(db, lines.map((l) => l.warehouseId));
  const ps = await productFacts(db, lines.map((l) => l.productId));
  const known = new Map<string, string>();
  if (lines.length > 0) {
    const rows = rowsOf<{ product_id: number; batch_no: string; expires_on: string }>(
      await db.execute(sql`select product_id, batch_no, expires_on::text from stock_batches
        where (product_id, batch_no) in (${sql.join(lines.map((l) => sql`(${l.productId}::int, ${l.batchNo}::text)`), sql`, `)})`),
    );
    for (const r of rows) known.set(`${r.product_id}:${r.batch_no}`, r.expires_on);
  }
  const inFile = new Map<string, string>();
  lines.forEach((l, index) => {
    const add = (field: keyof ReceiptLine, code: string, params: Record<string, unknown> = {}) => problems.push({ index, field, code, params });
    const p = ps.get(l.productId);
    if (!p) add('productId', 'STOCK_PRODUCT_NOT_FOUND');
    else if (p.status !== 'active') add('productId', 'STOCK_PRODUCT_INACTIVE', { product: p.name });
    const into = intoWarehouseProblem(ws.get(l.warehouseId), p);
    if (into) add('warehouseId', into.code, into.params);
    if (!Number.isInteger(l.quantity) || l.quantity <= 0) add('quantity', 'STOCK_QUANTITY_INVALID');
    if (l.manufacturedOn && l.manufacturedOn > today) add('manufacturedOn', 'STOCK_MANUFACTURE_DATE_FUTURE', { date: l.manufacturedOn });
    if (l.manufacturedOn && l.expiresOn <= l.manufacturedOn) add('expiresOn', 'STOCK_BATCH_DATES_INVALID', { manufacturedOn: l.manufacturedOn, expiresOn: l.expiresOn });
    else if (l.expiresOn <= today) add('expiresOn', 'STOCK_BATCH_EXPIRED', { batch: l.batchNo, expiresOn: l.expiresOn });
    const k = `${l.productId}:${l.batchNo}`;
    const expiry = known.get(k) ?? inFile.get(k);
    if (expiry !== undefined && expiry !== l.expiresOn) add('expiresOn', 'STOCK_BATCH_EXPIRY_MISMATCH', { batch: l.batchNo, expiresOn: expiry });
    if (!inFile.has(k)) inFile.set(k, l.expiresOn);
  });
  return problems;
}

function assertBusinessDate(businessDate: string, today: string) {
  if (businessDate > today) throw new DomainError('STOCK_DATE_FUTURE', { date: businessDate }, 422, [{ path: 'businessDate', code: 'STOCK_DATE_FUTURE', params: { date: businessDate } }]);
}

async function createDocument(tx: Tx, actor: Actor, kind: StockDocumentKind, businessDate: string, note: string | null, source: 'form' | 'import') {
  const { docType, pattern } = STOCK_NUMBER_PATTERNS[kind];
  // The number's month is the business date's month; noon UTC is that date in every company time zone we serve.
  const number = await nextDocumentNumber(tx, docType, pattern, new Date(`${businessDate}T12:00:00Z`), 'UTC');
  const [row] = await tx
    .insert(stockDocuments)
    .values({ kind, number, businessDate, note, source, createdBy: actor.id || null })
    .returning();
  return { ...row, docType };
}

/** 入库: receives goods from production or purchase into warehouses, batch by batch (one RK- document). */
export async function receiveStock(tx: Tx, actor: Actor, input: ReceiptInput, today: string, source: 'form' | 'import' = 'form'): Promise<StockDocument> {
  if (input.lines.length === 0) throw new DomainError('STOCK_NO_LINES', {}, 422);
  assertBusinessDate(input.businessDate, today);
  await assertPeriodOpen(tx, input.businessDate);
  const problems = await checkReceiptLines(tx, input.lines, today);
  if (problems.length > 0) {
    const first = problems[0]!;
    throw new DomainError(
      first.code,
      first.params,
      422,
      problems.map((p) => ({ path: `lines.${p.index}.${p.field}`, code: p.code, params: p.params })),
    );
  }
  const doc = await createDocument(tx, actor, 'receipt', input.businessDate, input.note ?? null, source);
  const moves: StockMove[] = [];
  for (const l of input.lines) {
    const batchId = await ensureBatch(tx, { productId: l.productId, batchNo: l.batchNo, manufacturedOn: l.manufacturedOn ?? null, expiresOn: l.expiresOn });
    moves.push({ warehouseId: l.warehouseId, batchId, productId: l.productId, kind: 'receipt', quantity: l.quantity });
  }
  await moveStock(tx, actor, { docType: doc.docType, docId: doc.id, docNumber: doc.number }, input.businessDate, moves);
  await audit(tx, actor, { action: 'stock.received', entity: 'stock_document', entityId: doc.id, after: { number: doc.number, businessDate: doc.businessDate, source, note: doc.note, lines: input.lines } });
  return { id: doc.id, kind: doc.kind, number: doc.number, businessDate: doc.businessDate, note: doc.note, source: doc.source, moves: moves.length };
}

type BatchFacts = { id: number; product_id: number; batch_no: string };

async function batchFacts(db: Queryable, ids: number[]): Promise<Map<number, BatchFacts>> {
  if (ids.length === 0) return new Map();
  const rows = rowsOf<BatchFacts>(await db.execute(sql`select id, product_id, batch_no from stock_batches where id in (${sql.join([...new Set(ids)].map((id) => sql`${id}`), sql`, `)})`));
  return new Map(rows.map((r) => [r.id, r]));
}

export type AdjustmentInput = { businessDate: string; warehouseId: number; batchId: number; quantity: number; reason: string };

/** 盘点调整: a signed correction of one batch in one warehouse, with the reason (count difference, breakage…). */
export async function adjustStock(tx: Tx, actor: Actor, input: AdjustmentInput, today: string): Promise<StockDocument> {
  const reason = input.reason.trim();
  if (!reason) throw new DomainError('STOCK_REASON_REQUIRED', {}, 422, [{ path: 'reason', code: 'STOCK_REASON_REQUIRED' }]);
  if (!Number.isInteger(input.quantity) || input.quantity === 0) throw new DomainError('STOCK_QUANTITY_INVALID', {}, 422, [{ path: 'quantity', code: 'STOCK_QUANTITY_INVALID' }]);
  assertBusinessDate(input.businessDate, today);
  await assertPeriodOpen(tx, input.businessDate);
  const batch = (await batchFacts(tx, [input.batchId])).get(input.batchId);
  if (!batch) throw notFound();
  const w = (await warehouseFacts(tx, [input.warehouseId])).get(input.warehouseId);
  if (!w) throw new DomainError('STOCK_WAREHOUSE_NOT_FOUND', {}, 422);
  if (input.quantity > 0) {
    const problem = intoWarehouseProblem(w, (await productFacts(tx, [batch.product_id])).get(batch.product_id));
    if (problem) throw new DomainError(problem.code, problem.params, 422, [{ path: 'warehouseId', code: problem.code, params: problem.params }]);
  }
  const doc = await createDocument(tx, actor, 'adjustment', input.businessDate, reason, 'form');
  await moveStock(tx, actor, { docType: doc.docType, docId: doc.id, docNumber: doc.number }, input.businessDate, [
    { warehouseId: input.warehouseId, batchId: batch.id, productId: batch.product_id, kind: 'adjustment', quantity: input.quantity, note: reason },
  ]);
  await audit(tx, actor, { action: 'stock.adjusted', entity: 'stock_document', entityId: doc.id, after: { number: doc.number, ...input, reason } });
  return { id: doc.id, kind: doc.kind, number: doc.number, businessDate: doc.businessDate, note: doc.note, source: doc.source, moves: 1 };
}

export type TransferInput = { businessDate: string; fromWarehouseId: number; toWarehouseId: number; note?: string | null; lines: { batchId: number; quantity: number }[] };

/** 调拨: moves batches from one warehouse to another (transfer_out + transfer_in, one DB- document). */
export async function transferStock(tx: Tx, actor: Actor, input: TransferInput, today: string): Promise<StockDocument> {
  if (input.lines.length === 0) throw new DomainError('STOCK_NO_LINES', {}, 422);
  if (input.fromWarehouseId === input.toWarehouseId) throw new DomainError('STOCK_TRANSFER_SAME_WAREHOUSE', {}, 422, [{ path: 'toWarehouseId', code: 'STOCK_TRANSFER_SAME_WAREHOUSE' }]);
  for (const [i, l] of input.lines.entries()) {
    if (!Number.isInteger(l.quantity) || l.quantity <= 0) throw new DomainError('STOCK_QUANTITY_INVALID', {}, 422, [{ path: `lines.${i}.quantity`, code: 'STOCK_QUANTITY_INVALID' }]);
  }
  assertBusinessDate(input.businessDate, today);
  await assertPeriodOpen(tx, input.businessDate);
  const ws = await warehouseFacts(tx, [input.fromWarehouseId, input.toWarehouseId]);
  if (!ws.get(input.fromWarehouseId)) throw new DomainError('STOCK_WAREHOUSE_NOT_FOUND', {}, 422);
  const batches = await batchFacts(tx, input.lines.map((l) => l.batchId));
  const ps = await productFacts(tx, [...batches.values()].map((b) => b.product_id));
  const moves: StockMove[] = [];
  for (const [i, l] of input.lines.entries()) {
    const b = batches.get(l.batchId);
    if (!b) throw notFound();
    const problem = intoWarehouseProblem(ws.get(input.toWarehouseId), ps.get(b.product_id));
    if (problem) throw new DomainError(problem.code, problem.params, 422, [{ path: i === 0 ? 'toWarehouseId' : `lines.${i}.batchId`, code: problem.code, params: problem.params }]);
    moves.push({ warehouseId: input.fromWarehouseId, batchId: b.id, productId: b.product_id, kind: 'transfer_out', quantity: -l.quantity, note: input.note ?? null });
    moves.push({ warehouseId: input.toWarehouseId, batchId: b.id, productId: b.product_id, kind: 'transfer_in', quantity: l.quantity, note: input.note ?? null });
  }
  const doc = await createDocument(tx, actor, 'transfer', input.businessDate, input.note ?? null, 'form');
  await moveStock(tx, actor, { docType: doc.docType, docId: doc.id, docNumber: doc.number }, input.businessDate, moves);
  await audit(tx, actor, { action: 'stock.transferred', entity: 'stock_document', entityId: doc.id, after: { number: doc.number, ...input } });
  return { id: doc.id, kind: doc.kind, number: doc.number, businessDate: doc.businessDate, note: doc.note, source: doc.source, moves: moves.length };
}
