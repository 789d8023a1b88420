import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayIn } from '../src/kernel/approvals/approvals.service.js';
import { notifications } from '../src/kernel/notify/notify.tables.js';
import { customers } from '../src/modules/customers/customers.tables.js';
import { addDays, checkCustomerEligibility, qualificationStateOf, runQualificationCheck } from '../src/modules/customers/qualifications.js';
import { customerQualifications } from '../src/modules/customers/qualifications.tables.js';
import { Client, makeCustomer, setupTest, userIdOf } from './support.js';

let t: Awaited<ReturnType<typeof setupTest>>;
let today: string;
const ids: Record<string, number> = {};

beforeAll(async () => {
  t = await setupTest({ demo: true, demoCustomers: false });
  today = todayIn(t.config.timeZone);
  ids.hospital = (await makeCustomer(t.db, { name: '上海瑞金康复医院', owner: 'rep', territoryId: '310101' })).id;
  ids.pharmacy = (await makeCustomer(t.db, { name: '上海益丰大药房黄浦店', owner: 'rep', territoryId: '310101', type: 'pharmacy' })).id;
  ids.beijing = (await makeCustomer(t.db, { name: '北京朝阳康复医院', owner: 'rep_bj', territoryId: '110105' })).id;
});
afterAll(() => t.close());

const stateOf = async (id: number) => (await t.db.select({ s: customers.qualificationState }).from(customers).where(eq(customers.id, id)))[0]!.s;

