import { searchTextMatches } from '../../kernel/db/like.js';
import { type SQL, and, asc, count, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Actor } from '../../kernel/access/actor.js';
import { audit, auditMany } from '../../kernel/audit/audit.js';
import type { Db, Queryable, Tx } from '../../kernel/db/client.js';
import { DomainError, notFound, versionConflict } from '../../kernel/errors.js';
import { orderByOf, type Page, type PageQuery } from '../../kernel/http/paging.js';
import { searchText } from '../../kernel/pinyin.js';
import type { CreateProductInput, UpdateProductInput } from './products.schemas.js';
import { productDocuments, productLines, products } from './products.tables.js';

/**
 * 药品目录 (the drug catalogue). Rules:
 * - a product is identified by its code (产品编码, unique) and, among active products, by generic
 *   name + specification + manufacturer (one catalogue row per saleable item);
 * - the approval number (批准文号) and barcode (EAN-13) are checked for format (products.rules.ts);
 * - everybody with products.read sees the whole catalogue (it is not scoped data); products.write
 *   maintains it; every change is audited and optimistic (the caller sends the version it read);
 * - a product is never deleted: it is discontinued (停产/停售) and keeps its prices and history;
 * - search finds a product by generic or trade name, their pinyin or initials, code or approval number.
 */
export type ExpiryState = 'valid' | 'expiring' | 'expired';
export type ProductRow = Omit<typeof products.$inferSelect, 'searchText' | 'productLineId' | 'createdBy'> & {
  productLine: { id: number; name: string } | null;
  documentsState: ExpiryState | null;
};

export type ProductFilter = {
  q?: string;
  productLineId?: number;
  status?: ProductRow['status'];
  storageCondition?: ProductRow['storageCondition'];
  prescriptionClass?: ProductRow['prescriptionClass'];
  reimbursementClass?: ProductRow['reimbursementClass'];
  dosageForm?: ProductRow['dosageForm'];
};

/** Documents expiring within this many days are flagged 即将到期. */
export const EXPIRING_WITHIN_DAYS = 30;

/** The expiry state of a document on `today` (expires_on null = long-term, always valid). */
export function expiryStateSql(expiresOn: SQL, today: string): SQL<ExpiryState> {
  return sql<ExpiryState>`case when ${expiresOn} is null then 'valid'
    when ${expiresOn} < ${today}::date then 'expired'
    when ${expiresOn} <= ${today}::date + ${EXPIRING_WITHIN_DAYS}::int then 'expiring' else 'valid' end`;
}

export function productSearchText(p: { code: string; genericName: string; tradeName?: string | null; approvalNumber: string }): string {
  return searchText(p.genericName, p.tradeName, p.code, p.approvalNumber);
}

function filterCondition(f: ProductFilter): SQL | undefined {
  return and(
    searchTextMatches(products.searchText, f.q),
    f.productLineId !== undefined
      ? sql`${products.productLineId} in (select l.id from product_lines l where l.id = ${f.productLineId} or l.parent_id = ${f.productLineId})`
      : undefined,
    f.status ? eq(products.status, f.status) : undefined,
    f.storageCondition ? eq(products.storageCondition, f.storageCondition) : undefined,
    f.prescriptionClass ? eq(products.prescriptionClass, f.prescriptionClass) : undefined,
    f.reimbursementClass ? eq(products.reimbursementClass, f.reimbursementClass) : undefined,
    f.dosageForm ? eq(products.dosageForm, f.dosageForm) : undefined,
  );
}

const sortable = {
  code: products.code,
  genericName: products.genericName,
  manufacturer: products.manufacturer,
  updatedAt: products.updatedAt,
  createdAt: products.createdAt,
};

function columns(today: string) {
  const worst = sql<ExpiryState | null>`(select case when bool_or(d.expires_on < ${today}::date) then 'expired'
      when bool_or(d.expires_on <= ${today}::date + ${EXPIRING_WITHIN_DAYS}::int) then 'expiring' else 'valid' end
    from product_documents d where d.product_id = "products"."id" having count(*) > 0)`;
  return {
    id: products.id,
    code: products.code,
    genericName: products.genericName,
    tradeName: products.tradeName,
    dosageForm: products.dosageForm,
    specification: products.specification,
    packageUnit: products.packageUnit,
    unitsPerPackage: products.unitsPerPackage,
    vatRateBp: products.vatRateBp,
    safetyStock: products.safetyStock,
    approvalNumber: products.approvalNumber,
    manufacturer: products.manufacturer,
    storageCondition: products.storageCondition,
    prescriptionClass: products.prescriptionClass,
    reimbursementClass: products.reimbursementClass,
    barcode: products.barcode,
    status: products.status,
    notes: products.notes,
    version: products.version,
    createdAt: products.createdAt,
    updatedAt: products.updatedAt,
    lineId: productLines.id,
    lineName: productLines.name,
    documentsState: worst,
  };
}

