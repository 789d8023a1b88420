import { searchTextMatches } from '../../kernel/db/like.js';
import { type SQL, and, asc, count, desc, eq, ne, sql } from 'drizzle-orm';
import type { Actor } from '../../kernel/access/actor.js';
import { territories } from '../../kernel/access/access.tables.js';
import { audit } from '../../kernel/audit/audit.js';
import type { Db, Queryable, Tx } from '../../kernel/db/client.js';
import { DomainError, notFound, versionConflict } from '../../kernel/errors.js';
import { orderByOf, type Page, type PageQuery } from '../../kernel/http/paging.js';
import { customerScope, customerVisible } from '../customers/customers.scope.js';
import { customers } from '../customers/customers.tables.js';
import type { PriceInput } from './products.schemas.js';
import { type PriceKind, prices, products } from './products.tables.js';

/**
 * 价格 (price lists). Rules (the precedence that picks one price is in price-resolution.ts):
 * - a price is in fen (> 0) for a product, of one kind (出厂价, 供货价, 中标价, 零售指导价), valid from a
 *   day to a day (both included) or open-ended;
 * - targets by kind: ex-factory and retail-guide prices have none; a supply price is for a named
 *   customer, or for a customer type and/or a territory; a tender price is for a province;
 * - two prices of one kind for one product and one target never overlap in validity (checked here
 *   for a clear message and by the database's exclusion constraint whatever happens);
 * - prices.read sees the lists; prices of a named customer only when the customer is in the reader's
 *   data scope; prices.write maintains them; every change is audited.
 */
export type PriceRow = {
  id: number;
  product: { id: number; code: string; genericName: string; specification: string; manufacturer: string };
  kind: PriceKind;
  amountFen: string;
  validFrom: string;
  validTo: string | null;
  customerType: (typeof prices.$inferSelect)['customerType'];
  territory: { id: string; name: string; level: string } | null;
  customer: { id: number; code: string; name: string } | null;
  tenderName: string | null;
  notes: string | null;
  version: number;
  createdAt: Date;
};

export type PriceFilter = { productId?: number; kind?: PriceKind; customerId?: number; customerType?: PriceRow['customerType'] & string; territoryId?: string; validOn?: string; q?: string };

const columns = {
  id: prices.id,
  productId: products.id,
  productCode: products.code,
  genericName: products.genericName,
  specification: products.specification,
  manufacturer: products.manufacturer,
  kind: prices.kind,
  amountFen: prices.amountFen,
  validFrom: prices.validFrom,
  validTo: prices.validTo,
  customerType: prices.customerType,
  territoryId: prices.territoryId,
  territoryName: territories.name,
  territoryLevel: territories.level,
  customerId: prices.customerId,
  customerCode: customers.code,
  customerName: customers.name,
  tenderName: prices.tenderName,
  notes: prices.notes,
  version: prices.version,
  createdAt: prices.createdAt,
};

function visible(actor: Actor): SQL {
  return sql`(${prices.customerId} is null or ${customerVisible(actor, sql`${prices.customerId}`)})`;
}

function filterCondition(f: PriceFilter): SQL | undefined {
  return and(
    f.productId ? eq(prices.productId, f.productId) : undefined,
    f.kind ? eq(prices.kind, f.kind) : undefined,
    f.customerId ? eq(prices.customerId, f.customerId) : undefined,
    f.customerType ? eq(prices.customerType, f.customerType) : undefined,
    f.territoryId ? eq(prices.territoryId, f.territoryId) : undefined,
    f.validOn ? sql`${prices.validFrom} <= ${f.validOn}::date and (${prices.validTo} is null or ${prices.validTo} >= ${f.validOn}::date)` : undefined,
    searchTextMatches(products.searchText, f.q),
  );
}

const sortable = { validFrom: prices.validFrom, amountFen: prices.amountFen, kind: prices.kind, product: products.code, createdAt: prices.createdAt };

