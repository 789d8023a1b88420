import { searchTextMatches } from '../../kernel/db/like.js';
import { type SQL, and, asc, count, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Actor } from '../../kernel/access/actor.js';
import { users } from '../../kernel/access/access.tables.js';
import { audit, auditMany } from '../../kernel/audit/audit.js';
import type { Db, Queryable, Tx } from '../../kernel/db/client.js';
import { DomainError, notFound, versionConflict } from '../../kernel/errors.js';
import { type Page, type PageQuery, orderByOf } from '../../kernel/http/paging.js';
import { searchText } from '../../kernel/pinyin.js';
import { customerScope, customerVisible } from '../customers/customers.scope.js';
import { lockCustomer } from '../customers/customers.service.js';
import { customers } from '../customers/customers.tables.js';
import {
  CHINESE_MOBILE,
  type ContactGender,
  type ContactInfluence,
  type ContactStatus,
  contactCustomerHistory,
  contacts,
} from './contacts.tables.js';

/**
 * Contacts (联系人): the people at a customer — doctors, pharmacy directors, buyers — with what a
 * rep needs to keep the relationship (department, title, mobile, WeChat, birthday, preferences).
 * Rules owned here:
 * - a contact is visible and editable exactly when its current customer is (customerVisible);
 * - a mobile must be a mainland Chinese mobile number, and one mobile appears once per customer
 *   (the partial unique index contacts_customer_mobile_uq backs the check);
 * - a contact MOVES to another customer rather than being re-entered (a doctor changes hospital):
 *   contact_customer_history keeps every customer and the dates, so later activities stay with
 *   the person; both customers must be in the actor's scope;
 * - a contact who left is marked 'left', never deleted; edits are optimistic (version) and audited.
 */
export type ContactFields = {
  name: string;
  gender?: ContactGender | null;
  department?: string | null;
  title?: string | null;
  mobile?: string | null;
  phone?: string | null;
  email?: string | null;
  wechat?: string | null;
  birthday?: string | null;
  preferences?: string | null;
  notes?: string | null;
  influence?: ContactInfluence;
};

export type ContactListRow = {
  id: number;
  customerId: number;
  customerCode: string;
  customerName: string;
  name: string;
  gender: ContactGender | null;
  department: string | null;
  title: string | null;
  mobile: string | null;
  phone: string | null;
  email: string | null;
  wechat: string | null;
  birthday: string | null;
  influence: ContactInfluence;
  status: ContactStatus;
  updatedAt: Date;
};

export type ContactHistoryRow = { customerId: number; customerCode: string; customerName: string; fromAt: Date; toAt: Date | null; movedByName: string | null };
export type ContactDetail = ContactListRow & { preferences: string | null; notes: string | null; version: number; createdAt: Date; history: ContactHistoryRow[] };

export type ContactFilter = {
  q?: string;
  customerId?: number;
  department?: string;
  influence?: ContactInfluence;
  status?: ContactStatus;
};

const listColumns = {
  id: contacts.id,
  customerId: contacts.customerId,
  customerCode: customers.code,
  customerName: customers.name,
  name: contacts.name,
  gender: contacts.gender,
  department: contacts.department,
  title: contacts.title,
  mobile: contacts.mobile,
  phone: contacts.phone,
  email: contacts.email,
  wechat: contacts.wechat,
  birthday: contacts.birthday,
  influence: contacts.influence,
  status: contacts.status,
  updatedAt: contacts.updatedAt,
};

const sortable = {
  name: contacts.name,
  customer: customers.name,
  department: contacts.department,
  influence: contacts.influence,
  birthday: contacts.birthday,
  updatedAt: contacts.updatedAt,
};

function filterCondition(actor: Actor, f: ContactFilter): SQL | undefined {
  return and(
    customerVisible(actor, contacts.customerId),
    searchTextMatches(contacts.searchText, f.q),
    f.customerId !== undefined ? eq(contacts.customerId, f.customerId) : undefined,
    f.department ? eq(contacts.department, f.department) : undefined,
    f.influence ? eq(contacts.influence, f.influence) : undefined,
    f.status ? eq(contacts.status, f.status) : undefined,
  );
}

