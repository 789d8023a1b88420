import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Actor } from '../../kernel/access/actor.js';
import { systemActor } from '../../kernel/access/actor.js';
import { audit } from '../../kernel/audit/audit.js';
import { type Db, type Queryable, type Tx, rowsOf } from '../../kernel/db/client.js';
import { type DocumentTypeDef, recordEvent, registerDocumentType } from '../../kernel/documents/lifecycle.js';
import { DomainError, notFound, versionConflict } from '../../kernel/errors.js';
import { notify } from '../../kernel/notify/notify.js';
import { customerScope, customerVisible } from './customers.scope.js';
import { type CustomerType, type QualificationState, customers } from './customers.tables.js';
import { type QualificationKind, customerQualifications } from './qualifications.tables.js';

/**
 * 客户资质 (customer qualification documents). Rules owned here:
 * - REQUIRED_QUALIFICATIONS below is the one place that says which documents a customer type must
 *   hold before we may sell to it (GSP: a wholesaler or pharmacy needs its business licence and
 *   drug operation licence; a hospital or clinic its medical institution licence).
 * - A document's `expires_on` is its last valid day; null is long-term (长期).
 * - customers.qualification_state, worst first: 'missing' (a required kind has no current
 *   document), 'expired' (one expired before today), 'expiring' (one expires within
 *   EXPIRING_WITHIN_DAYS days), else 'ok'. It is recomputed in the transaction of every document
 *   change and by the daily job `customers.qualifications` as the calendar moves on.
 * - One current document per kind ('other' excepted): a renewal files the new one and marks the
 *   old one replaced (history kept); only current documents are edited.
 * - The daily job tells the owner rep once per document when it comes within 30 days of expiry
 *   and once when it has expired.
 * - Orders ask `checkCustomerEligibility` before accepting a customer.
 */
export const REQUIRED_QUALIFICATIONS: Record<CustomerType, QualificationKind[]> = {
  distributor: ['business_licence', 'drug_operation_licence'],
  pharmacy: ['business_licence', 'drug_operation_licence'],
  agent: ['business_licence'],
  other: ['business_licence'],
  hospital: ['medical_institution_licence'],
  clinic: ['medical_institution_licence'],
};

export const EXPIRING_WITHIN_DAYS = 30;

/** Names of the states for exports (the web has its own in the locale files). */
export const QUALIFICATION_STATE_NAMES: Record<QualificationState, { 'zh-CN': string; 'en-US': string }> = {
  ok: { 'zh-CN': '资质齐全', 'en-US': 'OK' },
  expiring: { 'zh-CN': '资质将到期', 'en-US': 'Expiring soon' },
  missing: { 'zh-CN': '资质缺失', 'en-US': 'Missing' },
  expired: { 'zh-CN': '资质过期', 'en-US': 'Expired' },
};

export type QualificationRow = typeof customerQualifications.$inferSelect;
export type QualificationInput = { kind: QualificationKind; number: string; issuedOn?: string | null; expiresOn?: string | null; notes?: string | null };

/** Adds days to a 'YYYY-MM-DD' date. */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The state of one customer's documents on a day (the same rule as the SQL below, for one customer in memory). */
export function qualificationStateOf(type: CustomerType, docs: { kind: string; expiresOn: string | null; status?: string }[], today: string): QualificationState {
  const current = docs.filter((d) => (d.status ?? 'current') === 'current');
  const required = REQUIRED_QUALIFICATIONS[type].map((kind) => current.find((d) => d.kind === kind));
  if (required.some((d) => !d)) return 'missing';
  if (required.some((d) => d!.expiresOn !== null && d!.expiresOn < today)) return 'expired';
  if (required.some((d) => d!.expiresOn !== null && d!.expiresOn <= addDays(today, EXPIRING_WITHIN_DAYS))) return 'expiring';
  return 'ok';
}

const requiredValues = sql.raw(
  Object.entries(REQUIRED_QUALIFICATIONS)
    .flatMap(([type, kinds]) => kinds.map((k) => `('${type}','${k}')`))
    .join(','),
);

/**
 * Recomputes qualification_state (of the given customers, or of all) for `today`; returns the
 * customers whose state changed. Set-based, so the nightly run is one statement whatever the size.
 */
