import { searchTextMatches } from '../../kernel/db/like.js';
import { type SQL, and, asc, count, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Actor } from '../../kernel/access/actor.js';
import { departments, territories, users } from '../../kernel/access/access.tables.js';
import { audit } from '../../kernel/audit/audit.js';
import { isValidCreditCode, normaliseCreditCode } from '../../kernel/credit-code.js';
import { type Db, type Queryable, type Tx, rowsOf } from '../../kernel/db/client.js';
import { DomainError, notFound, versionConflict } from '../../kernel/errors.js';
import { type Page, type PageQuery, orderByOf } from '../../kernel/http/paging.js';
import { normaliseName } from '../../kernel/names.js';
import { searchText } from '../../kernel/pinyin.js';
import { assertNotDuplicate, duplicateError } from './duplicates.js';
import { customerScope } from './customers.scope.js';
import { recordCustomerStage } from '../leads/customer-stages.js';
import {
  type CustomerGrade,
  type CustomerSource,
  type CustomerStatus,
  type CustomerType,
  type HospitalGrade,
  type LifecycleStage,
  type QualificationState,
  customers,
} from './customers.tables.js';

/**
 * Customers (客户), the master data every other module hangs off. Rules owned here:
 * - a customer comes into existence only through `createCustomer`, which the approved account
 *   opening (开户), the administrator's import and the demo loader call — there is no direct
 *   "new customer" route;
 * - the credit code must be a valid 统一社会信用代码 and, like the normalised name, unique
 *   (duplicates.ts; unique indexes back it up);
 * - every read is limited to the actor's data scope (customers.scope.ts); out of scope looks
 *   the same as missing;
 * - edits are optimistic (the caller sends the version it read) and audited with before/after;
 *   the owner is not edited here but assigned/transferred (ownership rules).
 */
export type CustomerFields = {
  name: string;
  shortName?: string | null;
  aliases?: string[];
  creditCode?: string | null;
  type: CustomerType;
  territoryId: string;
  address?: string | null;
  hospitalGrade?: HospitalGrade | null;
  hospitalDepartments?: string[];
  parentId?: number | null;
  source?: CustomerSource | null;
  lifecycleStage?: LifecycleStage;
  grade?: CustomerGrade | null;
  creditLimitFen?: bigint;
  paymentTermsDays?: number;
  invoiceTitle?: string | null;
  taxNumber?: string | null;
  bankName?: string | null;
  bankAccount?: string | null;
  invoiceAddress?: string | null;
  invoicePhone?: string | null;
  phone?: string | null;
  notes?: string | null;
};

export type CreateCustomerInput = CustomerFields & { ownerId?: number | null; code?: string | null };

export type CustomerListRow = {
  id: number;
  code: string;
  name: string;
  shortName: string | null;
  type: CustomerType;
  creditCode: string | null;
  territoryId: string;
  territoryName: string;
  grade: CustomerGrade | null;
  lifecycleStage: LifecycleStage;
  hospitalGrade: HospitalGrade | null;
  ownerId: number | null;
  ownerName: string | null;
  ownerDepartmentName: string | null;
  status: CustomerStatus;
  qualificationState: QualificationState;
  updatedAt: Date;
};

export type CustomerDetail = CustomerListRow &
  Required<Omit<CustomerFields, 'creditLimitFen'>> & {
    creditLimitFen: bigint;
    parentName: string | null;
    mergedIntoId: number | null;
    createdAt: Date;
    version: number;
  };

export type CustomerFilter = {
  q?: string;
  type?: CustomerType;
  status?: CustomerStatus;
  grade?: CustomerGrade;
  lifecycleStage?: LifecycleStage;
  /** A province, city or county: customers located there or below. */
  territoryId?: string;
  ownerId?: number;
  /** Customers with no owner (to be assigned). */
  unassigned?: boolean;
  /** 资质状态 (qualifications.ts). */
  qualificationState?: QualificationState;
};

/**
 * The territory's names from province down, e.g. 广东省 / 广州市 / 天河区 → '广东省 广州市 天河区'. The ids
 * come from the path, so that each is a primary-key lookup (a `path like tt.path || '%'` test read the
 * whole territory table for every listed row: 10 ms of a 20-row page at 200,000 customers).
 */
const territoryName = sql<string>`(select string_agg(tt.name, ' ' order by length(tt.path)) from territories tt where tt.id = any(string_to_array(trim(both '/' from ${customers.territoryPath}), '/')))`;

