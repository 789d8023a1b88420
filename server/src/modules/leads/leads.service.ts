import { type SQL, and, asc, count, desc, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import { type Actor, can } from '../../kernel/access/actor.js';
import { departments, territories, users } from '../../kernel/access/access.tables.js';
import { audit, auditMany } from '../../kernel/audit/audit.js';
import { type Db, type Queryable, type Tx, rowsOf } from '../../kernel/db/client.js';
import { searchTextMatches } from '../../kernel/db/like.js';
import { DomainError, notFound, versionConflict } from '../../kernel/errors.js';
import { type Page, type PageQuery, orderByOf } from '../../kernel/http/paging.js';
import { normaliseName } from '../../kernel/names.js';
import { notify } from '../../kernel/notify/notify.js';
import { searchText } from '../../kernel/pinyin.js';
import { reaches } from '../customers/ownership.service.js';
import { companyToday, customerVisible } from '../customers/customers.scope.js';
import type { CustomerGrade, LifecycleStage } from '../customers/customers.tables.js';
import { getCrmSettings } from '../crm/crm.settings.js';
import { assignByRules, giveLead } from './leads.assignment.js';
import type { z } from 'zod';
import type { LeadCreateInput, LeadFilter, LeadUpdateInput, leadListRow } from './leads.schemas.js';
import { leadScope } from './leads.scope.js';
import { type LeadRow, leadEvents, leadProducts, leads } from './leads.tables.js';
import { touchLead } from './leads.touch.js';

/**
 * 潜在客户 (leads, the seeds' 潜在客户录入及跟踪表). Rules owned here:
 * - a lead is captured by hand, imported, or comes from the website's inquiry form; the organisation's
 *   normalised name (kernel/names.ts) must not be an active customer (409 LEAD_IS_CUSTOMER) nor another
 *   open or converting lead (409 LEAD_DUPLICATE, unless the user confirms);
 * - a rep's lead is the rep's; whoever assigns leads may leave the owner empty and the assignment rules
 *   (leads.assignment.ts) pick a rep or leave it in the pool;
 * - reading is scoped (leads.scope.ts: owner / team / department / territory, pool leads by territory);
 *   changing a lead is for its owner or for someone who assigns leads and sees it;
 * - every owner action restarts the reclaim clock (touchLead); reclaimStaleLeads returns leads nobody
 *   acted on within crm_settings.lead_reclaim_days to the pool;
 * - grade (C/B/A/H/O) and stage changes are kept as lead_events, carried to the customer on conversion.
 */

/** A mainland mobile once spaces, dashes and +86 are removed. */
const MOBILE = /^1[3-9]\d{9}$/;
export function normalisePhone(raw: string | null | undefined): string | null {
  const s = (raw ?? '').trim();
  if (s === '') return null;
  const compact = s.replace(/[\s\-()（）]/g, '').replace(/^(\+?86)(?=1\d{10}$)/, '');
  return /^\+?\d+$/.test(compact) && compact.replace(/^\+/, '').startsWith('1') ? compact : s;
}
/** Looks like a mobile (11 digits starting with 1, after cleaning) but is not a valid one. */
function badMobile(phone: string | null): boolean {
  if (!phone || !/^1\d+$/.test(phone)) return false;
  return !MOBILE.test(phone);
}

const fail = (path: string, code: string, params?: Record<string, unknown>) => new DomainError('VALIDATION_FAILED', {}, 422, [{ path, code, params }]);

type LeadFieldsInput = Omit<LeadUpdateInput, 'version'>;

/** Validated stored values of the editable fields. */
async function leadValues(db: Queryable, input: LeadFieldsInput) {
  const phone = normalisePhone(input.phone);
  if (badMobile(phone)) throw fail('phone', 'LEAD_MOBILE_INVALID');
  let territoryPath: string | null = null;
  if (input.territoryId) {
    const [t] = await db.select({ path: territories.path }).from(territories).where(eq(territories.id, input.territoryId));
    if (!t) throw fail('territoryId', 'UNKNOWN_REFERENCE', { what: 'territory', ids: input.territoryId });
    territoryPath = t.path;
  }
  const productIds = [...new Set(input.productIds ?? [])];
  if (productIds.length) {
    const found = rowsOf<{ id: number }>(await db.execute(sql`select id from products where id in (${sql.join(productIds.map((id) => sql`${id}`), sql`, `)})`));
    const missing = productIds.filter((id) => !found.some((f) => f.id === id));
    if (missing.length) throw fail('productIds', 'UNKNOWN_REFERENCE', { what: 'product', ids: missing.join(',') });
  }
  const organisation = input.organisation.trim();
  return {
    organisation,
    nameKey: normaliseName(organisation),
    contactName: input.contactName ?? null,
    contactTitle: input.contactTitle ?? null,
    phone,
    territoryId: input.territoryId ?? null,
    territoryPath,
    address: input.address ?? null,
    source: input.source,
    customerType: input.customerType ?? null,
    nextFollowUpOn: input.nextFollowUpOn ?? null,
    notes: input.notes ?? null,
    productIds,
  };
}

const leadSearchText = (v: { organisation: string; contactName: string | null; phone: string | null; code: string }) => searchText(v.organisation, v.contactName, v.phone, v.code);

/** 409 when the organisation is already a customer, or (unless confirmed) another open lead. */
export async function assertNotDuplicateLead(db: Queryable, nameKey: string, confirmDuplicate: boolean, excludeId?: number) {
  const customer = rowsOf<{ code: string; name: string }>(
    await db.execute(sql`select code, name from customers where name_key = ${nameKey} and status = 'active' limit 1`),
  )[0];
  if (customer) throw new DomainError('LEAD_IS_CUSTOMER', { code: customer.code, name: customer.name }, 409, [{ path: 'organisation', code: 'LEAD_IS_CUSTOMER', params: { code: customer.code, name: customer.name } }]);
  if (confirmDuplicate) return;
  const [lead] = await db
    .select({ id: leads.id, code: leads.code, organisation: leads.organisation })
    .from(leads)
    .where(and(eq(leads.nameKey, nameKey), inArray(leads.status, ['open', 'converting']), excludeId ? ne(leads.id, excludeId) : undefined))
    .limit(1);
  if (lead) throw new DomainError('LEAD_DUPLICATE', { code: lead.code, name: lead.organisation, id: lead.id }, 409, [{ path: 'organisation', code: 'LEAD_DUPLICATE', params: { code: lead.code, name: lead.organisation } }]);
}

/** An active user holding leads.write that the actor reaches (or the actor), for owner fields. */
export async function checkLeadOwner(db: Queryable, actor: Actor, ownerId: number, path = 'ownerId') {
  const [u] = rowsOf<{ id: number; displayName: string; status: string; departmentId: number | null; departmentPath: string | null; writes: boolean }>(
    await db.execute(sql`select u.id, u.display_name as "displayName", u.status, u.department_id as "departmentId", d.path as "departmentPath",
        exists (select 1 from user_roles ur join roles r on r.id = ur.role_id where ur.user_id = u.id and 'leads.write' = any(r.permissions)) as writes
      from users u left join departments d on d.id = u.department_id where u.id = ${ownerId}`),
  );
  if (!u) throw fail(path, 'UNKNOWN_REFERENCE', { what: 'user', ids: ownerId });
  if (!reaches(actor, u)) throw new DomainError('OWNERSHIP_USER_OUT_OF_REACH', {}, 403, [{ path, code: 'OWNERSHIP_USER_OUT_OF_REACH' }]);
  if (u.status !== 'active' || !u.writes) throw fail(path, 'LEAD_OWNER_CANNOT_WORK_LEADS', { name: u.displayName });
  return u;
}

export type NewLead = Awaited<ReturnType<typeof leadValues>> & {
  grade: CustomerGrade;
  lifecycleStage: LifecycleStage;
  inquiry?: Record<string, unknown> | null;
};

/**
 * Inserts a lead (inside the caller's transaction): products, the 'created' event, the audit entry,
 * then its owner — the given one, or the assignment rules when `owner` is 'rules'.
 */
export async function insertLead(tx: Tx, actor: Actor, values: NewLead, owner: number | 'rules' | null, at: Date = new Date()): Promise<{ id: number; code: string; ownerId: number | null }> {
  const { productIds, ...columns } = values;
  const [row] = await tx
    .insert(leads)
    .values({ ...columns, inquiry: values.inquiry ?? null, searchText: '', gradeChangedAt: at, createdBy: actor.id || null, createdAt: at, updatedAt: at })
    .returning({ id: leads.id, code: leads.code });
  await tx.update(leads).set({ searchText: leadSearchText({ ...columns, code: row!.code }) }).where(eq(leads.id, row!.id));
  if (productIds.length) await tx.insert(leadProducts).values(productIds.map((productId) => ({ leadId: row!.id, productId })));
  await tx.insert(leadEvents).values({ leadId: row!.id, kind: 'created', at, actorId: actor.id || null, details: { stage: values.lifecycleStage, grade: values.grade, source: values.source } });
  let ownerId: number | null = null;
  if (owner === 'rules') ownerId = await assignByRules(tx, actor, row!.id, columns.territoryPath, at);
  else if (owner !== null) {
    await giveLead(tx, actor, row!.id, owner, owner === actor.id ? 'self' : 'manual', at);
    ownerId = owner;
  }
  // A new lead starts at version 1, whoever it went to.
  if (ownerId !== null) await tx.update(leads).set({ version: 1 }).where(eq(leads.id, row!.id));
  await audit(tx, actor, { action: 'lead.created', entity: 'lead', entityId: row!.id, after: { ...values, code: row!.code, ownerId } });
  return { id: row!.id, code: row!.code, ownerId };
}

export async function createLead(db: Db, actor: Actor, input: LeadCreateInput): Promise<LeadDetail> {
  const id = await db.transaction(async (tx) => {
    const values = await leadValues(tx, input);
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'lead:' + values.nameKey}))`);
    await assertNotDuplicateLead(tx, values.nameKey, input.confirmDuplicate);
    let owner: number | 'rules' | null;
    if (input.ownerId != null && input.ownerId !== actor.id) {
      if (!can(actor, 'leads.assign')) throw new DomainError('FORBIDDEN', {}, 403, [{ path: 'ownerId', code: 'OWNERSHIP_USER_OUT_OF_REACH' }]);
      owner = (await checkLeadOwner(tx, actor, input.ownerId)).id;
    } else if (input.ownerId === actor.id || !can(actor, 'leads.assign')) {
      owner = actor.id;
    } else {
      owner = 'rules';
    }
    const created = await insertLead(tx, actor, { ...values, grade: input.grade, lifecycleStage: input.lifecycleStage, inquiry: input.inquiry ?? null }, owner);
    return created.id;
  });
  return getLead(db, actor, id);
}

// ---- Reading ------------------------------------------------------------------------------------

const territoryName = sql<string | null>`(select string_agg(tt.name, ' ' order by length(tt.path)) from territories tt where tt.id = any(string_to_array(trim(both '/' from ${leads.territoryPath}), '/')))`;

const listColumns = {
  id: leads.id,
  code: leads.code,
  organisation: leads.organisation,
  contactName: leads.contactName,
  phone: leads.phone,
  territoryId: leads.territoryId,
  territoryName,
  source: leads.source,
  customerType: leads.customerType,
  grade: leads.grade,
  gradeChangedAt: leads.gradeChangedAt,
  lifecycleStage: leads.lifecycleStage,
  nextFollowUpOn: leads.nextFollowUpOn,
  ownerId: leads.ownerId,
  ownerName: users.displayName,
  status: leads.status,
  assignedAt: leads.assignedAt,
  lastActedAt: leads.lastActedAt,
  createdAt: leads.createdAt,
  updatedAt: leads.updatedAt,
};
export type LeadListRow = z.infer<typeof leadListRow>;

const sortable = {
  code: leads.code,
  organisation: leads.nameKey,
  grade: sql`array_position(array['C','B','A','H','O'], ${leads.grade})`,
  nextFollowUpOn: leads.nextFollowUpOn,
  createdAt: leads.createdAt,
  updatedAt: leads.updatedAt,
  territory: leads.territoryPath,
  status: leads.status,
};

export function leadFilterCondition(actor: Actor, f: LeadFilter, today: string): SQL | undefined {
  const parts: (SQL | undefined)[] = [leadScope(actor)];
  parts.push(searchTextMatches(leads.searchText, f.q));
  if (f.status) parts.push(eq(leads.status, f.status));
  if (f.ownerId !== undefined) parts.push(eq(leads.ownerId, f.ownerId));
  if (f.mine) parts.push(eq(leads.ownerId, actor.id));
  if (f.pool === true) parts.push(isNull(leads.ownerId));
  if (f.pool === false) parts.push(sql`${leads.ownerId} is not null`);
  if (f.grade) parts.push(eq(leads.grade, f.grade));
  if (f.source) parts.push(eq(leads.source, f.source));
  if (f.territoryId) parts.push(sql`${leads.territoryPath} like (select t.path from territories t where t.id = ${f.territoryId}) || '%'`);
  if (f.followUp === 'due') parts.push(sql`${leads.status} = 'open' and ${leads.nextFollowUpOn} <= ${today}::date`);
  if (f.followUp === 'overdue') parts.push(sql`${leads.status} = 'open' and ${leads.nextFollowUpOn} < ${today}::date`);
  // Dates are the company's (TIME_ZONE, as config.ts reads it).
  const zone = process.env.TIME_ZONE || 'Asia/Shanghai';
  if (f.createdFrom) parts.push(sql`${leads.createdAt} >= (${f.createdFrom}::date::timestamp at time zone ${zone})`);
  if (f.createdTo) parts.push(sql`${leads.createdAt} < ((${f.createdTo}::date + 1)::timestamp at time zone ${zone})`);
  return and(...parts);
}

function listQuery(db: Queryable, where: SQL | undefined) {
  return db.select(listColumns).from(leads).leftJoin(users, eq(users.id, leads.ownerId)).where(where).$dynamic();
}

export async function listLeads(db: Queryable, actor: Actor, filter: LeadFilter, page: PageQuery): Promise<Page<LeadListRow>> {
  const where = leadFilterCondition(actor, filter, companyToday());
  const [[total], items] = await Promise.all([
    db.select({ n: count() }).from(leads).where(where),
    listQuery(db, where)
      .orderBy(...orderByOf(page.sort, sortable, [desc(leads.id)]))
      .limit(page.pageSize)
      .offset((page.page - 1) * page.pageSize),
  ]);
  return { items, total: Number(total?.n ?? 0), page: page.page, pageSize: page.pageSize };
}

export async function listAllLeads(db: Queryable, actor: Actor, filter: LeadFilter, sort?: string, cap = 100_000): Promise<LeadListRow[]> {
  return listQuery(db, leadFilterCondition(actor, filter, companyToday()))
    .orderBy(...orderByOf(sort, sortable, [desc(leads.id)]))
    .limit(cap);
}

export type LeadDetail = Awaited<ReturnType<typeof getLead>>;

export async function getLead(db: Queryable, actor: Actor, id: number) {
  const [row] = await db
    .select({
      ...listColumns,
      contactTitle: leads.contactTitle,
      territoryPath: leads.territoryPath,
      address: leads.address,
      notes: leads.notes,
      closedReason: leads.closedReason,
      ownerDepartmentId: leads.ownerDepartmentId,
      applicationId: leads.applicationId,
      applicationNumber: sql<string | null>`(select a.number from customer_applications a where a.id = ${leads.applicationId})`,
      customerId: leads.customerId,
      customerCode: sql<string | null>`(select c.code from customers c where c.id = ${leads.customerId})`,
      inquiry: leads.inquiry,
      createdBy: leads.createdBy,
      version: leads.version,
      activityCount: sql<number>`(select count(*)::int from activities a where a.lead_id = ${leads.id})`,
    })
    .from(leads)
    .leftJoin(users, eq(users.id, leads.ownerId))
    .where(and(eq(leads.id, id), leadScope(actor)));
  if (!row) throw notFound();
  const [products, events] = await Promise.all([
    rowsOf<{ id: number; code: string; name: string }>(
      await db.execute(sql`select p.id, p.code, p.generic_name || ' ' || p.specification as name from lead_products lp join products p on p.id = lp.product_id where lp.lead_id = ${id} order by p.code`),
    ),
    leadEventsOf(db, id),
  ]);
  return { ...row, activityCount: Number(row.activityCount), products, events };
}

/** The lead's history, oldest first, with the actors' names. */
export async function leadEventsOf(db: Queryable, leadId: number) {
  return db
    .select({
      id: leadEvents.id,
      kind: leadEvents.kind,
      at: leadEvents.at,
      actorId: leadEvents.actorId,
      actorName: users.displayName,
      details: leadEvents.details,
      // The owner the event gave the lead to, or took it from.
      ownerName: sql<string | null>`(select o.display_name from users o where o.id = coalesce((${leadEvents.details}->>'ownerId')::int, (${leadEvents.details}->>'formerOwnerId')::int))`,
    })
    .from(leadEvents)
    .leftJoin(users, eq(users.id, leadEvents.actorId))
    .where(eq(leadEvents.leadId, leadId))
    .orderBy(asc(leadEvents.at), asc(leadEvents.id));
}

// ---- Changing -----------------------------------------------------------------------------------

/** Locks a lead the actor sees (404 otherwise) and that they may change: its owner or an assigner. */
export async function lockLead(tx: Tx, actor: Actor, id: number, version?: number): Promise<LeadRow> {
  const [row] = await tx.select().from(leads).where(and(eq(leads.id, id), leadScope(actor))).for('update');
  if (!row) throw notFound();
  if (row.ownerId !== actor.id && !can(actor, 'leads.assign')) throw new DomainError('LEAD_NOT_YOURS', {}, 403);
  if (version !== undefined && row.version !== version) throw versionConflict();
  return row;
}

function requireStatus(row: LeadRow, ...statuses: LeadRow['status'][]) {
  if (!statuses.includes(row.status)) throw new DomainError('LEAD_WRONG_STATUS', { status: row.status }, 409);
}

async function changed(tx: Tx, actor: Actor, row: LeadRow, set: Partial<typeof leads.$inferInsert>, action: string, at: Date) {
  const [after] = await tx
    .update(leads)
    .set({ ...set, version: row.version + 1, updatedAt: at })
    .where(eq(leads.id, row.id))
    .returning();
  if (row.ownerId === actor.id) await touchLead(tx, row.id, actor.id, at);
  const before = Object.fromEntries(Object.keys(set).map((k) => [k, row[k as keyof LeadRow]]));
  await audit(tx, actor, { action, entity: 'lead', entityId: row.id, before, after: set });
  return after!;
}

export async function updateLead(db: Db, actor: Actor, id: number, input: LeadUpdateInput): Promise<LeadDetail> {
  await db.transaction(async (tx) => {
    const row = await lockLead(tx, actor, id, input.version);
    requireStatus(row, 'open', 'converting');
    const { productIds, ...values } = await leadValues(tx, input);
    if (values.nameKey !== row.nameKey) await assertNotDuplicateLead(tx, values.nameKey, false, id);
    const at = new Date();
    await changed(tx, actor, row, { ...values, searchText: leadSearchText({ ...values, code: row.code }) }, 'lead.updated', at);
    await tx.delete(leadProducts).where(eq(leadProducts.leadId, id));
    if (productIds.length) await tx.insert(leadProducts).values(productIds.map((productId) => ({ leadId: id, productId })));
    await tx.insert(leadEvents).values({ leadId: id, kind: 'edited', at, actorId: actor.id });
  });
  return getLead(db, actor, id);
}

export async function gradeLead(db: Db, actor: Actor, id: number, grade: CustomerGrade, version: number, at = new Date()): Promise<LeadDetail> {
  await db.transaction(async (tx) => {
    const row = await lockLead(tx, actor, id, version);
    requireStatus(row, 'open', 'converting');
    if (row.grade === grade) return;
    await changed(tx, actor, row, { grade, gradeChangedAt: at }, 'lead.graded', at);
    await tx.insert(leadEvents).values({ leadId: id, kind: 'graded', at, actorId: actor.id, details: { from: row.grade, to: grade } });
  });
  return getLead(db, actor, id);
}

export async function stageLead(db: Db, actor: Actor, id: number, stage: LifecycleStage, version: number, at = new Date()): Promise<LeadDetail> {
  await db.transaction(async (tx) => {
    const row = await lockLead(tx, actor, id, version);
    requireStatus(row, 'open', 'converting');
    if (row.lifecycleStage === stage) return;
    await changed(tx, actor, row, { lifecycleStage: stage }, 'lead.staged', at);
    await tx.insert(leadEvents).values({ leadId: id, kind: 'staged', at, actorId: actor.id, details: { from: row.lifecycleStage, to: stage } });
  });
  return getLead(db, actor, id);
}

export async function closeLead(db: Db, actor: Actor, id: number, reason: string, version: number): Promise<LeadDetail> {
  await db.transaction(async (tx) => {
    const row = await lockLead(tx, actor, id, version);
    requireStatus(row, 'open');
    const at = new Date();
    await changed(tx, actor, row, { status: 'closed', closedReason: reason }, 'lead.closed', at);
    await tx.insert(leadEvents).values({ leadId: id, kind: 'closed', at, actorId: actor.id, details: { reason } });
  });
  return getLead(db, actor, id);
}

export async function reopenLead(db: Db, actor: Actor, id: number, version: number): Promise<LeadDetail> {
  await db.transaction(async (tx) => {
    const row = await lockLead(tx, actor, id, version);
    requireStatus(row, 'closed');
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'lead:' + row.nameKey}))`);
    await assertNotDuplicateLead(tx, row.nameKey, false, id);
    const at = new Date();
    await changed(tx, actor, row, { status: 'open', closedReason: null }, 'lead.reopened', at);
    await tx.insert(leadEvents).values({ leadId: id, kind: 'reopened', at, actorId: actor.id });
  });
  return getLead(db, actor, id);
}

