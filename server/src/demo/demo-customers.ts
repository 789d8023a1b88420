import { eq, inArray, sql } from 'drizzle-orm';
import { userTerritories, users } from '../kernel/access/access.tables.js';
import { systemActor } from '../kernel/access/actor.js';
import { audit } from '../kernel/audit/audit.js';
import type { Tx } from '../kernel/db/client.js';
import { customers } from '../modules/customers/customers.tables.js';
import { type CustomerPlan, CustomerGenerator, TerritoryIndex, insertCustomerPlans, seededRng, takenNameKeys } from './customer-generator.js';

/**
 * The demo company's customers: about DEMO_CUSTOMER_COUNT hospitals, clinics, pharmacies,
 * distributors and agents all over China, weighted toward the regions the demo reps cover
 * (华东 上海/江苏/浙江, 华北 北京/天津/河北/山东, 华南 广东/福建). A customer inside a demo rep's
 * territories belongs to that rep (and the rep's team); the others wait unassigned.
 *
 * A few customers every demo and browser test relies on are always there: 北京协和医院 (rep_bj),
 * 复旦大学附属中山医院 (rep), 国药控股广州有限公司 (rep_gd), and the demo agent's own company
 * 杭州康达医药有限公司, which the portal user 'agent' belongs to (users.agent_customer_id).
 *
 * Loaded once, in the demo company's transaction, set-based (customer-generator.ts) with one audit
 * entry for the whole load; it does nothing when customers already exist.
 */
export const DEMO_CUSTOMER_COUNT = 3000;
export const DEMO_AGENT_COMPANY = '杭州康达医药有限公司';
export const WELL_KNOWN_DEMO_CUSTOMERS = [
  { name: '北京协和医院', owner: 'rep_bj', territoryId: '110101', type: 'hospital' },
  { name: '复旦大学附属中山医院', owner: 'rep', territoryId: '310104', type: 'hospital' },
  { name: '国药控股广州有限公司', owner: 'rep_gd', territoryId: '440104', type: 'distributor' },
] as const;

/** Share of the customers per rep (spread over the rep's territories), per covered province, and for the rest of China. */
const PER_REP = 0.05;
const COVERED_PROVINCES = ['310000', '320000', '330000', '110000', '120000', '130000', '370000', '440000', '350000'];
const PER_COVERED_PROVINCE = 0.03;

type Rep = { id: number; username: string; departmentId: number | null; paths: string[]; territoryIds: string[] };

export async function loadDemoCustomers(tx: Tx, count = DEMO_CUSTOMER_COUNT): Promise<{ created: number; ms: number }> {
  const started = Date.now();
  const [existing] = await tx.select({ id: customers.id }).from(customers).limit(1);
  if (existing) return { created: 0, ms: 0 };

  const index = await TerritoryIndex.load(tx);
  const reps = await demoReps(tx, index);
  const repOf = (path: string) => reps.find((r) => r.paths.some((p) => path.startsWith(p))) ?? null;
  const rng = seededRng(20260401);
  const gen = new CustomerGenerator(rng, index, await takenNameKeys(tx));

  const plans: CustomerPlan[] = [];
  const ownerFor = (path: string) => {
    const rep = repOf(path);
    return rep ? { id: rep.id, departmentId: rep.departmentId } : null;
  };
  const leaf = (id: string) => index.byId.get(id)!;

  for (const w of WELL_KNOWN_DEMO_CUSTOMERS) {
    const rep = reps.find((r) => r.username === w.owner)!;
    const extra: Partial<CustomerPlan> =
      w.type === 'hospital'
        ? { hospitalGrade: '3A', grade: 'O', lifecycleStage: 'complete', hospitalDepartments: ['药剂科', '心血管内科', '呼吸内科', '肿瘤科', '内分泌科', '神经内科'] }
        : { grade: 'O', lifecycleStage: 'complete', creditLimitFen: 5_000_000_000n, paymentTermsDays: 90 };
    plans.push(gen.planNamed(w.name, w.type, leaf(w.territoryId), { id: rep.id, departmentId: rep.departmentId }, { source: 'rep', ...extra }));
  }
  const agentCompany = gen.planNamed(DEMO_AGENT_COMPANY, 'agent', leaf('330106'), null, {
    grade: 'O',
    lifecycleStage: 'complete',
    source: 'referral',
    creditLimitFen: 80_000_000n,
    paymentTermsDays: 30,
    notes: '演示代理商：门户用户 agent 所属公司',
  });
  plans.push(agentCompany);

  // Where the rest go: each rep's territories, then the covered provinces, then all of China by its number of counties.
  const targets: [string, number][] = [];
  for (const rep of reps) for (const t of rep.territoryIds) targets.push([t, PER_REP / rep.territoryIds.length]);
  for (const p of COVERED_PROVINCES) targets.push([p, PER_COVERED_PROVINCE]);
  const rest = 1 - targets.reduce((s, [, w]) => s + w, 0);
  const provinces = [...index.byId.values()].filter((t) => t.level === 'province' && index.leaves(t.id).length > 0);
  const allLeaves = provinces.reduce((s, p) => s + index.leaves(p.id).length, 0);
  for (const p of provinces) targets.push([p.id, (rest * index.leaves(p.id).length) / allLeaves]);

  while (plans.length < count) {
    const place = gen.weighted(targets);
    const at = gen.pick(index.leaves(place));
    plans.push(gen.plan(at, ownerFor(at.path)));
  }

  const inserted = await insertCustomerPlans(tx, plans, null);
  const agentId = inserted[plans.indexOf(agentCompany)]!.id;
  await tx.update(users).set({ agentCustomerId: agentId }).where(eq(users.username, 'agent'));

  const byType: Record<string, number> = {};
  for (const p of plans) byType[p.type] = (byType[p.type] ?? 0) + 1;
  const assigned = plans.filter((p) => p.ownerId !== null).length;
  await audit(tx, systemActor(), {
    action: 'demo.customers_loaded',
    entity: 'customer',
    after: {
      count: plans.length,
      byType,
      assigned,
      unassigned: plans.length - assigned,
      codes: `${inserted[0]!.code}…${inserted[inserted.length - 1]!.code}`,
      wellKnown: WELL_KNOWN_DEMO_CUSTOMERS.map((w) => w.name),
      agentCompany: { id: agentId, name: DEMO_AGENT_COMPANY, user: 'agent' },
    },
  });
  return { created: plans.length, ms: Date.now() - started };
}

/** The demo's reps with their department and the territory paths they cover. */
async function demoReps(tx: Tx, index: TerritoryIndex): Promise<Rep[]> {
  const rows = await tx
    .select({ id: users.id, username: users.username, departmentId: users.departmentId, territoryId: userTerritories.territoryId })
    .from(users)
    .innerJoin(userTerritories, eq(userTerritories.userId, users.id))
    .where(inArray(users.username, ['rep', 'rep2', 'rep_js', 'rep_bj', 'rep_sd', 'rep_gd', 'rep_fj']))
    .orderBy(users.id, sql`${userTerritories.territoryId}`);
  const reps = new Map<number, Rep>();
  for (const r of rows) {
    const rep = reps.get(r.id) ?? { id: r.id, username: r.username, departmentId: r.departmentId, paths: [], territoryIds: [] };
    rep.territoryIds.push(r.territoryId);
    rep.paths.push(index.byId.get(r.territoryId)!.path);
    reps.set(r.id, rep);
  }
  return [...reps.values()];
}