const listColumns = {
  id: customers.id,
  code: customers.code,
  name: customers.name,
  shortName: customers.shortName,
  type: customers.type,
  creditCode: customers.creditCode,
  territoryId: customers.territoryId,
  territoryName,
  grade: customers.grade,
  lifecycleStage: customers.lifecycleStage,
  hospitalGrade: customers.hospitalGrade,
  ownerId: customers.ownerId,
  ownerName: users.displayName,
  ownerDepartmentName: departments.name,
  status: customers.status,
  qualificationState: customers.qualificationState,
  updatedAt: customers.updatedAt,
};

const sortable = {
  code: customers.code,
  name: customers.nameKey,
  type: customers.type,
  grade: customers.grade,
  lifecycleStage: customers.lifecycleStage,
  territory: customers.territoryPath,
  updatedAt: customers.updatedAt,
};

/**
 * A query that names a place (广州, 广州市, 天河区) also finds the customers located there: the
 * matching territories' paths, looked up once before the list query so that the search stays two
 * index scans (trigram on search_text, prefix on territory_path) combined.
 */
export async function territoryPathsNamed(db: Queryable, q: string | undefined): Promise<string[]> {
  const text = q?.trim() ?? '';
  if (text.length < 2 || !/^[\u3400-\u9fff]+$/.test(text)) return [];
  const rows = await db.select({ path: territories.path }).from(territories).where(sql`${territories.name} like ${text + '%'}`).limit(20);
  return rows.map((r) => r.path);
}

export function customerFilterCondition(f: CustomerFilter & { placePaths?: string[] }): SQL | undefined {
  const parts: (SQL | undefined)[] = [];
  const byText = searchTextMatches(customers.searchText, f.q);
  if (byText) {
    const byPlace = (f.placePaths ?? []).map((p) => sql`${customers.territoryPath} like ${p + '%'}`);
    parts.push(byPlace.length ? sql`(${sql.join([byText, ...byPlace], sql` or `)})` : byText);
  }
  if (f.type) parts.push(eq(customers.type, f.type));
  parts.push(f.status ? eq(customers.status, f.status) : ne(customers.status, 'merged'));
  if (f.grade) parts.push(eq(customers.grade, f.grade));
  if (f.lifecycleStage) parts.push(eq(customers.lifecycleStage, f.lifecycleStage));
  if (f.territoryId) parts.push(sql`${customers.territoryPath} like (select t.path from territories t where t.id = ${f.territoryId}) || '%'`);
  if (f.ownerId !== undefined) parts.push(eq(customers.ownerId, f.ownerId));
  if (f.unassigned) parts.push(sql`${customers.ownerId} is null`);
  if (f.qualificationState) parts.push(eq(customers.qualificationState, f.qualificationState));
  return and(...parts);
}

/** The list query (also explained by the benchmark, bench/customer-search.ts). */
export function listQuery(db: Queryable, where: SQL | undefined) {
  return db
    .select(listColumns)
    .from(customers)
    .leftJoin(users, eq(users.id, customers.ownerId))
    .leftJoin(departments, eq(departments.id, customers.ownerDepartmentId))
    .where(where)
    .$dynamic();
}

export async function listCustomers(db: Queryable, actor: Actor, filter: CustomerFilter, page: PageQuery): Promise<Page<CustomerListRow>> {
  const where = and(customerScope(actor), customerFilterCondition({ ...filter, placePaths: await territoryPathsNamed(db, filter.q) }));
  const [[total], items] = await Promise.all([
    db.select({ n: count() }).from(customers).where(where),
    listQuery(db, where)
      .orderBy(...orderByOf(page.sort, sortable, [asc(customers.id)]))
      .limit(page.pageSize)
      .offset((page.page - 1) * page.pageSize),
  ]);
  return { items, total: Number(total?.n ?? 0), page: page.page, pageSize: page.pageSize };
}

/** Every matching customer (for export), capped so one click cannot exhaust the server. */
export async function listAllCustomers(db: Queryable, actor: Actor, filter: CustomerFilter, sort?: string, cap = 100_000): Promise<CustomerListRow[]> {
  return listQuery(db, and(customerScope(actor), customerFilterCondition({ ...filter, placePaths: await territoryPathsNamed(db, filter.q) })))
    .orderBy(...orderByOf(sort, sortable, [asc(customers.id)]))
    .limit(cap);
}

export type CustomerOption = { id: number; code: string; name: string; type: CustomerType; territoryName: string; status: CustomerStatus };

/** For pickers: visible, not merged customers matching a name / pinyin / initials / code, or the given ids. */
export async function customerOptions(db: Queryable, actor: Actor, input: { q?: string; ids?: number[]; type?: CustomerType; limit?: number }): Promise<CustomerOption[]> {
  const where = and(
    customerScope(actor),
    input.ids?.length ? inArray(customers.id, input.ids) : customerFilterCondition({ q: input.q, type: input.type }),
  );
  return db
    .select({ id: customers.id, code: customers.code, name: customers.name, type: customers.type, territoryName, status: customers.status })
    .from(customers)
    .where(where)
    .orderBy(sql`length(${customers.name})`, asc(customers.id))
    .limit(input.limit ?? 20);
}

