import ExcelJS from 'exceljs';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../src/kernel/audit/audit.tables.js';
import { sendDueReminders } from '../src/kernel/reminders/reminders.js';
import { reminders } from '../src/kernel/reminders/reminders.tables.js';
import { activities } from '../src/modules/activities/activities.tables.js';
import { addDays, birthdayKeysOf, companyDateOf, companyInstant, weekOf } from '../src/modules/activities/activities.time.js';
import { contacts } from '../src/modules/contacts/contacts.tables.js';
import { customers } from '../src/modules/customers/customers.tables.js';
import { leads } from '../src/modules/leads/leads.tables.js';
import { Client, makeCustomer, setupTest, userIdOf } from './support.js';

let t: Awaited<ReturnType<typeof setupTest>>;
const ids: Record<string, number> = {};
let rep: Client;
let rep2: Client;
let lead: Client;

const today = () => companyDateOf(new Date());
const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();
const inbox = async (c: Client) =>
  (await c.get('/api/notifications?pageSize=100')).json().items as { event: string; title: string; body: string; link: string | null }[];

async function makeContact(customerId: number, name: string, extra: Partial<typeof contacts.$inferInsert> = {}) {
  const [row] = await t.db.insert(contacts).values({ customerId, name, searchText: name, ...extra }).returning({ id: contacts.id });
  return row!.id;
}

beforeAll(async () => {
  t = await setupTest({ demo: true, demoCustomers: false });
  rep = await Client.as(t.app, 'rep');
  rep2 = await Client.as(t.app, 'rep2');
  lead = await Client.as(t.app, 'team_lead');
  ids.xiehe = (await makeCustomer(t.db, { name: '上海协和医院', owner: 'rep', territoryId: '310104' })).id;
  ids.ruijin = (await makeCustomer(t.db, { name: '上海瑞金医院', owner: 'rep2', territoryId: '310101' })).id;
  ids.renji = (await makeCustomer(t.db, { name: '上海仁济医院', owner: 'rep', territoryId: '310101' })).id;
  ids.beijing = (await makeCustomer(t.db, { name: '北京协和医院', owner: 'rep_bj', territoryId: '110101' })).id;
  ids.huashan = (await makeCustomer(t.db, { name: '上海华山医院', owner: 'rep', territoryId: '310104' })).id;
  ids.wang = await makeContact(ids.xiehe, '王建国', { department: '药剂科', title: '主任' });
  ids.left = await makeContact(ids.xiehe, '离职医生', { status: 'left' });
  ids.li = await makeContact(ids.ruijin, '李明');
  ids.rep = await userIdOf(t.db, 'rep');
  ids.rep2 = await userIdOf(t.db, 'rep2');
  ids.teamLead = await userIdOf(t.db, 'team_lead');
  const office = await Client.as(t.app, 'office');
  const product = await office.post('/api/products', {
    code: 'T-AMX-025',
    genericName: '阿莫西林胶囊',
    tradeName: '阿莫仙',
    dosageForm: 'capsule',
    specification: '0.25g*24粒',
    packageUnit: 'box',
    unitsPerPackage: 24,
    approvalNumber: '国药准字H44021351',
    manufacturer: '测试制药有限公司',
    storageCondition: 'normal',
    prescriptionClass: 'rx',
    reimbursementClass: 'class_a',
    barcode: '6901234567892',
  });
  expect(product.statusCode, product.body).toBe(200);
  ids.product = product.json().id;
  const [l] = await t.db
    .insert(leads)
    .values({ organisation: '上海新华社区卫生服务中心', nameKey: '上海新华社区卫生服务中心', source: 'phone', searchText: 'xinhua', ownerId: ids.rep, territoryPath: '/310000/310100/310105/', lastActedAt: new Date(Date.now() - 5 * 86_400_000) })
    .returning({ id: leads.id });
  ids.lead = l!.id;
});
afterAll(() => t.close());

const visit = (over: Record<string, unknown> = {}) => ({
  type: 'visit',
  status: 'done',
  customerId: ids.xiehe,
  hospitalDepartment: '药剂科',
  contactIds: [ids.wang],
  productIds: [ids.product],
  startsAt: hoursAgo(2),
  outcome: '同意进药事会讨论',
  nextStep: '送新版说明书',
  ...over,
});

