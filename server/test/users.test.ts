import ExcelJS from 'exceljs';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../src/kernel/access/access.tables.js';
import { auditLog } from '../src/kernel/audit/audit.tables.js';
import { Client, makeDepartment, makeRole, makeUser, roleIdOf, setupTest } from './support.js';

let t: Awaited<ReturnType<typeof setupTest>>;
let admin: Client;
let repRole: number;
let officeDept: number;

beforeAll(async () => {
  t = await setupTest({ demo: true });
  admin = await Client.as(t.app, 'admin');
  repRole = await roleIdOf(t.db, 'rep');
  const depts = (await admin.get('/api/departments')).json().items as { id: number; name: string }[];
  officeDept = depts.find((d) => d.name === '上海一组')!.id;
});
afterAll(() => t.close());

const newUser = (over: Record<string, unknown> = {}) => ({
  username: 'li.lei',
  displayName: '李雷',
  password: 'welcome2026',
  email: 'li.lei@example.cn',
  phone: '13800138000',
  departmentId: officeDept,
  roleIds: [repRole],
  territoryIds: ['310101', '310104'],
  ...over,
});

describe('creating users', () => {
  it('creates a user with department, roles and territories, and audits it without the password', async () => {
    const res = await admin.post('/api/users', newUser());
    expect(res.statusCode).toBe(200);
    const u = res.json();
    expect(u).toMatchObject({ username: 'li.lei', displayName: '李雷', status: 'active', mustChangePassword: true, version: 1 });
    expect(u.department.name).toBe('上海一组');
    expect(u.roles.map((r: { code: string }) => r.code)).toEqual(['rep']);
    expect(u.territories.map((x: { name: string }) => x.name)).toEqual(['黄浦区', '徐汇区']);
    const [entry] = await t.db.select().from(auditLog).where(and(eq(auditLog.entity, 'user'), eq(auditLog.entityId, String(u.id))));
    expect(entry.action).toBe('user.created');
    expect(entry.actorName).toBe('王敏');
    expect(JSON.stringify(entry.after)).not.toMatch(/argon2|welcome2026/);
  });

  it('refuses a username that differs only in case, on the username field', async () => {
    const res = await admin.post('/api/users', newUser({ username: 'LI.LEI' }));
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('USERNAME_TAKEN');
    expect(res.json().error.fields).toEqual([{ path: 'username', message: '用户名“LI.LEI”已被使用' }]);
  });

  it('reports every invalid field at once and writes nothing', async () => {
    const before = (await t.db.select().from(users)).length;
    const res = await admin.post('/api/users', newUser({ username: 'a b', password: 'short', email: 'not-an-email', roleIds: 'rep' }));
    expect(res.statusCode).toBe(400);
    const paths = new Set(res.json().error.fields.map((f: { path: string }) => f.path));
    expect([...paths].sort()).toEqual(['email', 'password', 'roleIds', 'username']);
    expect((await t.db.select().from(users)).length).toBe(before);
  });

  it('refuses unknown departments, roles and territories without a partial write', async () => {
    const before = (await t.db.select().from(users)).length;
    const res = await admin.post('/api/users', newUser({ username: 'ghost', departmentId: 99999, roleIds: [repRole, 99998], territoryIds: ['999999'] }));
    expect(res.statusCode).toBe(422);
    expect(res.json().error.fields.map((f: { path: string }) => f.path)).toEqual(['departmentId', 'roleIds', 'territoryIds']);
    expect(res.json().error.fields[1].message).toBe('引用的角色不存在：99998');
    expect((await t.db.select().from(users)).length).toBe(before);
  });
});