export async function getCustomer(db: Queryable, actor: Actor, id: number): Promise<CustomerDetail> {
  const parent = sql<string | null>`(select p.name from customers p where p.id = ${customers.parentId})`;
  const [row] = await db
    .select({
      ...listColumns,
      aliases: customers.aliases,
      address: customers.address,
      hospitalDepartments: customers.hospitalDepartments,
      parentId: customers.parentId,
      parentName: parent,
      source: customers.source,
      creditLimitFen: customers.creditLimitFen,
      paymentTermsDays: customers.paymentTermsDays,
      invoiceTitle: customers.invoiceTitle,
      taxNumber: customers.taxNumber,
      bankName: customers.bankName,
      bankAccount: customers.bankAccount,
      invoiceAddress: customers.invoiceAddress,
      invoicePhone: customers.invoicePhone,
      phone: customers.phone,
      notes: customers.notes,
      mergedIntoId: customers.mergedIntoId,
      createdAt: customers.createdAt,
      version: customers.version,
    })
    .from(customers)
    .leftJoin(users, eq(users.id, customers.ownerId))
    .leftJoin(departments, eq(departments.id, customers.ownerDepartmentId))
    .where(and(eq(customers.id, id), customerScope(actor)));
  if (!row) throw notFound();
  return row;
}

/** Locks a customer the actor may see (FOR UPDATE); out of scope looks the same as missing. */
export async function lockCustomer(tx: Tx, actor: Actor, id: number) {
  const [row] = await tx.select().from(customers).where(and(eq(customers.id, id), customerScope(actor))).for('update');
  if (!row) throw notFound();
  return row;
}

/** The stored form of the fields: validated references, normalised credit code, duplicate key and search text. */
export async function customerValues(db: Queryable, input: CustomerFields) {
  const fields: { path: string; code: string; params?: Record<string, unknown> }[] = [];
  const creditCode = input.creditCode ? normaliseCreditCode(input.creditCode) : null;
  if (creditCode && !isValidCreditCode(creditCode)) fields.push({ path: 'creditCode', code: 'CUSTOMER_CREDIT_CODE_INVALID' });
  const [territory] = await db.select({ path: territories.path }).from(territories).where(eq(territories.id, input.territoryId));
  if (!territory) fields.push({ path: 'territoryId', code: 'UNKNOWN_REFERENCE', params: { what: 'territory', ids: input.territoryId } });
  if (input.parentId != null) {
    const [p] = await db.select({ id: customers.id }).from(customers).where(and(eq(customers.id, input.parentId), ne(customers.status, 'merged')));
    if (!p) fields.push({ path: 'parentId', code: 'UNKNOWN_REFERENCE', params: { what: 'customer', ids: input.parentId } });
  }
  if (input.hospitalGrade && input.type !== 'hospital') fields.push({ path: 'hospitalGrade', code: 'CUSTOMER_HOSPITAL_GRADE_NOT_HOSPITAL' });
  if (fields.length > 0) throw new DomainError('VALIDATION_FAILED', {}, 422, fields);
  const name = input.name.trim();
  const aliases = [...new Set((input.aliases ?? []).map((a) => a.trim()).filter((a) => a !== '' && a !== name))];
  return {
    name,
    shortName: input.shortName?.trim() || null,
    aliases,
    nameKey: normaliseName(name),
    creditCode,
    type: input.type,
    territoryId: input.territoryId,
    territoryPath: territory!.path,
    address: input.address ?? null,
    hospitalGrade: input.hospitalGrade ?? null,
    hospitalDepartments: [...new Set(input.hospitalDepartments ?? [])],
    parentId: input.parentId ?? null,
    source: input.source ?? null,
    lifecycleStage: input.lifecycleStage ?? 'identified',
    grade: input.grade ?? null,
    creditLimitFen: input.creditLimitFen ?? 0n,
    paymentTermsDays: input.paymentTermsDays ?? 0,
    invoiceTitle: input.invoiceTitle ?? null,
    taxNumber: input.taxNumber ?? null,
    bankName: input.bankName ?? null,
    bankAccount: input.bankAccount ?? null,
    invoiceAddress: input.invoiceAddress ?? null,
    invoicePhone: input.invoicePhone ?? null,
    phone: input.phone ?? null,
    notes: input.notes ?? null,
  };
}

/** The search text of a customer: names, aliases and their pinyin, the code and the credit code. */
export function customerSearchText(v: { name: string; shortName: string | null; aliases: string[]; code: string; creditCode: string | null }): string {
  return searchText(v.name, v.shortName, v.aliases, v.code, v.creditCode);
}

