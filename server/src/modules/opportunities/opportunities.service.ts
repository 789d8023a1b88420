import { type SQL, and, asc, count, desc, eq, gte, inArray, lte, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Actor } from '../../kernel/access/actor.js';
import { territories, users } from '../../kernel/access/access.tables.js';
import { audit } from '../../kernel/audit/audit.js';
import type { Db, Queryable, Tx } from '../../kernel/db/client.js';
import { containsPattern, searchTextMatches } from '../../kernel/db/like.js';
import { DomainError, notFound, versionConflict } from '../../kernel/errors.js';
import { type Page, type PageQuery, orderByOf } from '../../kernel/http/paging.js';
import { lockCustomer } from '../customers/customers.service.js';
import { customers } from '../customers/customers.tables.js';
import { products } from '../products/products.tables.js';
import { opportunityScope } from './opportunities.scope.js';
import {
  type LostReason,
  type OpportunityStatus,
  opportunities,
  opportunityProducts,
  opportunityStageHistory,
  opportunityStages,
} from './opportunities.tables.js';
import { stageOrder } from './opportunity-stages.service.js';

/**
 * 销售机会 (opportunities): a possible deal with a customer, moving through the configurable pipeline.
 * Rules owned here:
 * - an opportunity is created for a customer the actor sees (else 404); the creator owns it, and it carries
 *   the owner's team and the customer's territory for data scope (opportunityScope) and regional tables;
 * - the amount defaults to the sum of the product lines; money is integer fen throughout;
 * - it starts in the first active open stage unless one is given, with the stage's probability unless one
 *   is given; every stage change (and the creation) writes opportunity_stage_history (from, to, at, actor);
 * - status follows the stage's kind: won/lost set closedAt, reopening clears it; a loss needs a reason
 *   from LOST_REASONS; moving to the stage it is in changes nothing;
 * - the weighted amount is amount × probability / 100, rounded half-up once per opportunity, in SQL with
 *   integer arithmetic (weightedFenSql), so column totals equal the sum of their cards to the fen.
 */
export type ProductLine = { productId: number; quantity: number; amountFen: bigint };
export type OpportunityFields = {
  name: string;
  products: ProductLine[];
  amountFen?: bigint | null;
  expectedCloseOn?: string | null;
  competitor?: string | null;
  description?: string | null;
  probability?: number | null;
};

export type OpportunityFilter = {
  q?: string;
  status?: OpportunityStatus;
  stageId?: number;
  ownerId?: number;
  customerId?: number;
  territoryId?: string;
  closeFrom?: string;
  closeTo?: string;
  amountMin?: bigint;
  amountMax?: bigint;
};

/** amount × probability / 100, half-up, in fen (bigint arithmetic; amounts are never negative). */
export const weightedFenSql = (amount: SQL | unknown, probability: SQL | unknown) => sql`((${amount} * ${probability} * 2 + 100) / 200)`;

const owner = alias(users, 'owner');

export const listColumns = {
  id: opportunities.id,
  name: opportunities.name,
  customerId: opportunities.customerId,
  customerCode: customers.code,
  customerName: customers.name,
  customerGrade: sql<string | null>`${customers.grade}`,
  stageId: opportunities.stageId,
  stageName: opportunityStages.name,
  stageNameEn: opportunityStages.nameEn,
  status: opportunities.status,
  probability: opportunities.probability,
  amountFen: sql<string>`${opportunities.amountFen}::text`,
  weightedFen: sql<string>`${weightedFenSql(opportunities.amountFen, opportunities.probability)}::text`,
  expectedCloseOn: opportunities.expectedCloseOn,
  competitor: opportunities.competitor,
  lostReason: opportunities.lostReason,
  closedAt: opportunities.closedAt,
  ownerId: opportunities.ownerId,
  ownerName: owner.displayName,
  version: opportunities.version,
  createdAt: opportunities.createdAt,
  updatedAt: opportunities.updatedAt,
};
export type OpportunityListRow = {
  id: number;
  name: string;
  customerId: number;
  customerCode: string;
  customerName: string;
  customerGrade: string | null;
  stageId: number;
  stageName: string;
  stageNameEn: string;
  status: OpportunityStatus;
  probability: number;
  amountFen: string;
  weightedFen: string;
  expectedCloseOn: string | null;
  competitor: string | null;
  lostReason: LostReason | null;
  closedAt: Date | null;
  ownerId: number;
  ownerName: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
};

