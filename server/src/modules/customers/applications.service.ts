import { type SQL, and, count, desc, eq, inArray, ne, or, sql } from 'drizzle-orm';
import type { Readable } from 'node:stream';
import { users } from '../../kernel/access/access.tables.js';
import type { Actor } from '../../kernel/access/actor.js';
import { scopeCondition } from '../../kernel/access/scope.js';
import { cancelApproval, startApproval, todayIn } from '../../kernel/approvals/approvals.service.js';
import { audit } from '../../kernel/audit/audit.js';
import type { Db, Queryable, Tx } from '../../kernel/db/client.js';
import { containsPattern } from '../../kernel/db/like.js';
import { type DocumentTypeDef, recordEvent, registerDocumentType, transition } from '../../kernel/documents/lifecycle.js';
import { nextDocumentNumber } from '../../kernel/documents/numbering.js';
import { DomainError, notFound, versionConflict } from '../../kernel/errors.js';
import { saveAttachment } from '../../kernel/files/attachments.js';
import type { Page, PageQuery } from '../../kernel/http/paging.js';
import { orderByOf } from '../../kernel/http/paging.js';
import { notify } from '../../kernel/notify/notify.js';
import { type ApplicationStatus, customerApplicationDocuments, customerApplications } from './applications.tables.js';
import { type CustomerFields, createCustomer, customerValues } from './customers.service.js';
import { assertNotDuplicate } from './duplicates.js';
import { insertQualification, recomputeQualificationStates } from './qualifications.js';
import { markLeadConverted, reopenLeadOfCancelledApplication } from '../leads/lead-conversion-hooks.js';
import type { QualificationKind } from './qualifications.tables.js';

/**
 * 开户申请 (account opening, DOMAIN.md flow 1 "lead to customer"). Rules:
 * - No customer exists without an approved application (imports and the demo loader aside):
 *   there is no "new customer" route; approval calls createCustomer.
 * - The application holds every customer field, the proposed owner, the reason and the
 *   qualification documents to file (with their scans attached to the application).
 * - Proposed owner: a rep (data scope "own" only) proposes themselves; managers and the office may
 *   name an active colleague inside their own data scope, or leave it unassigned.
 * - Exact duplicates (credit code, normalised name) of an existing customer or of another pending
 *   application are refused at submission; approval calls createCustomer, which refuses again, so
 *   a twin created in between is caught (and its unique indexes catch a true race).
 * - Approval through the kernel flow of 'customer_application' (seeded by default: the submitter's
 *   department head, then the sales office lead). Rejection returns it to draft with the reason.
 * - On final approval the customer is created with its owner, the documents are filed as its
 *   qualifications (the same stored files, not copies), its qualification state computed, and the
 *   submitter told with a link to the new customer.
 * - Visible to the submitter, to whoever's data scope covers the submitter or their department,
 *   and to the application's approvers.
 */
export type Application = typeof customerApplications.$inferSelect;
export type ApplicationDocumentInput = {
  id?: number | null;
  kind: QualificationKind;
  number: string;
  issuedOn?: string | null;
  expiresOn?: string | null;
  notes?: string | null;
};
export type ApplicationInput = CustomerFields & {
  proposedOwnerId?: number | null;
  reason: string;
  documents: ApplicationDocumentInput[];
};

const DOC_TYPE = 'customer_application';

function visible(actor: Actor): SQL {
  const byScope = actor.permissions.has('customer_applications.read')
    ? scopeCondition(actor, { owner: sql`${customerApplications.submittedBy}`, department: sql`${customerApplications.ownerDepartmentId}` })
    : sql`false`;
  return sql`(${customerApplications.submittedBy} = ${actor.id} or ${byScope}
    or exists (select 1 from approval_tasks t join approval_requests r on r.id = t.request_id
               where r.doc_type = ${DOC_TYPE} and r.doc_id = customer_applications.id
                 and (t.approver_id = ${actor.id} or t.decided_by = ${actor.id})))`;
}

const isSubmitter = (actor: Actor, doc: Application) => doc.submittedBy === actor.id;

/** The stored customer fields (API shape, money in fen as a number) back to the service's input. */
function customerFieldsOf(doc: Application): CustomerFields {
  const c = doc.customer as Record<string, unknown>;
  return { ...(c as unknown as CustomerFields), creditLimitFen: BigInt((c.creditLimitFen as string | number | undefined) ?? 0) };
}

