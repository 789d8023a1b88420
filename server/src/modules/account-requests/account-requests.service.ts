import { randomInt } from 'node:crypto';
import { type SQL, and, count, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Actor } from '../../kernel/access/actor.js';
import { scopeCondition } from '../../kernel/access/scope.js';
import { startApproval, cancelApproval } from '../../kernel/approvals/approvals.service.js';
import { audit } from '../../kernel/audit/audit.js';
import { hashPassword } from '../../kernel/auth/passwords.js';
import type { Db, Queryable, Tx } from '../../kernel/db/client.js';
import { containsPattern } from '../../kernel/db/like.js';
import { type DocumentTypeDef, recordEvent, registerDocumentType, transition } from '../../kernel/documents/lifecycle.js';
import { nextDocumentNumber } from '../../kernel/documents/numbering.js';
import { DomainError, notFound, versionConflict } from '../../kernel/errors.js';
import type { Page, PageQuery } from '../../kernel/http/paging.js';
import { orderByOf } from '../../kernel/http/paging.js';
import { assertReferences, assertUsernameFree, insertUser } from '../users/users.service.js';
import { accountRequests } from './account-requests.tables.js';

/**
 * 账号申请 (account request). Rules:
 * - A manager (permission account_requests.create) drafts a request for a new colleague's account:
 *   username, name, department, roles, territories and a reason. Only the requester edits a draft.
 * - Submitting sends it through the approval flows configured for `account_request` (by default:
 *   the requester's department head, then an administrator). A request never creates an account
 *   without an approval flow: with no matching flow, submission is refused.
 * - Rejection returns it to draft with the reason on its timeline; the requester may fix and resubmit.
 * - Final approval creates the user, with a one-time initial password shown to the final approver
 *   (who hands it over); the new user must change it at first login.
 * - The requester, their team/department/all per data scope, and the request's approvers see it.
 */
export type AccountRequest = typeof accountRequests.$inferSelect;
export type AccountRequestInput = {
  username: string;
  displayName: string;
  departmentId: number;
  roleIds: number[];
  territoryIds: string[];
  phone?: string | null;
  email?: string | null;
  reason: string;
};

const DOC_TYPE = 'account_request';

/**
 * Rows the actor may see: with account_requests.read, by data scope over the requester and their
 * department; and, whatever their permissions, the requests they are (or were) an approver of.
 */
function visible(actor: Actor): SQL {
  const byScope = actor.permissions.has('account_requests.read')
    ? scopeCondition(actor, { owner: sql`${accountRequests.requestedBy}`, department: sql`${accountRequests.ownerDepartmentId}` })
    : sql`false`;
  return sql`(${byScope}
    or exists (select 1 from approval_tasks t join approval_requests r on r.id = t.request_id
               where r.doc_type = ${DOC_TYPE} and r.doc_id = ${accountRequests.id}
                 and (t.approver_id = ${actor.id} or t.decided_by = ${actor.id})))`;
}

const isRequester = (actor: Actor, doc: AccountRequest) => doc.requestedBy === actor.id;

