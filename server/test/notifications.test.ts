import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../src/kernel/access/access.tables.js';
import { notifications } from '../src/kernel/notify/notify.tables.js';
import { Client, makeUser, roleIdOf, setupTest } from './support.js';

let t: Awaited<ReturnType<typeof setupTest>>;
let admin: Client;

beforeAll(async () => {
  t = await setupTest({ demo: true });
  admin = await Client.as(t.app, 'admin');
});
afterAll(() => t.close());

type Notice = { id: number; event: string; title: string; body: string; readAt: string | null };
const inbox = async (c: Client, query = '') => (await c.get(`/api/notifications${query}`)).json() as { items: Notice[]; total: number };
const unread = async (c: Client) => (await c.get('/api/notifications/unread-count')).json().count as number;

describe('a user is told what an administrator did to their account', () => {
  it('tells a user in Chinese that their password was reset, and they read it after the forced change', async () => {
    const u = await makeUser(t.db, { username: 'notice.reset', roles: ['rep'] });
    expect((await admin.post(`/api/users/${u.id}/reset-password`, { newPassword: 'temp2026x' })).statusCode).toBe(204);
    const c = await Client.as(t.app, u.username, 'temp2026x');
    expect((await c.post('/api/auth/me/password', { currentPassword: 'temp2026x', newPassword: 'mine2026xy' })).statusCode).toBe(204);
    const list = await inbox(c);
    expect(list.total).toBe(1);
    expect(list.items[0]).toMatchObject({ event: 'user.password_reset', title: '您的密码已被管理员重置', readAt: null });
    expect(list.items[0].body).toContain('王敏');
    expect(await unread(c)).toBe(1);
  });

  it('writes the notification in the recipient’s language, not the administrator’s', async () => {
    const u = await makeUser(t.db, { username: 'notice.english', roles: ['rep'] });
    await t.db.update(users).set({ locale: 'en-US' }).where(eq(users.id, u.id));
    const current = (await admin.get(`/api/users/${u.id}`)).json();
    const res = await admin.patch(`/api/users/${u.id}`, { roleIds: [await roleIdOf(t.db, 'team_lead')], version: current.version });
    expect(res.statusCode).toBe(200);
    const rows = await t.db.select().from(notifications).where(eq(notifications.userId, u.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ event: 'user.roles_changed', title: 'Your roles changed' });
    expect(rows[0].body).toContain('Team lead');
  });

  it('does not notify an edit that leaves the roles as they were', async () => {
    const u = await makeUser(t.db, { username: 'notice.sameroles', roles: ['rep'] });
    const current = (await admin.get(`/api/users/${u.id}`)).json();
    await admin.patch(`/api/users/${u.id}`, { displayName: '新名字', roleIds: [await roleIdOf(t.db, 'rep')], version: current.version });
    expect(await t.db.select().from(notifications).where(eq(notifications.userId, u.id))).toEqual([]);
  });

  it('tells a user they were disabled and enabled again', async () => {
    const u = await makeUser(t.db, { username: 'notice.status', roles: ['rep'] });
    await admin.post(`/api/users/${u.id}/disable`);
    await admin.post(`/api/users/${u.id}/enable`);
    const c = await Client.as(t.app, u.username, u.password);
    expect((await inbox(c)).items.map((n) => n.event)).toEqual(['user.enabled', 'user.disabled']);
  });

  it('writes no notification when the change itself is refused', async () => {
    const me = (await admin.get('/api/auth/me')).json().user;
    const before = (await t.db.select().from(notifications).where(eq(notifications.userId, me.id))).length;
    const current = (await admin.get(`/api/users/${me.id}`)).json();
    // The last administrator cannot drop the administrator role: the whole transaction rolls back.
    const res = await admin.patch(`/api/users/${me.id}`, { roleIds: [await roleIdOf(t.db, 'rep')], version: current.version });
    expect(res.statusCode).toBe(409);
    expect((await t.db.select().from(notifications).where(eq(notifications.userId, me.id))).length).toBe(before);
  });
});

describe('the inbox', () => {
  let c: Client;
  let otherId: number;
  beforeAll(async () => {
    const u = await makeUser(t.db, { username: 'notice.inbox', roles: ['rep'] });
    const other = await makeUser(t.db, { username: 'notice.other', roles: ['rep'] });
    for (let i = 1; i <= 3; i++) {
      await t.db.insert(notifications).values({ userId: u.id, event: 'test', title: `第${i}条`, createdAt: new Date(Date.UTC(2026, 0, i)) });
    }
    const [o] = await t.db.insert(notifications).values({ userId: other.id, event: 'test', title: '别人的' }).returning();
    otherId = o.id;
    c = await Client.as(t.app, u.username, u.password);
  });

  it('lists only my notifications, newest first, paged', async () => {
    const page1 = await inbox(c, '?pageSize=2');
    expect(page1.total).toBe(3);
    expect(page1.items.map((n) => n.title)).toEqual(['第3条', '第2条']);
    expect((await inbox(c, '?pageSize=2&page=2')).items.map((n) => n.title)).toEqual(['第1条']);
  });

  it('marks one read, which drops it from the unread filter and the count', async () => {
    const [newest] = (await inbox(c)).items;
    const res = await c.post(`/api/notifications/${newest.id}/read`);
    expect(res.statusCode).toBe(200);
    expect(res.json().readAt).not.toBeNull();
    expect(await unread(c)).toBe(2);
    expect((await inbox(c, '?unread=true')).items.map((n) => n.title)).toEqual(['第2条', '第1条']);
    // Marking it again keeps the first reading time.
    expect((await c.post(`/api/notifications/${newest.id}/read`)).json().readAt).toBe(res.json().readAt);
  });

  it('answers 404 for another user’s notification and leaves it unread', async () => {
    const res = await c.post(`/api/notifications/${otherId}/read`);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
    const [row] = await t.db.select().from(notifications).where(eq(notifications.id, otherId));
    expect(row.readAt).toBeNull();
  });

  it('marks all mine read and nobody else’s', async () => {
    const res = await c.post('/api/notifications/read-all');
    expect(res.json()).toEqual({ marked: 2 });
    expect(await unread(c)).toBe(0);
    const [row] = await t.db.select().from(notifications).where(eq(notifications.id, otherId));
    expect(row.readAt).toBeNull();
  });

  it('refuses a malformed id and an unread filter that is not a boolean', async () => {
    expect((await c.post('/api/notifications/abc/read')).statusCode).toBe(400);
    expect((await c.get('/api/notifications?unread=maybe')).statusCode).toBe(400);
  });

  it('refuses the inbox without a session', async () => {
    expect((await new Client(t.app).get('/api/notifications/unread-count')).statusCode).toBe(401);
  });
});