export const customerApplicationType: DocumentTypeDef<Application> = registerDocumentType<Application>({
  type: DOC_TYPE,
  name: { 'zh-CN': '开户申请', 'en-US': 'Account opening' },
  numberPattern: 'KH-SQ-{yyyy}{mm}-{seq:4}',
  table: customerApplications,
  states: {
    draft: { 'zh-CN': '草稿', 'en-US': 'Draft' },
    pending: { 'zh-CN': '审批中', 'en-US': 'Pending approval' },
    approved: { 'zh-CN': '已开户', 'en-US': 'Opened' },
    cancelled: { 'zh-CN': '已撤销', 'en-US': 'Cancelled' },
  },
  transitions: {
    submit: { from: ['draft'], to: 'pending', label: { 'zh-CN': '提交', 'en-US': 'Submit' }, guard: isSubmitter },
    approve: { from: ['pending'], to: 'approved', label: { 'zh-CN': '审批通过', 'en-US': 'Approve' }, system: true },
    reject: { from: ['pending'], to: 'draft', label: { 'zh-CN': '驳回', 'en-US': 'Reject' }, system: true },
    cancel: { from: ['draft', 'pending'], to: 'cancelled', label: { 'zh-CN': '撤销', 'en-US': 'Cancel' }, guard: isSubmitter },
  },
  load: async (db, id) => (await db.select().from(customerApplications).where(eq(customerApplications.id, id)))[0] ?? null,
  loadVisible: async (db, actor, id) => (await db.select().from(customerApplications).where(and(eq(customerApplications.id, id), visible(actor))))[0] ?? null,
  summaries: async (db, ids) =>
    ids.length === 0
      ? []
      : (await db.select({ id: customerApplications.id, number: customerApplications.number, name: customerApplications.name }).from(customerApplications).where(inArray(customerApplications.id, ids))).map(
          (r) => ({ id: r.id, number: r.number, title: r.name }),
        ),
  facts: (doc) => ({ type: doc.type, territoryId: doc.territoryId, creditLimitFen: Number((doc.customer as { creditLimitFen?: string | number }).creditLimitFen ?? 0) }),
  requireFlow: true,
  link: (id) => `/customer-applications/${id}`,
  onApproved: async (tx, actor, doc) => openCustomer(tx, actor, doc),
});

/** Final approval: the customer, its documents (sharing the stored files), its state, the submitter told. */
async function openCustomer(tx: Tx, actor: Actor, doc: Application) {
  const created = await createCustomer(tx, actor, { ...customerFieldsOf(doc), ownerId: doc.proposedOwnerId });
  const docs = await tx.select().from(customerApplicationDocuments).where(eq(customerApplicationDocuments.applicationId, doc.id)).orderBy(customerApplicationDocuments.id);
  for (const d of docs) {
    const q = await insertQualification(tx, actor, created.id, { kind: d.kind, number: d.number, issuedOn: d.issuedOn, expiresOn: d.expiresOn, notes: d.notes });
    await tx.update(customerApplicationDocuments).set({ qualificationId: q.id }).where(eq(customerApplicationDocuments.id, d.id));
    if (d.attachmentIds.length > 0) {
      // The same bytes on disk: a second attachment row points at the stored file.
      await tx.execute(sql`
        insert into attachments (doc_type, doc_id, filename, content_type, size_bytes, sha256, storage_key, uploaded_by, uploaded_at)
        select 'customer_qualification', ${q.id}, a.filename, a.content_type, a.size_bytes, a.sha256, a.storage_key, a.uploaded_by, a.uploaded_at
        from attachments a
        where a.doc_type = ${DOC_TYPE} and a.doc_id = ${doc.id} and a.deleted_at is null
          and a.id in (${sql.join(d.attachmentIds.map((id) => sql`${id}`), sql`, `)})
        order by a.id`);
    }
  }
  // The document type has no config at hand; TIME_ZONE is the same variable config.ts reads.
  await recomputeQualificationStates(tx, todayIn(process.env.TIME_ZONE || 'Asia/Shanghai'), [created.id]);
  await tx.update(customerApplications).set({ createdCustomerId: created.id }).where(eq(customerApplications.id, doc.id));
  // An opening made from a lead (潜在客户 conversion) carries the lead's history to the customer.
  await markLeadConverted(tx, actor, doc.id, created.id);
  await notify(tx, {
    userIds: [doc.submittedBy, ...(doc.proposedOwnerId ? [doc.proposedOwnerId] : [])],
    event: 'customer.opened',
    title: { 'zh-CN': `已开户：${doc.name}（${created.code}）`, 'en-US': `Customer opened: ${doc.name} (${created.code})` },
    body: { 'zh-CN': `开户申请 ${doc.number} 已审批通过，客户 ${doc.name} 已建档`, 'en-US': `Account opening ${doc.number} was approved; ${doc.name} is now a customer` },
    link: `/customers/${created.id}`,
  });
  return { createdCustomerId: created.id, customerCode: created.code };
}