const sortable = {
  name: opportunities.name,
  customer: customers.name,
  stage: opportunityStages.position,
  probability: opportunities.probability,
  amount: opportunities.amountFen,
  expectedCloseOn: opportunities.expectedCloseOn,
  createdAt: opportunities.createdAt,
  updatedAt: opportunities.updatedAt,
};

/** The scope and the filters of the list, the board and the export. */
export async function filterCondition(db: Queryable, actor: Actor, f: OpportunityFilter): Promise<SQL | undefined> {
  let territoryPath: string | null = null;
  if (f.territoryId) {
    const [t] = await db.select({ path: territories.path }).from(territories).where(eq(territories.id, f.territoryId));
    territoryPath = t?.path ?? '/none/';
  }
  const q = f.q?.trim();
  return and(
    opportunityScope(actor),
    q ? or(sql`${opportunities.name} ilike ${containsPattern(q)}`, searchTextMatches(customers.searchText, q)) : undefined,
    f.status ? eq(opportunities.status, f.status) : undefined,
    f.stageId !== undefined ? eq(opportunities.stageId, f.stageId) : undefined,
    f.ownerId !== undefined ? eq(opportunities.ownerId, f.ownerId) : undefined,
    f.customerId !== undefined ? eq(opportunities.customerId, f.customerId) : undefined,
    territoryPath ? sql`${opportunities.territoryPath} like ${`${territoryPath}%`}` : undefined,
    f.closeFrom ? gte(opportunities.expectedCloseOn, f.closeFrom) : undefined,
    f.closeTo ? lte(opportunities.expectedCloseOn, f.closeTo) : undefined,
    f.amountMin !== undefined ? gte(opportunities.amountFen, f.amountMin) : undefined,
    f.amountMax !== undefined ? lte(opportunities.amountFen, f.amountMax) : undefined,
  );
}

export function listQuery(db: Queryable, where: SQL | undefined) {
  return db
    .select(listColumns)
    .from(opportunities)
    .innerJoin(customers, eq(customers.id, opportunities.customerId))
    .innerJoin(opportunityStages, eq(opportunityStages.id, opportunities.stageId))
    .innerJoin(owner, eq(owner.id, opportunities.ownerId))
    .where(where)
    .$dynamic();
}

export async function listOpportunities(db: Queryable, actor: Actor, filter: OpportunityFilter, page: PageQuery): Promise<Page<OpportunityListRow>> {
  const where = await filterCondition(db, actor, filter);
  const [[total], items] = await Promise.all([
    db.select({ n: count() }).from(opportunities).innerJoin(customers, eq(customers.id, opportunities.customerId)).where(where),
    listQuery(db, where)
      .orderBy(...orderByOf(page.sort, sortable, [desc(opportunities.updatedAt), desc(opportunities.id)]))
      .limit(page.pageSize)
      .offset((page.page - 1) * page.pageSize),
  ]);
  return { items, total: Number(total?.n ?? 0), page: page.page, pageSize: page.pageSize };
}

export async function listAllOpportunities(db: Queryable, actor: Actor, filter: OpportunityFilter, sort?: string, cap = 100_000): Promise<OpportunityListRow[]> {
  return listQuery(db, await filterCondition(db, actor, filter))
    .orderBy(...orderByOf(sort, sortable, [desc(opportunities.updatedAt), desc(opportunities.id)]))
    .limit(cap);
}