export async function recomputeQualificationStates(tx: Queryable, today: string, customerIds?: number[]): Promise<{ id: number; before: string; after: string }[]> {
  if (customerIds && customerIds.length === 0) return [];
  const only = customerIds ? sql`and c.id in (${sql.join(customerIds.map((id) => sql`${id}`), sql`, `)})` : sql``;
  const result = await tx.execute(sql`
    with req(type, kind) as (values ${requiredValues}),
    st as (
      select c.id,
        case
          when bool_or(q.id is null) then 'missing'
          when bool_or(q.expires_on < ${today}::date) then 'expired'
          when bool_or(q.expires_on <= ${today}::date + ${EXPIRING_WITHIN_DAYS}::int) then 'expiring'
          else 'ok'
        end as state
      from customers c
      join req r on r.type = c.type
      left join customer_qualifications q on q.customer_id = c.id and q.kind = r.kind and q.status = 'current'
      where c.status <> 'merged' ${only}
      group by c.id
    ),
    old as (select c.id, c.qualification_state as before from customers c join st on st.id = c.id where c.qualification_state <> st.state)
    update customers c set qualification_state = st.state
    from st join old on old.id = st.id
    where st.id = c.id
    returning c.id, old.before, st.state as after`);
  return rowsOf<{ id: number; before: string; after: string }>(result).map((r) => ({ id: Number(r.id), before: r.before, after: r.after }));
}

/** What an order needs to know: may we sell to this customer on this day, and if not, why. */
export type Eligibility = { eligible: boolean; problems: { kind: QualificationKind; problem: 'missing' | 'expired'; expiresOn?: string }[] };

export async function checkCustomerEligibility(db: Queryable, customerId: number, on: string): Promise<Eligibility> {
  const [customer] = await db.select({ type: customers.type }).from(customers).where(eq(customers.id, customerId));
  if (!customer) throw notFound();
  const docs = await db
    .select({ kind: customerQualifications.kind, expiresOn: customerQualifications.expiresOn })
    .from(customerQualifications)
    .where(and(eq(customerQualifications.customerId, customerId), eq(customerQualifications.status, 'current')));
  const problems: Eligibility['problems'] = [];
  for (const kind of REQUIRED_QUALIFICATIONS[customer.type]) {
    const doc = docs.find((d) => d.kind === kind);
    if (!doc) problems.push({ kind, problem: 'missing' });
    else if (doc.expiresOn !== null && doc.expiresOn < on) problems.push({ kind, problem: 'expired', expiresOn: doc.expiresOn });
  }
  return { eligible: problems.length === 0, problems };
}

/** The same check for a customer the actor may see (404 otherwise). */
export async function customerEligibility(db: Queryable, actor: Actor, customerId: number, on: string): Promise<Eligibility> {
  await assertCustomerVisible(db, actor, customerId);
  return checkCustomerEligibility(db, customerId, on);
}

async function assertCustomerVisible(db: Queryable, actor: Actor, customerId: number) {
  const [row] = await db.select({ id: customers.id }).from(customers).where(and(eq(customers.id, customerId), customerScope(actor)));
  if (!row) throw notFound();
}

// ---- The kernel document type: attachments (scans) and timeline of each document ----------------

const DOC_TYPE = 'customer_qualification';

export const customerQualificationType: DocumentTypeDef<QualificationRow> = registerDocumentType<QualificationRow>({
  type: DOC_TYPE,
  name: { 'zh-CN': '客户资质', 'en-US': 'Customer qualification document' },
  numberPattern: 'ZZ-{seq:6}',
  table: customerQualifications,
  states: {
    current: { 'zh-CN': '有效', 'en-US': 'Current' },
    replaced: { 'zh-CN': '已更新替换', 'en-US': 'Replaced' },
  },
  transitions: {},
  load: async (db, id) => (await db.select().from(customerQualifications).where(eq(customerQualifications.id, id)))[0] ?? null,
  loadVisible: async (db, actor, id) =>
    (await db.select().from(customerQualifications).where(and(eq(customerQualifications.id, id), customerVisible(actor, customerQualifications.customerId))))[0] ?? null,
  summaries: async (db, ids) =>
    ids.length === 0
      ? []
      : (
          await db
            .select({ id: customerQualifications.id, number: customerQualifications.number, kind: customerQualifications.kind, customerName: customers.name })
            .from(customerQualifications)
            .innerJoin(customers, eq(customers.id, customerQualifications.customerId))
            .where(inArray(customerQualifications.id, ids))
        ).map((r) => ({ id: r.id, number: r.number, title: `${r.customerName} ${r.kind}` })),
  link: (id) => `/customers/qualifications/${id}`,
  // Scans are part of the customer's file: who may only read customers (finance, logistics) sees them but changes none.
  mayAttach: (actor) => actor.permissions.has('customers.write'),
});