function listQuery(db: Queryable, where: SQL | undefined) {
  return db.select(listColumns).from(contacts).innerJoin(customers, eq(customers.id, contacts.customerId)).where(where).$dynamic();
}

export async function listContacts(db: Queryable, actor: Actor, filter: ContactFilter, page: PageQuery): Promise<Page<ContactListRow>> {
  const where = filterCondition(actor, filter);
  const [[total], items] = await Promise.all([
    db.select({ n: count() }).from(contacts).where(where),
    listQuery(db, where)
      .orderBy(...orderByOf(page.sort, sortable, [asc(contacts.id)]))
      .limit(page.pageSize)
      .offset((page.page - 1) * page.pageSize),
  ]);
  return { items, total: Number(total?.n ?? 0), page: page.page, pageSize: page.pageSize };
}

/** Every matching contact (for export), capped. */
export async function listAllContacts(db: Queryable, actor: Actor, filter: ContactFilter, sort?: string, cap = 100_000): Promise<ContactListRow[]> {
  return listQuery(db, filterCondition(actor, filter))
    .orderBy(...orderByOf(sort, sortable, [asc(contacts.id)]))
    .limit(cap);
}

/** A customer's contacts (the 360° page tab): active first, then by influence and name; 404 when the customer is out of scope. */
export async function customerContacts(db: Queryable, actor: Actor, customerId: number): Promise<ContactListRow[]> {
  const [visible] = await db.select({ id: customers.id }).from(customers).where(and(eq(customers.id, customerId), customerScope(actor)));
  if (!visible) throw notFound();
  return listQuery(db, eq(contacts.customerId, customerId))
    .orderBy(asc(contacts.status), sql`array_position(array['decision_maker','influencer','user','other'], ${contacts.influence})`, asc(contacts.name), asc(contacts.id))
    .limit(1000);
}

export async function getContact(db: Queryable, actor: Actor, id: number): Promise<ContactDetail> {
  const [row] = await db
    .select({ ...listColumns, preferences: contacts.preferences, notes: contacts.notes, version: contacts.version, createdAt: contacts.createdAt })
    .from(contacts)
    .innerJoin(customers, eq(customers.id, contacts.customerId))
    .where(and(eq(contacts.id, id), customerVisible(actor, contacts.customerId)));
  if (!row) throw notFound();
  const history = await db
    .select({
      customerId: contactCustomerHistory.customerId,
      customerCode: customers.code,
      customerName: customers.name,
      fromAt: contactCustomerHistory.fromAt,
      toAt: contactCustomerHistory.toAt,
      movedByName: users.displayName,
    })
    .from(contactCustomerHistory)
    .innerJoin(customers, eq(customers.id, contactCustomerHistory.customerId))
    .leftJoin(users, eq(users.id, contactCustomerHistory.movedBy))
    .where(eq(contactCustomerHistory.contactId, id))
    .orderBy(desc(contactCustomerHistory.fromAt), desc(contactCustomerHistory.id));
  return { ...row, history };
}

/** Locks a contact whose customer the actor may see (FOR UPDATE); out of scope looks the same as missing. */
async function lockContact(tx: Tx, actor: Actor, id: number) {
  const [row] = await tx.select().from(contacts).where(and(eq(contacts.id, id), customerVisible(actor, contacts.customerId))).for('update');
  if (!row) throw notFound();
  return row;
}

type FieldError = { path: string; code: string; params?: Record<string, unknown> };

/** The stored form of the fields: trimmed, mobile without spaces or +86, checked. */
export function contactValues(input: ContactFields) {
  const fields: FieldError[] = [];
  const clean = (v: string | null | undefined) => (v?.trim() ? v.trim() : null);
  const mobile = normaliseMobile(input.mobile);
  if (mobile && !CHINESE_MOBILE.test(mobile)) fields.push({ path: 'mobile', code: 'CONTACT_MOBILE_INVALID' });
  const name = input.name.trim();
  if (!name) fields.push({ path: 'name', code: 'CONTACT_NAME_REQUIRED' });
  if (input.birthday && !/^\d{4}-\d{2}-\d{2}$/.test(input.birthday)) fields.push({ path: 'birthday', code: 'CONTACT_BIRTHDAY_INVALID' });
  if (fields.length) throw new DomainError('VALIDATION_FAILED', {}, 422, fields);
  return {
    name,
    gender: input.gender ?? null,
    department: clean(input.department),
    title: clean(input.title),
    mobile,
    phone: clean(input.phone),
    email: clean(input.email),
    wechat: clean(input.wechat),
    birthday: input.birthday || null,
    preferences: clean(input.preferences),
    notes: clean(input.notes),
    influence: input.influence ?? 'other',
  };
}