export async function getOpportunity(db: Queryable, actor: Actor, id: number) {
  const [row] = await listQuery(db, and(eq(opportunities.id, id), opportunityScope(actor)));
  if (!row) throw notFound();
  const [extra] = await db
    .select({ description: opportunities.description, lostNote: opportunities.lostNote, territoryPath: opportunities.territoryPath })
    .from(opportunities)
    .where(eq(opportunities.id, id));
  const from = alias(opportunityStages, 'from_stage');
  const [lines, history] = await Promise.all([
    db
      .select({
        productId: opportunityProducts.productId,
        productCode: products.code,
        productName: products.genericName,
        specification: products.specification,
        quantity: opportunityProducts.quantity,
        amountFen: sql<string>`${opportunityProducts.amountFen}::text`,
      })
      .from(opportunityProducts)
      .innerJoin(products, eq(products.id, opportunityProducts.productId))
      .where(eq(opportunityProducts.opportunityId, id))
      .orderBy(asc(products.code)),
    db
      .select({
        id: opportunityStageHistory.id,
        fromStageId: opportunityStageHistory.fromStageId,
        fromStageName: from.name,
        fromStageNameEn: from.nameEn,
        toStageId: opportunityStageHistory.toStageId,
        toStageName: opportunityStages.name,
        toStageNameEn: opportunityStages.nameEn,
        at: opportunityStageHistory.at,
        actorName: users.displayName,
      })
      .from(opportunityStageHistory)
      .innerJoin(opportunityStages, eq(opportunityStages.id, opportunityStageHistory.toStageId))
      .leftJoin(from, eq(from.id, opportunityStageHistory.fromStageId))
      .leftJoin(users, eq(users.id, opportunityStageHistory.actorId))
      .where(eq(opportunityStageHistory.opportunityId, id))
      .orderBy(asc(opportunityStageHistory.at), asc(opportunityStageHistory.id)),
  ]);
  return { ...row, ...extra!, products: lines, history };
}

type FieldError = { path: string; code: string; params?: Record<string, unknown> };
const invalid = (fields: FieldError[]) => new DomainError('VALIDATION_FAILED', {}, 422, fields);

/** Products exist and appear once; the amount is given or the sum of the lines. */
async function checkedValues(tx: Queryable, input: OpportunityFields) {
  const fields: FieldError[] = [];
  const ids = input.products.map((p) => p.productId);
  if (new Set(ids).size !== ids.length) fields.push({ path: 'products', code: 'OPPORTUNITY_PRODUCT_TWICE' });
  if (ids.length) {
    const found = await tx.select({ id: products.id }).from(products).where(inArray(products.id, ids));
    const missing = ids.filter((id) => !found.some((f) => f.id === id));
    for (const id of missing) fields.push({ path: `products.${ids.indexOf(id)}.productId`, code: 'UNKNOWN_REFERENCE', params: { what: 'product', ids: id } });
  }
  if (fields.length) throw invalid(fields);
  const sum = input.products.reduce((s, p) => s + p.amountFen, 0n);
  return {
    name: input.name.trim(),
    amountFen: input.amountFen ?? sum,
    expectedCloseOn: input.expectedCloseOn || null,
    competitor: input.competitor?.trim() || null,
    description: input.description?.trim() || null,
  };
}

async function replaceProducts(tx: Tx, id: number, lines: ProductLine[]) {
  await tx.delete(opportunityProducts).where(eq(opportunityProducts.opportunityId, id));
  if (lines.length) {
    await tx.insert(opportunityProducts).values(lines.map((l) => ({ opportunityId: id, productId: l.productId, quantity: l.quantity, amountFen: l.amountFen })));
  }
}

async function activeStage(tx: Queryable, stageId: number, path = 'stageId') {
  const [stage] = await tx.select().from(opportunityStages).where(and(eq(opportunityStages.id, stageId), eq(opportunityStages.active, true)));
  if (!stage) throw invalid([{ path, code: 'UNKNOWN_REFERENCE', params: { what: 'opportunity_stage', ids: stageId } }]);
  return stage;
}