// ---- Reading and changing a customer's documents ------------------------------------------------

export type QualificationListRow = QualificationRow & { attachmentCount: number; createdByName: string | null };

export async function listQualifications(db: Queryable, actor: Actor, customerId: number, opts: { history?: boolean } = {}): Promise<QualificationListRow[]> {
  await assertCustomerVisible(db, actor, customerId);
  return db
    .select({
      ...getColumns(),
      attachmentCount: sql<number>`(select count(*)::int from attachments a where a.doc_type = ${DOC_TYPE} and a.doc_id = customer_qualifications.id and a.deleted_at is null)`,
      createdByName: sql<string | null>`(select u.display_name from users u where u.id = customer_qualifications.created_by)`,
    })
    .from(customerQualifications)
    .where(and(eq(customerQualifications.customerId, customerId), opts.history ? undefined : eq(customerQualifications.status, 'current')))
    .orderBy(asc(customerQualifications.kind), desc(customerQualifications.id));
}

function getColumns() {
  const t = customerQualifications;
  return {
    id: t.id,
    customerId: t.customerId,
    kind: t.kind,
    number: t.number,
    issuedOn: t.issuedOn,
    expiresOn: t.expiresOn,
    notes: t.notes,
    status: t.status,
    replacedById: t.replacedById,
    expiryNotices: t.expiryNotices,
    createdBy: t.createdBy,
    version: t.version,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
  };
}

function checkDates(input: QualificationInput) {
  if (input.issuedOn && input.expiresOn && input.expiresOn < input.issuedOn) {
    throw new DomainError('VALIDATION_FAILED', {}, 422, [{ path: 'expiresOn', code: 'QUALIFICATION_EXPIRES_BEFORE_ISSUED' }]);
  }
}

const valuesOf = (input: QualificationInput) => ({
  kind: input.kind,
  number: input.number.trim(),
  issuedOn: input.issuedOn ?? null,
  expiresOn: input.expiresOn ?? null,
  notes: input.notes?.trim() || null,
});

/**
 * Files a document for a customer inside the caller's transaction (the customer row is already
 * locked). Used by the add route and by the approved account opening.
 */
export async function insertQualification(tx: Tx, actor: Actor, customerId: number, input: QualificationInput): Promise<QualificationRow> {
  checkDates(input);
  if (input.kind !== 'other') {
    const [current] = await tx
      .select({ id: customerQualifications.id })
      .from(customerQualifications)
      .where(and(eq(customerQualifications.customerId, customerId), eq(customerQualifications.kind, input.kind), eq(customerQualifications.status, 'current')));
    if (current) throw new DomainError('QUALIFICATION_ALREADY_CURRENT', {}, 409, [{ path: 'kind', code: 'QUALIFICATION_ALREADY_CURRENT' }]);
  }
  const [row] = await tx
    .insert(customerQualifications)
    .values({ ...valuesOf(input), customerId, createdBy: actor.id || null })
    .returning();
  await recordEvent(tx, actor, DOC_TYPE, row!.id, { kind: 'created' });
  await audit(tx, actor, { action: 'customer_qualification.added', entity: 'customer', entityId: customerId, after: row });
  return row!;
}

async function lockCustomerForDocuments(tx: Tx, actor: Actor, customerId: number) {
  const [row] = await tx.select({ id: customers.id, status: customers.status, code: customers.code }).from(customers).where(and(eq(customers.id, customerId), customerScope(actor))).for('update');
  if (!row) throw notFound();
  if (row.status === 'merged') throw new DomainError('CUSTOMER_MERGED', { code: row.code }, 409);
  return row;
}