async function select(db: Queryable, where: SQL | undefined, order: SQL[], limit: number, offset = 0): Promise<PriceRow[]> {
  const rows = await db
    .select(columns)
    .from(prices)
    .innerJoin(products, eq(products.id, prices.productId))
    .leftJoin(territories, eq(territories.id, prices.territoryId))
    .leftJoin(customers, eq(customers.id, prices.customerId))
    .where(where)
    .orderBy(...order)
    .limit(limit)
    .offset(offset);
  return rows.map((r) => ({
    id: r.id,
    product: { id: r.productId, code: r.productCode, genericName: r.genericName, specification: r.specification, manufacturer: r.manufacturer },
    kind: r.kind,
    amountFen: r.amountFen.toString(),
    validFrom: r.validFrom,
    validTo: r.validTo,
    customerType: r.customerType,
    territory: r.territoryId ? { id: r.territoryId, name: r.territoryName ?? '', level: r.territoryLevel ?? '' } : null,
    customer: r.customerId ? { id: r.customerId, code: r.customerCode ?? '', name: r.customerName ?? '' } : null,
    tenderName: r.tenderName,
    notes: r.notes,
    version: r.version,
    createdAt: r.createdAt,
  }));
}

const defaultOrder = [asc(products.code), asc(prices.kind), desc(prices.validFrom), asc(prices.id)];

export async function listPrices(db: Queryable, actor: Actor, filter: PriceFilter, page: PageQuery): Promise<Page<PriceRow>> {
  const where = and(visible(actor), filterCondition(filter));
  const [[{ n }], items] = await Promise.all([
    db.select({ n: count() }).from(prices).innerJoin(products, eq(products.id, prices.productId)).where(where),
    select(db, where, orderByOf(page.sort, sortable, defaultOrder), page.pageSize, (page.page - 1) * page.pageSize),
  ]);
  return { items, total: Number(n), page: page.page, pageSize: page.pageSize };
}

export async function listAllPrices(db: Queryable, actor: Actor, filter: PriceFilter, sort?: string, cap = 50_000): Promise<PriceRow[]> {
  return select(db, and(visible(actor), filterCondition(filter)), orderByOf(sort, sortable, defaultOrder), cap);
}

export async function getPrice(db: Queryable, actor: Actor, id: number): Promise<PriceRow> {
  const [row] = await select(db, and(eq(prices.id, id), visible(actor)), [asc(prices.id)], 1);
  if (!row) throw notFound();
  return row;
}

const invalid = (path: string, code: string, params: Record<string, unknown> = {}) => new DomainError('VALIDATION_FAILED', {}, 422, [{ path, code, params }]);

