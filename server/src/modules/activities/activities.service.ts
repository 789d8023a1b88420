import { type SQL, and, asc, count, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Actor } from '../../kernel/access/actor.js';
import { departments, users } from '../../kernel/access/access.tables.js';
import { audit, auditMany } from '../../kernel/audit/audit.js';
import type { Db, Queryable, Tx } from '../../kernel/db/client.js';
import { containsPattern, searchTextMatches } from '../../kernel/db/like.js';
import { DomainError, forbidden, notFound, versionConflict } from '../../kernel/errors.js';
import { type Page, type PageQuery, orderByOf } from '../../kernel/http/paging.js';
import { notify } from '../../kernel/notify/notify.js';
import { cancelReminder, scheduleReminder } from '../../kernel/reminders/reminders.js';
import { contacts } from '../contacts/contacts.tables.js';
import { customerScope } from '../customers/customers.scope.js';
import { customers } from '../customers/customers.tables.js';
import { leadScope } from '../leads/leads.scope.js';
import { leads } from '../leads/leads.tables.js';
import { touchLead } from '../leads/leads.touch.js';
import { products } from '../products/products.tables.js';
import { ACTIVITY_TYPE_NAMES } from './activities.names.js';
import type {
  ActivityFilter,
  actionItemPatchBody,
  actionItemRow,
  activityCompleteBody,
  activityDetail,
  activityFieldsBody,
  activityListRow,
  activityUpdateBody,
} from './activities.schemas.js';
import { activityScope } from './activities.scope.js';
import {
  type ActivityRow,
  activities,
  activityActionItems,
  activityAttendees,
  activityComments,
  activityContacts,
  activityProducts,
} from './activities.tables.js';
import { activityTimeZone, addDays, birthdayKeysOf, companyDateOf, companyInstant, weekOf } from './activities.time.js';

/**
 * Activities (拜访/联系记录): what a rep did, or plans to do, with a customer or a lead. Rules owned here
 * (issue 5 "Activities"; DOMAIN.md flow 1):
 * - an activity is about a customer or a lead the actor sees (404 otherwise); its contacts are active
 *   contacts of that customer; the owner is the actor, the owner's department and the customer's (or
 *   lead's) territory are stamped for scope and regional reports;
 * - planned vs done: a done activity cannot start in the future; a planned one is completed, checked
 *   in (visits: 签到 time recorded, it becomes done) or cancelled; only the owner edits (and the sales
 *   office, whose scope is all), with the version read;
 * - follow-ups: a next follow-up date schedules a kernel reminder to the owner at 09:00 company time
 *   on that date; the owner's next DONE activity with the same customer/lead closes their earlier
 *   open follow-ups there and withdraws the unsent reminders; a lead's next_follow_up_on follows the
 *   newest open follow-up and the owner's activity restarts the lead's reclaim clock (touchLead);
 * - 上级批注: anyone with activities.comment who sees the activity comments; the owner is notified;
 * - 会议记录: meetings have agenda, decisions, attendees and action items with owners and due dates.
 */
export type ActivityInput = z.output<typeof activityFieldsBody>;
export type ActivityUpdate = z.output<typeof activityUpdateBody>;
export type ActivityComplete = z.output<typeof activityCompleteBody>;
export type ActivityListRow = z.output<typeof activityListRow>;
export type ActivityDetail = z.output<typeof activityDetail>;
export type ActionItemRow = z.output<typeof actionItemRow>;
export type ActionItemPatch = z.output<typeof actionItemPatchBody>;

/** A done activity may start up to this much "in the future" (clock skew between phone and server). */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

const fieldError = (code: string, path: string, status: 409 | 422 = 422, params: Record<string, unknown> = {}) =>
  new DomainError(code, params, status, [{ path, code, params }]);

// ---- reading ------------------------------------------------------------------------------------

const contactNames = sql<string[]>`coalesce((select array_agg(c.name order by c.name) from activity_contacts ac
  join contacts c on c.id = ac.contact_id where ac.activity_id = ${activities.id}), '{}'::text[])`;
const productNames = sql<string[]>`coalesce((select array_agg(p.generic_name || ' ' || p.specification order by p.generic_name)
  from activity_products ap join products p on p.id = ap.product_id where ap.activity_id = ${activities.id}), '{}'::text[])`;
const commentCount = sql<number>`(select count(*)::int from activity_comments cm where cm.activity_id = ${activities.id})`;

const listColumns = {
  id: activities.id,
  type: activities.type,
  status: activities.status,
  subject: activities.subject,
  startsAt: activities.startsAt,
  endsAt: activities.endsAt,
  customerId: activities.customerId,
  customerName: customers.name,
  leadId: activities.leadId,
  leadCode: leads.code,
  leadOrganisation: leads.organisation,
  hospitalDepartment: activities.hospitalDepartment,
  ownerId: activities.ownerId,
  ownerName: users.displayName,
  contactNames,
  productNames,
  outcome: activities.outcome,
  nextStep: activities.nextStep,
  nextFollowUpOn: activities.nextFollowUpOn,
  followUpDoneAt: activities.followUpDoneAt,
  checkedInAt: activities.checkedInAt,
  location: activities.location,
  commentCount,
  createdAt: activities.createdAt,
};

const sortable = {
  startsAt: activities.startsAt,
  type: activities.type,
  status: activities.status,
  customer: customers.name,
  owner: users.displayName,
  nextFollowUpOn: activities.nextFollowUpOn,
  createdAt: activities.createdAt,
};

/** Open follow-up: a date set, not done, the activity not cancelled. */
const openFollowUp = sql`${activities.nextFollowUpOn} is not null and ${activities.followUpDoneAt} is null and ${activities.status} <> 'cancelled'`;