// ---- Pool: assign, claim, release ---------------------------------------------------------------

/** Gives visible open leads to a rep the assigner reaches; returns how many changed owner. */
export async function assignLeads(db: Db, actor: Actor, leadIds: number[], ownerId: number): Promise<{ assigned: number }> {
  return db.transaction(async (tx) => {
    const owner = await checkLeadOwner(tx, actor, ownerId);
    const ids = [...new Set(leadIds)].sort((a, b) => a - b);
    const rows = await tx.select().from(leads).where(and(inArray(leads.id, ids), leadScope(actor))).orderBy(asc(leads.id)).for('update');
    if (rows.length !== ids.length) throw notFound();
    const wrong = rows.find((r) => r.status !== 'open');
    if (wrong) throw new DomainError('LEAD_WRONG_STATUS', { status: wrong.status, code: wrong.code }, 409);
    const at = new Date();
    const moving = rows.filter((r) => r.ownerId !== owner.id);
    for (const r of moving) await giveLead(tx, actor, r.id, owner.id, 'manual', at);
    await auditMany(tx, actor, moving.map((r) => ({ action: 'lead.assigned', entity: 'lead', entityId: r.id, before: { ownerId: r.ownerId }, after: { ownerId: owner.id } })));
    return { assigned: moving.length };
  });
}

