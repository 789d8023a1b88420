import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayIn } from '../src/kernel/approvals/approvals.service.js';
import { attachments } from '../src/kernel/files/files.tables.js';
import { notifications } from '../src/kernel/notify/notify.tables.js';
import { customers } from '../src/modules/customers/customers.tables.js';
import { addDays } from '../src/modules/customers/qualifications.js';
import { Client, creditCodeFrom, makeCustomer, setupTest, userIdOf } from './support.js';

let t: Awaited<ReturnType<typeof setupTest>>;
let today: string;

beforeAll(async () => {
  t = await setupTest({ demo: true, demoCustomers: false });
  today = todayIn(t.config.timeZone);
  await makeCustomer(t.db, { name: '上海市第一人民医院', owner: 'rep', territoryId: '310101', creditCode: creditCodeFrom('12310000425000011') });
});
afterAll(() => t.close());

type Task = { id: number; docType: string; docId: number; stepName: string };
const tasksOf = async (c: Client) => ((await c.get('/api/approvals/tasks')).json().items as Task[]).filter((x) => x.docType === 'customer_application');

function application(name: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    type: 'hospital',
    territoryId: '630102',
    hospitalGrade: '3A',
    address: '西宁市城东区',
    reason: '新开发的三甲医院，已与药剂科沟通',
    documents: [{ kind: 'medical_institution_licence', number: 'PDY63010212345', issuedOn: '2022-03-01', expiresOn: addDays(today, 3 * 365) }],
    ...extra,
  };
}

async function approveAll(appId: number) {
  const lead = await Client.as(t.app, 'team_lead');
  const [first] = (await tasksOf(lead)).filter((x) => x.docId === appId);
  expect((await lead.post(`/api/approvals/tasks/${first!.id}/approve`, { comment: '同意' })).statusCode).toBe(200);
  const officeLead = await Client.as(t.app, 'office_lead');
  const [second] = (await tasksOf(officeLead)).filter((x) => x.docId === appId);
  return officeLead.post(`/api/approvals/tasks/${second!.id}/approve`, { comment: '资料齐全' });
}