function filterCondition(actor: Actor, f: ActivityFilter, now = new Date()): SQL | undefined {
  const today = companyDateOf(now);
  const q = f.q?.trim();
  const customerMatch = searchTextMatches(customers.searchText, q);
  const leadMatch = searchTextMatches(leads.searchText, q);
  return and(
    activityScope(actor),
    q
      ? sql`(${activities.subject} ilike ${containsPattern(q)}
          ${customerMatch ? sql`or ${activities.customerId} in (select ${customers.id} from ${customers} where ${customerMatch})` : sql``}
          ${leadMatch ? sql`or ${activities.leadId} in (select ${leads.id} from ${leads} where ${leadMatch})` : sql``})`
      : undefined,
    f.customerId !== undefined ? eq(activities.customerId, f.customerId) : undefined,
    f.leadId !== undefined ? eq(activities.leadId, f.leadId) : undefined,
    f.ownerId !== undefined ? eq(activities.ownerId, f.ownerId) : undefined,
    f.departmentId !== undefined
      ? sql`${activities.ownerDepartmentId} in (select d.id from departments d
          where d.path like (select p.path from departments p where p.id = ${f.departmentId}) || '%')`
      : undefined,
    f.type ? eq(activities.type, f.type) : undefined,
    f.status ? eq(activities.status, f.status) : undefined,
    f.from ? sql`${activities.startsAt} >= ${companyInstant(f.from)}` : undefined,
    f.to ? sql`${activities.startsAt} < ${companyInstant(addDays(f.to, 1))}` : undefined,
    f.followUp === 'open' ? openFollowUp : undefined,
    f.followUp === 'due' ? sql`${openFollowUp} and ${activities.nextFollowUpOn} <= ${today}::date` : undefined,
    f.followUp === 'overdue' ? sql`${openFollowUp} and ${activities.nextFollowUpOn} < ${today}::date` : undefined,
  );
}

function listQuery(db: Queryable, where: SQL | undefined) {
  return db
    .select(listColumns)
    .from(activities)
    .innerJoin(users, eq(users.id, activities.ownerId))
    .leftJoin(customers, eq(customers.id, activities.customerId))
    .leftJoin(leads, eq(leads.id, activities.leadId))
    .where(where)
    .$dynamic();
}

const defaultOrder = [desc(activities.startsAt), desc(activities.id)];

export async function listActivities(db: Queryable, actor: Actor, filter: ActivityFilter, page: PageQuery): Promise<Page<ActivityListRow>> {
  const where = filterCondition(actor, filter);
  const [[total], items] = await Promise.all([
    db.select({ n: count() }).from(activities).where(where),
    listQuery(db, where)
      .orderBy(...orderByOf(page.sort, sortable, defaultOrder))
      .limit(page.pageSize)
      .offset((page.page - 1) * page.pageSize),
  ]);
  return { items, total: Number(total?.n ?? 0), page: page.page, pageSize: page.pageSize };
}

/** Every matching activity (Excel export), capped. */
export async function listAllActivities(db: Queryable, actor: Actor, filter: ActivityFilter, sort?: string, cap = 100_000): Promise<ActivityListRow[]> {
  return listQuery(db, filterCondition(actor, filter))
    .orderBy(...orderByOf(sort, sortable, defaultOrder))
    .limit(cap);
}

const actionItemOwner = sql<string>`(select u.display_name from users u where u.id = ${activityActionItems.ownerId})`;

function actionItemColumns(today: string) {
  return {
    id: activityActionItems.id,
    activityId: activityActionItems.activityId,
    activitySubject: activities.subject,
    meetingOwnerId: activities.ownerId,
    text: activityActionItems.text,
    ownerId: activityActionItems.ownerId,
    ownerName: actionItemOwner,
    dueOn: activityActionItems.dueOn,
    status: activityActionItems.status,
    doneAt: activityActionItems.doneAt,
    doneNote: activityActionItems.doneNote,
    overdue: sql<boolean>`(${activityActionItems.status} = 'open' and ${activityActionItems.dueOn} < ${today}::date)`,
    createdAt: activityActionItems.createdAt,
  };
}

export async function getActivity(db: Queryable, actor: Actor, id: number): Promise<ActivityDetail> {
  const [row] = await listQuery(db, and(eq(activities.id, id), activityScope(actor)));
  if (!row) throw notFound();
  const [extra] = await db
    .select({
      description: activities.description,
      materials: activities.materials,
      agenda: activities.agenda,
      decisions: activities.decisions,
      checkInPlace: activities.checkInPlace,
      ownerDepartmentId: activities.ownerDepartmentId,
      version: activities.version,
      updatedAt: activities.updatedAt,
    })
    .from(activities)
    .where(eq(activities.id, id));
  const today = companyDateOf(new Date());
  const [contactRows, productRows, attendeeRows, actionItems, comments] = await Promise.all([
    db
      .select({ id: contacts.id, name: contacts.name, title: contacts.title, department: contacts.department })
      .from(activityContacts)
      .innerJoin(contacts, eq(contacts.id, activityContacts.contactId))
      .where(eq(activityContacts.activityId, id))
      .orderBy(asc(contacts.name)),
    db
      .select({ id: products.id, name: sql<string>`${products.genericName} || ' ' || ${products.specification}` })
      .from(activityProducts)
      .innerJoin(products, eq(products.id, activityProducts.productId))
      .where(eq(activityProducts.activityId, id))
      .orderBy(asc(products.genericName)),
    db
      .select({ id: users.id, name: users.displayName })
      .from(activityAttendees)
      .innerJoin(users, eq(users.id, activityAttendees.userId))
      .where(eq(activityAttendees.activityId, id))
      .orderBy(asc(users.displayName)),
    db
      .select(actionItemColumns(today))
      .from(activityActionItems)
      .innerJoin(activities, eq(activities.id, activityActionItems.activityId))
      .where(eq(activityActionItems.activityId, id))
      .orderBy(asc(activityActionItems.id)),
    activityCommentsOf(db, id),
  ]);
  return { ...row, ...extra!, contacts: contactRows, products: productRows, attendees: attendeeRows, actionItems, comments };
}

function activityCommentsOf(db: Queryable, activityId: number) {
  return db
    .select({ id: activityComments.id, authorId: activityComments.authorId, authorName: users.displayName, body: activityComments.body, createdAt: activityComments.createdAt })
    .from(activityComments)
    .innerJoin(users, eq(users.id, activityComments.authorId))
    .where(eq(activityComments.activityId, activityId))
    .orderBy(asc(activityComments.createdAt), asc(activityComments.id));
}