async function lockQualification(tx: Tx, customerId: number, id: number): Promise<QualificationRow> {
  const [row] = await tx
    .select()
    .from(customerQualifications)
    .where(and(eq(customerQualifications.id, id), eq(customerQualifications.customerId, customerId)))
    .for('update');
  if (!row) throw notFound();
  return row;
}

async function afterChange(tx: Tx, actor: Actor, customerId: number, today: string) {
  const changed = await recomputeQualificationStates(tx, today, [customerId]);
  for (const c of changed) {
    await audit(tx, actor, { action: 'customer.qualification_state_changed', entity: 'customer', entityId: c.id, before: { qualificationState: c.before }, after: { qualificationState: c.after } });
  }
}

export async function addQualification(db: Db, actor: Actor, customerId: number, input: QualificationInput, today: string): Promise<QualificationRow> {
  return db.transaction(async (tx) => {
    await lockCustomerForDocuments(tx, actor, customerId);
    const row = await insertQualification(tx, actor, customerId, input);
    await afterChange(tx, actor, customerId, today);
    return row;
  });
}

/** A new document replaces the current one of the same kind; the old one stays as history. */
export async function renewQualification(db: Db, actor: Actor, customerId: number, id: number, input: Omit<QualificationInput, 'kind'> & { version: number }, today: string): Promise<QualificationRow> {
  return db.transaction(async (tx) => {
    await lockCustomerForDocuments(tx, actor, customerId);
    const old = await lockQualification(tx, customerId, id);
    if (old.version !== input.version) throw versionConflict();
    if (old.status !== 'current') throw new DomainError('QUALIFICATION_NOT_CURRENT', {}, 409);
    const values = { ...input, kind: old.kind };
    checkDates(values);
    // The old one steps aside first (the partial unique index allows one current per kind).
    await tx.execute(sql`update customer_qualifications set status = 'replaced', replaced_by_id = id, version = version + 1, updated_at = now() where id = ${id}`);
    const [row] = await tx.insert(customerQualifications).values({ ...valuesOf(values), customerId, createdBy: actor.id || null }).returning();
    await tx.update(customerQualifications).set({ replacedById: row!.id }).where(eq(customerQualifications.id, id));
    await recordEvent(tx, actor, DOC_TYPE, row!.id, { kind: 'created', data: { replaces: id } });
    await recordEvent(tx, actor, DOC_TYPE, id, { kind: 'transition', transition: 'renew', fromState: 'current', toState: 'replaced', data: { replacedBy: row!.id } });
    await audit(tx, actor, { action: 'customer_qualification.renewed', entity: 'customer', entityId: customerId, before: old, after: row });
    await afterChange(tx, actor, customerId, today);
    return row!;
  });
}

export async function updateQualification(db: Db, actor: Actor, customerId: number, id: number, input: Omit<QualificationInput, 'kind'> & { version: number }, today: string): Promise<QualificationRow> {
  return db.transaction(async (tx) => {
    await lockCustomerForDocuments(tx, actor, customerId);
    const before = await lockQualification(tx, customerId, id);
    if (before.version !== input.version) throw versionConflict();
    if (before.status !== 'current') throw new DomainError('QUALIFICATION_NOT_CURRENT', {}, 409);
    const values = valuesOf({ ...input, kind: before.kind });
    checkDates(values);
    const expiryMoved = values.expiresOn !== before.expiresOn;
    const [after] = await tx
      .update(customerQualifications)
      .set({ ...values, version: before.version + 1, updatedAt: new Date(), ...(expiryMoved ? { expiryNotices: [] } : {}) })
      .where(eq(customerQualifications.id, id))
      .returning();
    await recordEvent(tx, actor, DOC_TYPE, id, { kind: 'edit' });
    await audit(tx, actor, { action: 'customer_qualification.updated', entity: 'customer', entityId: customerId, before, after });
    await afterChange(tx, actor, customerId, today);
    return after!;
  });
}