describe('account opening end to end', () => {
  it('turns a rep’s approved application into a customer owned by the rep, with its documents and their files', async () => {
    const rep = await Client.as(t.app, 'rep');
    const created = await rep.post('/api/customer-applications', application('青海省康复医院', { creditCode: creditCodeFrom('12630000MB1234567') }));
    expect(created.statusCode).toBe(200);
    const draft = created.json();
    expect(draft).toMatchObject({ status: 'draft', proposedOwnerName: '张伟', submitterName: '张伟' });
    expect(draft.number).toMatch(/^KH-SQ-\d{6}-\d{4}$/);

    const upload = await rep.upload(`/api/customer-applications/${draft.id}/documents/${draft.documents[0].id}/files`, '执业许可证.pdf', '%PDF-1.4 licence scan');
    expect(upload.statusCode).toBe(200);
    const reread = (await rep.get(`/api/customer-applications/${draft.id}`)).json();
    expect(reread.documents[0].attachmentIds).toEqual([upload.json().id]);

    // A scan removed again no longer counts for its document.
    const extra = await rep.upload(`/api/customer-applications/${draft.id}/documents/${draft.documents[0].id}/files`, '错传.pdf', '%PDF-1.4 wrong file');
    expect((await rep.delete(`/api/attachments/${extra.json().id}`)).statusCode).toBe(204);
    expect((await rep.get(`/api/customer-applications/${draft.id}`)).json().documents[0].attachmentIds).toEqual([upload.json().id]);

    const submitted = await rep.post(`/api/customer-applications/${draft.id}/submit`, { version: reread.version });
    expect(submitted.statusCode).toBe(200);
    expect(submitted.json()).toMatchObject({ approved: false, application: { status: 'pending' } });
    expect((await tasksOf(rep)).length).toBe(0);

    const done = await approveAll(draft.id);
    expect(done.statusCode, done.body).toBe(200);
    const customerId = done.json().result.createdCustomerId as number;

    const after = (await rep.get(`/api/customer-applications/${draft.id}`)).json();
    expect(after).toMatchObject({ status: 'approved', createdCustomerId: customerId });
    const customer = (await rep.get(`/api/customers/${customerId}`)).json();
    expect(customer).toMatchObject({ name: '青海省康复医院', ownerName: '张伟', type: 'hospital', hospitalGrade: '3A', qualificationState: 'ok' });
    const docs = (await rep.get(`/api/customers/${customerId}/qualifications`)).json().items;
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({ kind: 'medical_institution_licence', number: 'PDY63010212345', attachmentCount: 1 });
    const files = (await rep.get(`/api/documents/customer_qualification/${docs[0].id}/attachments`)).json().items;
    const download = await rep.get(`/api/attachments/${files[0].id}/download`);
    expect(download.body).toBe('%PDF-1.4 licence scan');
    const [a, b] = await t.db.select({ key: attachments.storageKey }).from(attachments).where(sql`${attachments.filename} = '执业许可证.pdf'`);
    expect(a!.key).toBe(b!.key);

    const repId = await userIdOf(t.db, 'rep');
    const inbox = await t.db.select().from(notifications).where(eq(notifications.userId, repId));
    expect(inbox.some((n) => n.event === 'customer.opened' && n.link === `/customers/${customerId}`)).toBe(true);
    expect((await rep.get('/api/customers?q=qhskf')).json().items.map((c: { name: string }) => c.name)).toEqual(['青海省康复医院']);
  });

  it('returns a rejected application to draft with the reason, and it can be fixed and resubmitted', async () => {
    const rep = await Client.as(t.app, 'rep');
    const draft = (await rep.post('/api/customer-applications', application('西宁市第二人民医院'))).json();
    const submitted = (await rep.post(`/api/customer-applications/${draft.id}/submit`, { version: draft.version })).json().application;
    const lead = await Client.as(t.app, 'team_lead');
    const [task] = (await tasksOf(lead)).filter((x) => x.docId === draft.id);
    expect((await lead.post(`/api/approvals/tasks/${task!.id}/reject`, { comment: '请补充营业执照复印件' })).json().requestStatus).toBe('rejected');
    const back = (await rep.get(`/api/customer-applications/${draft.id}`)).json();
    expect(back).toMatchObject({ status: 'draft', rejectionReason: '请补充营业执照复印件' });
    expect(back.version).toBeGreaterThan(submitted.version);
    const fixed = await rep.patch(`/api/customer-applications/${draft.id}`, { ...application('西宁市第二人民医院', { address: '西宁市城西区' }), version: back.version });
    expect(fixed.statusCode).toBe(200);
    const again = await rep.post(`/api/customer-applications/${draft.id}/submit`, { version: fixed.json().version });
    expect(again.json().application).toMatchObject({ status: 'pending', rejectionReason: null });
  });

  it('does not let a rep approve, nor anyone edit an application that is waiting for approval', async () => {
    const rep = await Client.as(t.app, 'rep');
    const draft = (await rep.post('/api/customer-applications', application('格尔木市人民医院'))).json();
    const pending = (await rep.post(`/api/customer-applications/${draft.id}/submit`, { version: draft.version })).json().application;
    const lead = await Client.as(t.app, 'team_lead');
    const [task] = (await tasksOf(lead)).filter((x) => x.docId === draft.id);
    expect((await rep.post(`/api/approvals/tasks/${task!.id}/approve`, {})).statusCode).toBe(404);
    const edit = await rep.patch(`/api/customer-applications/${draft.id}`, { ...application('格尔木市人民医院'), version: pending.version });
    expect(edit.statusCode).toBe(409);
    const cancelled = await rep.post(`/api/customer-applications/${draft.id}/cancel`, { version: pending.version, reason: '客户暂不合作' });
    expect(cancelled.json().status).toBe('cancelled');
    expect(await tasksOf(lead)).not.toContainEqual(expect.objectContaining({ docId: draft.id }));
  });

  it('answers 409 to a submit based on a stale version', async () => {
    const rep = await Client.as(t.app, 'rep');
    const draft = (await rep.post('/api/customer-applications', application('德令哈市人民医院'))).json();
    expect((await rep.patch(`/api/customer-applications/${draft.id}`, { ...application('德令哈市人民医院'), version: draft.version })).statusCode).toBe(200);
    expect((await rep.post(`/api/customer-applications/${draft.id}/submit`, { version: draft.version })).statusCode).toBe(409);
  });
});

describe('duplicates', () => {
  it('refuses to submit an application for an existing customer by credit code or by normalised name', async () => {
    const rep = await Client.as(t.app, 'rep');
    const byName = (await rep.post('/api/customer-applications', application('上海市第一人民医院（ ）'))).json();
    const res = await rep.post(`/api/customer-applications/${byName.id}/submit`, { version: byName.version });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('CUSTOMER_DUPLICATE_NAME');
    const byCode = (await rep.post('/api/customer-applications', application('一院新名字', { creditCode: creditCodeFrom('12310000425000011') }))).json();
    const res2 = await rep.post(`/api/customer-applications/${byCode.id}/submit`, { version: byCode.version });
    expect(res2.json().error.code).toBe('CUSTOMER_DUPLICATE_CREDIT_CODE');
  });

  it('refuses a second pending application for the same organisation', async () => {
    const rep = await Client.as(t.app, 'rep');
    const rep2 = await Client.as(t.app, 'rep2');
    const first = (await rep.post('/api/customer-applications', application('海东市第一人民医院'))).json();
    expect((await rep.post(`/api/customer-applications/${first.id}/submit`, { version: first.version })).statusCode).toBe(200);
    const twin = (await rep2.post('/api/customer-applications', application('海东市第一人民医院'))).json();
    const res = await rep2.post(`/api/customer-applications/${twin.id}/submit`, { version: twin.version });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('CUSTOMER_APPLICATION_PENDING_TWIN');
  });

  it('lets only one of two applications for the same hospital submitted at the same moment through', async () => {
    const rep = await Client.as(t.app, 'rep');
    const rep2 = await Client.as(t.app, 'rep2');
    const a = (await rep.post('/api/customer-applications', application('海西州人民医院'))).json();
    const b = (await rep2.post('/api/customer-applications', application('海西州人民醫院'))).json();
    const results = await Promise.all([rep.post(`/api/customer-applications/${a.id}/submit`, { version: a.version }), rep2.post(`/api/customer-applications/${b.id}/submit`, { version: b.version })]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.statusCode === 409)!.json().error.code).toBe('CUSTOMER_APPLICATION_PENDING_TWIN');
  });

  it('refuses the final approval when a twin customer appeared meanwhile, and leaves the application pending', async () => {
    const rep = await Client.as(t.app, 'rep');
    const draft = (await rep.post('/api/customer-applications', application('玉树州人民医院'))).json();
    await rep.post(`/api/customer-applications/${draft.id}/submit`, { version: draft.version });
    await makeCustomer(t.db, { name: '玉树州人民医院', territoryId: '632701' });
    const res = await approveAll(draft.id);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('CUSTOMER_DUPLICATE_NAME');
    expect((await rep.get(`/api/customer-applications/${draft.id}`)).json().status).toBe('pending');
    expect((await t.db.select().from(customers).where(eq(customers.name, '玉树州人民医院'))).length).toBe(1);
  });
});