export async function listActivityComments(db: Queryable, actor: Actor, activityId: number) {
  const [visible] = await db.select({ id: activities.id }).from(activities).where(and(eq(activities.id, activityId), activityScope(actor)));
  if (!visible) throw notFound();
  return activityCommentsOf(db, activityId);
}

// ---- writing ------------------------------------------------------------------------------------

type Subject = { customerId: number | null; leadId: number | null; name: string; territoryPath: string | null; link: string };

/** The customer and/or lead the activity is about: visible to the actor (404 otherwise). */
async function resolveSubject(tx: Queryable, actor: Actor, customerId: number | null | undefined, leadId: number | null | undefined): Promise<Subject> {
  if (!customerId && !leadId) throw fieldError('ACTIVITY_SUBJECT_REQUIRED', 'customerId');
  let customer: { id: number; name: string; territoryPath: string; status: string; code: string } | undefined;
  let lead: { id: number; organisation: string; territoryPath: string | null } | undefined;
  if (customerId) {
    [customer] = await tx
      .select({ id: customers.id, name: customers.name, territoryPath: customers.territoryPath, status: customers.status, code: customers.code })
      .from(customers)
      .where(and(eq(customers.id, customerId), customerScope(actor)));
    if (!customer) throw notFound();
    if (customer.status === 'merged') throw new DomainError('CUSTOMER_MERGED', { code: customer.code }, 409);
  }
  if (leadId) {
    [lead] = await tx
      .select({ id: leads.id, organisation: leads.organisation, territoryPath: leads.territoryPath })
      .from(leads)
      .where(and(eq(leads.id, leadId), leadScope(actor)));
    if (!lead) throw notFound();
  }
  return {
    customerId: customer?.id ?? null,
    leadId: lead?.id ?? null,
    name: customer?.name ?? lead!.organisation,
    territoryPath: customer?.territoryPath ?? lead?.territoryPath ?? null,
    link: customer ? `/customers/${customer.id}` : `/leads/${lead!.id}`,
  };
}

type Schedule = { status: 'planned' | 'done'; startsAt: Date; endsAt?: Date | null; nextFollowUpOn?: string | null };

/** Dates that make sense: done is not in the future, ends after it starts, the follow-up not before the day. */
function checkSchedule(input: Schedule, now: Date) {
  if (input.status === 'done' && input.startsAt.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) throw fieldError('ACTIVITY_DONE_IN_FUTURE', 'startsAt');
  if (input.endsAt && input.endsAt.getTime() < input.startsAt.getTime()) throw fieldError('ACTIVITY_ENDS_BEFORE_START', 'endsAt');
  if (input.nextFollowUpOn && input.nextFollowUpOn < companyDateOf(input.startsAt)) throw fieldError('ACTIVITY_FOLLOW_UP_BEFORE_ACTIVITY', 'nextFollowUpOn');
}

/** Contacts must be active contacts of the customer (those already on the activity may stay even if they left). */
async function checkContacts(tx: Queryable, customerId: number | null, contactIds: number[], keep: number[] = []) {
  const wanted = [...new Set(contactIds)];
  if (wanted.length === 0) return wanted;
  if (customerId === null) throw fieldError('ACTIVITY_CONTACT_NOT_OF_CUSTOMER', 'contactIds');
  const rows = await tx.select({ id: contacts.id, customerId: contacts.customerId, status: contacts.status }).from(contacts).where(inArray(contacts.id, wanted));
  const ok = new Set(rows.filter((c) => c.customerId === customerId && (c.status === 'active' || keep.includes(c.id))).map((c) => c.id));
  if (wanted.some((id) => !ok.has(id))) throw fieldError('ACTIVITY_CONTACT_NOT_OF_CUSTOMER', 'contactIds');
  return wanted;
}

async function checkProducts(tx: Queryable, productIds: number[]) {
  const wanted = [...new Set(productIds)];
  if (wanted.length === 0) return wanted;
  const rows = await tx.select({ id: products.id }).from(products).where(inArray(products.id, wanted));
  const found = new Set(rows.map((r) => r.id));
  const missing = wanted.filter((id) => !found.has(id));
  if (missing.length) throw fieldError('UNKNOWN_REFERENCE', 'productIds', 422, { what: 'product', ids: missing.join(', ') });
  return wanted;
}

/** Active users (attendees, action item owners). */
async function checkUsers(tx: Queryable, userIds: number[], path: string) {
  const wanted = [...new Set(userIds)];
  if (wanted.length === 0) return wanted;
  const rows = await tx.select({ id: users.id, status: users.status }).from(users).where(inArray(users.id, wanted));
  const active = new Set(rows.filter((u) => u.status === 'active').map((u) => u.id));
  const missing = wanted.filter((id) => !active.has(id));
  if (missing.length) throw fieldError('UNKNOWN_REFERENCE', path, 422, { what: 'user', ids: missing.join(', ') });
  return wanted;
}

function fieldValues(input: ActivityInput | ActivityUpdate, subject: Subject) {
  const meeting = input.type === 'meeting';
  return {
    type: input.type,
    status: input.status,
    customerId: subject.customerId,
    leadId: subject.leadId,
    hospitalDepartment: input.hospitalDepartment ?? null,
    subject: input.subject || `${ACTIVITY_TYPE_NAMES[input.type]['zh-CN']} ${subject.name}`,
    startsAt: input.startsAt,
    endsAt: input.endsAt ?? null,
    description: input.description ?? null,
    materials: input.materials ?? null,
    outcome: input.outcome ?? null,
    nextStep: input.nextStep ?? null,
    nextFollowUpOn: input.nextFollowUpOn ?? null,
    location: input.location ?? null,
    agenda: meeting ? (input.agenda ?? null) : null,
    decisions: meeting ? (input.decisions ?? null) : null,
    territoryPath: subject.territoryPath,
  };
}