describe('logging activities', () => {
  it('lets a rep log a done visit with contacts, products and a follow-up date, and reminds them at 09:00 on that date', async () => {
    const followUp = addDays(today(), 3);
    const res = await rep.post('/api/activities', visit({ nextFollowUpOn: followUp, materials: '说明书 2 份' }));
    expect(res.statusCode, res.body).toBe(201);
    const a = res.json();
    ids.first = a.id;
    expect(a).toMatchObject({
      type: 'visit',
      status: 'done',
      subject: '拜访 上海协和医院',
      customerName: '上海协和医院',
      ownerName: '张伟',
      contactNames: ['王建国'],
      productNames: ['阿莫西林胶囊 0.25g*24粒'],
      nextFollowUpOn: followUp,
      materials: '说明书 2 份',
      commentCount: 0,
      version: 1,
    });
    const [row] = await t.db.select().from(activities).where(eq(activities.id, a.id));
    expect(row!.territoryPath).toMatch(/^\/310000\//);
    const [reminder] = await t.db.select().from(reminders).where(eq(reminders.id, row!.followUpReminderId!));
    expect(reminder).toMatchObject({ userId: ids.rep, link: `/customers/${ids.xiehe}`, text: '跟进 上海协和医院：送新版说明书', sentAt: null });
    expect(reminder!.remindAt.toISOString()).toBe(`${followUp}T01:00:00.000Z`); // 09:00 Asia/Shanghai
    const [entry] = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'activity.created'), eq(auditLog.entityId, String(a.id))));
    expect(entry).toBeDefined();
  });

  it('refuses a contact of another customer, a contact who left, and a done visit in the future', async () => {
    const other = await rep.post('/api/activities', visit({ contactIds: [ids.li] }));
    expect(other.statusCode).toBe(422);
    expect(other.json().error.code).toBe('ACTIVITY_CONTACT_NOT_OF_CUSTOMER');
    expect(other.json().error.fields).toEqual([{ path: 'contactIds', message: '联系人必须是该客户的在职联系人' }]);
    expect((await rep.post('/api/activities', visit({ contactIds: [ids.left] }))).json().error.code).toBe('ACTIVITY_CONTACT_NOT_OF_CUSTOMER');
    const future = await rep.post('/api/activities', visit({ startsAt: new Date(Date.now() + 86_400_000).toISOString() }));
    expect(future.statusCode).toBe(422);
    expect(future.json().error.code).toBe('ACTIVITY_DONE_IN_FUTURE');
    expect(future.json().error.fields[0].path).toBe('startsAt');
    // The same visit planned for tomorrow is fine.
    const planned = await rep.post('/api/activities', visit({ status: 'planned', startsAt: new Date(Date.now() + 86_400_000).toISOString(), outcome: null }));
    expect(planned.statusCode, planned.body).toBe(201);
  });

  it('refuses a follow-up date before the activity, an activity about nothing, and unknown products', async () => {
    const before = await rep.post('/api/activities', visit({ startsAt: hoursAgo(1), nextFollowUpOn: addDays(today(), -2) }));
    expect(before.statusCode).toBe(422);
    expect(before.json().error.code).toBe('ACTIVITY_FOLLOW_UP_BEFORE_ACTIVITY');
    const nothing = await rep.post('/api/activities', visit({ customerId: null, contactIds: [] }));
    expect(nothing.json().error.code).toBe('ACTIVITY_SUBJECT_REQUIRED');
    const product = await rep.post('/api/activities', visit({ productIds: [999999] }));
    expect(product.statusCode).toBe(422);
    expect(product.json().error.fields[0].path).toBe('productIds');
    const bad = await rep.post('/api/activities', { ...visit(), type: 'fax' });
    expect(bad.statusCode).toBe(400);
  });

  it('answers 404 for a customer the rep does not see, and 403 for finance', async () => {
    const res = await rep.post('/api/activities', visit({ customerId: ids.beijing, contactIds: [] }));
    expect(res.statusCode).toBe(404);
    const finance = await Client.as(t.app, 'finance');
    expect((await finance.get('/api/activities')).statusCode).toBe(403);
    expect((await finance.post('/api/activities', visit())).statusCode).toBe(403);
  });
});