/** A rep takes a pool lead they see. */
export async function claimLead(db: Db, actor: Actor, id: number): Promise<LeadDetail> {
  await db.transaction(async (tx) => {
    const [row] = await tx.select().from(leads).where(and(eq(leads.id, id), leadScope(actor))).for('update');
    if (!row) throw notFound();
    if (row.ownerId !== null) throw new DomainError('LEAD_NOT_IN_POOL', {}, 409);
    requireStatus(row, 'open');
    await giveLead(tx, actor, id, actor.id, 'claim');
    await audit(tx, actor, { action: 'lead.claimed', entity: 'lead', entityId: id, after: { ownerId: actor.id } });
  });
  return getLead(db, actor, id);
}

/** The owner, or an assigner who reaches the owner, puts the lead back in the pool. */
export async function releaseLead(db: Db, actor: Actor, id: number, reason: string | null): Promise<LeadDetail> {
  await db.transaction(async (tx) => {
    const row = await lockLead(tx, actor, id);
    if (row.ownerId === null) throw new DomainError('LEAD_NOT_IN_POOL', {}, 409);
    requireStatus(row, 'open');
    if (row.ownerId !== actor.id) await checkLeadOwnerReach(tx, actor, row.ownerId);
    const at = new Date();
    await tx
      .update(leads)
      .set({ ownerId: null, ownerDepartmentId: null, assignedAt: null, lastActedAt: null, version: row.version + 1, updatedAt: at })
      .where(eq(leads.id, id));
    await tx.insert(leadEvents).values({ leadId: id, kind: 'released', at, actorId: actor.id, details: { formerOwnerId: row.ownerId, reason } });
    await audit(tx, actor, { action: 'lead.released', entity: 'lead', entityId: id, before: { ownerId: row.ownerId }, after: { ownerId: null, reason } });
  });
  return getLead(db, actor, id);
}