async function replaceLinks(tx: Tx, activityId: number, links: { contactIds: number[]; productIds: number[]; attendeeIds: number[] }, fresh: boolean) {
  if (!fresh) {
    await tx.delete(activityContacts).where(eq(activityContacts.activityId, activityId));
    await tx.delete(activityProducts).where(eq(activityProducts.activityId, activityId));
    await tx.delete(activityAttendees).where(eq(activityAttendees.activityId, activityId));
  }
  if (links.contactIds.length) await tx.insert(activityContacts).values(links.contactIds.map((contactId) => ({ activityId, contactId })));
  if (links.productIds.length) await tx.insert(activityProducts).values(links.productIds.map((productId) => ({ activityId, productId })));
  if (links.attendeeIds.length) await tx.insert(activityAttendees).values(links.attendeeIds.map((userId) => ({ activityId, userId })));
}

async function subjectName(tx: Queryable, row: ActivityRow): Promise<Subject> {
  const [s] = await tx
    .select({ customerName: customers.name, leadName: leads.organisation })
    .from(activities)
    .leftJoin(customers, eq(customers.id, activities.customerId))
    .leftJoin(leads, eq(leads.id, activities.leadId))
    .where(eq(activities.id, row.id));
  return {
    customerId: row.customerId,
    leadId: row.leadId,
    name: s?.customerName ?? s?.leadName ?? '',
    territoryPath: row.territoryPath,
    link: row.customerId ? `/customers/${row.customerId}` : `/leads/${row.leadId}`,
  };
}

const hasOpenFollowUp = (row: ActivityRow) => row.nextFollowUpOn !== null && row.followUpDoneAt === null && row.status !== 'cancelled';

/**
 * After any change of an activity: its follow-up reminder matches its follow-up date, a newly done
 * activity closes the owner's earlier follow-ups on the same customer/lead, and the lead follows.
 */
async function afterWrite(tx: Tx, actor: Actor, before: ActivityRow | null, after: ActivityRow, subject: Subject, now: Date) {
  let reminderId = after.followUpReminderId;
  const open = hasOpenFollowUp(after);
  const moved =
    before !== null &&
    (before.nextFollowUpOn !== after.nextFollowUpOn || before.nextStep !== after.nextStep || before.customerId !== after.customerId || before.leadId !== after.leadId);
  if (reminderId !== null && (!open || moved)) {
    await cancelReminder(tx, reminderId);
    reminderId = null;
  }
  if (open && reminderId === null) {
    reminderId = await scheduleReminder(tx, {
      userId: after.ownerId,
      remindAt: companyInstant(after.nextFollowUpOn!, '09:00', activityTimeZone()),
      text: `跟进 ${subject.name}：${after.nextStep ?? after.subject}`,
      link: subject.link,
    });
  }
  if (reminderId !== after.followUpReminderId) await tx.update(activities).set({ followUpReminderId: reminderId }).where(eq(activities.id, after.id));

  if (after.status === 'done' && before?.status !== 'done') await closeEarlierFollowUps(tx, actor, after, now);

  if (after.leadId !== null) {
    await refreshLeadFollowUp(tx, after.leadId);
    // Logging or planning it, and doing it, count as the owner acting on the lead.
    if (before === null || (after.status === 'done' && before.status !== 'done')) await touchLead(tx, after.leadId, after.ownerId, now);
  }
}

/** The owner contacted the customer/lead again: their earlier open follow-ups there are done. */
async function closeEarlierFollowUps(tx: Tx, actor: Actor, done: ActivityRow, now: Date) {
  const sameSubject = done.customerId !== null
    ? done.leadId !== null
      ? sql`(${activities.customerId} = ${done.customerId} or ${activities.leadId} = ${done.leadId})`
      : sql`${activities.customerId} = ${done.customerId}`
    : sql`${activities.leadId} = ${done.leadId}`;
  const earlier = await tx
    .select({ id: activities.id, reminderId: activities.followUpReminderId, leadId: activities.leadId })
    .from(activities)
    .where(and(eq(activities.ownerId, done.ownerId), ne(activities.id, done.id), sql`${openFollowUp}`, sql`${activities.startsAt} <= ${done.startsAt}`, sameSubject))
    .orderBy(asc(activities.id))
    .for('update');
  if (earlier.length === 0) return;
  await tx
    .update(activities)
    .set({ followUpDoneAt: now, followUpReminderId: null })
    .where(inArray(activities.id, earlier.map((e) => e.id)));
  for (const e of earlier) if (e.reminderId !== null) await cancelReminder(tx, e.reminderId);
  for (const leadId of new Set(earlier.map((e) => e.leadId).filter((l): l is number => l !== null && l !== done.leadId))) await refreshLeadFollowUp(tx, leadId);
  await auditMany(
    tx,
    actor,
    earlier.map((e) => ({ action: 'activity.follow_up_done', entity: 'activity', entityId: e.id, after: { byActivityId: done.id, at: now } })),
  );
}

/** leads.next_follow_up_on = the date of the lead's newest open follow-up (null when none is open). */
async function refreshLeadFollowUp(tx: Queryable, leadId: number) {
  await tx.execute(sql`update leads set next_follow_up_on = (
      select a.next_follow_up_on from activities a
      where a.lead_id = ${leadId} and a.next_follow_up_on is not null and a.follow_up_done_at is null and a.status <> 'cancelled'
      order by a.starts_at desc, a.id desc limit 1)
    where id = ${leadId}`);
}

/** Locks an activity the actor sees (404 otherwise). */
async function lockActivity(tx: Tx, actor: Actor, id: number): Promise<ActivityRow> {
  const [row] = await tx.select().from(activities).where(and(eq(activities.id, id), activityScope(actor))).for('update');
  if (!row) throw notFound();
  return row;
}

/** Only the owner changes an activity; the sales office (scope all) may correct any. */
function assertMayEdit(actor: Actor, row: ActivityRow) {
  if (row.ownerId !== actor.id && !actor.scopes.has('all')) throw new DomainError('ACTIVITY_NOT_OWNER', {}, 403);
}