describe('who sees activities', () => {
  it('shows a rep their own, hides them from a teammate, and shows the team lead the team', async () => {
    const mine = (await rep.get(`/api/activities?customerId=${ids.xiehe}`)).json();
    expect(mine.items.map((a: { id: number }) => a.id)).toContain(ids.first);
    expect((await rep2.get(`/api/activities/${ids.first}`)).statusCode).toBe(404);
    expect((await rep2.get('/api/activities')).json().items.map((a: { id: number }) => a.id)).not.toContain(ids.first);
    expect((await lead.get(`/api/activities/${ids.first}`)).statusCode).toBe(200);
    expect((await lead.get(`/api/activities?ownerId=${ids.rep}`)).json().total).toBe(mine.total);
    const bj = await Client.as(t.app, 'rep_bj');
    expect((await bj.get(`/api/activities/${ids.first}`)).statusCode).toBe(404);
  });

  it('gives the new owner of a customer its earlier activities', async () => {
    const res = await rep.post('/api/activities', visit({ customerId: ids.renji, contactIds: [], productIds: [] }));
    expect((await rep2.get(`/api/activities/${res.json().id}`)).statusCode).toBe(404);
    await t.db.update(customers).set({ ownerId: ids.rep2 }).where(eq(customers.id, ids.renji));
    expect((await rep2.get(`/api/activities/${res.json().id}`)).statusCode).toBe(200);
    const timeline = (await rep2.get(`/api/activities?customerId=${ids.renji}`)).json();
    expect(timeline.items.map((a: { id: number }) => a.id)).toEqual([res.json().id]);
    await t.db.update(customers).set({ ownerId: ids.rep }).where(eq(customers.id, ids.renji));
  });

  it('filters by company dates, type and status, newest first', async () => {
    const yesterday = addDays(today(), -1);
    const late = await rep.post('/api/activities', visit({ type: 'phone', startsAt: companyInstant(yesterday, '23:30').toISOString(), contactIds: [], productIds: [] }));
    expect(late.statusCode, late.body).toBe(201);
    const day = (await rep.get(`/api/activities?from=${yesterday}&to=${yesterday}`)).json();
    expect(day.items.map((a: { id: number }) => a.id)).toEqual([late.json().id]);
    const phones = (await rep.get('/api/activities?type=phone&status=done')).json();
    expect(phones.items.every((a: { type: string; status: string }) => a.type === 'phone' && a.status === 'done')).toBe(true);
    const all = (await rep.get(`/api/activities?customerId=${ids.xiehe}&pageSize=100`)).json().items as { startsAt: string }[];
    expect(all.map((a) => a.startsAt)).toEqual([...all.map((a) => a.startsAt)].sort().reverse());
    const q = (await rep.get(`/api/activities?q=${encodeURIComponent('协和')}`)).json();
    expect(q.total).toBeGreaterThan(0);
  });
});