// ---- Reading ------------------------------------------------------------------------------------

export type ApplicationDocumentRow = {
  id: number;
  kind: QualificationKind;
  number: string;
  issuedOn: string | null;
  expiresOn: string | null;
  notes: string | null;
  attachmentIds: number[];
  qualificationId: number | null;
};
export type ApplicationRow = Omit<Application, 'customer' | 'nameKey'> & {
  customer: Record<string, unknown>;
  rejectionReason: string | null;
  submitterName: string;
  proposedOwnerName: string | null;
  createdCustomerCode: string | null;
};
export type ApplicationDetail = ApplicationRow & { documents: ApplicationDocumentRow[] };

const rowColumns = {
  a: customerApplications,
  submitterName: sql<string>`(select u.display_name from users u where u.id = ${customerApplications.submittedBy})`,
  proposedOwnerName: sql<string | null>`(select u.display_name from users u where u.id = ${customerApplications.proposedOwnerId})`,
  createdCustomerCode: sql<string | null>`(select c.code from customers c where c.id = ${customerApplications.createdCustomerId})`,
  /** A draft that came back from approval shows why: the comment of the last reject after the last submit. */
  rejectionReason: sql<string | null>`(case when customer_applications.status = 'draft' then (
    select e.comment from document_events e
    where e.doc_type = ${DOC_TYPE} and e.doc_id = customer_applications.id::text and e.kind = 'transition' and e.transition in ('submit', 'reject')
    order by e.id desc limit 1) end)`,
};
const flatten = (r: { a: Application; submitterName: string; proposedOwnerName: string | null; createdCustomerCode: string | null; rejectionReason: string | null }): ApplicationRow => {
  const { nameKey: _, ...a } = r.a;
  return { ...a, submitterName: r.submitterName, proposedOwnerName: r.proposedOwnerName, createdCustomerCode: r.createdCustomerCode, rejectionReason: r.rejectionReason };
};

export type ApplicationFilter = { status?: ApplicationStatus; q?: string; mine?: boolean };

export async function listApplications(db: Queryable, actor: Actor, filter: ApplicationFilter, page: PageQuery): Promise<Page<ApplicationRow>> {
  const where = and(
    visible(actor),
    filter.mine ? eq(customerApplications.submittedBy, actor.id) : undefined,
    filter.status ? eq(customerApplications.status, filter.status) : undefined,
    filter.q
      ? sql`(${customerApplications.number} ilike ${containsPattern(filter.q)} or ${customerApplications.name} ilike ${containsPattern(filter.q)} or ${customerApplications.creditCode} ilike ${containsPattern(filter.q)})`
      : undefined,
  );
  const order = orderByOf(page.sort, { number: customerApplications.number, name: customerApplications.name, createdAt: customerApplications.createdAt, status: customerApplications.status, updatedAt: customerApplications.updatedAt }, [desc(customerApplications.id)]);
  const [[{ n }], rows] = await Promise.all([
    db.select({ n: count() }).from(customerApplications).where(where),
    db.select(rowColumns).from(customerApplications).where(where).orderBy(...order).limit(page.pageSize).offset((page.page - 1) * page.pageSize),
  ]);
  return { items: rows.map(flatten), total: Number(n), page: page.page, pageSize: page.pageSize };
}

export async function getApplication(db: Queryable, actor: Actor, id: number): Promise<ApplicationDetail> {
  const [row] = await db.select(rowColumns).from(customerApplications).where(and(eq(customerApplications.id, id), visible(actor)));
  if (!row) throw notFound();
  const documents = await db
    .select({
      id: customerApplicationDocuments.id,
      kind: customerApplicationDocuments.kind,
      number: customerApplicationDocuments.number,
      issuedOn: customerApplicationDocuments.issuedOn,
      expiresOn: customerApplicationDocuments.expiresOn,
      notes: customerApplicationDocuments.notes,
      // Scans removed from the application (kernel attachments) no longer count.
      attachmentIds: sql<number[]>`array(select a.id from attachments a where a.id = any(customer_application_documents.attachment_ids) and a.deleted_at is null order by a.id)`,
      qualificationId: customerApplicationDocuments.qualificationId,
    })
    .from(customerApplicationDocuments)
    .where(eq(customerApplicationDocuments.applicationId, id))
    .orderBy(customerApplicationDocuments.id);
  return { ...flatten(row), documents };
}

// ---- Drafting -----------------------------------------------------------------------------------