/** '+86 138-0013-8000' → '13800138000'; blank → null. */
export function normaliseMobile(raw: string | null | undefined): string | null {
  const s = (raw ?? '').replace(/[\s\-()（）]/g, '').replace(/^(\+?86)(?=1\d{10}$)/, '');
  return s === '' ? null : s;
}

export const contactSearchText = (v: { name: string; mobile: string | null }) => searchText(v.name, v.mobile);

const mobileTaken = () => new DomainError('CONTACT_MOBILE_TAKEN', {}, 409, [{ path: 'mobile', code: 'CONTACT_MOBILE_TAKEN' }]);

/** The unique index fired (a concurrent insert slipped past the check): the same clear error. */
function uniqueAsMobileTaken(e: unknown): unknown {
  const err = e as { code?: string; constraint?: string; cause?: { code?: string; constraint?: string } };
  const pg = err.cause ?? err;
  return pg.code === '23505' && pg.constraint === 'contacts_customer_mobile_uq' ? mobileTaken() : e;
}

async function assertMobileFree(tx: Queryable, customerId: number, mobile: string | null, excludeId?: number) {
  if (!mobile) return;
  const [hit] = await tx
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(eq(contacts.customerId, customerId), eq(contacts.mobile, mobile), excludeId ? sql`${contacts.id} <> ${excludeId}` : undefined));
  if (hit) throw mobileTaken();
}

/** The customer must be visible, editable (not merged) — locked so a merge cannot run underneath. */
async function lockLiveCustomer(tx: Tx, actor: Actor, customerId: number, path = 'customerId') {
  const customer = await lockCustomer(tx, actor, customerId).catch((e: unknown) => {
    if (e instanceof DomainError && e.status === 404) throw new DomainError('VALIDATION_FAILED', {}, 422, [{ path, code: 'UNKNOWN_REFERENCE', params: { what: 'customer', ids: customerId } }]);
    throw e;
  });
  if (customer.status === 'merged') throw new DomainError('CUSTOMER_MERGED', { code: customer.code }, 409);
  return customer;
}

export async function createContact(db: Db, actor: Actor, input: ContactFields & { customerId: number }): Promise<ContactDetail> {
  const id = await db.transaction(async (tx) => {
    await lockLiveCustomer(tx, actor, input.customerId);
    const values = contactValues(input);
    await assertMobileFree(tx, input.customerId, values.mobile);
    const [row] = await tx
      .insert(contacts)
      .values({ ...values, customerId: input.customerId, searchText: contactSearchText(values), createdBy: actor.id || null })
      .returning({ id: contacts.id })
      .catch((e: unknown) => {
        throw uniqueAsMobileTaken(e);
      });
    await tx.insert(contactCustomerHistory).values({ contactId: row!.id, customerId: input.customerId, movedBy: actor.id || null });
    await audit(tx, actor, { action: 'contact.created', entity: 'contact', entityId: row!.id, after: { ...values, customerId: input.customerId } });
    return row!.id;
  });
  return getContact(db, actor, id);
}

export async function updateContact(db: Db, actor: Actor, id: number, input: ContactFields & { version: number }): Promise<ContactDetail> {
  await db.transaction(async (tx) => {
    const before = await lockContact(tx, actor, id);
    if (before.version !== input.version) throw versionConflict();
    const values = contactValues(input);
    await assertMobileFree(tx, before.customerId, values.mobile, id);
    await tx
      .update(contacts)
      .set({ ...values, searchText: contactSearchText(values), version: before.version + 1, updatedAt: new Date() })
      .where(eq(contacts.id, id))
      .catch((e: unknown) => {
        throw uniqueAsMobileTaken(e);
      });
    const changed = Object.fromEntries(Object.entries(values).filter(([k, v]) => v !== before[k as keyof typeof before]));
    const was = Object.fromEntries(Object.keys(changed).map((k) => [k, before[k as keyof typeof before]]));
    await audit(tx, actor, { action: 'contact.updated', entity: 'contact', entityId: id, before: was, after: changed });
  });
  return getContact(db, actor, id);
}