async function ownerDepartmentOf(db: Queryable, ownerId: number | null | undefined): Promise<number | null> {
  if (ownerId == null) return null;
  const [u] = await db.select({ departmentId: users.departmentId, status: users.status }).from(users).where(eq(users.id, ownerId));
  if (!u || u.status !== 'active') throw new DomainError('VALIDATION_FAILED', {}, 422, [{ path: 'ownerId', code: 'UNKNOWN_REFERENCE', params: { what: 'user', ids: ownerId } }]);
  return u.departmentId;
}

/**
 * Creates a customer. Called by the approved account opening, by the import and by the demo loader
 * (never directly from a route). Runs inside the caller's transaction and audits.
 */
export async function createCustomer(tx: Tx, actor: Actor, input: CreateCustomerInput): Promise<{ id: number; code: string }> {
  const values = await customerValues(tx, input);
  await assertNotDuplicate(tx, { name: values.name, creditCode: values.creditCode });
  const ownerDepartmentId = await ownerDepartmentOf(tx, input.ownerId);
  const code = input.code?.trim() || (await nextCustomerCode(tx));
  const [row] = await tx
    .insert(customers)
    .values({ ...values, code, ownerId: input.ownerId ?? null, ownerDepartmentId, createdBy: actor.id || null, searchText: customerSearchText({ ...values, code }) })
    .returning({ id: customers.id, code: customers.code })
    .catch((e: unknown) => {
      throw uniqueViolationAsDuplicate(e, values);
    });
  await recordCustomerStage(tx, { customerId: row!.id, from: null, to: values.lifecycleStage, actorId: actor.id });
  await audit(tx, actor, { action: 'customer.created', entity: 'customer', entityId: row!.id, after: { ...values, code: row!.code, ownerId: input.ownerId ?? null } });
  return row!;
}

/** The next 客户编码 (KH000123) from the database sequence. */
export async function nextCustomerCode(db: Queryable): Promise<string> {
  const result = await db.execute(sql`select 'KH' || lpad(nextval('customer_code_seq')::text, 6, '0') as code`);
  return rowsOf<{ code: string }>(result)[0]!.code;
}

/** A unique index fired (a concurrent duplicate slipped past the check): the same clear error as the check. */
export function uniqueViolationAsDuplicate(e: unknown, values: { name: string }): unknown {
  const err = e as { code?: string; constraint?: string; cause?: { code?: string; constraint?: string } };
  const pg = err.cause ?? err;
  if (pg.code !== '23505') return e;
  if (pg.constraint === 'customers_credit_code_uq') return duplicateError('creditCode', { name: values.name, code: '-' });
  if (pg.constraint === 'customers_name_key_uq') return duplicateError('name', { name: values.name, code: '-' });
  if (pg.constraint === 'customers_code_uq') return new DomainError('CUSTOMER_CODE_TAKEN', {}, 409, [{ path: 'code', code: 'CUSTOMER_CODE_TAKEN' }]);
  return e;
}

export type UpdateCustomerInput = CustomerFields & { version: number };

export async function updateCustomer(db: Db, actor: Actor, id: number, input: UpdateCustomerInput): Promise<CustomerDetail> {
  await db.transaction(async (tx) => {
    const before = await lockCustomer(tx, actor, id);
    if (before.version !== input.version) throw versionConflict();
    if (before.status === 'merged') throw new DomainError('CUSTOMER_MERGED', { code: before.code }, 409);
    if (input.parentId === id) throw new DomainError('VALIDATION_FAILED', {}, 422, [{ path: 'parentId', code: 'CUSTOMER_PARENT_SELF' }]);
    const values = await customerValues(tx, input);
    await assertNotDuplicate(tx, { name: values.name, creditCode: values.creditCode, excludeId: id });
    const searchTextValue = customerSearchText({ ...values, code: before.code });
    await tx
      .update(customers)
      .set({ ...values, searchText: searchTextValue, version: before.version + 1, updatedAt: new Date() })
      .where(eq(customers.id, id))
      .catch((e: unknown) => {
        throw uniqueViolationAsDuplicate(e, values);
      });
    await recordCustomerStage(tx, { customerId: id, from: before.lifecycleStage, to: values.lifecycleStage, actorId: actor.id });
    const changed = Object.fromEntries(Object.entries(values).filter(([k, v]) => JSON.stringify(v, big) !== JSON.stringify(before[k as keyof typeof before], big)));
    const was = Object.fromEntries(Object.keys(changed).map((k) => [k, before[k as keyof typeof before]]));
    await audit(tx, actor, { action: 'customer.updated', entity: 'customer', entityId: id, before: was, after: changed });
  });
  return getCustomer(db, actor, id);
}

const big = (_k: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v);