/** The target rules of each kind, the references, then overlap with another price of the same target. */
async function checkPrice(tx: Tx, actor: Actor, input: PriceInput, exceptId?: number) {
  if (input.validTo !== null && input.validTo < input.validFrom) throw invalid('validTo', 'PRICE_DATES');
  const hasTarget = input.customerId !== null || input.customerType !== null || input.territoryId !== null;
  if (input.kind === 'ex_factory' || input.kind === 'retail_guide') {
    if (hasTarget) throw invalid('kind', 'PRICE_TARGET_NONE');
  } else if (input.kind === 'supply') {
    if (!hasTarget) throw invalid('customerType', 'PRICE_TARGET_SUPPLY');
    if (input.customerId !== null && (input.customerType !== null || input.territoryId !== null)) throw invalid('customerId', 'PRICE_TARGET_SUPPLY');
  } else if (input.kind === 'tender') {
    if (input.territoryId === null || input.customerId !== null || input.customerType !== null) throw invalid('territoryId', 'PRICE_TENDER_PROVINCE');
  }
  if (input.tenderName && input.kind !== 'tender') throw invalid('tenderName', 'PRICE_TENDER_NAME_ONLY');
  const [product] = await tx.select({ id: products.id }).from(products).where(eq(products.id, input.productId)).for('update');
  if (!product) throw invalid('productId', 'UNKNOWN_REFERENCE', { what: 'product', ids: input.productId });
  if (input.territoryId !== null) {
    const [t] = await tx.select({ level: territories.level }).from(territories).where(eq(territories.id, input.territoryId));
    if (!t) throw invalid('territoryId', 'UNKNOWN_REFERENCE', { what: 'territory', ids: input.territoryId });
    if (input.kind === 'tender' && t.level !== 'province') throw invalid('territoryId', 'PRICE_TENDER_PROVINCE');
  }
  if (input.customerId !== null) {
    const [c] = await tx.select({ id: customers.id }).from(customers).where(and(eq(customers.id, input.customerId), customerScope(actor)));
    if (!c) throw invalid('customerId', 'UNKNOWN_REFERENCE', { what: 'customer', ids: input.customerId });
  }
  // The product row is locked above, so two writers of the same product's prices queue here.
  const [clash] = await tx
    .select({ id: prices.id, validFrom: prices.validFrom, validTo: prices.validTo })
    .from(prices)
    .where(
      and(
        eq(prices.productId, input.productId),
        eq(prices.kind, input.kind),
        input.customerType === null ? sql`${prices.customerType} is null` : eq(prices.customerType, input.customerType),
        input.territoryId === null ? sql`${prices.territoryId} is null` : eq(prices.territoryId, input.territoryId),
        input.customerId === null ? sql`${prices.customerId} is null` : eq(prices.customerId, input.customerId),
        sql`daterange(${prices.validFrom}, ${prices.validTo}, '[]') && daterange(${input.validFrom}::date, ${input.validTo}::date, '[]')`,
        exceptId ? ne(prices.id, exceptId) : undefined,
      ),
    )
    .limit(1);
  if (clash) {
    const params = { from: clash.validFrom, to: clash.validTo ?? '∞', id: clash.id };
    throw new DomainError('PRICE_OVERLAP', params, 409, [{ path: 'validFrom', code: 'PRICE_OVERLAP', params }]);
  }
}

const stored = (input: PriceInput) => ({ ...input, amountFen: BigInt(input.amountFen) });

export async function createPrice(db: Db, actor: Actor, input: PriceInput): Promise<PriceRow> {
  const id = await db.transaction(async (tx) => {
    await checkPrice(tx, actor, input);
    const [row] = await tx.insert(prices).values({ ...stored(input), createdBy: actor.id || null }).returning();
    await audit(tx, actor, { action: 'price.created', entity: 'price', entityId: row.id, after: row });
    return row.id;
  });
  return getPrice(db, actor, id);
}

export async function updatePrice(db: Db, actor: Actor, id: number, input: PriceInput & { version: number }): Promise<PriceRow> {
  await db.transaction(async (tx) => {
    const [before] = await tx.select().from(prices).where(and(eq(prices.id, id), visible(actor))).for('update');
    if (!before) throw notFound();
    if (before.version !== input.version) throw versionConflict();
    const { version: _, ...values } = input;
    await checkPrice(tx, actor, values, id);
    const [after] = await tx.update(prices).set({ ...stored(values), version: before.version + 1, updatedAt: new Date() }).where(eq(prices.id, id)).returning();
    await audit(tx, actor, { action: 'price.updated', entity: 'price', entityId: id, before, after });
  });
  return getPrice(db, actor, id);
}

export async function deletePrice(db: Db, actor: Actor, id: number): Promise<void> {
  await db.transaction(async (tx) => {
    const [before] = await tx.select().from(prices).where(and(eq(prices.id, id), visible(actor))).for('update');
    if (!before) throw notFound();
    await tx.delete(prices).where(eq(prices.id, id));
    await audit(tx, actor, { action: 'price.deleted', entity: 'price', entityId: id, before });
  });
}