describe('planned, done, check-in and cancel', () => {
  it('checks in the owner’s planned visit: it becomes done with the check-in time', async () => {
    const planned = (await rep.post('/api/activities', visit({ status: 'planned', startsAt: new Date(Date.now() + 3600_000).toISOString(), outcome: null }))).json();
    expect((await lead.post(`/api/activities/${planned.id}/check-in`, {})).json().error.code).toBe('ACTIVITY_NOT_OWNER');
    expect((await rep2.post(`/api/activities/${planned.id}/check-in`, {})).statusCode).toBe(404);
    const res = await rep.post(`/api/activities/${planned.id}/check-in`, { place: '协和医院门诊楼' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'done', checkInPlace: '协和医院门诊楼', version: 2 });
    expect(new Date(res.json().checkedInAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(new Date(res.json().startsAt).getTime()).toBeLessThanOrEqual(Date.now()); // a done visit does not start in the future
    expect((await rep.post(`/api/activities/${planned.id}/check-in`, {})).statusCode).toBe(409);
    const phone = (await rep.post('/api/activities', visit({ type: 'phone', contactIds: [], productIds: [] }))).json();
    expect((await rep.post(`/api/activities/${phone.id}/check-in`, {})).json().error.code).toBe('ACTIVITY_CHECK_IN_VISIT_ONLY');
  });

  it('checks a visit in once when two taps arrive together', async () => {
    const planned = (await rep.post('/api/activities', visit({ status: 'planned', startsAt: hoursAgo(0.5), outcome: null, contactIds: [], productIds: [] }))).json();
    const replies = await Promise.all([rep.post(`/api/activities/${planned.id}/check-in`, {}), rep.post(`/api/activities/${planned.id}/check-in`, {})]);
    expect(replies.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const [entry] = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'activity.checked_in'), eq(auditLog.entityId, String(planned.id))));
    expect(entry).toBeDefined();
  });

  it('completes a planned call with its outcome, and cancels only planned ones', async () => {
    const call = (await rep.post('/api/activities', visit({ type: 'phone', status: 'planned', startsAt: hoursAgo(1), outcome: null, contactIds: [], productIds: [] }))).json();
    const stale = await rep.post(`/api/activities/${call.id}/complete`, { version: 0, outcome: '约了下周拜访' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('CONFLICT_VERSION');
    const done = await rep.post(`/api/activities/${call.id}/complete`, { version: 1, outcome: '约了下周拜访' });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ status: 'done', outcome: '约了下周拜访', version: 2 });
    expect((await rep.post(`/api/activities/${call.id}/cancel`, { version: 2 })).json().error.code).toBe('ACTIVITY_NOT_PLANNED');
    const later = (await rep.post('/api/activities', visit({ status: 'planned', startsAt: new Date(Date.now() + 86_400_000).toISOString(), nextFollowUpOn: addDays(today(), 5) }))).json();
    const cancelled = await rep.post(`/api/activities/${later.id}/cancel`, { version: 1 });
    expect(cancelled.json().status).toBe('cancelled');
    const [row] = await t.db.select().from(activities).where(eq(activities.id, later.id));
    expect(row!.followUpReminderId).toBeNull(); // the reminder went with it
  });

  it('lets only the owner edit, with the version read', async () => {
    const a = (await rep.post('/api/activities', visit({ contactIds: [], productIds: [] }))).json();
    const body = { ...visit({ contactIds: [], productIds: [] }), outcome: '改过的结果', version: 1 };
    expect((await lead.patch(`/api/activities/${a.id}`, body)).json().error.code).toBe('ACTIVITY_NOT_OWNER');
    const ok = await rep.patch(`/api/activities/${a.id}`, body);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ outcome: '改过的结果', version: 2 });
    expect((await rep.patch(`/api/activities/${a.id}`, body)).statusCode).toBe(409);
    expect((await rep.patch(`/api/activities/${a.id}`, { ...body, version: 2, status: 'planned' })).json().error.code).toBe('ACTIVITY_ALREADY_DONE');
  });
});

describe('上级批注', () => {
  it('refuses a rep, lets the team lead comment, and tells the owner exactly once with the link', async () => {
    expect((await rep.post(`/api/activities/${ids.first}/comments`, { body: '自己批注' })).statusCode).toBe(403);
    const res = await lead.post(`/api/activities/${ids.first}/comments`, { body: '记得带上临床数据' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ authorName: '孙伟', body: '记得带上临床数据' });
    const notes = (await inbox(rep)).filter((n) => n.event === 'activity.commented');
    expect(notes).toEqual([expect.objectContaining({ link: `/activities/${ids.first}`, body: '记得带上临床数据' })]);
    expect(notes[0]!.title).toContain('孙伟');
    const detail = (await rep.get(`/api/activities/${ids.first}`)).json();
    expect(detail.comments).toEqual([expect.objectContaining({ authorName: '孙伟', body: '记得带上临床数据' })]);
    expect(detail.commentCount).toBe(1);
    expect((await rep.get(`/api/activities/${ids.first}/comments`)).json()).toHaveLength(1);
  });

  it('does not notify a manager of their own comment, and answers 404 out of scope', async () => {
    const own = (await lead.post('/api/activities', visit({ contactIds: [], productIds: [] }))).json();
    expect((await lead.post(`/api/activities/${own.id}/comments`, { body: '备注' })).statusCode).toBe(201);
    expect((await inbox(lead)).filter((n) => n.event === 'activity.commented')).toHaveLength(0);
    const north = await Client.as(t.app, 'north_manager');
    expect((await north.post(`/api/activities/${ids.first}/comments`, { body: '看不到' })).statusCode).toBe(404);
  });
});