/** Rep: themselves. Others: a named active colleague inside their data scope, or nobody yet. */
async function resolveOwner(db: Queryable, actor: Actor, proposed: number | null | undefined): Promise<number | null> {
  const repOnly = actor.scopes.size > 0 && [...actor.scopes].every((s) => s === 'own');
  if (proposed == null) return repOnly ? actor.id : null;
  if (proposed === actor.id) return actor.id;
  const refuse = () => new DomainError('VALIDATION_FAILED', {}, 422, [{ path: 'proposedOwnerId', code: 'CUSTOMER_APPLICATION_OWNER_OUT_OF_SCOPE' }]);
  if (repOnly) throw refuse();
  const [u] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, proposed), eq(users.status, 'active'), scopeCondition(actor, { owner: sql`${users.id}`, department: sql`${users.departmentId}` })));
  if (!u) throw refuse();
  return u.id;
}

function checkDocuments(documents: ApplicationDocumentInput[]) {
  const seen = new Set<string>();
  documents.forEach((d, i) => {
    if (d.kind !== 'other' && seen.has(d.kind)) throw new DomainError('VALIDATION_FAILED', {}, 422, [{ path: `documents.${i}.kind`, code: 'QUALIFICATION_KIND_TWICE' }]);
    seen.add(d.kind);
    if (d.issuedOn && d.expiresOn && d.expiresOn < d.issuedOn) throw new DomainError('VALIDATION_FAILED', {}, 422, [{ path: `documents.${i}.expiresOn`, code: 'QUALIFICATION_EXPIRES_BEFORE_ISSUED' }]);
  });
}

async function columnsOf(tx: Queryable, actor: Actor, input: ApplicationInput) {
  const { proposedOwnerId, reason, documents, ...fields } = input;
  const values = await customerValues(tx, fields);
  checkDocuments(documents);
  const ownerId = await resolveOwner(tx, actor, proposedOwnerId);
  const customer = { ...fields, creditCode: values.creditCode, creditLimitFen: (fields.creditLimitFen ?? 0n).toString() };
  return {
    name: values.name,
    nameKey: values.nameKey,
    creditCode: values.creditCode,
    type: values.type,
    territoryId: values.territoryId,
    customer,
    proposedOwnerId: ownerId,
    reason: reason.trim(),
  };
}

async function writeDocuments(tx: Tx, applicationId: number, documents: ApplicationDocumentInput[]) {
  const existing = await tx.select({ id: customerApplicationDocuments.id }).from(customerApplicationDocuments).where(eq(customerApplicationDocuments.applicationId, applicationId));
  const keep = new Set(documents.map((d) => d.id).filter((id): id is number => typeof id === 'number'));
  for (const e of existing) if (!keep.has(e.id)) await tx.delete(customerApplicationDocuments).where(eq(customerApplicationDocuments.id, e.id));
  for (const d of documents) {
    const values = { kind: d.kind, number: d.number.trim(), issuedOn: d.issuedOn ?? null, expiresOn: d.expiresOn ?? null, notes: d.notes?.trim() || null };
    if (d.id && existing.some((e) => e.id === d.id)) {
      await tx.update(customerApplicationDocuments).set(values).where(eq(customerApplicationDocuments.id, d.id));
    } else {
      await tx.insert(customerApplicationDocuments).values({ ...values, applicationId });
    }
  }
}

export async function createApplication(db: Db, actor: Actor, input: ApplicationInput, timeZone: string): Promise<ApplicationDetail> {
  const id = await db.transaction(async (tx) => {
    const columns = await columnsOf(tx, actor, input);
    const number = await nextDocumentNumber(tx, DOC_TYPE, customerApplicationType.numberPattern, new Date(), timeZone);
    const [row] = await tx
      .insert(customerApplications)
      .values({ ...columns, number, submittedBy: actor.id, ownerDepartmentId: actor.departmentId })
      .returning();
    await writeDocuments(tx, row!.id, input.documents);
    await recordEvent(tx, actor, DOC_TYPE, row!.id, { kind: 'created' });
    await audit(tx, actor, { action: 'customer_application.created', entity: DOC_TYPE, entityId: row!.id, after: { ...row, documents: input.documents } });
    return row!.id;
  });
  return getApplication(db, actor, id);
}

async function lockApplication(tx: Tx, actor: Actor, id: number): Promise<Application> {
  const [row] = await tx.select().from(customerApplications).where(and(eq(customerApplications.id, id), visible(actor))).for('update');
  if (!row) throw notFound();
  return row;
}