/** 联系人调动: the contact now works at another customer; the old one stays in the history. */
export async function moveContact(db: Db, actor: Actor, id: number, input: { customerId: number; version: number }): Promise<ContactDetail> {
  await db.transaction(async (tx) => {
    const before = await lockContact(tx, actor, id);
    if (before.version !== input.version) throw versionConflict();
    if (before.customerId === input.customerId) throw new DomainError('VALIDATION_FAILED', {}, 422, [{ path: 'customerId', code: 'CONTACT_MOVE_SAME_CUSTOMER' }]);
    await lockLiveCustomer(tx, actor, input.customerId);
    await assertMobileFree(tx, input.customerId, before.mobile, id);
    const now = new Date();
    await tx
      .update(contacts)
      .set({ customerId: input.customerId, status: 'active', version: before.version + 1, updatedAt: now })
      .where(eq(contacts.id, id))
      .catch((e: unknown) => {
        throw uniqueAsMobileTaken(e);
      });
    await tx.update(contactCustomerHistory).set({ toAt: now }).where(and(eq(contactCustomerHistory.contactId, id), isNull(contactCustomerHistory.toAt)));
    await tx.insert(contactCustomerHistory).values({ contactId: id, customerId: input.customerId, fromAt: now, movedBy: actor.id || null });
    await audit(tx, actor, { action: 'contact.moved', entity: 'contact', entityId: id, before: { customerId: before.customerId }, after: { customerId: input.customerId } });
  });
  return getContact(db, actor, id);
}

/** 已离职: the contact no longer works at the customer (kept, no longer offered). */
export async function markContactLeft(db: Db, actor: Actor, id: number, input: { version: number }): Promise<ContactDetail> {
  await db.transaction(async (tx) => {
    const before = await lockContact(tx, actor, id);
    if (before.version !== input.version) throw versionConflict();
    if (before.status === 'left') throw new DomainError('CONTACT_ALREADY_LEFT', {}, 409);
    await tx.update(contacts).set({ status: 'left', version: before.version + 1, updatedAt: new Date() }).where(eq(contacts.id, id));
    await audit(tx, actor, { action: 'contact.left', entity: 'contact', entityId: id, before: { status: before.status }, after: { status: 'left' } });
  });
  return getContact(db, actor, id);
}

export type NewContact = ReturnType<typeof contactValues> & { customerId: number };

/** Bulk insert (import, demo): one insert for the contacts, one for their history, one audit append. */
export async function insertContacts(tx: Tx, actor: Actor, rows: NewContact[], source: 'import' | 'demo' = 'import'): Promise<number[]> {
  if (rows.length === 0) return [];
  const ids: number[] = [];
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000);
    const inserted = await tx
      .insert(contacts)
      .values(chunk.map((r) => ({ ...r, searchText: contactSearchText(r), createdBy: actor.id || null })))
      .returning({ id: contacts.id, customerId: contacts.customerId })
      .catch((e: unknown) => {
        throw uniqueAsMobileTaken(e);
      });
    await tx.insert(contactCustomerHistory).values(inserted.map((c) => ({ contactId: c.id, customerId: c.customerId, movedBy: actor.id || null })));
    await auditMany(
      tx,
      actor,
      inserted.map((c, j) => ({ action: 'contact.created', entity: 'contact', entityId: c.id, after: { ...chunk[j], source } })),
    );
    ids.push(...inserted.map((c) => c.id));
  }
  return ids;
}

/** Mobiles already used at these customers, as 'customerId:mobile' keys (import validation, in bulk). */
export async function takenMobiles(db: Queryable, customerIds: number[]): Promise<Set<string>> {
  if (customerIds.length === 0) return new Set();
  const rows = await db
    .select({ customerId: contacts.customerId, mobile: contacts.mobile })
    .from(contacts)
    .where(and(inArray(contacts.customerId, [...new Set(customerIds)]), sql`${contacts.mobile} is not null`));
  return new Set(rows.map((r) => `${r.customerId}:${r.mobile}`));
}
