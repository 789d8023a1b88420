import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, makeUser, roleIdOf, setupTest } from './support.js';

let t: Awaited<ReturnType<typeof setupTest>>;
let lead: Client;
let docId: number;
let docNumber: string;

beforeAll(async () => {
  t = await setupTest({ demo: true });
  lead = await Client.as(t.app, 'team_lead');
  const me = (await lead.get('/api/auth/me')).json().user;
  const doc = (await lead.post('/api/account-requests', { username: 'remind_rep', displayName: '提醒测试', departmentId: me.department.id, roleIds: [await roleIdOf(t.db, 'rep')], reason: '测试提醒' })).json();
  docId = doc.id;
  docNumber = doc.number;
});
afterAll(() => t.close());

const inbox = async (c: Client) => (await c.get('/api/notifications?pageSize=50')).json().items as { event: string; title: string; body: string; link: string | null }[];

describe('reminders', () => {
  it('reminds me of a document once, when it is due, through the reminders.due job', async () => {
    const soon = new Date(Date.now() + 30_000).toISOString();
    const created = await lead.post('/api/reminders', { remindAt: soon, text: '周一前确认入职日期', docType: 'account_request', docId });
    expect(created.statusCode).toBe(200);
    // Make it due, as the clock would.
    await t.db.execute(sql`update reminders set remind_at = now() - interval '1 minute' where id = ${created.json().id}`);
    const admin = await Client.as(t.app, 'admin');
    expect((await admin.post('/api/jobs/reminders.due/run')).statusCode).toBe(200);
    const notes = (await inbox(lead)).filter((n) => n.event === 'reminder.due');
    expect(notes).toEqual([expect.objectContaining({ title: `提醒：${docNumber}`, body: '周一前确认入职日期', link: `/account-requests/${docId}` })]);
    expect((await admin.post('/api/jobs/reminders.due/run')).statusCode).toBe(200);
    expect((await inbox(lead)).filter((n) => n.event === 'reminder.due')).toHaveLength(1); // sent once
    expect((await lead.get('/api/reminders')).json().items[0].sentAt).not.toBeNull();
  });

  it('does not send a reminder before its time', async () => {
    await lead.post('/api/reminders', { remindAt: new Date(Date.now() + 3600_000).toISOString(), text: '一小时后' });
    const admin = await Client.as(t.app, 'admin');
    await admin.post('/api/jobs/reminders.due/run');
    expect((await inbox(lead)).some((n) => n.body === '一小时后')).toBe(false);
  });

  it('refuses a time in the past, a document I cannot see, and deleting someone else’s reminder', async () => {
    const past = await lead.post('/api/reminders', { remindAt: '2020-01-01T00:00:00Z', text: 'x' });
    expect(past.statusCode).toBe(422);
    expect(past.json().error.fields[0].path).toBe('remindAt');
    const stranger = await makeUser(t.db, { username: 'stranger', roles: ['rep'] });
    const c = await Client.as(t.app, 'stranger', stranger.password);
    const hidden = await c.post('/api/reminders', { remindAt: new Date(Date.now() + 60_000).toISOString(), text: 'x', docType: 'account_request', docId });
    expect(hidden.statusCode).toBe(404);
    const mine = (await lead.get('/api/reminders')).json().items[0];
    expect((await c.delete(`/api/reminders/${mine.id}`)).statusCode).toBe(404);
    expect((await lead.delete(`/api/reminders/${mine.id}`)).statusCode).toBe(204);
  });
});
