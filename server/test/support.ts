import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { DEMO_PASSWORD, loadDemoCompany } from '../src/demo/demo-company.js';
import { type DataScope, type DepartmentKind, departments, roles, userRoles, userTerritories, users } from '../src/kernel/access/access.tables.js';
import type { Permission } from '../src/kernel/access/permissions.js';
import { hashPassword } from '../src/kernel/auth/passwords.js';
import type { Db } from '../src/kernel/db/client.js';
import { createTestDatabase } from '../src/kernel/db/test-db.js';
import { systemActor } from '../src/kernel/access/actor.js';
import { creditCodeCheckChar } from '../src/kernel/credit-code.js';
import { type CreateCustomerInput, createCustomer } from '../src/modules/customers/customers.service.js';
import type { CustomerType } from '../src/modules/customers/customers.tables.js';

export { DEMO_PASSWORD };

/** A fresh database (optionally with the demo company) and the app on it. Call close() in afterAll. */
export async function setupTest(options: { demo?: boolean } = {}) {
  const database = await createTestDatabase();
  if (options.demo) await loadDemoCompany(database.db);
  const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rxdesk-files-'));
  const config = loadConfig({ DATA_DIR: '/nonexistent', WEB_DIST: '/nonexistent', FILES_DIR: filesDir, LOG_LEVEL: 'silent' });
  const app = await buildApp({ db: database.db, config });
  await app.ready();
  return {
    db: database.db,
    database,
    app,
    config,
    close: async () => {
      await app.close();
      await database.close();
      fs.rmSync(filesDir, { recursive: true, force: true });
    },
  };
}

/** A browser-like client: keeps the session cookie and sends the CSRF token on writes. */
export class Client {
  cookie: string | null = null;
  csrf: string | null = null;
  constructor(
    readonly app: FastifyInstance,
    readonly headers: Record<string, string> = {},
  ) {}

  async login(username: string, password = DEMO_PASSWORD): Promise<LightMyRequestResponse> {
    const res = await this.request({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
    if (res.statusCode === 200) {
      const set = res.headers['set-cookie'];
      const first = Array.isArray(set) ? set[0] : set;
      this.cookie = first!.split(';')[0];
      this.csrf = res.json().csrfToken;
    }
    return res;
  }

  static async as(app: FastifyInstance, username: string, password = DEMO_PASSWORD): Promise<Client> {
    const c = new Client(app);
    const res = await c.login(username, password);
    if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
    return c;
  }

  request(opts: InjectOptions & { method: string; url: string }): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = { ...this.headers, ...(opts.headers as Record<string, string>) };
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrf && !['GET', 'HEAD'].includes(opts.method)) headers['x-csrf-token'] = this.csrf;
    return this.app.inject({ ...opts, headers } as InjectOptions) as Promise<LightMyRequestResponse>;
  }
  get(url: string) {
    return this.request({ method: 'GET', url });
  }
  post(url: string, payload?: unknown) {
    return this.request({ method: 'POST', url, payload: payload as object });
  }
  patch(url: string, payload?: unknown) {
    return this.request({ method: 'PATCH', url, payload: payload as object });
  }
  delete(url: string) {
    return this.request({ method: 'DELETE', url });
  }
  /** A multipart/form-data upload of one file, as a browser sends it. */
  upload(url: string, filename: string, content: Buffer | string, field = 'file') {
    const boundary = `----rxdesk${Math.random().toString(16).slice(2)}`;
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      Buffer.isBuffer(content) ? content : Buffer.from(content),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return this.request({ method: 'POST', url, payload: body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
  }
}

// ---- Fixture builder: departments, roles and users straight into the database -------------------

let fixtureHash: Promise<string> | null = null;
const FIXTURE_PASSWORD = 'fixture123';

export async function makeDepartment(db: Db, input: { name: string; parentId?: number | null; kind?: DepartmentKind }): Promise<number> {
  const parentId = input.parentId === undefined ? await rootDepartmentId(db) : input.parentId;
  const [parent] = parentId ? await db.select().from(departments).where(eq(departments.id, parentId)) : [];
  const [row] = await db.insert(departments).values({ name: input.name, parentId, kind: input.kind ?? 'team' }).returning({ id: departments.id });
  await db.update(departments).set({ path: `${parent?.path ?? '/'}${row.id}/` }).where(eq(departments.id, row.id));
  return row.id;
}

export async function rootDepartmentId(db: Db): Promise<number | null> {
  const [root] = await db.select({ id: departments.id }).from(departments).where(sql`${departments.parentId} is null`);
  return root?.id ?? null;
}

export async function makeRole(db: Db, input: { code: string; permissions: Permission[]; dataScope: DataScope }): Promise<number> {
  const [row] = await db.insert(roles).values({ ...input, name: input.code, nameEn: input.code }).returning({ id: roles.id });
  return row.id;
}

export async function roleIdOf(db: Db, code: string): Promise<number> {
  const [row] = await db.select({ id: roles.id }).from(roles).where(eq(roles.code, code));
  if (!row) throw new Error(`no role ${code}`);
  return row.id;
}

export async function makeUser(
  db: Db,
  input: { username: string; departmentId?: number | null; roles?: string[]; territories?: string[]; agentCustomerId?: number; displayName?: string },
): Promise<{ id: number; username: string; password: string }> {
  fixtureHash ??= hashPassword(FIXTURE_PASSWORD);
  const [row] = await db
    .insert(users)
    .values({
      username: input.username,
      displayName: input.displayName ?? input.username,
      passwordHash: await fixtureHash,
      departmentId: input.departmentId ?? null,
      agentCustomerId: input.agentCustomerId ?? null,
    })
    .returning({ id: users.id });
  for (const code of input.roles ?? []) await db.insert(userRoles).values({ userId: row.id, roleId: await roleIdOf(db, code) });
  for (const territoryId of input.territories ?? []) await db.insert(userTerritories).values({ userId: row.id, territoryId });
  return { id: row.id, username: input.username, password: FIXTURE_PASSWORD };
}

export async function userIdOf(db: Db, username: string): Promise<number> {
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.username, username));
  if (!row) throw new Error(`no user ${username}`);
  return row.id;
}

let customerSeq = 0;
/**
 * A customer straight in the database (tests of other modules need customers without running an
 * account opening). Owner by username; territory a 6-digit code (default 310101 上海市黄浦区).
 */
export async function makeCustomer(
  db: Db,
  input: { name: string; owner?: string | null; territoryId?: string; type?: CustomerType; creditCode?: string | null } & Partial<CreateCustomerInput>,
): Promise<{ id: number; code: string }> {
  const { owner, ...rest } = input;
  const ownerId = owner ? await userIdOf(db, owner) : null;
  customerSeq += 1;
  // The code is taken now: read inside the transaction callback, two concurrent calls got the same one.
  const code = rest.code ?? `T${String(customerSeq).padStart(5, '0')}`;
  return db.transaction((tx) => createCustomer(tx, systemActor(), { type: 'hospital', territoryId: '310101', ...rest, ownerId, code }));
}

/** A valid unified social credit code made from 17 characters (the check character computed). */
export function creditCodeFrom(first17: string): string {
  return first17 + creditCodeCheckChar(first17);
}