describe('qualification state', () => {
  it('flags a customer without its required documents as missing', async () => {
    expect(await stateOf(ids.hospital)).toBe('missing');
    const rep = await Client.as(t.app, 'rep');
    const row = (await rep.get(`/api/customers?qualificationState=missing&pageSize=100`)).json().items.find((c: { id: number }) => c.id === ids.hospital);
    expect(row).toMatchObject({ qualificationState: 'missing' });
  });

  it('requires a business licence and a drug operation licence of a pharmacy, and is ok once both are valid', async () => {
    const rep = await Client.as(t.app, 'rep');
    const add = (kind: string, expiresOn: string | null) => rep.post(`/api/customers/${ids.pharmacy}/qualifications`, { kind, number: `${kind}-001`, issuedOn: '2024-01-01', expiresOn });
    expect((await add('business_licence', null)).statusCode).toBe(200);
    expect(await stateOf(ids.pharmacy)).toBe('missing');
    expect((await add('drug_operation_licence', addDays(today, 400))).statusCode).toBe(200);
    expect(await stateOf(ids.pharmacy)).toBe('ok');
  });

  it('says expiring when a required document expires within 30 days, expired after, and ok once renewed', async () => {
    const rep = await Client.as(t.app, 'rep');
    const added = await rep.post(`/api/customers/${ids.hospital}/qualifications`, { kind: 'medical_institution_licence', number: 'PDY-1', issuedOn: '2021-01-01', expiresOn: addDays(today, 30) });
    expect(added.statusCode).toBe(200);
    expect(await stateOf(ids.hospital)).toBe('expiring');

    const doc = added.json();
    const edited = await rep.patch(`/api/customers/${ids.hospital}/qualifications/${doc.id}`, { number: 'PDY-1', issuedOn: '2021-01-01', expiresOn: addDays(today, -1), version: doc.version });
    expect(edited.statusCode).toBe(200);
    expect(await stateOf(ids.hospital)).toBe('expired');

    const renewed = await rep.post(`/api/customers/${ids.hospital}/qualifications/${doc.id}/renew`, { number: 'PDY-2', issuedOn: today, expiresOn: addDays(today, 5 * 365), version: edited.json().version });
    expect(renewed.statusCode).toBe(200);
    expect(await stateOf(ids.hospital)).toBe('ok');

    const current = (await rep.get(`/api/customers/${ids.hospital}/qualifications`)).json().items;
    expect(current.map((q: { number: string }) => q.number)).toEqual(['PDY-2']);
    const history = (await rep.get(`/api/customers/${ids.hospital}/qualifications?history=true`)).json().items;
    expect(history.map((q: { number: string; status: string }) => `${q.number}:${q.status}`).sort()).toEqual(['PDY-1:replaced', 'PDY-2:current']);
  });

  it('refuses a second current document of the same kind and edits of a replaced one', async () => {
    const rep = await Client.as(t.app, 'rep');
    const again = await rep.post(`/api/customers/${ids.hospital}/qualifications`, { kind: 'medical_institution_licence', number: 'X' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('QUALIFICATION_ALREADY_CURRENT');
    const [old] = await t.db.select().from(customerQualifications).where(eq(customerQualifications.status, 'replaced'));
    const edit = await rep.patch(`/api/customers/${ids.hospital}/qualifications/${old!.id}`, { number: 'Y', version: old!.version });
    expect(edit.statusCode).toBe(409);
  });

  it('refuses an expiry before the issue date and a malformed date', async () => {
    const rep = await Client.as(t.app, 'rep');
    const backwards = await rep.post(`/api/customers/${ids.hospital}/qualifications`, { kind: 'other', number: 'Z', issuedOn: '2025-05-01', expiresOn: '2025-04-01' });
    expect(backwards.statusCode).toBe(422);
    expect(backwards.json().error.fields[0]).toEqual({ path: 'expiresOn', message: '有效期至不能早于发证日期' });
    expect((await rep.post(`/api/customers/${ids.hospital}/qualifications`, { kind: 'other', number: 'Z', expiresOn: '2025-13-45' })).statusCode).toBe(400);
    expect((await rep.post(`/api/customers/${ids.hospital}/qualifications`, { kind: 'passport', number: 'Z' })).statusCode).toBe(400);
  });

  it('answers 409 to an edit based on a stale version', async () => {
    const rep = await Client.as(t.app, 'rep');
    const [doc] = (await rep.get(`/api/customers/${ids.pharmacy}/qualifications`)).json().items;
    const first = await rep.patch(`/api/customers/${ids.pharmacy}/qualifications/${doc.id}`, { number: 'A-1', expiresOn: doc.expiresOn, issuedOn: doc.issuedOn, version: doc.version });
    const second = await rep.patch(`/api/customers/${ids.pharmacy}/qualifications/${doc.id}`, { number: 'A-2', expiresOn: doc.expiresOn, issuedOn: doc.issuedOn, version: doc.version });
    expect(first.statusCode).toBe(200);
    expect(second.statusCode).toBe(409);
  });

  it('keeps the database from holding two current documents of one kind or an expiry before issue', async () => {
    const insert = (number: string, issued: string | null, expires: string | null) =>
      t.db.execute(sql`insert into customer_qualifications (customer_id, kind, number, issued_on, expires_on) values (${ids.pharmacy}, 'gsp_certificate', ${number}, ${issued}, ${expires})`);
    await insert('G-1', null, null);
    await expect(insert('G-2', null, null)).rejects.toThrow();
    await expect(t.db.execute(sql`insert into customer_qualifications (customer_id, kind, number, issued_on, expires_on) values (${ids.pharmacy}, 'other', 'O', '2025-02-01', '2025-01-01')`)).rejects.toThrow();
    await expect(t.db.execute(sql`update customer_qualifications set status = 'replaced' where number = 'G-1'`)).rejects.toThrow();
    await expect(t.db.execute(sql`update customers set qualification_state = 'fine' where id = ${ids.pharmacy}`)).rejects.toThrow();
  });
});

describe('the daily qualification job', () => {
  it('moves the state as the calendar passes the expiry date and tells the owner once per threshold', async () => {
    const rep = await Client.as(t.app, 'rep');
    const pharmacy = (await makeCustomer(t.db, { name: '上海老百姓大药房南京东路店', owner: 'rep', territoryId: '310101', type: 'pharmacy' })).id;
    const expiry = addDays(today, 60);
    await rep.post(`/api/customers/${pharmacy}/qualifications`, { kind: 'business_licence', number: 'B-9' });
    await rep.post(`/api/customers/${pharmacy}/qualifications`, { kind: 'drug_operation_licence', number: '沪AA0210001', expiresOn: expiry });
    expect(await stateOf(pharmacy)).toBe('ok');
    const repId = await userIdOf(t.db, 'rep');
    const notices = async () =>
      (await t.db.select({ title: notifications.title }).from(notifications).where(eq(notifications.userId, repId))).filter((n) => n.title.includes('上海老百姓大药房南京东路店')).length;

    await runQualificationCheck(t.db, addDays(expiry, -31));
    expect(await stateOf(pharmacy)).toBe('ok');
    expect(await notices()).toBe(0);

    await runQualificationCheck(t.db, addDays(expiry, -30));
    expect(await stateOf(pharmacy)).toBe('expiring');
    expect(await notices()).toBe(1);
    await runQualificationCheck(t.db, addDays(expiry, -29));
    expect(await notices()).toBe(1);

    await runQualificationCheck(t.db, expiry);
    expect(await stateOf(pharmacy)).toBe('expiring');
    await runQualificationCheck(t.db, addDays(expiry, 1));
    expect(await stateOf(pharmacy)).toBe('expired');
    expect(await notices()).toBe(2);
    await runQualificationCheck(t.db, addDays(expiry, 2));
    expect(await notices()).toBe(2);
    await runQualificationCheck(t.db, today);
  });

  it('is declared as a scheduled job at 01:00', async () => {
    const admin = await Client.as(t.app, 'admin');
    const jobs = (await admin.get('/api/jobs')).json();
    const list = Array.isArray(jobs) ? jobs : jobs.items;
    expect(list.map((j: { name: string }) => j.name)).toContain('customers.qualifications');
  });
});

describe('eligibility', () => {
  it('lists the required documents missing or expired on a day for the order module', async () => {
    expect(await checkCustomerEligibility(t.db, ids.beijing, today)).toEqual({ eligible: false, problems: [{ kind: 'medical_institution_licence', problem: 'missing' }] });
    const rep = await Client.as(t.app, 'rep');
    const ok = (await rep.get(`/api/customers/${ids.hospital}/eligibility?on=${today}`)).json();
    expect(ok).toEqual({ eligible: true, problems: [] });
    const later = addDays(today, 6 * 365);
    const res = (await rep.get(`/api/customers/${ids.hospital}/eligibility?on=${later}`)).json();
    expect(res.eligible).toBe(false);
    expect(res.problems[0]).toMatchObject({ kind: 'medical_institution_licence', problem: 'expired' });
  });

  it('computes the same state in memory as in the database', () => {
    expect(qualificationStateOf('hospital', [], '2026-01-01')).toBe('missing');
    expect(qualificationStateOf('clinic', [{ kind: 'medical_institution_licence', expiresOn: null }], '2026-01-01')).toBe('ok');
    expect(qualificationStateOf('agent', [{ kind: 'business_licence', expiresOn: '2026-01-31' }], '2026-01-01')).toBe('expiring');
    expect(qualificationStateOf('distributor', [{ kind: 'business_licence', expiresOn: '2025-12-31' }, { kind: 'drug_operation_licence', expiresOn: null }], '2026-01-01')).toBe('expired');
  });
});

describe('data scope and permissions', () => {
  it('shows a rep only their own customers’ documents and answers 404 for others', async () => {
    const rep = await Client.as(t.app, 'rep');
    expect((await rep.get(`/api/customers/${ids.beijing}/qualifications`)).statusCode).toBe(404);
    expect((await rep.post(`/api/customers/${ids.beijing}/qualifications`, { kind: 'business_licence', number: 'N' })).statusCode).toBe(404);
    expect((await rep.get(`/api/customers/${ids.beijing}/eligibility`)).statusCode).toBe(404);
    const [doc] = (await (await Client.as(t.app, 'office')).get(`/api/customers/${ids.hospital}/qualifications`)).json().items;
    expect((await (await Client.as(t.app, 'rep_bj')).get(`/api/documents/customer_qualification/${doc.id}/attachments`)).statusCode).toBe(404);
    expect((await rep.upload(`/api/documents/customer_qualification/${doc.id}/attachments`, 'licence.pdf', '%PDF-1.4 scan')).statusCode).toBe(200);
    // Finance sees the customer and its scans but may not add or remove any.
    const finance = await Client.as(t.app, 'finance');
    const files = await finance.get(`/api/documents/customer_qualification/${doc.id}/attachments`);
    expect(files.statusCode).toBe(200);
    expect((await finance.upload(`/api/documents/customer_qualification/${doc.id}/attachments`, 'other.pdf', '%PDF-1.4 x')).statusCode).toBe(403);
    expect((await finance.delete(`/api/attachments/${files.json().items[0].id}`)).statusCode).toBe(403);
  });

  it('refuses edits to roles that may only read customers', async () => {
    const finance = await Client.as(t.app, 'finance');
    expect((await finance.get(`/api/customers/${ids.hospital}/qualifications`)).statusCode).toBe(200);
    expect((await finance.post(`/api/customers/${ids.hospital}/qualifications`, { kind: 'other', number: 'F' })).statusCode).toBe(403);
  });
});