export async function createOpportunity(db: Db, actor: Actor, input: OpportunityFields & { customerId: number; stageId?: number | null }) {
  const id = await db.transaction(async (tx) => {
    const customer = await lockCustomer(tx, actor, input.customerId);
    if (customer.status === 'merged') throw new DomainError('CUSTOMER_MERGED', { code: customer.code }, 409);
    const values = await checkedValues(tx, input);
    let stage;
    if (input.stageId != null) {
      stage = await activeStage(tx, input.stageId);
      if (stage.kind !== 'open') throw invalid([{ path: 'stageId', code: 'OPPORTUNITY_STAGE_NOT_OPEN' }]);
    } else {
      [stage] = await tx
        .select()
        .from(opportunityStages)
        .where(and(eq(opportunityStages.kind, 'open'), eq(opportunityStages.active, true)))
        .orderBy(asc(opportunityStages.position), asc(opportunityStages.id))
        .limit(1);
      if (!stage) throw new DomainError('OPPORTUNITY_STAGE_LAST_OPEN', {}, 422);
    }
    const now = new Date();
    const [row] = await tx
      .insert(opportunities)
      .values({
        ...values,
        customerId: customer.id,
        stageId: stage.id,
        status: 'open',
        probability: input.probability ?? stage.probability,
        ownerId: actor.id,
        ownerDepartmentId: actor.departmentId,
        territoryPath: customer.territoryPath,
        createdBy: actor.id,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await replaceProducts(tx, row!.id, input.products);
    await tx.insert(opportunityStageHistory).values({ opportunityId: row!.id, fromStageId: null, toStageId: stage.id, at: now, actorId: actor.id });
    await audit(tx, actor, { action: 'opportunity.created', entity: 'opportunity', entityId: row!.id, after: { ...row, products: input.products } });
    return row!.id;
  });
  return getOpportunity(db, actor, id);
}

/** Locks an opportunity the actor may see (FOR UPDATE); out of scope looks the same as missing. */
async function lockOpportunity(tx: Tx, actor: Actor, id: number) {
  const [row] = await tx.select().from(opportunities).where(and(eq(opportunities.id, id), opportunityScope(actor))).for('update', { of: opportunities });
  if (!row) throw notFound();
  return row;
}

export async function updateOpportunity(db: Db, actor: Actor, id: number, input: OpportunityFields & { version: number }) {
  await db.transaction(async (tx) => {
    const before = await lockOpportunity(tx, actor, id);
    if (before.version !== input.version) throw versionConflict();
    const values = await checkedValues(tx, input);
    const patch = { ...values, probability: input.probability ?? before.probability };
    await tx
      .update(opportunities)
      .set({ ...patch, version: before.version + 1, updatedAt: new Date() })
      .where(eq(opportunities.id, id));
    await replaceProducts(tx, id, input.products);
    const changed = Object.fromEntries(Object.entries(patch).filter(([k, v]) => v !== before[k as keyof typeof before]));
    const was = Object.fromEntries(Object.keys(changed).map((k) => [k, before[k as keyof typeof before]]));
    await audit(tx, actor, { action: 'opportunity.updated', entity: 'opportunity', entityId: id, before: was, after: { ...changed, products: input.products } });
  });
  return getOpportunity(db, actor, id);
}

export type MoveInput = { stageId: number; version: number; lostReason?: LostReason | null; lostNote?: string | null; probability?: number | null };

/** Moves an opportunity to another stage (the kanban drop, the 移到… menu, the detail page's steps). */
export async function moveOpportunity(db: Db, actor: Actor, id: number, input: MoveInput, at = new Date()) {
  await db.transaction(async (tx) => {
    const before = await lockOpportunity(tx, actor, id);
    if (before.version !== input.version) throw versionConflict();
    if (before.stageId === input.stageId) return;
    const stage = await activeStage(tx, input.stageId);
    if (stage.kind === 'lost' && !input.lostReason) {
      throw new DomainError('OPPORTUNITY_LOST_REASON_REQUIRED', {}, 422, [{ path: 'lostReason', code: 'OPPORTUNITY_LOST_REASON_REQUIRED' }]);
    }
    const after = {
      stageId: stage.id,
      status: stage.kind,
      probability: input.probability ?? stage.probability,
      closedAt: stage.kind === 'open' ? null : at,
      lostReason: stage.kind === 'lost' ? input.lostReason! : null,
      lostNote: stage.kind === 'lost' ? input.lostNote?.trim() || null : null,
    };
    await tx
      .update(opportunities)
      .set({ ...after, version: before.version + 1, updatedAt: at })
      .where(eq(opportunities.id, id));
    await tx.insert(opportunityStageHistory).values({ opportunityId: id, fromStageId: before.stageId, toStageId: stage.id, at, actorId: actor.id });
    await audit(tx, actor, {
      action: 'opportunity.stage_changed',
      entity: 'opportunity',
      entityId: id,
      before: { stageId: before.stageId, status: before.status, probability: before.probability, closedAt: before.closedAt, lostReason: before.lostReason },
      after,
    });
  });
  return getOpportunity(db, actor, id);
}

/** The first day of the month of `today` ('YYYY-MM-DD') and of the next month. */
export function monthBounds(month: string): { start: string; next: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const ny = m === 12 ? y + 1 : y;
  const nm = m === 12 ? 1 : m + 1;
  return { start: `${month}-01`, next: `${ny}-${String(nm).padStart(2, '0')}-01` };
}

/** The instant a company-local date begins. */
export const localMidnight = (date: string, timeZone: string) => sql`((${date}::date)::timestamp at time zone ${timeZone})`;

/** The kanban: one column per active open stage with totals and up to 50 cards, and this month's won and lost totals. */
export async function opportunityBoard(db: Queryable, actor: Actor, filter: OpportunityFilter, timeZone: string, today: string) {
  const where = await filterCondition(db, actor, { ...filter, status: undefined, stageId: undefined });
  const stages = await db
    .select({
      id: opportunityStages.id,
      code: opportunityStages.code,
      name: opportunityStages.name,
      nameEn: opportunityStages.nameEn,
      kind: opportunityStages.kind,
      position: opportunityStages.position,
      probability: opportunityStages.probability,
      active: opportunityStages.active,
      version: opportunityStages.version,
    })
    .from(opportunityStages)
    .where(and(eq(opportunityStages.kind, 'open'), eq(opportunityStages.active, true)))
    .orderBy(...stageOrder);
  const openWhere = and(where, eq(opportunities.status, 'open'));
  const month = today.slice(0, 7);
  const { start, next } = monthBounds(month);
  const [totals, closed, cards] = await Promise.all([
    db
      .select({
        stageId: opportunities.stageId,
        count: sql<number>`count(*)::int`,
        amountFen: sql<string>`sum(${opportunities.amountFen})::text`,
        weightedFen: sql<string>`sum(${weightedFenSql(opportunities.amountFen, opportunities.probability)})::text`,
      })
      .from(opportunities)
      .innerJoin(customers, eq(customers.id, opportunities.customerId))
      .where(openWhere)
      .groupBy(opportunities.stageId),
    db
      .select({ status: opportunities.status, count: sql<number>`count(*)::int`, amountFen: sql<string>`coalesce(sum(${opportunities.amountFen}), 0)::text` })
      .from(opportunities)
      .innerJoin(customers, eq(customers.id, opportunities.customerId))
      .where(
        and(
          where,
          inArray(opportunities.status, ['won', 'lost']),
          sql`${opportunities.closedAt} >= ${localMidnight(start, timeZone)}`,
          sql`${opportunities.closedAt} < ${localMidnight(next, timeZone)}`,
        ),
      )
      .groupBy(opportunities.status),
    // Up to 50 cards per column, largest first (one query per pipeline stage, a handful).
    Promise.all(
      stages.map((stage) =>
        listQuery(db, and(openWhere, eq(opportunities.stageId, stage.id)))
          .orderBy(desc(opportunities.amountFen), asc(opportunities.id))
          .limit(50),
      ),
    ),
  ]);
  const won = closed.find((c) => c.status === 'won');
  const lost = closed.find((c) => c.status === 'lost');
  return {
    month,
    columns: stages.map((stage, i) => {
      const t = totals.find((x) => x.stageId === stage.id);
      return {
        stage,
        count: t?.count ?? 0,
        amountFen: t?.amountFen ?? '0',
        weightedFen: t?.weightedFen ?? '0',
        cards: cards[i]!,
      };
    }),
    wonThisMonth: { count: won?.count ?? 0, amountFen: won?.amountFen ?? '0' },
    lostThisMonth: { count: lost?.count ?? 0, amountFen: lost?.amountFen ?? '0' },
  };
}
