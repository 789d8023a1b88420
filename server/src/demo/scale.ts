import { type SQL, and, eq, inArray, sql } from 'drizzle-orm';
import { departments, roles, territories, userRoles, userTerritories, users } from '../kernel/access/access.tables.js';
import { systemActor } from '../kernel/access/actor.js';
import { audit } from '../kernel/audit/audit.js';
import { hashPassword } from '../kernel/auth/passwords.js';
import type { Db, Tx } from '../kernel/db/client.js';
import { type CustomerPlan, CustomerGenerator, TerritoryIndex, creditCodeSerialBase, insertCustomerPlans, takenNameKeys } from './customer-generator.js';
import { DEMO_PASSWORD } from './demo-company.js';

/**
 * The scale generator: grows the demo company (loaded first) into a company of realistic size for
 * benchmarks and load tests. At scale 1: 20 sales regions under 销售中心, 5 teams each, one regional
 * manager per region, one team lead and 2 reps per team (200 reps); 20,000 customers in the reps'
 * cities. Scale N multiplies every count by N. Names, phones and territories come
 * from a seeded PRNG, so the same scale always gives the same company.
 *
 * Everything is written set-based in one transaction (multi-row inserts of at most CHUNK rows), all
 * users share one argon2 hash of SCALE_PASSWORD, and a single audit entry records the generation.
 */
export const SCALE_PASSWORD = DEMO_PASSWORD;
export const PER_SCALE = { regions: 20, teamsPerRegion: 5, repsPerTeam: 2, customers: 20_000 } as const;
const CHUNK = 1000;

export type ScaleOptions = { scale: number; seed?: number };

export type CustomersPart = { wanted: number; created: number; pending: string | null };

export type ScaleResult = {
  created: boolean;
  scale: number;
  regions: number;
  teams: number;
  regionalManagers: number;
  teamLeads: number;
  reps: number;
  territoryAssignments: number;
  customers: CustomersPart;
  password: string;
  /** One login of each generated kind, for benchmarks and manual checks. */
  sampleLogins: { rep: string; teamLead: string; regionalManager: string };
  ms: number;
};

/**
 * Regions of one "round" (scale 1 = one round). Together they cover every mainland province; from
 * scale 2 on, each plan gives several regions that share its provinces (广东一区, 广东二区, …).
 */
const REGION_PLANS: { name: string; nameEn: string; provinces: string[] }[] = [
  { name: '广东省', nameEn: 'Guangdong', provinces: ['440000'] },
  { name: '广西海南', nameEn: 'Guangxi-Hainan', provinces: ['450000', '460000'] },
  { name: '江苏省', nameEn: 'Jiangsu', provinces: ['320000'] },
  { name: '浙江省', nameEn: 'Zhejiang', provinces: ['330000'] },
  { name: '上海', nameEn: 'Shanghai', provinces: ['310000'] },
  { name: '安徽省', nameEn: 'Anhui', provinces: ['340000'] },
  { name: '闽赣', nameEn: 'Fujian-Jiangxi', provinces: ['350000', '360000'] },
  { name: '山东省', nameEn: 'Shandong', provinces: ['370000'] },
  { name: '京津', nameEn: 'Beijing-Tianjin', provinces: ['110000', '120000'] },
  { name: '河北省', nameEn: 'Hebei', provinces: ['130000'] },
  { name: '晋蒙', nameEn: 'Shanxi-Inner Mongolia', provinces: ['140000', '150000'] },
  { name: '东北', nameEn: 'Northeast', provinces: ['210000', '220000', '230000'] },
  { name: '河南省', nameEn: 'Henan', provinces: ['410000'] },
  { name: '湖北省', nameEn: 'Hubei', provinces: ['420000'] },
  { name: '湖南省', nameEn: 'Hunan', provinces: ['430000'] },
  { name: '四川省', nameEn: 'Sichuan', provinces: ['510000'] },
  { name: '渝贵', nameEn: 'Chongqing-Guizhou', provinces: ['500000', '520000'] },
  { name: '云藏', nameEn: 'Yunnan-Tibet', provinces: ['530000', '540000'] },
  { name: '陕西省', nameEn: 'Shaanxi', provinces: ['610000'] },
  { name: '西北', nameEn: 'Northwest', provinces: ['620000', '630000', '640000', '650000'] },
];