export async function createActivity(db: Db, actor: Actor, input: ActivityInput, now = new Date()): Promise<ActivityDetail> {
  const id = await db.transaction(async (tx) => {
    const subject = await resolveSubject(tx, actor, input.customerId, input.leadId);
    checkSchedule(input, now);
    const meeting = input.type === 'meeting';
    const contactIds = await checkContacts(tx, subject.customerId, input.contactIds);
    const productIds = await checkProducts(tx, input.productIds);
    const attendeeIds = meeting ? await checkUsers(tx, input.attendeeIds, 'attendeeIds') : [];
    const items = meeting ? input.actionItems : [];
    await checkUsers(tx, items.map((i) => i.ownerId), 'actionItems');
    const [row] = await tx
      .insert(activities)
      .values({
        ...fieldValues(input, subject),
        checkedInAt: null,
        ownerId: actor.id,
        ownerDepartmentId: actor.departmentId,
        createdBy: actor.id,
      })
      .returning();
    await replaceLinks(tx, row!.id, { contactIds, productIds, attendeeIds }, true);
    if (items.length) {
      await tx.insert(activityActionItems).values(items.map((i) => ({ activityId: row!.id, text: i.text, ownerId: i.ownerId, dueOn: i.dueOn ?? null })));
      await notifyActionItemOwners(tx, actor, row!, items);
    }
    await afterWrite(tx, actor, null, row!, subject, now);
    await audit(tx, actor, { action: 'activity.created', entity: 'activity', entityId: row!.id, after: { ...row, contactIds, productIds, attendeeIds, actionItems: items } });
    return row!.id;
  });
  return getActivity(db, actor, id);
}

export async function updateActivity(db: Db, actor: Actor, id: number, input: ActivityUpdate, now = new Date()): Promise<ActivityDetail> {
  await db.transaction(async (tx) => {
    const before = await lockActivity(tx, actor, id);
    assertMayEdit(actor, before);
    if (before.version !== input.version) throw versionConflict();
    if (before.status === 'cancelled') throw new DomainError('ACTIVITY_CANCELLED', {}, 409);
    if (before.status === 'done' && input.status === 'planned') throw fieldError('ACTIVITY_ALREADY_DONE', 'status');
    const subject = await resolveSubject(tx, actor, input.customerId, input.leadId);
    checkSchedule(input, now);
    const [oldContacts, oldAttendees] = await Promise.all([
      tx.select({ id: activityContacts.contactId }).from(activityContacts).where(eq(activityContacts.activityId, id)),
      tx.select({ id: activityAttendees.userId }).from(activityAttendees).where(eq(activityAttendees.activityId, id)),
    ]);
    const contactIds = await checkContacts(tx, subject.customerId, input.contactIds, oldContacts.map((c) => c.id));
    const productIds = await checkProducts(tx, input.productIds);
    // Attendees already listed stay even if their account was disabled since; new ones must be active.
    const attendeeIds = input.type === 'meeting' ? [...new Set(input.attendeeIds)] : [];
    await checkUsers(tx, attendeeIds.filter((u) => !oldAttendees.some((o) => o.id === u)), 'attendeeIds');
    const values = fieldValues(input, subject);
    const [after] = await tx
      .update(activities)
      .set({ ...values, version: before.version + 1, updatedAt: now })
      .where(eq(activities.id, id))
      .returning();
    await replaceLinks(tx, id, { contactIds, productIds, attendeeIds }, false);
    await afterWrite(tx, actor, before, after!, subject, now);
    const changed = Object.fromEntries(Object.entries(values).filter(([k, v]) => String(v) !== String(before[k as keyof ActivityRow])));
    const was = Object.fromEntries(Object.keys(changed).map((k) => [k, before[k as keyof ActivityRow]]));
    await audit(tx, actor, { action: 'activity.updated', entity: 'activity', entityId: id, before: was, after: { ...changed, contactIds, productIds, attendeeIds } });
  });
  return getActivity(db, actor, id);
}

/** 完成: a planned activity happened; its outcome and next step are recorded. */
export async function completeActivity(db: Db, actor: Actor, id: number, input: ActivityComplete, now = new Date()): Promise<ActivityDetail> {
  await db.transaction(async (tx) => {
    const before = await lockActivity(tx, actor, id);
    assertMayEdit(actor, before);
    if (before.version !== input.version) throw versionConflict();
    if (before.status !== 'planned') throw new DomainError('ACTIVITY_NOT_PLANNED', {}, 409);
    // A visit planned for later that happens now starts now.
    const startsAt = input.startsAt ?? (before.startsAt.getTime() > now.getTime() ? now : before.startsAt);
    const schedule = { status: 'done' as const, startsAt, endsAt: input.endsAt === undefined ? before.endsAt : input.endsAt, nextFollowUpOn: input.nextFollowUpOn === undefined ? before.nextFollowUpOn : input.nextFollowUpOn };
    if (schedule.endsAt && schedule.endsAt < startsAt) schedule.endsAt = null;
    checkSchedule(schedule, now);
    const set = {
      status: 'done' as const,
      startsAt,
      endsAt: schedule.endsAt,
      nextFollowUpOn: schedule.nextFollowUpOn,
      outcome: input.outcome ?? before.outcome,
      nextStep: input.nextStep ?? before.nextStep,
      materials: input.materials ?? before.materials,
      description: input.description ?? before.description,
      version: before.version + 1,
      updatedAt: now,
    };
    const [after] = await tx.update(activities).set(set).where(eq(activities.id, id)).returning();
    await afterWrite(tx, actor, before, after!, await subjectName(tx, after!), now);
    await audit(tx, actor, { action: 'activity.completed', entity: 'activity', entityId: id, before: { status: before.status }, after: set });
  });
  return getActivity(db, actor, id);
}

