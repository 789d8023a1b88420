import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DEPARTMENTS, DEMO_USERS } from '../src/demo/demo-company.js';
import { ALL_ROLES, MATRIX, ROLE_LOGINS, type RoleCode } from './authorization-matrix.js';
import { Client, setupTest } from './support.js';

let t: Awaited<ReturnType<typeof setupTest>>;
const clients = new Map<RoleCode, Client>();

beforeAll(async () => {
  t = await setupTest({ demo: true });
  for (const role of ALL_ROLES) clients.set(role, await Client.as(t.app, ROLE_LOGINS[role]));
});
afterAll(() => t.close());

/** A request that reaches the handler only if the gate lets it through: unknown ids, empty bodies. */
function probe(method: string, url: string) {
  return { method, url: url.replace(/:id\b/g, '999999'), payload: method === 'GET' || method === 'DELETE' ? undefined : {} };
}

describe('authorization matrix', () => {
  it('names every API route, and only existing routes', () => {
    const routes = t.app.apiRoutes.map((r) => `${r.method} ${r.url}`).sort();
    expect(Object.keys(MATRIX).sort()).toEqual(routes);
  });

  it('refuses every private route without a session', async () => {
    const anonymous = new Client(t.app);
    for (const route of t.app.apiRoutes) {
      if (MATRIX[`${route.method} ${route.url}`] === 'public') continue;
      const res = await anonymous.request(probe(route.method, route.url));
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(401);
      expect(res.json().error.code).toBe('AUTH_REQUIRED');
    }
  });

  it('allows and denies each route for each role exactly as the matrix says', async () => {
    const writes: string[] = [];
    for (const route of t.app.apiRoutes) {
      const key = `${route.method} ${route.url}`;
      if (key === 'POST /api/auth/logout') continue; // ends the session; covered below
      const rule = MATRIX[key];
      for (const role of ALL_ROLES) {
        const res = await clients.get(role)!.request(probe(route.method, route.url));
        const allowed = rule === 'public' || rule === 'authenticated' || rule.includes(role);
        const label = `${role} → ${key} (${res.statusCode} ${res.body.slice(0, 120)})`;
        if (allowed) {
          expect([401, 403], label).not.toContain(res.statusCode);
          expect(res.statusCode, label).toBeLessThan(500);
        } else {
          expect(res.statusCode, label).toBe(403);
          expect(res.json().error.code, label).toBe('FORBIDDEN');
        }
        if (route.method !== 'GET') writes.push(key);
      }
    }
    expect(writes.length).toBeGreaterThan(0);
  }, 600_000); // ~200 routes × 12 roles, allowed calls really run (exports included)

  it('lets every role log out', async () => {
    for (const role of ALL_ROLES) {
      const c = await Client.as(t.app, ROLE_LOGINS[role]);
      expect((await c.post('/api/auth/logout')).statusCode).toBe(204);
      expect((await c.get('/api/auth/me')).statusCode).toBe(401);
    }
  });

  it('gives management read access and no write access anywhere', () => {
    for (const [key, rule] of Object.entries(MATRIX)) {
      if (typeof rule === 'string' || key.startsWith('GET ')) continue;
      expect(rule, key).not.toContain('management');
    }
  });
});

/** Department keys of the demo tree below (and including) a key, computed from the seed, not from SQL. */
function subtree(key: string): Set<string> {
  const out = new Set<string>();
  const walk = (node: typeof DEMO_DEPARTMENTS, inside: boolean) => {
    const now = inside || node.key === key;
    if (now) out.add(node.key);
    for (const child of node.children ?? []) walk(child, now);
  };
  walk(DEMO_DEPARTMENTS, false);
  return out;
}
const usersIn = (keys: Set<string>) => DEMO_USERS.filter((u) => u.dept !== null && keys.has(u.dept)).map((u) => u.username);

describe('data scope of the user list', () => {
  const expected: Partial<Record<RoleCode, string[]>> = {
    admin: DEMO_USERS.map((u) => u.username),
    sales_office: DEMO_USERS.map((u) => u.username),
    sales_office_lead: DEMO_USERS.map((u) => u.username),
    management: DEMO_USERS.map((u) => u.username),
    rep: ['rep'],
    team_lead: usersIn(new Set(['east_sh'])),
    regional_manager: usersIn(subtree('east')),
    sales_director: usersIn(subtree('sales')),
  };

  for (const [role, usernames] of Object.entries(expected) as [RoleCode, string[]][]) {
    it(`shows a ${role} exactly the users in their scope, in the list, the export and by id`, async () => {
      const c = clients.get(role)!;
      const res = await c.get('/api/users?pageSize=200');
      expect(res.statusCode).toBe(200);
      const seen = res.json().items.map((u: { username: string }) => u.username).sort();
      expect(seen).toEqual([...usernames].sort());
      expect(res.json().total).toBe(usernames.length);

      const outsider = DEMO_USERS.find((u) => !usernames.includes(u.username));
      if (outsider) {
        const admin = clients.get('admin')!;
        const all = (await admin.get('/api/users?pageSize=200')).json().items as { id: number; username: string }[];
        const id = all.find((u) => u.username === outsider.username)!.id;
        expect((await c.get(`/api/users/${id}`)).statusCode).toBe(404);
      }
    });
  }

  it('narrows the team lead’s scope to the team even when filtering by a wider department', async () => {
    const c = clients.get('team_lead')!;
    const admin = clients.get('admin')!;
    const depts = (await admin.get('/api/departments')).json().items as { id: number; name: string }[];
    const east = depts.find((d) => d.name === '华东大区')!;
    const res = await c.get(`/api/users?departmentId=${east.id}&includeSubDepartments=true&pageSize=200`);
    expect(res.json().items.map((u: { username: string }) => u.username).sort()).toEqual(usersIn(new Set(['east_sh'])).sort());
  });
});