// ---- The daily job ------------------------------------------------------------------------------

export const KIND_NAMES: Record<QualificationKind, { 'zh-CN': string; 'en-US': string }> = {
  business_licence: { 'zh-CN': '营业执照', 'en-US': 'business licence' },
  drug_operation_licence: { 'zh-CN': '药品经营许可证', 'en-US': 'drug operation licence' },
  gsp_certificate: { 'zh-CN': 'GSP证书', 'en-US': 'GSP certificate' },
  medical_institution_licence: { 'zh-CN': '医疗机构执业许可证', 'en-US': 'medical institution licence' },
  drug_manufacturing_licence: { 'zh-CN': '药品生产许可证', 'en-US': 'drug manufacturing licence' },
  power_of_attorney: { 'zh-CN': '法人委托书', 'en-US': 'power of attorney' },
  other: { 'zh-CN': '其他资质', 'en-US': 'other document' },
};

/**
 * `customers.qualifications`, daily: recompute every customer's state for `today`, then tell owner
 * reps about current documents that entered the 30-day window or expired, once per document and
 * threshold (remembered in expiry_notices).
 */
export async function runQualificationCheck(db: Db, today: string): Promise<{ changed: number; notified: number }> {
  return db.transaction(async (tx) => {
    const changed = await recomputeQualificationStates(tx, today);
    if (changed.length > 0) {
      await audit(tx, systemActor(), { action: 'customer.qualification_states_recomputed', entity: 'customer', after: { today, changed: changed.slice(0, 500) } });
    }
    const horizon = addDays(today, EXPIRING_WITHIN_DAYS);
    const due = await tx
      .select({
        id: customerQualifications.id,
        kind: customerQualifications.kind,
        number: customerQualifications.number,
        expiresOn: customerQualifications.expiresOn,
        notices: customerQualifications.expiryNotices,
        customerId: customers.id,
        customerName: customers.name,
        ownerId: customers.ownerId,
      })
      .from(customerQualifications)
      .innerJoin(customers, eq(customers.id, customerQualifications.customerId))
      .where(
        and(
          eq(customerQualifications.status, 'current'),
          sql`${customerQualifications.expiresOn} <= ${horizon}::date`,
          sql`${customers.status} <> 'merged'`,
          sql`not (${customerQualifications.expiryNotices} @> array[case when ${customerQualifications.expiresOn} < ${today}::date then 'expired' else '30d' end]::text[])`,
        ),
      )
      .orderBy(asc(customerQualifications.id))
      .limit(10_000);
    let notified = 0;
    for (const d of due) {
      const expired = d.expiresOn! < today;
      if (d.ownerId !== null) {
        const kind = KIND_NAMES[d.kind];
        notified += await notify(tx, {
          userIds: [d.ownerId],
          event: 'customer.qualification_expiring',
          title: expired
            ? { 'zh-CN': `资质已过期：${d.customerName} ${kind['zh-CN']}`, 'en-US': `Expired: ${d.customerName} ${kind['en-US']}` }
            : { 'zh-CN': `资质即将到期：${d.customerName} ${kind['zh-CN']}`, 'en-US': `Expiring soon: ${d.customerName} ${kind['en-US']}` },
          body: expired
            ? { 'zh-CN': `${kind['zh-CN']}（${d.number}）已于 ${d.expiresOn} 到期，请尽快收取新证并更新`, 'en-US': `The ${kind['en-US']} (${d.number}) expired on ${d.expiresOn}; please collect and file the new one` }
            : { 'zh-CN': `${kind['zh-CN']}（${d.number}）将于 ${d.expiresOn} 到期，请提前收取新证`, 'en-US': `The ${kind['en-US']} (${d.number}) expires on ${d.expiresOn}; please collect the new one in time` },
          link: `/customers/${d.customerId}?tab=qualifications`,
        });
      }
      // An already expired document gets one notice, not a late "expiring" one as well.
      const notices = [...new Set([...d.notices, '30d', ...(expired ? ['expired'] : [])])];
      await tx.update(customerQualifications).set({ expiryNotices: notices }).where(eq(customerQualifications.id, d.id));
    }
    return { changed: changed.length, notified };
  });
}