describe('editing users', () => {
  it('changes a user and bumps the version; a stale version is refused', async () => {
    const u = (await admin.get('/api/users?q=li.lei')).json().items[0];
    const ok = await admin.patch(`/api/users/${u.id}`, { displayName: '李雷雷', territoryIds: ['310115'], version: u.version });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ displayName: '李雷雷', version: u.version + 1, territories: [{ id: '310115', name: '浦东新区' }] });
    const stale = await admin.patch(`/api/users/${u.id}`, { displayName: 'overwrite', version: u.version });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('CONFLICT_VERSION');
    expect((await admin.get(`/api/users/${u.id}`)).json().displayName).toBe('李雷雷');
  });

  it('lets exactly one of two simultaneous edits of the same version win', async () => {
    const u = await makeUser(t.db, { username: 'race', departmentId: officeDept, roles: ['rep'] });
    const second = await Client.as(t.app, 'admin');
    const results = await Promise.all([
      admin.patch(`/api/users/${u.id}`, { displayName: 'A', version: 1 }),
      second.patch(`/api/users/${u.id}`, { displayName: 'B', version: 1 }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const winner = results.find((r) => r.statusCode === 200)!.json().displayName;
    expect((await admin.get(`/api/users/${u.id}`)).json()).toMatchObject({ displayName: winner, version: 2 });
  });

  it('disables a user, ending their sessions, and enables them again', async () => {
    const u = await makeUser(t.db, { username: 'leaver', departmentId: officeDept, roles: ['rep'] });
    const c = await Client.as(t.app, 'leaver', u.password);
    expect((await admin.post(`/api/users/${u.id}/disable`)).json().status).toBe('disabled');
    expect((await c.get('/api/auth/me')).statusCode).toBe(401);
    expect((await admin.post(`/api/users/${u.id}/enable`)).json().status).toBe('active');
    expect((await new Client(t.app).login('leaver', u.password)).statusCode).toBe(200);
  });

  it('does not let administrators disable themselves', async () => {
    const me = (await admin.get('/api/auth/me')).json().user;
    const res = await admin.post(`/api/users/${me.id}/disable`);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('USER_CANNOT_DISABLE_SELF');
  });

  it('never leaves the company without an active administrator', async () => {
    const me = (await admin.get('/api/auth/me')).json().user;
    const current = (await admin.get(`/api/users/${me.id}`)).json();
    const res = await admin.patch(`/api/users/${me.id}`, { roleIds: [repRole], version: current.version });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('ROLE_ADMIN_LOCKOUT');
    expect((await admin.get(`/api/users/${me.id}`)).json().roles[0].code).toBe('admin');

    // Two administrators disabling each other at the same moment: at most one succeeds.
    const other = await makeUser(t.db, { username: 'admin2', departmentId: officeDept, roles: ['admin'] });
    const c2 = await Client.as(t.app, 'admin2', other.password);
    const [a, b] = await Promise.all([admin.post(`/api/users/${other.id}/disable`), c2.post(`/api/users/${me.id}/disable`)]);
    const ok = [a, b].filter((r) => r.statusCode === 200);
    expect(ok.length).toBeLessThanOrEqual(1);
    const active = await t.db.select().from(users).where(eq(users.status, 'active'));
    expect(active.some((u) => u.username === 'admin' || u.username === 'admin2')).toBe(true);
    // Put things back for the tests below: whoever is still active re-enables the other.
    if (b.statusCode === 200) {
      expect((await c2.post(`/api/users/${me.id}/enable`)).statusCode).toBe(200);
      admin = await Client.as(t.app, 'admin');
    } else if (a.statusCode === 200) {
      expect((await admin.post(`/api/users/${other.id}/enable`)).statusCode).toBe(200);
    }
  });

  it('resets a password so the user must change it at next login', async () => {
    const u = await makeUser(t.db, { username: 'forgetful', departmentId: officeDept, roles: ['rep'] });
    expect((await admin.post(`/api/users/${u.id}/reset-password`, { newPassword: 'temp2026x' })).statusCode).toBe(204);
    const c = await Client.as(t.app, 'forgetful', 'temp2026x');
    expect((await c.get('/api/auth/me')).json().user.mustChangePassword).toBe(true);
    expect((await new Client(t.app).login('forgetful', u.password)).statusCode).toBe(401);
  });
});

describe('listing users', () => {
  it('pages, sorts and filters', async () => {
    const page1 = (await admin.get('/api/users?pageSize=5&sort=username')).json();
    const page2 = (await admin.get('/api/users?pageSize=5&page=2&sort=username')).json();
    expect(page1.items).toHaveLength(5);
    expect(page1.total).toBe(page2.total);
    const names = [...page1.items, ...page2.items].map((u: { username: string }) => u.username);
    expect(names).toEqual([...names].sort());
    const desc = (await admin.get('/api/users?pageSize=3&sort=-username')).json().items.map((u: { username: string }) => u.username);
    expect(desc).toEqual([...desc].sort().reverse());

    const reps = (await admin.get(`/api/users?roleId=${repRole}&pageSize=200`)).json().items as { roles: { code: string }[] }[];
    expect(reps.length).toBeGreaterThan(5);
    expect(reps.every((u) => u.roles.some((r) => r.code === 'rep'))).toBe(true);
    expect((await admin.get('/api/users?q=张伟')).json().items.map((u: { username: string }) => u.username)).toEqual(['rep']);
    const english = await Client.as(t.app, 'management');
    await english.patch('/api/auth/me/preferences', { locale: 'en-US' });
    expect((await english.get('/api/users?q=张伟')).json().items[0].roles[0].name).toBe('Sales rep');
    expect((await admin.get('/api/users?q=%25')).json().total).toBe(0); // a % is a character, not a wildcard
    expect((await admin.get('/api/users?status=disabled')).json().items.every((u: { status: string }) => u.status === 'disabled')).toBe(true);
    expect((await admin.get('/api/users?pageSize=500')).statusCode).toBe(400);
  });

  it('exports the filtered list to Excel with the same scope', async () => {
    const teamLead = await Client.as(t.app, 'team_lead');
    const res = await teamLead.get('/api/users/export.xlsx?sort=username');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0];
    expect(sheet.getRow(1).getCell(1).value).toBe('用户名');
    const exported = sheet.getColumn(1).values.slice(2) as string[];
    const listed = (await teamLead.get('/api/users?pageSize=200&sort=username')).json().items.map((u: { username: string }) => u.username);
    expect(exported).toEqual(listed);
  });
});