export async function updateApplication(db: Db, actor: Actor, id: number, input: ApplicationInput & { version: number }): Promise<ApplicationDetail> {
  await db.transaction(async (tx) => {
    const before = await lockApplication(tx, actor, id);
    if (before.submittedBy !== actor.id) throw new DomainError('FORBIDDEN', {}, 403);
    if (before.status !== 'draft') throw new DomainError('DOCUMENT_NOT_EDITABLE', {}, 409);
    if (before.version !== input.version) throw versionConflict();
    const { version: _, ...rest } = input;
    const columns = await columnsOf(tx, actor, rest);
    const [after] = await tx
      .update(customerApplications)
      .set({ ...columns, version: before.version + 1, updatedAt: new Date() })
      .where(eq(customerApplications.id, id))
      .returning();
    await writeDocuments(tx, id, rest.documents);
    await recordEvent(tx, actor, DOC_TYPE, id, { kind: 'edit' });
    await audit(tx, actor, { action: 'customer_application.updated', entity: DOC_TYPE, entityId: id, before, after: { ...after, documents: rest.documents } });
  });
  return getApplication(db, actor, id);
}

/** Another application waiting for approval for the same organisation. */
async function assertNoPendingTwin(tx: Queryable, doc: Application) {
  const [twin] = await tx
    .select({ number: customerApplications.number })
    .from(customerApplications)
    .where(
      and(
        eq(customerApplications.status, 'pending'),
        ne(customerApplications.id, doc.id),
        or(eq(customerApplications.nameKey, doc.nameKey), doc.creditCode ? eq(customerApplications.creditCode, doc.creditCode) : undefined),
      ),
    )
    .limit(1);
  if (twin) throw new DomainError('CUSTOMER_APPLICATION_PENDING_TWIN', { number: twin.number }, 409, [{ path: 'name', code: 'CUSTOMER_APPLICATION_PENDING_TWIN', params: { number: twin.number } }]);
}

export async function submitApplication(db: Db, actor: Actor, id: number, version: number) {
  const outcome = await db.transaction(async (tx) => {
    const doc = await lockApplication(tx, actor, id);
    if (doc.version !== version) throw versionConflict();
    if (doc.submittedBy !== actor.id) throw new DomainError('FORBIDDEN', {}, 403);
    // Serialise submissions for one organisation so two twins cannot both pass the checks below.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'customer_application:' + doc.nameKey}))`);
    await assertNotDuplicate(tx, { name: doc.name, creditCode: doc.creditCode });
    await assertNoPendingTwin(tx, doc);
    const pending = await transition(tx, actor, customerApplicationType, doc, 'submit');
    return startApproval(tx, actor, customerApplicationType, pending);
  });
  return { application: await getApplication(db, actor, id), approved: outcome.approved, result: outcome.result ?? null };
}

export async function cancelApplication(db: Db, actor: Actor, id: number, version: number, reason: string | null): Promise<ApplicationDetail> {
  await db.transaction(async (tx) => {
    const doc = await lockApplication(tx, actor, id);
    if (doc.version !== version) throw versionConflict();
    await transition(tx, actor, customerApplicationType, doc, 'cancel', { comment: reason });
    await cancelApproval(tx, DOC_TYPE, id);
    await reopenLeadOfCancelledApplication(tx, actor, id);
  });
  return getApplication(db, actor, id);
}

/** A scan of one of the application's documents: stored through the kernel, then linked to the document. */
export async function attachDocumentFile(
  db: Db,
  actor: Actor,
  filesDir: string,
  id: number,
  documentId: number,
  upload: { filename: string; stream: Readable; truncated: () => boolean },
) {
  const app = await getApplication(db, actor, id);
  if (app.submittedBy !== actor.id) {
    upload.stream.resume();
    throw new DomainError('FORBIDDEN', {}, 403);
  }
  if (app.status !== 'draft') {
    upload.stream.resume();
    throw new DomainError('DOCUMENT_NOT_EDITABLE', {}, 409);
  }
  if (!app.documents.some((d) => d.id === documentId)) {
    upload.stream.resume();
    throw notFound();
  }
  const saved = await saveAttachment(db, actor, filesDir, { docType: DOC_TYPE, docId: id }, upload);
  await db.transaction(async (tx) => {
    await lockApplication(tx, actor, id);
    await tx
      .update(customerApplicationDocuments)
      .set({ attachmentIds: sql`array_append(${customerApplicationDocuments.attachmentIds}, ${saved.id}::int)` })
      .where(and(eq(customerApplicationDocuments.id, documentId), eq(customerApplicationDocuments.applicationId, id)));
    await audit(tx, actor, { action: 'customer_application.document_file_added', entity: DOC_TYPE, entityId: id, after: { documentId, attachmentId: saved.id, filename: saved.filename } });
  });
  return saved;
}