export const accountRequestType: DocumentTypeDef<AccountRequest> = registerDocumentType<AccountRequest>({
  type: DOC_TYPE,
  name: { 'zh-CN': '账号申请', 'en-US': 'Account request' },
  numberPattern: 'AR-{yyyy}{mm}-{seq:4}',
  table: accountRequests,
  states: {
    draft: { 'zh-CN': '草稿', 'en-US': 'Draft' },
    pending: { 'zh-CN': '审批中', 'en-US': 'Pending approval' },
    approved: { 'zh-CN': '已开通', 'en-US': 'Approved' },
    cancelled: { 'zh-CN': '已撤销', 'en-US': 'Cancelled' },
  },
  transitions: {
    submit: { from: ['draft'], to: 'pending', label: { 'zh-CN': '提交', 'en-US': 'Submit' }, guard: isRequester },
    approve: { from: ['pending'], to: 'approved', label: { 'zh-CN': '审批通过', 'en-US': 'Approve' }, system: true },
    reject: { from: ['pending'], to: 'draft', label: { 'zh-CN': '驳回', 'en-US': 'Reject' }, system: true },
    cancel: { from: ['draft', 'pending'], to: 'cancelled', label: { 'zh-CN': '撤销', 'en-US': 'Cancel' }, guard: isRequester },
  },
  load: async (db, id) => (await db.select().from(accountRequests).where(eq(accountRequests.id, id)))[0] ?? null,
  loadVisible: async (db, actor, id) => (await db.select().from(accountRequests).where(and(eq(accountRequests.id, id), visible(actor))))[0] ?? null,
  summaries: async (db, ids) =>
    ids.length === 0
      ? []
      : (await db
          .select({ id: accountRequests.id, number: accountRequests.number, name: accountRequests.displayName, username: accountRequests.username })
          .from(accountRequests)
          .where(inArray(accountRequests.id, ids))).map((r) => ({ id: r.id, number: r.number, title: `${r.name}（${r.username}）` })),
  facts: (doc) => ({ roleIds: doc.roleIds, roleCount: doc.roleIds.length, departmentId: doc.departmentId }),
  requireFlow: true,
  link: (id) => `/account-requests/${id}`,
  onApproved: async (tx, actor, doc) => {
    const initialPassword = generateInitialPassword();
    const userId = await insertUser(
      tx,
      actor,
      { username: doc.username, displayName: doc.displayName, departmentId: doc.departmentId, roleIds: doc.roleIds, territoryIds: doc.territoryIds, phone: doc.phone, email: doc.email },
      await hashPassword(initialPassword),
    );
    await tx.update(accountRequests).set({ createdUserId: userId }).where(eq(accountRequests.id, doc.id));
    return { createdUserId: userId, username: doc.username, initialPassword };
  },
});

/** Ten characters without look-alikes (0/O, 1/l/I), always with letters and digits. */
export function generateInitialPassword(): string {
  const letters = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ';
  const digits = '23456789';
  const all = letters + digits;
  const chars = [letters[randomInt(letters.length)], digits[randomInt(digits.length)]];
  while (chars.length < 10) chars.push(all[randomInt(all.length)]);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}

export type AccountRequestRow = AccountRequest & { requesterName: string; departmentName: string };

const rowColumns = {
  request: accountRequests,
  requesterName: sql<string>`(select u.display_name from users u where u.id = ${accountRequests.requestedBy})`,
  departmentName: sql<string>`(select d.name from departments d where d.id = ${accountRequests.departmentId})`,
};
const flatten = (r: { request: AccountRequest; requesterName: string; departmentName: string }): AccountRequestRow => ({
  ...r.request,
  requesterName: r.requesterName,
  departmentName: r.departmentName,
});

export async function listAccountRequests(db: Queryable, actor: Actor, filter: { status?: AccountRequest['status']; q?: string }, page: PageQuery): Promise<Page<AccountRequestRow>> {
  const where = and(
    visible(actor),
    filter.status ? eq(accountRequests.status, filter.status) : undefined,
    filter.q ? sql`(${accountRequests.number} ilike ${containsPattern(filter.q)} or ${accountRequests.displayName} ilike ${containsPattern(filter.q)} or ${accountRequests.username} ilike ${containsPattern(filter.q)})` : undefined,
  );
  const order = orderByOf(page.sort, { number: accountRequests.number, createdAt: accountRequests.createdAt, status: accountRequests.status }, [desc(accountRequests.id)]);
  const [[{ n }], rows] = await Promise.all([
    db.select({ n: count() }).from(accountRequests).where(where),
    db.select(rowColumns).from(accountRequests).where(where).orderBy(...order).limit(page.pageSize).offset((page.page - 1) * page.pageSize),
  ]);
  return { items: rows.map(flatten), total: Number(n), page: page.page, pageSize: page.pageSize };
}

export async function getAccountRequest(db: Queryable, actor: Actor, id: number): Promise<AccountRequestRow> {
  const [row] = await db.select(rowColumns).from(accountRequests).where(and(eq(accountRequests.id, id), visible(actor)));
  if (!row) throw notFound();
  return flatten(row);
}