/** 签到: the owner is at the visit now; the visit is done and the check-in time recorded. */
export async function checkInActivity(db: Db, actor: Actor, id: number, input: { place?: string | null }, now = new Date()): Promise<ActivityDetail> {
  await db.transaction(async (tx) => {
    const before = await lockActivity(tx, actor, id);
    if (before.ownerId !== actor.id) throw new DomainError('ACTIVITY_NOT_OWNER', {}, 403);
    if (before.type !== 'visit') throw new DomainError('ACTIVITY_CHECK_IN_VISIT_ONLY', {}, 422);
    if (before.status === 'cancelled') throw new DomainError('ACTIVITY_CANCELLED', {}, 409);
    if (before.checkedInAt !== null) throw new DomainError('ACTIVITY_ALREADY_CHECKED_IN', {}, 409);
    const startsAt = before.startsAt.getTime() > now.getTime() ? now : before.startsAt;
    const set = {
      status: 'done' as const,
      startsAt,
      endsAt: before.endsAt && before.endsAt < startsAt ? null : before.endsAt,
      checkedInAt: now,
      checkInPlace: input.place?.trim() || null,
      version: before.version + 1,
      updatedAt: now,
    };
    const [after] = await tx.update(activities).set(set).where(eq(activities.id, id)).returning();
    await afterWrite(tx, actor, before, after!, await subjectName(tx, after!), now);
    await audit(tx, actor, { action: 'activity.checked_in', entity: 'activity', entityId: id, before: { status: before.status }, after: set });
  });
  return getActivity(db, actor, id);
}

export async function cancelActivity(db: Db, actor: Actor, id: number, input: { version: number }, now = new Date()): Promise<ActivityDetail> {
  await db.transaction(async (tx) => {
    const before = await lockActivity(tx, actor, id);
    assertMayEdit(actor, before);
    if (before.version !== input.version) throw versionConflict();
    if (before.status !== 'planned') throw new DomainError('ACTIVITY_NOT_PLANNED', {}, 409);
    const [after] = await tx.update(activities).set({ status: 'cancelled', version: before.version + 1, updatedAt: now }).where(eq(activities.id, id)).returning();
    await afterWrite(tx, actor, before, after!, await subjectName(tx, after!), now);
    await audit(tx, actor, { action: 'activity.cancelled', entity: 'activity', entityId: id, before: { status: before.status }, after: { status: 'cancelled' } });
  });
  return getActivity(db, actor, id);
}

/** The follow-up was done some other way (a call not logged…): marked by hand, the reminder withdrawn. */
export async function markFollowUpDone(db: Db, actor: Actor, id: number, now = new Date()): Promise<ActivityDetail> {
  await db.transaction(async (tx) => {
    const before = await lockActivity(tx, actor, id);
    assertMayEdit(actor, before);
    if (!hasOpenFollowUp(before)) throw new DomainError('ACTIVITY_NO_OPEN_FOLLOW_UP', {}, 409);
    const [after] = await tx.update(activities).set({ followUpDoneAt: now, version: before.version + 1, updatedAt: now }).where(eq(activities.id, id)).returning();
    await afterWrite(tx, actor, before, after!, await subjectName(tx, after!), now);
    await audit(tx, actor, { action: 'activity.follow_up_done', entity: 'activity', entityId: id, after: { at: now } });
  });
  return getActivity(db, actor, id);
}

// ---- 上级批注 -------------------------------------------------------------------------------------

export async function addActivityComment(db: Db, actor: Actor, id: number, input: { body: string }) {
  return db.transaction(async (tx) => {
    const [activity] = await tx
      .select({ id: activities.id, ownerId: activities.ownerId, subject: activities.subject })
      .from(activities)
      .where(and(eq(activities.id, id), activityScope(actor)));
    if (!activity) throw notFound();
    const [row] = await tx.insert(activityComments).values({ activityId: id, authorId: actor.id, body: input.body.trim() }).returning();
    if (activity.ownerId !== actor.id) {
      await notify(tx, {
        userIds: [activity.ownerId],
        event: 'activity.commented',
        title: { 'zh-CN': `${actor.displayName} 批注了您的记录：${activity.subject}`, 'en-US': `${actor.displayName} commented on your activity: ${activity.subject}` },
        body: input.body.trim().slice(0, 500),
        link: `/activities/${id}`,
      });
    }
    await audit(tx, actor, { action: 'activity.commented', entity: 'activity', entityId: id, after: { commentId: row!.id, body: row!.body } });
    return { id: row!.id, authorId: actor.id, authorName: actor.displayName, body: row!.body, createdAt: row!.createdAt };
  });
}

// ---- 会议待办 -------------------------------------------------------------------------------------

async function notifyActionItemOwners(tx: Tx, actor: Actor, meeting: { id: number; subject: string }, items: { text: string; ownerId: number; dueOn?: string | null }[]) {
  for (const item of items) {
    if (item.ownerId === actor.id) continue;
    await notify(tx, {
      userIds: [item.ownerId],
      event: 'activity.action_item_assigned',
      title: { 'zh-CN': `会议待办：${item.text}`.slice(0, 200), 'en-US': `Action item: ${item.text}`.slice(0, 200) },
      body: {
        'zh-CN': `${meeting.subject}${item.dueOn ? `；截止 ${item.dueOn}` : ''}；指派人：${actor.displayName}`,
        'en-US': `${meeting.subject}${item.dueOn ? `; due ${item.dueOn}` : ''}; by ${actor.displayName}`,
      },
      link: `/activities/${meeting.id}`,
    });
  }
}

async function actionItemById(db: Queryable, id: number): Promise<ActionItemRow> {
  const [row] = await db
    .select(actionItemColumns(companyDateOf(new Date())))
    .from(activityActionItems)
    .innerJoin(activities, eq(activities.id, activityActionItems.activityId))
    .where(eq(activityActionItems.id, id));
  return row!;
}