describe('territory and agent scopes', () => {
  it('shows a territory-scoped user the users working in their territories, a province covering its cities', async () => {
    await makeRole(t.db, { code: 'province_viewer', permissions: ['users.read'], dataScope: 'territory' });
    const dept = await makeDepartment(t.db, { name: '区域核查' });
    const viewer = await makeUser(t.db, { username: 'zj_viewer', departmentId: dept, roles: ['province_viewer'], territories: ['330000'] });
    await makeUser(t.db, { username: 'hz_rep', departmentId: dept, roles: ['rep'], territories: ['330100'] });
    await makeUser(t.db, { username: 'nb_county_rep', departmentId: dept, roles: ['rep'], territories: ['330203'] });
    await makeUser(t.db, { username: 'sz_rep', departmentId: dept, roles: ['rep'], territories: ['440300'] });
    const c = await Client.as(t.app, 'zj_viewer', viewer.password);
    const seen = (await c.get('/api/users?pageSize=200')).json().items.map((u: { username: string }) => u.username).sort();
    expect(seen).toEqual(['east_manager', 'hz_rep', 'nb_county_rep', 'zj_viewer']);
  });

  it('shows an agent only the users of its own company', async () => {
    await makeRole(t.db, { code: 'agent_admin', permissions: ['users.read'], dataScope: 'agent' });
    const a = await makeUser(t.db, { username: 'agent_a1', roles: ['agent_admin'], agentCustomerId: 501 });
    await makeUser(t.db, { username: 'agent_a2', roles: ['agent'], agentCustomerId: 501 });
    await makeUser(t.db, { username: 'agent_b1', roles: ['agent'], agentCustomerId: 502 });
    const c = await Client.as(t.app, 'agent_a1', a.password);
    const seen = (await c.get('/api/users?pageSize=200')).json().items.map((u: { username: string }) => u.username).sort();
    expect(seen).toEqual(['agent_a1', 'agent_a2']);
  });
});