async function select(db: Queryable, where: SQL | undefined, order: SQL[], today: string, limit?: number, offset = 0): Promise<ProductRow[]> {
  let query = db.select(columns(today)).from(products).leftJoin(productLines, eq(productLines.id, products.productLineId)).where(where).orderBy(...order).$dynamic();
  if (limit !== undefined) query = query.limit(limit).offset(offset);
  const rows = await query;
  return rows.map(({ lineId, lineName, ...r }) => ({ ...r, productLine: lineId === null ? null : { id: lineId, name: lineName ?? '' } }));
}

export async function listProducts(db: Queryable, filter: ProductFilter, page: PageQuery, today: string): Promise<Page<ProductRow>> {
  const where = filterCondition(filter);
  const [[{ n }], items] = await Promise.all([
    db.select({ n: count() }).from(products).where(where),
    select(db, where, orderByOf(page.sort, sortable, [asc(products.code), asc(products.id)]), today, page.pageSize, (page.page - 1) * page.pageSize),
  ]);
  return { items, total: Number(n), page: page.page, pageSize: page.pageSize };
}

/** Every matching product (for export), capped. */
export async function listAllProducts(db: Queryable, filter: ProductFilter, sort: string | undefined, today: string, cap = 50_000): Promise<ProductRow[]> {
  return select(db, filterCondition(filter), orderByOf(sort, sortable, [asc(products.code), asc(products.id)]), today, cap);
}

export async function getProduct(db: Queryable, id: number, today: string): Promise<ProductRow> {
  const [row] = await select(db, eq(products.id, id), [asc(products.id)], today);
  if (!row) throw notFound();
  return row;
}

/** Product ids and names for pickers (active first), by search text or ids; at most 20. */
export async function productOptions(db: Queryable, q?: string, ids?: number[]) {
  return db
    .select({ id: products.id, code: products.code, genericName: products.genericName, tradeName: products.tradeName, specification: products.specification, manufacturer: products.manufacturer, status: products.status })
    .from(products)
    .where(and(ids?.length ? inArray(products.id, ids) : undefined, searchTextMatches(products.searchText, q)))
    .orderBy(asc(products.status), asc(products.code))
    .limit(20);
}

type ProductValues = Omit<CreateProductInput, 'status'> & { status: ProductRow['status'] };

const duplicateCode = (code: string) => new DomainError('PRODUCT_CODE_TAKEN', { code }, 409, [{ path: 'code', code: 'PRODUCT_CODE_TAKEN', params: { code } }]);
const duplicateIdentity = (p: { genericName: string; specification: string; manufacturer: string }) =>
  new DomainError('PRODUCT_DUPLICATE', p, 409, [{ path: 'specification', code: 'PRODUCT_DUPLICATE', params: p }]);

/** Codes already used, and active (generic name, spec, manufacturer) already on file, among the given rows (one query each). */
export async function existingProductKeys(db: Queryable, rows: { code: string; genericName: string; specification: string; manufacturer: string }[], exceptId?: number) {
  if (rows.length === 0) return { codes: new Set<string>(), identities: new Set<string>() };
  const codes = await db
    .select({ code: products.code })
    .from(products)
    .where(and(inArray(products.code, rows.map((r) => r.code)), exceptId ? ne(products.id, exceptId) : undefined));
  const identities = await db
    .select({ g: products.genericName, s: products.specification, m: products.manufacturer })
    .from(products)
    .where(and(eq(products.status, 'active'), inArray(products.genericName, rows.map((r) => r.genericName)), exceptId ? ne(products.id, exceptId) : undefined));
  return { codes: new Set(codes.map((c) => c.code)), identities: new Set(identities.map((i) => identityKey({ genericName: i.g, specification: i.s, manufacturer: i.m }))) };
}

export const identityKey = (p: { genericName: string; specification: string; manufacturer: string }) => `${p.genericName}\u0000${p.specification}\u0000${p.manufacturer}`;

async function assertProductLine(tx: Queryable, id: number | null | undefined) {
  if (id == null) return;
  const [row] = await tx.select({ id: productLines.id }).from(productLines).where(eq(productLines.id, id));
  if (!row) throw new DomainError('VALIDATION_FAILED', {}, 422, [{ path: 'productLineId', code: 'UNKNOWN_REFERENCE', params: { what: 'product_line', ids: id } }]);
}