export async function addActionItem(db: Db, actor: Actor, activityId: number, input: { text: string; ownerId: number; dueOn?: string | null }): Promise<ActionItemRow> {
  const id = await db.transaction(async (tx) => {
    const meeting = await lockActivity(tx, actor, activityId);
    assertMayEdit(actor, meeting);
    if (meeting.type !== 'meeting') throw new DomainError('ACTIVITY_NOT_MEETING', {}, 422);
    await checkUsers(tx, [input.ownerId], 'ownerId');
    const [row] = await tx.insert(activityActionItems).values({ activityId, text: input.text, ownerId: input.ownerId, dueOn: input.dueOn ?? null }).returning();
    await notifyActionItemOwners(tx, actor, meeting, [input]);
    await audit(tx, actor, { action: 'action_item.created', entity: 'activity_action_item', entityId: row!.id, after: row });
    return row!.id;
  });
  return actionItemById(db, id);
}

/** The item's owner or the meeting's owner tracks it to done (or cancels, reopens, reassigns). */
export async function updateActionItem(db: Db, actor: Actor, id: number, input: ActionItemPatch, now = new Date()): Promise<ActionItemRow> {
  await db.transaction(async (tx) => {
    const [item] = await tx
      .select({ item: activityActionItems, meetingOwnerId: activities.ownerId, subject: activities.subject })
      .from(activityActionItems)
      .innerJoin(activities, eq(activities.id, activityActionItems.activityId))
      .where(and(eq(activityActionItems.id, id), sql`(${activityActionItems.ownerId} = ${actor.id} or ${activityScope(actor)})`))
      .for('update', { of: activityActionItems });
    if (!item) throw notFound();
    const before = item.item;
    if (before.ownerId !== actor.id && item.meetingOwnerId !== actor.id && !actor.scopes.has('all')) throw new DomainError('ACTION_ITEM_NOT_ALLOWED', {}, 403);
    const status = input.status ?? before.status;
    const set = {
      status,
      doneAt: status === 'done' ? (before.doneAt ?? now) : null,
      doneNote: input.doneNote !== undefined ? input.doneNote : before.doneNote,
      text: input.text ?? before.text,
      dueOn: input.dueOn !== undefined ? input.dueOn : before.dueOn,
      ownerId: input.ownerId ?? before.ownerId,
    };
    if (set.ownerId !== before.ownerId) {
      await checkUsers(tx, [set.ownerId], 'ownerId');
      await notifyActionItemOwners(tx, actor, { id: before.activityId, subject: item.subject }, [set]);
    }
    await tx.update(activityActionItems).set(set).where(eq(activityActionItems.id, id));
    await audit(tx, actor, { action: 'action_item.updated', entity: 'activity_action_item', entityId: id, before, after: set });
  });
  return actionItemById(db, id);
}

export async function listActionItems(
  db: Queryable,
  actor: Actor,
  filter: { mine?: boolean; ownerId?: number; status?: 'open' | 'done' | 'cancelled'; overdue?: boolean; activityId?: number },
  now = new Date(),
): Promise<ActionItemRow[]> {
  const today = companyDateOf(now);
  return db
    .select(actionItemColumns(today))
    .from(activityActionItems)
    .innerJoin(activities, eq(activities.id, activityActionItems.activityId))
    .where(
      and(
        filter.mine ? eq(activityActionItems.ownerId, actor.id) : sql`(${activityActionItems.ownerId} = ${actor.id} or ${activityScope(actor)})`,
        filter.ownerId !== undefined ? eq(activityActionItems.ownerId, filter.ownerId) : undefined,
        filter.status ? eq(activityActionItems.status, filter.status) : undefined,
        filter.overdue ? sql`${activityActionItems.status} = 'open' and ${activityActionItems.dueOn} < ${today}::date` : undefined,
        filter.activityId !== undefined ? eq(activityActionItems.activityId, filter.activityId) : undefined,
      ),
    )
    .orderBy(sql`${activityActionItems.dueOn} asc nulls last`, asc(activityActionItems.id))
    .limit(500);
}

// ---- 跟进提醒 / 久未联系 / 生日 ---------------------------------------------------------------------

export type FollowUpItem = {
  kind: 'activity' | 'lead';
  activityId: number | null;
  leadId: number | null;
  customerId: number | null;
  name: string;
  subject: string | null;
  nextStep: string | null;
  dueOn: string;
  link: string;
};

/** The user whose follow-ups a manager looks at: themself, or a user in reach (403 otherwise). */
async function userInReach(db: Queryable, actor: Actor, userId: number | undefined): Promise<number> {
  if (userId === undefined || userId === actor.id) return actor.id;
  const [u] = await db
    .select({ id: users.id, departmentId: users.departmentId, departmentPath: departments.path })
    .from(users)
    .leftJoin(departments, eq(departments.id, users.departmentId))
    .where(eq(users.id, userId));
  if (!u) throw notFound();
  if (actor.scopes.has('all')) return u.id;
  if (actor.scopes.has('department') && actor.departmentPath && u.departmentPath?.startsWith(actor.departmentPath)) return u.id;
  if (actor.scopes.has('team') && actor.departmentId !== null && u.departmentId === actor.departmentId) return u.id;
  throw forbidden();
}