// The most common surnames, roughly by frequency (a name picks from the front more often).
const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
// Given-name characters common in men's and in women's names (a name takes both characters from one list).
const GIVEN = {
  m: '伟强磊军洋勇杰涛明超平刚华鹏辉建波宁斌宇浩凯健俊帆帅旭晨鑫文博海峰志亮成龙鸿远轩豪嘉然子诚立新国栋振东永',
  f: '芳娜敏静丽艳娟秀霞桂英玉兰萍欣怡佳琳雪梅倩婷颖欢晶蕾琴云雯慧春晓雨思涵诺月红燕玲丹璐瑶悦彤楠莉',
};
const MOBILE_PREFIXES = ['130', '131', '132', '135', '136', '137', '138', '139', '150', '151', '152', '155', '156', '158', '159', '176', '177', '180', '186', '187', '188', '189'];
const CN_DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** Grows the demo company by `scale`; does nothing when the generated users are already there. */
export async function generateCompany(db: Db, options: ScaleOptions): Promise<ScaleResult> {
  const started = Date.now();
  const scale = options.scale;
  if (!Number.isInteger(scale) || scale < 1 || scale > 1000) throw new Error(`scale must be an integer from 1 to 1000, got ${scale}`);
  const counts = {
    regions: PER_SCALE.regions * scale,
    teams: PER_SCALE.regions * PER_SCALE.teamsPerRegion * scale,
    reps: PER_SCALE.regions * PER_SCALE.teamsPerRegion * PER_SCALE.repsPerTeam * scale,
  };
  const sampleLogins = { rep: usernameOf('r', 1), teamLead: usernameOf('t', 1), regionalManager: usernameOf('m', 1) };
  const base = {
    scale,
    regions: counts.regions,
    teams: counts.teams,
    regionalManagers: counts.regions,
    teamLeads: counts.teams,
    reps: counts.reps,
    password: SCALE_PASSWORD,
    sampleLogins,
  };

  const [already] = await db.select({ id: users.id }).from(users).where(sql`lower(${users.username}) = ${sampleLogins.rep}`);
  if (already) {
    return { ...base, created: false, territoryAssignments: 0, customers: { wanted: 0, created: 0, pending: null }, ms: Date.now() - started };
  }

  const passwordHash = await hashPassword(SCALE_PASSWORD); // once: argon2 is deliberately slow
  const result = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(7291005)`); // the demo loader's lock: one writer of the org at a time
    const rng = mulberry32(options.seed ?? 20260101 + scale);
    const salesCentre = await findSalesCentre(tx);
    const roleIds = await roleIdsByCode(tx, ['regional_manager', 'team_lead', 'rep']);
    const citiesOf = await citiesByProvince(tx, [...new Set(REGION_PLANS.flatMap((p) => p.provinces))]);

    const org = planOrg(scale, citiesOf);
    await insertDepartments(tx, salesCentre, org);
    const people = planPeople(org, rng);
    const territoryAssignments = await insertPeople(tx, people, roleIds, passwordHash);
    for (const heads of chunks(people.filter((p) => p.headOf))) {
      await tx.execute(sql`
        update departments d set head_user_id = u.id, updated_at = now()
        from users u, (values ${sql.join(heads.map((p) => sql`(${p.headOf!.departmentId}::int, ${p.username})`), sql`, `)}) v(department_id, username)
        where d.id = v.department_id and u.username = v.username`);
    }

    const customers = await generateCustomers(tx, org, people, rng, PER_SCALE.customers * scale);
    const summary = { ...base, territoryAssignments, customers };
    await audit(tx, systemActor(), {
      action: 'demo.scale_generated',
      entity: 'company',
      after: { ...summary, password: undefined, salesCentreId: salesCentre.id, usernames: { reps: 'r00001…', teamLeads: 't00001…', regionalManagers: 'm00001…' } },
    });
    return summary;
  });
  return { ...result, created: true, ms: Date.now() - started };
}

/** A few lines for the console: what was generated, and what is still pending. */
export function describeScaleResult(r: ScaleResult, where: string): string {
  if (!r.created) return `${where}: the generated company is already there (user ${r.sampleLogins.rep} exists); nothing changed.`;
  return [
    `${where}: generated scale ${r.scale} in ${(r.ms / 1000).toFixed(1)} s`,
    `  ${r.regions} regions, ${r.teams} teams under 销售中心`,
    `  ${r.regionalManagers} regional managers (m00001…), ${r.teamLeads} team leads (t00001…), ${r.reps} reps (r00001…); password ${r.password}`,
    `  ${r.territoryAssignments} territory assignments`,
    r.customers.pending
      ? `  customers: ${r.customers.wanted} wanted, PENDING — ${r.customers.pending}`
      : `  customers: ${r.customers.created} of ${r.customers.wanted}`,
  ].join('\n');
}

/**
 * Customers (hospitals, clinics, pharmacies, distributors, agents) in the generated reps' cities:
 * each rep gets an equal share, placed in the counties of the cities it covers; one in
 * UNASSIGNED_SHARE stays unassigned (待分配), as in a real company. Names are realistic and unique
 * after normalisation (customer-generator.ts adds a numbered branch or district where a place's
 * plain names run out). Planned and written GENERATION_CHUNK customers at a time, so memory stays
 * flat at any scale.
 */
const GENERATION_CHUNK = 5000;
const UNASSIGNED_SHARE = 0.1;

async function generateCustomers(tx: Tx, _org: OrgPlan, people: PersonPlan[], rng: () => number, wanted: number): Promise<CustomersPart> {
  const index = await TerritoryIndex.load(tx);
  const repPlans = people.filter((p) => p.role === 'rep');
  const rows: { id: number; username: string; departmentId: number | null }[] = [];
  for (const chunk of chunks(repPlans.map((p) => p.username))) {
    rows.push(...(await tx.select({ id: users.id, username: users.username, departmentId: users.departmentId }).from(users).where(inArray(users.username, chunk))));
  }
  const idOf = new Map(rows.map((r) => [r.username, r]));
  const reps = repPlans
    .map((p) => ({ user: idOf.get(p.username)!, leaves: p.territories.flatMap((t) => (index.leaves(t).length ? index.leaves(t) : [index.byId.get(t)!])).filter(Boolean) }))
    .filter((r) => r.user && r.leaves.length);
  if (reps.length === 0) return { wanted, created: 0, pending: 'no generated reps with territories' };
  const gen = new CustomerGenerator(rng, index, await takenNameKeys(tx), await creditCodeSerialBase(tx));
  let created = 0;
  for (let start = 0; start < wanted; start += GENERATION_CHUNK) {
    const plans: CustomerPlan[] = [];
    for (let i = start; i < Math.min(wanted, start + GENERATION_CHUNK); i++) {
      const rep = reps[i % reps.length]!;
      const leaf = gen.pick(rep.leaves);
      plans.push(gen.plan(leaf, rng() < UNASSIGNED_SHARE ? null : { id: rep.user.id, departmentId: rep.user.departmentId }));
    }
    created += (await insertCustomerPlans(tx, plans, null)).length;
  }
  return { wanted, created, pending: null };
}

// ---------------------------------------------------------------------------------------------
// The org chart: regions and teams, with the territories each covers.

type RegionPlan = { name: string; nameEn: string; provinces: string[]; teams: TeamPlan[]; id?: number; path?: string };
type TeamPlan = { name: string; nameEn: string; cities: string[]; id?: number };
type OrgPlan = { regions: RegionPlan[] };

function planOrg(scale: number, citiesOf: Map<string, { id: string; name: string }[]>): OrgPlan {
  const regions: RegionPlan[] = [];
  for (let round = 1; round <= scale; round++) {
    for (const plan of REGION_PLANS) {
      const suffix = scale === 1 ? '区' : `${chineseNumber(round)}区`;
      const cities = plan.provinces.flatMap((p) => citiesOf.get(p) ?? []);
      if (cities.length === 0) throw new Error(`no cities found for provinces ${plan.provinces.join(', ')}: seed the reference data first`);
      const teams: TeamPlan[] = [];
      const usedNames = new Map<string, number>();
      for (let t = 0; t < PER_SCALE.teamsPerRegion; t++) {
        // Team t covers every 5th city of the region, starting at a different city each round.
        const teamCities = cities.filter((_, i) => (i + round - 1) % PER_SCALE.teamsPerRegion === t);
        const anchor = teamCities[0] ?? cities[(t + round - 1) % cities.length];
        const short = shortPlaceName(anchor.name);
        const n = (usedNames.get(short) ?? 0) + 1;
        usedNames.set(short, n);
        teams.push({
          name: n === 1 ? `${short}组` : `${short}${chineseNumber(n)}组`,
          nameEn: `${plan.nameEn} ${scale === 1 ? '' : round + ' '}team ${t + 1}`,
          cities: teamCities.length ? teamCities.map((c) => c.id) : [anchor.id],
        });
      }
      regions.push({
        name: `${plan.name}${suffix}`,
        nameEn: `${plan.nameEn} region${scale === 1 ? '' : ' ' + round}`,
        provinces: plan.provinces,
        teams,
      });
    }
  }
  return { regions };
}

async function findSalesCentre(tx: Tx): Promise<{ id: number; path: string }> {
  const [row] = await tx
    .select({ id: departments.id, path: departments.path })
    .from(departments)
    .where(and(eq(departments.name, '销售中心'), eq(departments.kind, 'office')));
  if (!row) throw new Error('销售中心 not found: load the demo company (loadDemoCompany) before generating at scale');
  return row;
}

async function roleIdsByCode(tx: Tx, codes: string[]): Promise<Map<string, number>> {
  const rows = await tx.select({ id: roles.id, code: roles.code }).from(roles).where(inArray(roles.code, codes));
  const out = new Map(rows.map((r) => [r.code, r.id]));
  for (const c of codes) if (!out.has(c)) throw new Error(`builtin role ${c} missing: seed the reference data first`);
  return out;
}

/** The city-level territories of each province (for municipalities, their districts), in code order. */
async function citiesByProvince(tx: Tx, provinceIds: string[]): Promise<Map<string, { id: string; name: string }[]>> {
  const rows = await tx
    .select({ id: territories.id, name: territories.name, parentId: territories.parentId })
    .from(territories)
    .where(and(inArray(territories.parentId, provinceIds), eq(territories.level, 'city')))
    .orderBy(territories.id);
  const out = new Map<string, { id: string; name: string }[]>();
  for (const r of rows) {
    const list = out.get(r.parentId!) ?? [];
    list.push({ id: r.id, name: r.name });
    out.set(r.parentId!, list);
  }
  return out;
}

/** Regions, then teams, each level in multi-row inserts; `path` is then set for the level in one update. */
async function insertDepartments(tx: Tx, salesCentre: { id: number; path: string }, org: OrgPlan): Promise<void> {
  const [{ maxSort }] = await tx
    .select({ maxSort: sql<number>`coalesce(max(${departments.sort}), -1)::int` })
    .from(departments)
    .where(eq(departments.parentId, salesCentre.id));
  const regionRows = org.regions.map((r, i) => ({ parentId: salesCentre.id, name: r.name, nameEn: r.nameEn, kind: 'region' as const, sort: maxSort + 1 + i }));
  const regionIds = await insertReturningIds(tx, regionRows);
  for (const r of org.regions) r.id = regionIds.get(`${salesCentre.id}|${r.name}`);
  const teamRows = org.regions.flatMap((r) => r.teams.map((t, i) => ({ parentId: r.id!, name: t.name, nameEn: t.nameEn, kind: 'team' as const, sort: i })));
  const teamIds = await insertReturningIds(tx, teamRows);
  for (const r of org.regions) for (const t of r.teams) t.id = teamIds.get(`${r.id}|${t.name}`);
  // '/1/4/9/' as insertDepartmentTree keeps it: the regions' paths first, then the teams' from their regions'.
  await setPathsFromParents(tx, sql`d.parent_id = ${salesCentre.id}`);
  await setPathsFromParents(tx, sql`p.parent_id = ${salesCentre.id}`);
}

async function setPathsFromParents(tx: Tx, which: SQL): Promise<void> {
  await tx.execute(sql`
    update departments d set path = p.path || d.id || '/'
    from departments p
    where p.id = d.parent_id and d.path = '' and p.path <> '' and ${which}`);
}

type DepartmentInsert = { parentId: number; name: string; nameEn: string; kind: 'region' | 'team'; sort: number };

/** Inserts departments in chunks; returns their ids keyed by "parentId|name" (unique among siblings). */
async function insertReturningIds(tx: Tx, rows: DepartmentInsert[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const chunk of chunks(rows)) {
    const inserted = await tx
      .insert(departments)
      .values(chunk)
      .returning({ id: departments.id, parentId: departments.parentId, name: departments.name });
    for (const r of inserted) out.set(`${r.parentId}|${r.name}`, r.id);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The people: a regional manager per region, a team lead and reps per team.

type PersonPlan = {
  username: string;
  displayName: string;
  phone: string;
  email: string;
  departmentId: number;
  role: 'regional_manager' | 'team_lead' | 'rep';
  territories: string[];
  headOf: { departmentId: number } | null;
};

function planPeople(org: OrgPlan, rng: () => number): PersonPlan[] {
  const people: PersonPlan[] = [];
  const n = { m: 0, t: 0, r: 0 };
  const person = (prefix: 'm' | 't' | 'r', role: PersonPlan['role'], departmentId: number, territoryIds: string[], head: boolean): PersonPlan => {
    const username = usernameOf(prefix, ++n[prefix]);
    return {
      username,
      displayName: chineseName(rng),
      phone: mobileNumber(rng),
      email: `${username}@huakang-pharma.cn`,
      departmentId,
      role,
      territories: territoryIds,
      headOf: head ? { departmentId } : null,
    };
  };
  for (const region of org.regions) {
    people.push(person('m', 'regional_manager', region.id!, region.provinces, true));
    for (const team of region.teams) {
      people.push(person('t', 'team_lead', team.id!, team.cities, true));
      for (let k = 0; k < PER_SCALE.repsPerTeam; k++) {
        const own = team.cities.filter((_, i) => i % PER_SCALE.repsPerTeam === k);
        people.push(person('r', 'rep', team.id!, own.length ? own : [team.cities[k % team.cities.length]], false));
      }
    }
  }
  return people;
}

/** Users, then their roles and territories, in chunks; returns the number of territory assignments. */
async function insertPeople(tx: Tx, people: PersonPlan[], roleIds: Map<string, number>, passwordHash: string): Promise<number> {
  const idOf = new Map<string, number>();
  for (const chunk of chunks(people)) {
    const inserted = await tx
      .insert(users)
      .values(
        chunk.map((p) => ({
          username: p.username,
          displayName: p.displayName,
          phone: p.phone,
          email: p.email,
          passwordHash,
          departmentId: p.departmentId,
        })),
      )
      .returning({ id: users.id, username: users.username });
    for (const r of inserted) idOf.set(r.username, r.id);
  }
  for (const chunk of chunks(people)) {
    await tx.insert(userRoles).values(chunk.map((p) => ({ userId: idOf.get(p.username)!, roleId: roleIds.get(p.role)! })));
  }
  const assignments = people.flatMap((p) => p.territories.map((territoryId) => ({ userId: idOf.get(p.username)!, territoryId })));
  for (const chunk of chunks(assignments)) await tx.insert(userTerritories).values(chunk);
  return assignments.length;
}

// ---------------------------------------------------------------------------------------------
// Deterministic names and numbers.

export function usernameOf(prefix: string, n: number): string {
  return `${prefix}${String(n).padStart(5, '0')}`;
}

/** mulberry32: a small, fast, seeded PRNG; the same seed gives the same company. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A surname (skewed towards the common ones, as in real life) and one or two given-name characters. */
function chineseName(rng: () => number): string {
  const surnames = [...SURNAMES];
  const given = [...GIVEN[rng() < 0.5 ? 'm' : 'f']];
  const pick = () => given[Math.floor(given.length * rng())];
  const surname = surnames[Math.floor(surnames.length * rng() * rng())];
  const first = pick();
  if (rng() < 0.3) return surname + first;
  let second = pick();
  while (second === first) second = pick();
  return surname + first + second;
}

function mobileNumber(rng: () => number): string {
  let digits = MOBILE_PREFIXES[Math.floor(MOBILE_PREFIXES.length * rng())];
  for (let i = 0; i < 8; i++) digits += Math.floor(10 * rng());
  return digits;
}

/** 1 → 一, 12 → 十二, 20 → 二十, 105 → 一百零五 (enough for region and team ordinals). */
function chineseNumber(n: number): string {
  if (n <= 10) return CN_DIGITS[n];
  if (n < 20) return '十' + CN_DIGITS[n % 10];
  if (n < 100) return CN_DIGITS[Math.floor(n / 10)] + '十' + (n % 10 ? CN_DIGITS[n % 10] : '');
  if (n < 1000) {
    const rest = n % 100;
    return CN_DIGITS[Math.floor(n / 100)] + '百' + (rest === 0 ? '' : rest < 10 ? '零' + CN_DIGITS[rest] : rest < 20 ? '一' + chineseNumber(rest) : chineseNumber(rest));
  }
  return String(n);
}

/** 杭州市 → 杭州, 黄浦区 → 黄浦, 延边朝鲜族自治州 → 延边: the short name people say. */
function shortPlaceName(name: string): string {
  const short = name.replace(/(市|地区|盟|自治州|自治县|区|县)$/, '');
  return short.length > 3 ? short.slice(0, 2) : short.length === 0 ? name : short;
}

function chunks<T>(rows: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}