/** Writes new products in bulk (the form and the Excel import) with one audit entry each. */
export async function insertProducts(tx: Tx, actor: Actor, input: ProductValues[]): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < input.length; i += 1000) {
    const created = await tx
      .insert(products)
      .values(input.slice(i, i + 1000).map((p) => ({ ...p, searchText: productSearchText(p), createdBy: actor.id || null })))
      .returning();
    ids.push(...created.map((c) => c.id));
    await auditMany(
      tx,
      actor,
      created.map(({ searchText: _, ...after }) => ({ action: 'product.created', entity: 'product', entityId: after.id, after })),
    );
  }
  return ids;
}

export async function createProduct(db: Db, actor: Actor, input: CreateProductInput, today: string): Promise<ProductRow> {
  const id = await db.transaction(async (tx) => {
    const existing = await existingProductKeys(tx, [input]);
    if (existing.codes.has(input.code)) throw duplicateCode(input.code);
    if (input.status === 'active' && existing.identities.has(identityKey(input))) throw duplicateIdentity(input);
    await assertProductLine(tx, input.productLineId);
    const [id] = await insertProducts(tx, actor, [input]);
    return id;
  });
  return getProduct(db, id, today);
}

export async function updateProduct(db: Db, actor: Actor, id: number, input: UpdateProductInput, today: string): Promise<ProductRow> {
  await db.transaction(async (tx) => {
    const [before] = await tx.select().from(products).where(eq(products.id, id)).for('update');
    if (!before) throw notFound();
    if (before.version !== input.version) throw versionConflict();
    const existing = await existingProductKeys(tx, [input], id);
    if (existing.codes.has(input.code)) throw duplicateCode(input.code);
    if (input.status === 'active' && existing.identities.has(identityKey(input))) throw duplicateIdentity(input);
    await assertProductLine(tx, input.productLineId);
    const { version: _, ...values } = input;
    const [after] = await tx
      .update(products)
      .set({ ...values, searchText: productSearchText(values), version: before.version + 1, updatedAt: new Date() })
      .where(eq(products.id, id))
      .returning();
    const strip = ({ searchText: _s, ...r }: typeof before) => r;
    await audit(tx, actor, { action: 'product.updated', entity: 'product', entityId: id, before: strip(before), after: strip(after) });
  });
  return getProduct(db, id, today);
}

// ---- Product lines ------------------------------------------------------------------------------

export async function listProductLines(db: Queryable) {
  const rows = await db
    .select({ id: productLines.id, name: productLines.name, sort: productLines.sort, parentId: productLines.parentId, productCount: sql<number>`(select count(*)::int from products p where p.product_line_id = "product_lines"."id")` })
    .from(productLines)
    .orderBy(asc(productLines.sort), asc(productLines.id));
  return rows.map((r) => ({ ...r, productCount: Number(r.productCount) }));
}

export async function saveProductLine(db: Db, actor: Actor, id: number | null, input: { name: string; sort: number; parentId: number | null }) {
  return db.transaction(async (tx) => {
    const [taken] = await tx.select({ id: productLines.id }).from(productLines).where(and(eq(productLines.name, input.name), id ? ne(productLines.id, id) : undefined));
    if (taken) throw new DomainError('PRODUCT_LINE_NAME_TAKEN', { name: input.name }, 409, [{ path: 'name', code: 'PRODUCT_LINE_NAME_TAKEN', params: { name: input.name } }]);
    if (input.parentId !== null) {
      const [parent] = await tx.select().from(productLines).where(eq(productLines.id, input.parentId));
      // One level of sub-lines is all the business uses; deeper trees make the filter ambiguous.
      if (!parent || parent.parentId !== null || parent.id === id) throw new DomainError('PRODUCT_LINE_PARENT_INVALID', {}, 422, [{ path: 'parentId', code: 'PRODUCT_LINE_PARENT_INVALID' }]);
    }
    if (id === null) {
      const [row] = await tx.insert(productLines).values(input).returning();
      await audit(tx, actor, { action: 'product_line.created', entity: 'product_line', entityId: row.id, after: row });
      return row;
    }
    const [before] = await tx.select().from(productLines).where(eq(productLines.id, id)).for('update');
    if (!before) throw notFound();
    const [after] = await tx.update(productLines).set(input).where(eq(productLines.id, id)).returning();
    await audit(tx, actor, { action: 'product_line.updated', entity: 'product_line', entityId: id, before, after });
    return after;
  });
}

/** Used by tests and the demo: documents of a product ordered by kind. */
export const productDocumentsOf = (db: Queryable, productId: number) => db.select().from(productDocuments).where(eq(productDocuments.productId, productId)).orderBy(asc(productDocuments.id));