export async function followUpsOf(db: Queryable, actor: Actor, input: { ownerId?: number; dormantDays: Record<string, number> }, now = new Date()) {
  const ownerId = await userInReach(db, actor, input.ownerId);
  const today = companyDateOf(now);
  const horizon = addDays(today, 7);
  const activityRows = await db
    .select({
      activityId: activities.id,
      leadId: activities.leadId,
      customerId: activities.customerId,
      name: sql<string>`coalesce(${customers.name}, ${leads.organisation}, '')`,
      subject: activities.subject,
      nextStep: activities.nextStep,
      dueOn: activities.nextFollowUpOn,
    })
    .from(activities)
    .leftJoin(customers, eq(customers.id, activities.customerId))
    .leftJoin(leads, eq(leads.id, activities.leadId))
    .where(and(eq(activities.ownerId, ownerId), sql`${openFollowUp}`, sql`${activities.nextFollowUpOn} <= ${horizon}::date`, activityScope(actor)))
    .orderBy(asc(activities.nextFollowUpOn), asc(activities.id))
    .limit(500);
  const leadRows = await db
    .select({ leadId: leads.id, name: leads.organisation, dueOn: leads.nextFollowUpOn })
    .from(leads)
    .where(
      and(
        eq(leads.ownerId, ownerId),
        eq(leads.status, 'open'),
        sql`${leads.nextFollowUpOn} <= ${horizon}::date`,
        sql`not exists (select 1 from activities a where a.lead_id = ${leads.id} and a.owner_id = ${ownerId}
              and a.next_follow_up_on is not null and a.follow_up_done_at is null and a.status <> 'cancelled')`,
        leadScope(actor),
      ),
    )
    .orderBy(asc(leads.nextFollowUpOn), asc(leads.id))
    .limit(500);
  const items: FollowUpItem[] = [
    ...activityRows.map((a) => ({
      kind: 'activity' as const,
      activityId: a.activityId,
      leadId: a.leadId,
      customerId: a.customerId,
      name: a.name,
      subject: a.subject,
      nextStep: a.nextStep,
      dueOn: a.dueOn!,
      link: `/activities/${a.activityId}`,
    })),
    ...leadRows.map((l) => ({ kind: 'lead' as const, activityId: null, leadId: l.leadId, customerId: null, name: l.name, subject: null, nextStep: null, dueOn: l.dueOn!, link: `/leads/${l.leadId}` })),
  ].sort((a, b) => a.dueOn.localeCompare(b.dueOn));
  const [neglected, birthdays, actionItems] = await Promise.all([
    neglectedCustomers(db, { ownerId, dormantDays: input.dormantDays, now, visibleTo: actor, limit: 200 }),
    weekBirthdays(db, { ownerId, today, visibleTo: actor }),
    listActionItems(db, actor, { ownerId, status: 'open' }, now),
  ]);
  return {
    ownerId,
    today,
    overdue: items.filter((i) => i.dueOn < today),
    dueToday: items.filter((i) => i.dueOn === today),
    upcoming: items.filter((i) => i.dueOn > today),
    neglected: neglected.map(({ ownerId: _o, ...n }) => n),
    birthdays: birthdays.map(({ ownerId: _o, ...b }) => b),
    actionItems,
  };
}

const GRADES = ['C', 'B', 'A', 'H', 'O'] as const;

export type NeglectedCustomer = { customerId: number; customerName: string; grade: string | null; ownerId: number; lastContactAt: Date | null; days: number; limitDays: number };

/**
 * 久未联系: active owned customers whose last DONE activity (by anyone) is older than the grade's
 * crm_settings.dormant_days (no grade counts as C), or with none since the customer was created.
 */
export async function neglectedCustomers(
  db: Queryable,
  input: { ownerId?: number; dormantDays: Record<string, number>; now: Date; visibleTo?: Actor; limit?: number },
): Promise<NeglectedCustomer[]> {
  const limitDays = sql`(case coalesce(${customers.grade}, 'C') ${sql.join(
    GRADES.map((g) => sql`when ${g} then ${Math.max(0, Math.floor(input.dormantDays[g] ?? input.dormantDays.C ?? 90))}::int`),
    sql` `,
  )} else 90 end)`;
  const lastAt = sql`(select max(a.starts_at) from activities a where a.customer_id = ${customers.id} and a.status = 'done')`;
  const rows = await db
    .select({
      customerId: customers.id,
      customerName: customers.name,
      grade: customers.grade,
      ownerId: sql<number>`${customers.ownerId}`,
      lastContactAt: sql<Date | string | null>`${lastAt}`,
      since: customers.createdAt,
      limitDays: sql<number>`${limitDays}`,
    })
    .from(customers)
    .where(
      and(
        eq(customers.status, 'active'),
        input.ownerId !== undefined ? eq(customers.ownerId, input.ownerId) : sql`${customers.ownerId} is not null`,
        sql`coalesce(${lastAt}, ${customers.createdAt}) < ${input.now}::timestamptz - make_interval(days => ${limitDays})`,
        input.visibleTo ? customerScope(input.visibleTo) : undefined,
      ),
    )
    .orderBy(sql`coalesce(${lastAt}, ${customers.createdAt}) asc`, asc(customers.id))
    .limit(input.limit ?? 100_000);
  return rows.map((r) => {
    const last = r.lastContactAt === null ? null : new Date(r.lastContactAt);
    return {
      customerId: r.customerId,
      customerName: r.customerName,
      grade: r.grade,
      ownerId: r.ownerId,
      lastContactAt: last,
      days: Math.floor((input.now.getTime() - (last ?? r.since).getTime()) / 86_400_000),
      limitDays: Number(r.limitDays),
    };
  });
}

export type WeekBirthday = { contactId: number; contactName: string; customerId: number; customerName: string; ownerId: number; birthday: string; celebratedOn: string };

/** Contacts (active, of active customers owned by the user) whose birthday falls in this Monday–Sunday week. */
export async function weekBirthdays(db: Queryable, input: { ownerId?: number; today: string; visibleTo?: Actor }): Promise<WeekBirthday[]> {
  const keys = birthdayKeysOf(weekOf(input.today));
  const rows = await db
    .select({
      contactId: contacts.id,
      contactName: contacts.name,
      customerId: customers.id,
      customerName: customers.name,
      ownerId: sql<number>`${customers.ownerId}`,
      birthday: sql<string>`${contacts.birthday}::text`,
    })
    .from(contacts)
    .innerJoin(customers, eq(customers.id, contacts.customerId))
    .where(
      and(
        eq(contacts.status, 'active'),
        eq(customers.status, 'active'),
        input.ownerId !== undefined ? eq(customers.ownerId, input.ownerId) : sql`${customers.ownerId} is not null`,
        sql`to_char(${contacts.birthday}, 'MM-DD') in (${sql.join([...keys.keys()].map((k) => sql`${k}`), sql`, `)})`,
        input.visibleTo ? customerScope(input.visibleTo) : undefined,
      ),
    )
    .orderBy(asc(contacts.id));
  return rows
    .map((r) => ({ ...r, celebratedOn: keys.get(r.birthday.slice(5))! }))
    .sort((a, b) => a.celebratedOn.localeCompare(b.celebratedOn) || a.contactName.localeCompare(b.contactName));
}