describe('input', () => {
  it('refuses a bad credit code, an unknown territory and the same document kind twice with field errors', async () => {
    const rep = await Client.as(t.app, 'rep');
    const bad = await rep.post('/api/customer-applications', application('果洛州人民医院', { creditCode: '91110000000000000X', territoryId: '999999' }));
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['creditCode', 'territoryId']);
    const twice = await rep.post('/api/customer-applications', application('果洛州人民医院', { documents: [{ kind: 'business_licence', number: 'A' }, { kind: 'business_licence', number: 'B' }] }));
    expect(twice.statusCode).toBe(422);
    expect((await rep.post('/api/customer-applications', { name: '果洛' })).statusCode).toBe(400);
  });

  it('lets a manager propose a rep in their scope as owner but not someone outside it, and a rep only themselves', async () => {
    const lead = await Client.as(t.app, 'team_lead');
    const rep2Id = await userIdOf(t.db, 'rep2');
    const ok = await lead.post('/api/customer-applications', application('黄南州人民医院', { proposedOwnerId: rep2Id }));
    expect(ok.json()).toMatchObject({ proposedOwnerName: '周杰' });
    const outside = await lead.post('/api/customer-applications', application('黄南州人民医院', { proposedOwnerId: await userIdOf(t.db, 'rep_bj') }));
    expect(outside.statusCode).toBe(422);
    const rep = await Client.as(t.app, 'rep');
    expect((await rep.post('/api/customer-applications', application('黄南州人民医院', { proposedOwnerId: rep2Id }))).statusCode).toBe(422);
  });
});

describe('data scope', () => {
  it('shows a rep only their own applications, their team lead the team’s, and answers 404 otherwise', async () => {
    const rep = await Client.as(t.app, 'rep');
    const bj = await Client.as(t.app, 'rep_bj');
    const mine = (await bj.post('/api/customer-applications', application('海北州人民医院'))).json();
    expect((await rep.get(`/api/customer-applications/${mine.id}`)).statusCode).toBe(404);
    expect((await rep.patch(`/api/customer-applications/${mine.id}`, { ...application('海北州人民医院'), version: mine.version })).statusCode).toBe(404);
    const list = (await rep.get('/api/customer-applications?pageSize=100')).json();
    expect(list.items.every((a: { submitterName: string }) => a.submitterName === '张伟')).toBe(true);
    const team = (await (await Client.as(t.app, 'team_lead')).get('/api/customer-applications?pageSize=100')).json();
    expect(team.items.some((a: { submitterName: string }) => a.submitterName === '张伟')).toBe(true);
    expect(team.items.some((a: { id: number }) => a.id === mine.id)).toBe(false);
    const office = (await (await Client.as(t.app, 'office')).get(`/api/customer-applications?status=draft&pageSize=100`)).json();
    expect(office.items.some((a: { id: number }) => a.id === mine.id)).toBe(true);
  });

  it('filters my own applications and exports the list', async () => {
    const lead = await Client.as(t.app, 'team_lead');
    const mine = (await lead.get('/api/customer-applications?mine=true')).json();
    expect(mine.items.every((a: { submitterName: string }) => a.submitterName === '孙伟')).toBe(true);
    const xlsx = await lead.get('/api/customer-applications/export?status=pending');
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
  });

  it('refuses roles without the permission', async () => {
    expect((await (await Client.as(t.app, 'finance')).post('/api/customer-applications', application('海南州人民医院'))).statusCode).toBe(403);
    expect((await (await Client.as(t.app, 'agent')).get('/api/customer-applications')).statusCode).toBe(403);
  });
});