async function checkLeadOwnerReach(tx: Queryable, actor: Actor, userId: number) {
  const [u] = await tx
    .select({ id: users.id, displayName: users.displayName, status: users.status, departmentId: users.departmentId, departmentPath: departments.path })
    .from(users)
    .leftJoin(departments, eq(departments.id, users.departmentId))
    .where(eq(users.id, userId));
  if (!u || !reaches(actor, u)) throw new DomainError('OWNERSHIP_USER_OUT_OF_REACH', {}, 403);
}

// ---- Reclaim ("规定时间内处理") ------------------------------------------------------------------

/**
 * Open leads whose owner has not acted (coalesce(last_acted_at, assigned_at)) for
 * crm_settings.lead_reclaim_days go back to the pool; each former owner is told once per run.
 * `now` is the job's scheduled time, so tests drive the clock. Returns how many were reclaimed.
 */
export async function reclaimStaleLeads(db: Db, now: Date): Promise<number> {
  return db.transaction(async (tx) => {
    const { leadReclaimDays } = await getCrmSettings(tx);
    if (leadReclaimDays <= 0) return 0;
    const cutoff = new Date(now.getTime() - leadReclaimDays * 86_400_000);
    const stale = await tx
      .select({ id: leads.id, code: leads.code, organisation: leads.organisation, ownerId: leads.ownerId })
      .from(leads)
      .where(sql`${leads.status} = 'open' and ${leads.ownerId} is not null and coalesce(${leads.lastActedAt}, ${leads.assignedAt}) < ${cutoff}`)
      .orderBy(asc(leads.id))
      .for('update', { skipLocked: true });
    if (stale.length === 0) return 0;
    const ids = stale.map((s) => s.id);
    await tx
      .update(leads)
      .set({ ownerId: null, ownerDepartmentId: null, assignedAt: null, lastActedAt: null, version: sql`${leads.version} + 1`, updatedAt: now })
      .where(inArray(leads.id, ids));
    await tx.insert(leadEvents).values(stale.map((s) => ({ leadId: s.id, kind: 'reclaimed' as const, at: now, actorId: null, details: { formerOwnerId: s.ownerId, days: leadReclaimDays } })));
    const byOwner = new Map<number, typeof stale>();
    for (const s of stale) byOwner.set(s.ownerId!, [...(byOwner.get(s.ownerId!) ?? []), s]);
    for (const [ownerId, list] of byOwner) {
      const names = list.slice(0, 5).map((l) => `${l.organisation}（${l.code}）`).join('、') + (list.length > 5 ? ' …' : '');
      await notify(tx, {
        userIds: [ownerId],
        event: 'lead.reclaimed',
        title: { 'zh-CN': `${list.length} 条线索超过 ${leadReclaimDays} 天未跟进，已收回线索池`, 'en-US': `${list.length} leads not followed up within ${leadReclaimDays} days went back to the pool` },
        body: { 'zh-CN': names, 'en-US': names },
        link: '/leads?view=pool',
      });
    }
    await auditMany(tx, null, stale.map((s) => ({ action: 'lead.reclaimed', entity: 'lead', entityId: s.id, before: { ownerId: s.ownerId }, after: { ownerId: null, days: leadReclaimDays } })));
    return stale.length;
  });
}

/**
 * The lead a customer came from (its 360° page shows "来源线索"): for whoever sees the customer, even
 * without leads.read — the history belongs to the customer now. Null when it was not a lead.
 */
export async function sourceLeadOfCustomer(db: Queryable, actor: Actor, customerId: number) {
  const visible = rowsOf<{ ok: boolean }>(await db.execute(sql`select ${customerVisible(actor, sql`${customerId}::int`)} as ok`))[0]?.ok;
  if (!visible) throw notFound();
  const [row] = await db
    .select({ id: leads.id, code: leads.code, source: leads.source, createdAt: leads.createdAt, organisation: leads.organisation, grade: leads.grade })
    .from(leads)
    .where(eq(leads.customerId, customerId))
    .orderBy(desc(leads.id))
    .limit(1);
  if (!row) return null;
  return { ...row, events: await leadEventsOf(db, row.id) };
}