async function checkInput(tx: Tx, input: AccountRequestInput) {
  await assertUsernameFree(tx, input.username);
  await assertReferences(tx, input);
  const [pending] = await tx
    .select({ number: accountRequests.number })
    .from(accountRequests)
    .where(and(sql`lower(${accountRequests.username}) = ${input.username.toLowerCase()}`, eq(accountRequests.status, 'pending')));
  if (pending) {
    throw new DomainError('ACCOUNT_REQUEST_DUPLICATE', { number: pending.number }, 409, [{ path: 'username', code: 'ACCOUNT_REQUEST_DUPLICATE', params: { number: pending.number } }]);
  }
}

export async function createAccountRequest(db: Db, actor: Actor, input: AccountRequestInput, timeZone: string): Promise<AccountRequestRow> {
  const id = await db.transaction(async (tx) => {
    await checkInput(tx, input);
    const number = await nextDocumentNumber(tx, DOC_TYPE, accountRequestType.numberPattern, new Date(), timeZone);
    const [row] = await tx
      .insert(accountRequests)
      .values({ ...input, number, requestedBy: actor.id, ownerDepartmentId: actor.departmentId, phone: input.phone ?? null, email: input.email ?? null })
      .returning();
    await recordEvent(tx, actor, DOC_TYPE, row.id, { kind: 'created' });
    await audit(tx, actor, { action: 'account_request.created', entity: DOC_TYPE, entityId: row.id, after: row });
    return row.id;
  });
  return getAccountRequest(db, actor, id);
}

async function lockForRequester(tx: Tx, actor: Actor, id: number): Promise<AccountRequest> {
  const [row] = await tx.select().from(accountRequests).where(and(eq(accountRequests.id, id), visible(actor))).for('update');
  if (!row) throw notFound();
  return row;
}

export async function updateAccountRequest(db: Db, actor: Actor, id: number, input: AccountRequestInput & { version: number }): Promise<AccountRequestRow> {
  await db.transaction(async (tx) => {
    const before = await lockForRequester(tx, actor, id);
    if (before.requestedBy !== actor.id) throw new DomainError('FORBIDDEN', {}, 403);
    if (before.status !== 'draft') throw new DomainError('DOCUMENT_NOT_EDITABLE', {}, 409);
    if (before.version !== input.version) throw versionConflict();
    const { version: _, ...fields } = input;
    if (fields.username.toLowerCase() !== before.username.toLowerCase()) await assertUsernameFree(tx, fields.username);
    await assertReferences(tx, fields);
    const [after] = await tx
      .update(accountRequests)
      .set({ ...fields, phone: fields.phone ?? null, email: fields.email ?? null, version: before.version + 1, updatedAt: new Date() })
      .where(eq(accountRequests.id, id))
      .returning();
    await recordEvent(tx, actor, DOC_TYPE, id, { kind: 'edit' });
    await audit(tx, actor, { action: 'account_request.updated', entity: DOC_TYPE, entityId: id, before, after });
  });
  return getAccountRequest(db, actor, id);
}

export async function submitAccountRequest(db: Db, actor: Actor, id: number, version: number) {
  const outcome = await db.transaction(async (tx) => {
    const doc = await lockForRequester(tx, actor, id);
    if (doc.version !== version) throw versionConflict();
    await assertUsernameFree(tx, doc.username);
    const pending = await transition(tx, actor, accountRequestType, doc, 'submit');
    return startApproval(tx, actor, accountRequestType, pending);
  });
  return { request: await getAccountRequest(db, actor, id), approved: outcome.approved, result: outcome.result ?? null };
}

export async function cancelAccountRequest(db: Db, actor: Actor, id: number, version: number, reason: string | null) {
  await db.transaction(async (tx) => {
    const doc = await lockForRequester(tx, actor, id);
    if (doc.version !== version) throw versionConflict();
    await transition(tx, actor, accountRequestType, doc, 'cancel', { comment: reason });
    await cancelApproval(tx, DOC_TYPE, id);
  });
  return getAccountRequest(db, actor, id);
}
