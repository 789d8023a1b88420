import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENT_COMPANY, WELL_KNOWN_DEMO_CUSTOMERS, loadDemoCustomers } from '../src/demo/demo-customers.js';
import { loadDemoCompany } from '../src/demo/demo-company.js';
import { loadActor } from '../src/kernel/access/actor.js';
import { users } from '../src/kernel/access/access.tables.js';
import { auditLog } from '../src/kernel/audit/audit.tables.js';
import { isValidCreditCode } from '../src/kernel/credit-code.js';
import { rowsOf } from '../src/kernel/db/client.js';
import { normaliseName } from '../src/kernel/names.js';
import { customerScope } from '../src/modules/customers/customers.scope.js';
import { customerSearchText } from '../src/modules/customers/customers.service.js';
import { customers } from '../src/modules/customers/customers.tables.js';
import { Client, setupTest } from './support.js';

let t: Awaited<ReturnType<typeof setupTest>>;
let all: (typeof customers.$inferSelect)[];

beforeAll(async () => {
  t = await setupTest({ demo: true });
  all = await t.db.select().from(customers);
});
afterAll(() => t.close());

describe('the demo customers', () => {
  it('have their qualification documents: most complete, some expiring, expired or missing — each state the office chases', async () => {
    const counts = new Map<string, number>();
    for (const c of all) counts.set(c.qualificationState, (counts.get(c.qualificationState) ?? 0) + 1);
    expect(counts.get('ok')! / all.length).toBeGreaterThan(0.8);
    for (const state of ['expiring', 'expired', 'missing']) expect(counts.get(state) ?? 0, state).toBeGreaterThan(30);
    const [docs] = rowsOf<{ n: number }>(await t.db.execute(sql`select count(*)::int as n from customer_qualifications`));
    expect(docs!.n).toBeGreaterThan(all.length);
    const xiehe = all.find((c) => c.name === '北京协和医院')!;
    expect(xiehe.qualificationState).toBe('ok');
  });

  it('are thousands, of every type, mostly in the regions the demo reps cover', () => {
    expect(all.length).toBeGreaterThanOrEqual(2900);
    const types = new Set(all.map((c) => c.type));
    expect([...types].sort()).toEqual(['agent', 'clinic', 'distributor', 'hospital', 'other', 'pharmacy']);
    const covered = all.filter((c) => /^\/(310000|320000|330000|110000|120000|130000|370000|440000|350000)\//.test(c.territoryPath));
    expect(covered.length / all.length).toBeGreaterThan(0.5);
    const provinces = new Set(all.map((c) => c.territoryPath.split('/')[1]));
    expect(provinces.size).toBeGreaterThan(25);
  });

  it('are every one valid: unique name keys as createCustomer computes them, valid unique credit codes, codes KH…, search text', () => {
    const keys = all.map((c) => c.nameKey);
    expect(new Set(keys).size).toBe(all.length);
    for (const c of all) {
      expect(c.nameKey, c.name).toBe(normaliseName(c.name));
      expect(c.searchText, c.name).toBe(customerSearchText(c));
      expect(c.code).toMatch(/^KH\d{6}$/);
      if (c.creditCode) expect(isValidCreditCode(c.creditCode), `${c.name} ${c.creditCode}`).toBe(true);
      expect(c.hospitalGrade === null || c.type === 'hospital', c.name).toBe(true);
    }
    const codes = all.map((c) => c.creditCode).filter(Boolean);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes.length / all.length).toBeGreaterThan(0.9);
  });

  it('look like real customers: hospitals with grades and 科室, chain pharmacies with branches, distributors with credit terms and invoicing data', () => {
    const hospitals = all.filter((c) => c.type === 'hospital');
    expect(hospitals.some((h) => /市第一人民医院$/.test(h.name))).toBe(true);
    expect(hospitals.some((h) => /中医院$|中医医院$/.test(h.name))).toBe(true);
    expect(hospitals.some((h) => /大学附属第.医院$/.test(h.name))).toBe(true);
    expect(hospitals.every((h) => h.hospitalGrade !== null && h.hospitalDepartments.includes('药剂科'))).toBe(true);
    expect(all.some((c) => c.type === 'clinic' && c.name.endsWith('社区卫生服务中心'))).toBe(true);
    expect(all.some((c) => c.type === 'pharmacy' && /^老百姓大药房（.+店）$/.test(c.name))).toBe(true);
    expect(all.some((c) => c.type === 'distributor' && /^国药控股.+有限公司$/.test(c.name))).toBe(true);
    const distributors = all.filter((c) => c.type === 'distributor');
    expect(distributors.every((d) => d.creditLimitFen > 0n && d.paymentTermsDays > 0 && d.invoiceTitle === d.name && d.taxNumber === d.creditCode && d.bankAccount)).toBe(true);
    expect(new Set(all.map((c) => c.grade)).size).toBeGreaterThanOrEqual(5);
    expect(new Set(all.map((c) => c.lifecycleStage)).size).toBe(5);
  });

  it('belong to the demo rep covering their territory (with the rep’s team), and only there; the rest wait unassigned', async () => {
    const reps = rowsOf<{ id: number; department_id: number; paths: string[] }>(
      await t.db.execute(sql`
        select u.id, u.department_id, array_agg(tt.path) as paths
        from users u join user_territories ut on ut.user_id = u.id join territories tt on tt.id = ut.territory_id
        where u.username in ('rep', 'rep2', 'rep_js', 'rep_bj', 'rep_sd', 'rep_gd', 'rep_fj') group by u.id, u.department_id`),
    );
    const byId = new Map(reps.map((r) => [r.id, r]));
    for (const c of all.filter((x) => x.ownerId !== null && x.name !== DEMO_AGENT_COMPANY)) {
      const rep = byId.get(c.ownerId!);
      expect(rep, c.name).toBeDefined();
      expect(rep!.paths.some((p) => c.territoryPath.startsWith(p)), `${c.name} ${c.territoryPath}`).toBe(true);
      expect(c.ownerDepartmentId).toBe(rep!.department_id);
    }
    for (const rep of reps) expect(all.filter((c) => c.ownerId === rep.id).length, `rep ${rep.id}`).toBeGreaterThan(50);
    const unassigned = all.filter((c) => c.ownerId === null);
    expect(unassigned.length).toBeGreaterThan(500);
    expect(unassigned.every((c) => !reps.some((r) => r.paths.some((p) => c.territoryPath.startsWith(p))))).toBe(true);
  });

  it('include 北京协和医院 (rep_bj), 复旦大学附属中山医院 (rep) and 国药控股广州有限公司 (rep_gd), found by pinyin initials', async () => {
    for (const w of WELL_KNOWN_DEMO_CUSTOMERS) {
      const c = all.find((x) => x.name === w.name);
      expect(c, w.name).toBeDefined();
      const [owner] = await t.db.select().from(users).where(eq(users.id, c!.ownerId!));
      expect(owner!.username).toBe(w.owner);
      expect(c!.type).toBe(w.type);
    }
    const office = await Client.as(t.app, 'office');
    const found = (await office.get('/api/customers?q=bjxhyy')).json().items.map((c: { name: string }) => c.name);
    expect(found).toContain('北京协和医院');
    const rep = await Client.as(t.app, 'rep');
    expect((await rep.get(`/api/customers?q=${encodeURIComponent('中山医院')}`)).json().items.map((c: { name: string }) => c.name)).toContain('复旦大学附属中山医院');
  });

  it('give the agent portal user exactly its own company when the agent scope applies', async () => {
    const [agentUser] = await t.db.select().from(users).where(eq(users.username, 'agent'));
    const company = all.find((c) => c.name === DEMO_AGENT_COMPANY)!;
    expect(company.type).toBe('agent');
    expect(agentUser!.agentCustomerId).toBe(company.id);
    const actor = await loadActor(t.db, agentUser!.id);
    const visible = await t.db.select({ id: customers.id }).from(customers).where(customerScope(actor!));
    expect(visible).toEqual([{ id: company.id }]);
  });

  it('are loaded with one audit entry, and a second load adds nothing', async () => {
    const entries = await t.db.select().from(auditLog).where(eq(auditLog.action, 'demo.customers_loaded'));
    expect(entries).toHaveLength(1);
    expect(entries[0]!.after).toMatchObject({ count: all.length });
    await loadDemoCompany(t.db);
    expect(await t.db.transaction((tx) => loadDemoCustomers(tx))).toMatchObject({ created: 0 });
    const [{ n }] = await t.db.select({ n: sql<number>`count(*)::int` }).from(customers);
    expect(n).toBe(all.length);
  });
});