describe('follow-ups', () => {
  it('sends the follow-up reminder once, at 09:00 on the date', async () => {
    const day = addDays(today(), 3);
    const res = await rep.post('/api/activities', visit({ customerId: ids.huashan, contactIds: [], productIds: [], nextStep: '约科主任', nextFollowUpOn: day }));
    ids.huashanVisit = res.json().id;
    await sendDueReminders(t.db, companyInstant(day, '08:59'));
    const text = '跟进 上海华山医院：约科主任';
    expect((await inbox(rep)).filter((n) => n.event === 'reminder.due' && n.body === text)).toHaveLength(0);
    await sendDueReminders(t.db, companyInstant(day, '09:00'));
    await sendDueReminders(t.db, companyInstant(day, '09:05'));
    const sent = (await inbox(rep)).filter((n) => n.event === 'reminder.due' && n.body === text);
    expect(sent).toEqual([expect.objectContaining({ link: `/customers/${ids.huashan}` })]);
  });

  it('closes the owner’s open follow-up and withdraws its reminder when they contact the customer again', async () => {
    const a = (await rep.post('/api/activities', visit({ customerId: ids.renji, contactIds: [], productIds: [], startsAt: hoursAgo(3), nextFollowUpOn: addDays(today(), 10) }))).json();
    const [before] = await t.db.select().from(activities).where(eq(activities.id, a.id));
    expect(before!.followUpReminderId).not.toBeNull();
    // A teammate's activity (here: the team lead's) does not close the rep's follow-up.
    await lead.post('/api/activities', visit({ customerId: ids.renji, contactIds: [], productIds: [], startsAt: hoursAgo(2) }));
    expect((await t.db.select().from(activities).where(eq(activities.id, a.id)))[0]!.followUpDoneAt).toBeNull();
    await rep.post('/api/activities', visit({ type: 'phone', customerId: ids.renji, contactIds: [], productIds: [], startsAt: hoursAgo(1) }));
    const [after] = await t.db.select().from(activities).where(eq(activities.id, a.id));
    expect(after!.followUpDoneAt).not.toBeNull();
    expect(after!.followUpReminderId).toBeNull();
    expect(await t.db.select().from(reminders).where(eq(reminders.id, before!.followUpReminderId!))).toHaveLength(0);
  });

  it('reschedules the reminder when the date changes and withdraws it when cleared or marked done', async () => {
    const a = (await rep.post('/api/activities', visit({ customerId: ids.renji, contactIds: [], productIds: [], startsAt: hoursAgo(1), nextFollowUpOn: addDays(today(), 4) }))).json();
    const first = (await t.db.select().from(activities).where(eq(activities.id, a.id)))[0]!.followUpReminderId!;
    const moved = await rep.patch(`/api/activities/${a.id}`, { ...visit({ customerId: ids.renji, contactIds: [], productIds: [], startsAt: a.startsAt }), nextFollowUpOn: addDays(today(), 6), version: 1 });
    expect(moved.statusCode, moved.body).toBe(200);
    const second = (await t.db.select().from(activities).where(eq(activities.id, a.id)))[0]!.followUpReminderId!;
    expect(second).not.toBe(first);
    expect(await t.db.select().from(reminders).where(eq(reminders.id, first))).toHaveLength(0);
    expect((await t.db.select().from(reminders).where(eq(reminders.id, second)))[0]!.remindAt.toISOString()).toBe(`${addDays(today(), 6)}T01:00:00.000Z`);
    const done = await rep.post(`/api/activities/${a.id}/follow-up-done`, {});
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().followUpDoneAt).not.toBeNull();
    expect(await t.db.select().from(reminders).where(eq(reminders.id, second))).toHaveLength(0);
    expect((await rep.post(`/api/activities/${a.id}/follow-up-done`, {})).json().error.code).toBe('ACTIVITY_NO_OPEN_FOLLOW_UP');
  });

  it('keeps a lead’s next follow-up date and restarts its reclaim clock when its owner logs an activity', async () => {
    const [before] = await t.db.select().from(leads).where(eq(leads.id, ids.lead));
    const date = addDays(today(), 2);
    const res = await rep.post('/api/activities', { type: 'phone', status: 'done', leadId: ids.lead, startsAt: hoursAgo(1), nextStep: '寄资料', nextFollowUpOn: date });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ leadOrganisation: '上海新华社区卫生服务中心', subject: '电话 上海新华社区卫生服务中心' });
    const [after] = await t.db.select().from(leads).where(eq(leads.id, ids.lead));
    expect(after!.nextFollowUpOn).toBe(date);
    expect(after!.lastActedAt!.getTime()).toBeGreaterThan(before!.lastActedAt!.getTime());
    const [row] = await t.db.select().from(activities).where(eq(activities.id, res.json().id));
    expect((await t.db.select().from(reminders).where(eq(reminders.id, row!.followUpReminderId!)))[0]!.link).toBe(`/leads/${ids.lead}`);
    expect((await rep2.post('/api/activities', { type: 'phone', status: 'done', leadId: ids.lead, startsAt: hoursAgo(1) })).statusCode).toBe(404);
  });

  it('lists my follow-ups: overdue, today, upcoming, neglected customers, birthdays this week and action items', async () => {
    const overdue = (await rep.post('/api/activities', visit({ customerId: ids.xiehe, contactIds: [], productIds: [], startsAt: new Date(Date.now() - 5 * 86_400_000).toISOString(), nextFollowUpOn: addDays(today(), -2) }))).json();
    // An old customer nobody has visited.
    const old = await makeCustomer(t.db, { name: '上海老客户医院', owner: 'rep', territoryId: '310101' });
    ids.old = old.id;
    await t.db.update(customers).set({ createdAt: new Date(Date.now() - 200 * 86_400_000) }).where(eq(customers.id, old.id));
    await makeContact(ids.xiehe, '生日医生', { birthday: `1975-${today().slice(5)}` });
    const res = await rep.get('/api/follow-ups');
    expect(res.statusCode, res.body).toBe(200);
    const f = res.json();
    expect(f.overdue.map((i: { activityId: number }) => i.activityId)).toContain(overdue.id);
    expect(f.upcoming.some((i: { kind: string; leadId: number }) => i.kind === 'activity' && i.leadId === ids.lead)).toBe(true);
    expect(f.upcoming.map((i: { activityId: number }) => i.activityId)).toContain(ids.huashanVisit);
    expect(f.neglected).toEqual([expect.objectContaining({ customerId: old.id, lastContactAt: null, limitDays: 90 })]);
    expect(f.birthdays).toEqual([expect.objectContaining({ contactName: '生日医生', customerName: '上海协和医院', celebratedOn: today() })]);
    // A manager looks at a rep in reach; a rep cannot look at a teammate.
    expect((await lead.get(`/api/follow-ups?ownerId=${ids.rep}`)).json().overdue.length).toBe(f.overdue.length);
    expect((await rep.get(`/api/follow-ups?ownerId=${ids.rep2}`)).statusCode).toBe(403);
    expect((await rep.get(`/api/activities?followUp=overdue`)).json().items.map((a: { id: number }) => a.id)).toEqual([overdue.id]);
  });
});

