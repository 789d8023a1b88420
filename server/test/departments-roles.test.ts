import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, makeUser, setupTest } from './support.js';

let t: Awaited<ReturnType<typeof setupTest>>;
let admin: Client;
type Dept = { id: number; parentId: number | null; name: string; version: number; userCount: number };
const depts = async (): Promise<Dept[]> => (await admin.get('/api/departments')).json().items;
const byName = async (name: string) => (await depts()).find((d) => d.name === name)!;

beforeAll(async () => {
  t = await setupTest({ demo: true });
  admin = await Client.as(t.app, 'admin');
});
afterAll(() => t.close());

describe('departments', () => {
  it('lists the demo tree with heads and user counts', async () => {
    const all = await depts();
    const root = all.filter((d) => d.parentId === null);
    expect(root.map((d) => d.name)).toEqual(['华康制药有限公司']);
    const east = all.find((d) => d.name === '华东大区')!;
    expect(all.filter((d) => d.parentId === east.id).map((d) => d.name).sort()).toEqual(['上海一组', '江苏组'].sort());
    expect((await byName('上海一组')).userCount).toBe(3);
    expect(all.find((d) => d.name === '华东大区')).toMatchObject({ headUserName: '赵磊' });
  });

  it('creates a team, refuses a sibling with the same name, and refuses an unknown parent', async () => {
    const east = await byName('华东大区');
    const res = await admin.post('/api/departments', { parentId: east.id, name: '浙江组', nameEn: 'Zhejiang team', kind: 'team' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: '浙江组', parentId: east.id, userCount: 0, version: 1 });
    const dup = await admin.post('/api/departments', { parentId: east.id, name: '浙江组', kind: 'team' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.fields[0].path).toBe('name');
    const orphan = await admin.post('/api/departments', { parentId: 99999, name: 'x', kind: 'team' });
    expect(orphan.statusCode).toBe(422);
    expect(orphan.json().error.fields[0].path).toBe('parentId');
  });

  it('moves a team to another region, and the regional managers’ scopes follow the move', async () => {
    const zj = await byName('浙江组');
    const south = await byName('华南大区');
    const rep = await makeUser(t.db, { username: 'zj_rep', departmentId: zj.id, roles: ['rep'] });
    const east = await Client.as(t.app, 'east_manager');
    const southMgr = await Client.as(t.app, 'south_manager');
    expect((await east.get(`/api/users/${rep.id}`)).statusCode).toBe(200);
    expect((await southMgr.get(`/api/users/${rep.id}`)).statusCode).toBe(404);

    const moved = await admin.patch(`/api/departments/${zj.id}`, { parentId: south.id, version: zj.version });
    expect(moved.statusCode).toBe(200);
    expect((await east.get(`/api/users/${rep.id}`)).statusCode).toBe(404);
    expect((await southMgr.get(`/api/users/${rep.id}`)).statusCode).toBe(200);
  });

  it('refuses to move a department under itself or its own sub-department', async () => {
    const east = await byName('华东大区');
    const sh = await byName('上海一组');
    const res = await admin.patch(`/api/departments/${east.id}`, { parentId: sh.id, version: east.version });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('DEPARTMENT_CYCLE');
    const self = await admin.patch(`/api/departments/${east.id}`, { parentId: east.id, version: east.version });
    expect(self.json().error.code).toBe('DEPARTMENT_CYCLE');
  });

  it('refuses a stale edit', async () => {
    const fj = await byName('福建组');
    expect((await admin.patch(`/api/departments/${fj.id}`, { name: '福建一组', version: fj.version })).statusCode).toBe(200);
    const stale = await admin.patch(`/api/departments/${fj.id}`, { name: '福建二组', version: fj.version });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('CONFLICT_VERSION');
  });

  it('deletes only empty departments and never the company root', async () => {
    const sh = await byName('上海一组');
    const busy = await admin.delete(`/api/departments/${sh.id}`);
    expect(busy.statusCode).toBe(409);
    expect(busy.json().error.message).toBe('部门下还有 3 名用户、0 个下级部门，不能删除');
    const root = (await depts()).find((d) => d.parentId === null)!;
    expect((await admin.delete(`/api/departments/${root.id}`)).statusCode).toBe(422);
    const empty = await admin.post('/api/departments', { parentId: root.id, name: '临时部门', kind: 'other' });
    expect((await admin.delete(`/api/departments/${empty.json().id}`)).statusCode).toBe(204);
    expect((await depts()).some((d) => d.name === '临时部门')).toBe(false);
  });
});

describe('roles', () => {
  type Role = { id: number; code: string; permissions: string[]; dataScope: string; builtin: boolean; userCount: number; version: number };
  const roles = async (): Promise<Role[]> => (await admin.get('/api/roles')).json().items;

  it('lists the twelve builtin roles with user counts, and the permission catalogue', async () => {
    const all = await roles();
    expect(all.filter((r) => r.builtin)).toHaveLength(12);
    expect(all.find((r) => r.code === 'rep')!.userCount).toBeGreaterThanOrEqual(7);
    const catalogue = (await admin.get('/api/permissions')).json();
    expect(catalogue.permissions.map((p: { code: string }) => p.code)).toContain('users.write');
    expect(catalogue.dataScopes.map((s: { code: string }) => s.code)).toEqual(['own', 'team', 'department', 'territory', 'all', 'agent']);
  });

  it('creates a custom role that grants exactly its permissions to its users', async () => {
    const res = await admin.post('/api/roles', { code: 'auditor', name: '审计员', nameEn: 'Auditor', permissions: ['audit.read'], dataScope: 'own' });
    expect(res.statusCode).toBe(200);
    const u = await makeUser(t.db, { username: 'auditor1', roles: ['auditor'] });
    const c = await Client.as(t.app, 'auditor1', u.password);
    expect((await c.get('/api/audit')).statusCode).toBe(200);
    expect((await c.get('/api/users')).statusCode).toBe(403);

    const role = (await roles()).find((r) => r.code === 'auditor')!;
    await admin.patch(`/api/roles/${role.id}`, { permissions: ['audit.read', 'users.read'], version: role.version });
    expect((await c.get('/api/users')).json().items.map((x: { username: string }) => x.username)).toEqual(['auditor1']);
  });

  it('refuses unknown permissions, duplicate codes and badly formed codes', async () => {
    const unknown = await admin.post('/api/roles', { code: 'x1', name: 'x', nameEn: 'x', permissions: ['users.fly'], dataScope: 'all' });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().error.code).toBe('UNKNOWN_PERMISSION');
    const dup = await admin.post('/api/roles', { code: 'rep', name: 'x', nameEn: 'x', permissions: [], dataScope: 'own' });
    expect(dup.statusCode).toBe(409);
    const bad = await admin.post('/api/roles', { code: 'Bad Code', name: 'x', nameEn: 'x', permissions: [], dataScope: 'own' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0].path).toBe('code');
  });

  it('refuses to delete builtin or used roles, and to weaken the administrator role', async () => {
    const all = await roles();
    const rep = all.find((r) => r.code === 'rep')!;
    expect((await admin.delete(`/api/roles/${rep.id}`)).json().error.code).toBe('ROLE_BUILTIN');
    const auditor = all.find((r) => r.code === 'auditor')!;
    expect((await admin.delete(`/api/roles/${auditor.id}`)).json().error.code).toBe('ROLE_IN_USE');
    const adminRole = all.find((r) => r.code === 'admin')!;
    const weaken = await admin.patch(`/api/roles/${adminRole.id}`, { permissions: ['users.read'], version: adminRole.version });
    expect(weaken.json().error.code).toBe('ROLE_ADMIN_LOCKOUT');
    const unused = await admin.post('/api/roles', { code: 'temp_role', name: '临时', nameEn: 'Temp', permissions: [], dataScope: 'own' });
    expect((await admin.delete(`/api/roles/${unused.json().id}`)).statusCode).toBe(204);
  });
});

describe('upgrading an installation', () => {
  it('grants a permission new to the code to the builtin roles that declare it, once, and keeps administrators’ later removals', async () => {
    const { seedReferenceData } = await import('../src/demo/reference-data.js');
    const { sql } = await import('drizzle-orm');
    const teamLeadPermissions = async () =>
      ((await t.db.execute(sql`select permissions from roles where code = 'team_lead'`)) as unknown as { rows: { permissions: string[] }[] }).rows[0].permissions;
    // As if this installation predated account requests:
    await t.db.execute(sql`delete from known_permissions where code in ('account_requests.create', 'account_requests.read')`);
    await t.db.execute(sql`update roles set permissions = array_remove(array_remove(permissions, 'account_requests.create'), 'account_requests.read') where code = 'team_lead'`);
    await seedReferenceData(t.db);
    expect(await teamLeadPermissions()).toEqual(expect.arrayContaining(['account_requests.create', 'account_requests.read', 'users.read']));
    // An administrator then takes one away; the next start leaves it away.
    await t.db.execute(sql`update roles set permissions = array_remove(permissions, 'account_requests.create') where code = 'team_lead'`);
    await seedReferenceData(t.db);
    expect(await teamLeadPermissions()).not.toContain('account_requests.create');
  });
});