describe('会议记录', () => {
  it('keeps agenda, decisions, attendees and action items that their owners track to done', async () => {
    const res = await lead.post('/api/activities', {
      type: 'meeting',
      status: 'done',
      customerId: ids.xiehe,
      subject: '协和医院季度回顾',
      startsAt: hoursAgo(1),
      agenda: '回顾进药情况',
      decisions: '下季度重点推阿莫西林',
      attendeeIds: [ids.rep, ids.rep2],
      actionItems: [{ text: '整理药事会材料', ownerId: ids.rep, dueOn: addDays(today(), -1) }],
    });
    expect(res.statusCode, res.body).toBe(201);
    const m = res.json();
    expect(m).toMatchObject({ agenda: '回顾进药情况', decisions: '下季度重点推阿莫西林', attendees: expect.arrayContaining([expect.objectContaining({ id: ids.rep })]) });
    expect(m.actionItems).toEqual([expect.objectContaining({ text: '整理药事会材料', ownerId: ids.rep, status: 'open', overdue: true })]);
    expect((await inbox(rep)).filter((n) => n.event === 'activity.action_item_assigned')).toEqual([expect.objectContaining({ link: `/activities/${m.id}` })]);
    const added = await lead.post(`/api/activities/${m.id}/action-items`, { text: '准备报价', ownerId: ids.rep2, dueOn: addDays(today(), 7) });
    expect(added.statusCode, added.body).toBe(201);
    expect((await rep.post(`/api/activities/${ids.first}/action-items`, { text: 'x', ownerId: ids.rep })).json().error.code).toBe('ACTIVITY_NOT_MEETING');
    const mine = (await rep.get('/api/action-items?mine=1&status=open&overdue=1')).json().items;
    expect(mine.map((i: { text: string }) => i.text)).toEqual(['整理药事会材料']);
    // rep may not touch rep2's item of the lead's meeting; rep closes their own.
    expect((await rep.patch(`/api/action-items/${added.json().id}`, { status: 'done' })).statusCode).toBe(403);
    const done = await rep.patch(`/api/action-items/${mine[0].id}`, { status: 'done', doneNote: '已交' });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ status: 'done', doneNote: '已交', overdue: false });
    expect(done.json().doneAt).not.toBeNull();
    expect((await rep.get('/api/action-items?mine=1&status=open')).json().items).toHaveLength(0);
  });
});

describe('CRM jobs', () => {
  it('tells each owner once per episode about neglected customers, and again after a new contact goes quiet', async () => {
    const { runNeglectedAlerts } = await import('../src/modules/activities/activities.jobs.js');
    const later = new Date(Date.now() + 200 * 86_400_000);
    const first = await runNeglectedAlerts(t.db, later, 'Asia/Shanghai');
    expect(first).toBeGreaterThanOrEqual(2); // rep and rep2 (and rep_bj)
    const notes = (await inbox(rep)).filter((n) => n.event === 'crm.neglected');
    expect(notes).toHaveLength(1);
    expect(notes[0]!.body).toContain('上海协和医院');
    expect(notes[0]!.link).toBe('/follow-ups');
    expect(await runNeglectedAlerts(t.db, later, 'Asia/Shanghai')).toBe(0);
    expect((await inbox(rep)).filter((n) => n.event === 'crm.neglected')).toHaveLength(1);
    // A new contact ends the episode: once it goes quiet again, the owner hears of it again.
    expect(notes[0]!.body).toContain('上海老客户医院');
    await rep.post('/api/activities', visit({ customerId: ids.old, contactIds: [], productIds: [], startsAt: hoursAgo(0.5) }));
    expect(await runNeglectedAlerts(t.db, later, 'Asia/Shanghai')).toBe(1);
    const again = (await inbox(rep)).filter((n) => n.event === 'crm.neglected');
    expect(again).toHaveLength(2);
    expect(again[0]!.body).toBe('上海老客户医院（共 1 个）');
    expect(again[0]!.title).toBe('1 个客户久未联系');
  });

  it('lists this week’s birthdays to each owner on Monday, once per contact and year, with 29 February on the 28th', async () => {
    const { runBirthdayAlerts } = await import('../src/modules/activities/activities.jobs.js');
    await makeContact(ids.ruijin, '周二生日', { birthday: '1980-12-01' });
    await makeContact(ids.ruijin, '闰日生日', { birthday: '1984-02-29' });
    const monday = new Date('2026-11-30T00:00:00Z'); // 08:00 Monday in Shanghai
    expect(await runBirthdayAlerts(t.db, monday, 'Asia/Shanghai')).toBe(1);
    expect(await runBirthdayAlerts(t.db, monday, 'Asia/Shanghai')).toBe(0);
    const notes = (await inbox(rep2)).filter((n) => n.event === 'crm.birthdays');
    expect(notes).toHaveLength(1);
    expect(notes[0]!.body).toContain('周二生日');
    expect(notes[0]!.body).not.toContain('闰日生日');
    const leapWeek = new Date('2027-02-22T00:00:00Z'); // the week of Sunday 28 Feb 2027
    expect(await runBirthdayAlerts(t.db, leapWeek, 'Asia/Shanghai')).toBe(1);
    expect((await inbox(rep2)).filter((n) => n.event === 'crm.birthdays')[0]!.body).toContain('闰日生日（上海瑞金医院，02-28）');
  });

  it('computes Monday–Sunday weeks and the 29 February rule', () => {
    expect(weekOf('2026-11-25')).toEqual(['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29']);
    expect(weekOf('2026-11-29')[0]).toBe('2026-11-23');
    expect(birthdayKeysOf(weekOf('2027-02-24')).get('02-29')).toBe('2027-02-28');
    expect(birthdayKeysOf(weekOf('2028-02-29')).get('02-29')).toBe('2028-02-29');
    expect(companyInstant('2026-03-01', '09:00', 'Asia/Shanghai').toISOString()).toBe('2026-03-01T01:00:00.000Z');
  });
});

describe('export', () => {
  it('exports the filtered list to Excel', async () => {
    const res = await rep.request({ method: 'GET', url: `/api/activities/export.xlsx?customerId=${ids.xiehe}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.getRow(1).getCell(1).value).toBe('时间');
    const total = (await rep.get(`/api/activities?customerId=${ids.xiehe}`)).json().total;
    expect(sheet.rowCount - 1).toBe(total);
  });
});
