import { sql } from 'drizzle-orm';
import { territories } from '../kernel/access/access.tables.js';
import { creditCodeCheckChar } from '../kernel/credit-code.js';
import { type Queryable, rowsOf } from '../kernel/db/client.js';
import { normaliseName } from '../kernel/names.js';
import type { NewCustomerRow } from '../modules/customers/customers.bulk.js';
import type { CustomerGrade, CustomerSource, CustomerType, HospitalGrade, LifecycleStage } from '../modules/customers/customers.tables.js';

/**
 * Realistic customers in bulk for the demo company (demo-customers.ts) and the scale generator
 * (scale.ts): hospitals, community clinics, chain pharmacies, distributors and agents named after
 * the real place they are in, with grades, lifecycle stages, sources, hospital grades and 科室,
 * credit terms and invoicing data for the trading companies, and valid credit codes.
 *
 * The rows are built in memory and written with multi-row inserts, bypassing createCustomer on
 * purpose: it validates and audits one row at a time, which would make every start and every test
 * with the demo slow. The generator keeps createCustomer's invariants itself: the name key is
 * kernel/names.ts normaliseName, the search text customerSearchText, the credit code valid and
 * unique, the code from customer_code_seq; the unique indexes still back all of it up.
 */

export type Place = { id: string; name: string; level: 'province' | 'city' | 'county'; parentId: string | null; path: string };

/** The territory tree in memory: leaves (counties, and the districts of municipalities) below any territory. */
export class TerritoryIndex {
  readonly byId = new Map<string, Place>();
  private readonly leavesBelow = new Map<string, Place[]>();

  constructor(rows: Place[]) {
    for (const r of rows) this.byId.set(r.id, r);
    const hasChildren = new Set(rows.map((r) => r.parentId).filter((p): p is string => p !== null));
    for (const r of rows) {
      if (hasChildren.has(r.id)) continue;
      for (const ancestor of r.path.split('/').filter(Boolean)) {
        const list = this.leavesBelow.get(ancestor) ?? [];
        list.push(r);
        this.leavesBelow.set(ancestor, list);
      }
    }
  }

  static async load(db: Queryable): Promise<TerritoryIndex> {
    const rows = await db
      .select({ id: territories.id, name: territories.name, level: territories.level, parentId: territories.parentId, path: territories.path })
      .from(territories)
      .orderBy(territories.id);
    return new TerritoryIndex(rows);
  }

  leaves(id: string): Place[] {
    return this.leavesBelow.get(id) ?? [];
  }

  /** The province and the city (for municipalities: the province again) of a leaf. */
  context(leaf: Place): { province: Place; city: Place; county: Place } {
    const ids = leaf.path.split('/').filter(Boolean);
    const province = this.byId.get(ids[0]!)!;
    const city = ids.length >= 3 ? this.byId.get(ids[1]!)! : province;
    return { province, city, county: leaf };
  }
}

/** A customer ready to be written in bulk (customers.bulk.ts). */
export type CustomerPlan = NewCustomerRow;
export { insertCustomersInBulk as insertCustomerPlans } from '../modules/customers/customers.bulk.js';

// ---- Word lists ----------------------------------------------------------------------------------

const STREETS = [
  '城关', '城东', '城西', '城南', '城北', '东风', '人民', '新华', '解放', '中山', '建设', '和平', '朝阳', '胜利', '文化', '友谊',
  '光明', '长安', '南湖', '青年', '红旗', '新民', '东湖', '滨江', '江南', '江北', '凤凰', '龙山', '府前', '鼓楼', '花园', '幸福',
  '振兴', '团结', '翠苑', '月湖', '金山', '新城', '北关', '南关', '东门', '西门', '兴华', '育才', '汇丰', '丰收', '白云', '永安',
];
const TOWNS = ['新桥', '三河', '石桥', '柳林', '黄庄', '马集', '李店', '王集', '高桥', '双河', '青山', '白沙', '大营', '杨村', '沙河', '古城', '清水', '龙泉', '太平', '安乐'];
const FIRMS = [
  '康泰', '瑞康', '英特', '鹭燕', '恒健', '民生', '嘉事', '华邦', '金陵', '仁和', '天和', '益民', '永康', '康美', '德仁', '众康',
  '和顺', '长城', '同济', '泰和', '华信', '安康', '博雅', '济民', '康宁', '百草', '神农', '中和', '正元', '福瑞', '天元', '惠康',
  '广济', '寿仁', '普济', '春晖', '万和', '康源', '汇仁', '国康', '东方', '南方', '华夏', '九洲', '海通', '宏达', '润华', '信德',
];
const CHAINS = ['老百姓大药房', '大参林', '益丰大药房', '一心堂', '海王星辰', '国大药房', '漱玉平民大药房', '健之佳', '全亿大药房', '好药师大药房'];
const NATIONAL_DISTRIBUTORS = [
  (c: string) => `国药控股${c}有限公司`,
  (c: string) => `华润医药商业集团${c}有限公司`,
  (c: string) => `上药控股${c}有限公司`,
  (c: string) => `九州通医药集团${c}有限公司`,
];
const HOSPITAL_DEPARTMENTS = [
  '心血管内科', '呼吸内科', '消化内科', '神经内科', '内分泌科', '肾内科', '肿瘤科', '普外科', '骨科', '妇产科', '儿科', '急诊科',
  '重症医学科', '感染科', '麻醉科', '眼科', '耳鼻喉科', '皮肤科', '康复科', '老年医学科', '风湿免疫科', '血液科', '泌尿外科', '中医科',
];
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏';
const GIVEN = '伟强磊军洋勇杰涛明超平刚华鹏辉建波宁斌宇浩凯健俊文博海峰志亮成龙芳娜敏静丽艳娟秀霞英玉兰萍';
const BANKS = ['中国工商银行', '中国建设银行', '中国农业银行', '中国银行', '交通银行', '招商银行', '兴业银行', '浦发银行'];
const CN_DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** 1 → 一, 12 → 十二, 35 → 三十五, 120 → 一百二十. */
export function chineseOrdinal(n: number): string {
  if (n <= 10) return CN_DIGITS[n]!;
  if (n < 20) return '十' + CN_DIGITS[n % 10];
  if (n < 100) return CN_DIGITS[Math.floor(n / 10)] + '十' + (n % 10 ? CN_DIGITS[n % 10] : '');
  if (n < 1000) {
    const rest = n % 100;
    return CN_DIGITS[Math.floor(n / 100)] + '百' + (rest === 0 ? '' : rest < 10 ? '零' + CN_DIGITS[rest] : rest < 20 ? '一' + chineseOrdinal(rest) : chineseOrdinal(rest));
  }
  return String(n);
}

/** 杭州市 → 杭州, 西湖区 → 西湖, 延边朝鲜族自治州 → 延边, 北京市 → 北京: the short name people say. */
export function shortPlace(name: string): string {
  const short = name.replace(/(特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|自治州|自治县|地区|新区|省|市|盟|区|县|旗)$/, '');
  if (short.length === 0) return name;
  return short.length > 3 ? short.slice(0, 2) : short;
}

// ---- The generator ---------------------------------------------------------------------------------

export type Rng = () => number;

/** mulberry32: a small, fast, seeded PRNG; the same seed gives the same customers. */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TYPE_WEIGHTS: [CustomerType, number][] = [
  ['hospital', 30],
  ['clinic', 20],
  ['pharmacy', 30],
  ['distributor', 10],
  ['agent', 6],
  ['other', 4],
];
const GRADE_WEIGHTS: [CustomerGrade | null, number][] = [[null, 10], ['C', 30], ['B', 25], ['A', 15], ['H', 8], ['O', 12]];
const STAGE_WEIGHTS: [LifecycleStage, number][] = [['identified', 20], ['lead', 25], ['intent', 20], ['purchasing', 20], ['complete', 15]];
const SOURCE_WEIGHTS: [CustomerSource | null, number][] = [
  [null, 8], ['rep', 35], ['visit', 15], ['referral', 10], ['phone', 8], ['event', 6], ['website', 5], ['media', 4], ['email', 4], ['sms', 3], ['fax', 2],
];

/**
 * Plans customers one at a time with unique normalised names and credit codes. `taken` holds the
 * name keys already used (in the database or planned); the credit codes are unique by construction
 * (a serial number in the organisation-code part, offset by `serialBase`).
 */
export class CustomerGenerator {
  private serial: number;
  private readonly overflow = new Map<string, number>();

  constructor(
    private readonly rng: Rng,
    private readonly index: TerritoryIndex,
    readonly taken: Set<string>,
    serialBase = 0,
  ) {
    this.serial = serialBase;
  }

  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.rng() * list.length)]!;
  }

  weighted<T>(pairs: readonly [T, number][]): T {
    const total = pairs.reduce((s, [, w]) => s + w, 0);
    let x = this.rng() * total;
    for (const [v, w] of pairs) {
      x -= w;
      if (x < 0) return v;
    }
    return pairs[pairs.length - 1]![0];
  }

  /** Claims a name if its normalised form is free. */
  claim(name: string): boolean {
    const key = normaliseName(name);
    if (this.taken.has(key)) return false;
    this.taken.add(key);
    return true;
  }

  /** A customer of the given (or a random) type at a leaf territory, owned by `owner` or nobody. */
  plan(leaf: Place, owner: { id: number; departmentId: number | null } | null, type: CustomerType = this.weighted(TYPE_WEIGHTS)): CustomerPlan {
    const where = this.index.context(leaf);
    let named: Named | null = null;
    for (let attempt = 0; attempt < 12 && !named; attempt++) {
      const candidate = this.nameFor(type, where);
      if (this.claim(candidate.name)) named = candidate;
    }
    named ??= this.numberedName(type, where);
    return this.fill(named, type, leaf, where, owner);
  }

  /** A customer with a fixed name (the well-known demo customers). */
  planNamed(name: string, type: CustomerType, leaf: Place, owner: { id: number; departmentId: number | null } | null, extra: Partial<CustomerPlan> = {}): CustomerPlan {
    if (!this.claim(name)) throw new Error(`demo customer ${name} planned twice`);
    return { ...this.fill({ name, shortName: null, hospitalGrade: null }, type, leaf, this.index.context(leaf), owner), ...extra };
  }

  private nameFor(type: CustomerType, w: Where): Named {
    const cityFull = w.city.name;
    const city = shortPlace(w.city.name);
    const province = shortPlace(w.province.name);
    const county = w.county.name;
    const countyShort = shortPlace(county);
    const isDistrict = county.endsWith('区') || w.city === w.province;
    // 西湖区 is said with its city (杭州市西湖区人民医院); 桐庐县 and county-level cities stand alone.
    const local = isDistrict ? `${cityFull === county ? '' : cityFull}${county}` : county;
    const r = this.rng();
    switch (type) {
      case 'hospital': {
        if (r < 0.22) {
          const k = 1 + Math.floor(this.rng() * this.rng() * 8);
          return { name: `${cityFull}第${chineseOrdinal(k)}人民医院`, shortName: `${city}${k === 1 ? '一' : chineseOrdinal(k)}院`, hospitalGrade: k <= 2 ? '3A' : this.pick(['3B', '2A'] as const) };
        }
        if (r < 0.32) return { name: `${cityFull}${this.pick(['中医院', '中医医院', '中西医结合医院'])}`, shortName: `${city}中医院`, hospitalGrade: this.pick(['3A', '3B'] as const) };
        if (r < 0.4) return { name: `${cityFull}${this.pick(['妇幼保健院', '儿童医院', '肿瘤医院', '口腔医院', '精神卫生中心', '传染病医院', '眼科医院'])}`, shortName: null, hospitalGrade: this.pick(['3A', '3B', '2A'] as const) };
        if (r < 0.46) {
          const k = 1 + Math.floor(this.rng() * 3);
          const school = w.city.id.endsWith('0100') || w.city === w.province ? `${province}大学` : `${city}医学院`;
          return { name: `${school}附属第${chineseOrdinal(k)}医院`, shortName: `${school.slice(0, 2)}附${chineseOrdinal(k)}`, hospitalGrade: '3A' };
        }
        if (r < 0.75) return { name: `${local}${this.pick(['人民医院', '中医院', '第二人民医院', '中心医院'])}`, shortName: `${countyShort}${r < 0.6 ? '人民医院' : '医院'}`, hospitalGrade: this.pick(['2A', '2A', '2B', '3B'] as const) };
        if (r < 0.85) return { name: `${local}妇幼保健院`, shortName: null, hospitalGrade: this.pick(['2A', '2B'] as const) };
        if (isDistrict) return { name: `${local}${this.pick(STREETS)}社区医院`, shortName: null, hospitalGrade: this.pick(['1A', '2C', 'unrated'] as const) };
        return { name: `${local}${this.pick(TOWNS)}镇中心卫生院`, shortName: null, hospitalGrade: this.pick(['1A', '1B', 'unrated'] as const) };
      }
      case 'clinic': {
        // Urban districts have 街道 and their 社区卫生服务中心; counties have 镇 and 镇卫生院.
        if (r < 0.45 || (isDistrict && r < 0.7)) return { name: `${local}${this.pick(STREETS)}街道社区卫生服务中心`, shortName: null, hospitalGrade: null };
        if (r < 0.7) return { name: `${local}${this.pick(TOWNS)}镇卫生院`, shortName: null, hospitalGrade: null };
        if (r < 0.88) return { name: `${local}${this.person()}${this.pick(['诊所', '中医诊所', '口腔诊所'])}`, shortName: null, hospitalGrade: null };
        return { name: `${city}${this.pick(FIRMS)}${this.pick(['门诊部', '中医门诊部', '综合门诊部'])}`, shortName: null, hospitalGrade: null };
      }
      case 'pharmacy': {
        if (r < 0.75) {
          const chain = this.pick(CHAINS);
          return { name: `${chain}（${countyShort}${this.pick(STREETS)}店）`, shortName: `${chain.length > 4 ? chain.replace('大药房', '') : chain}${countyShort}店`, hospitalGrade: null };
        }
        return { name: `${city}${this.pick(FIRMS)}${this.pick(['大药房', '药店', '医药连锁有限公司', '大药房连锁有限公司'])}`, shortName: null, hospitalGrade: null };
      }
      case 'distributor': {
        if (r < 0.35) return { name: this.pick(NATIONAL_DISTRIBUTORS)(city), shortName: null, hospitalGrade: null };
        if (r < 0.8) return { name: `${city}${this.pick(FIRMS)}医药${this.pick(['有限公司', '股份有限公司', '有限责任公司'])}`, shortName: null, hospitalGrade: null };
        return { name: `${province}${this.pick(FIRMS)}医药${this.pick(['集团有限公司', '物流有限公司', '配送有限公司'])}`, shortName: null, hospitalGrade: null };
      }
      case 'agent':
        return { name: `${r < 0.5 ? city : countyShort}${this.pick(FIRMS)}${this.pick(['医药科技有限公司', '生物科技有限公司', '医药咨询有限公司', '医疗器械有限公司'])}`, shortName: null, hospitalGrade: null };
      default:
        if (r < 0.5) return { name: `${local}疾病预防控制中心`, shortName: null, hospitalGrade: null };
        if (r < 0.75) return { name: `${local}${this.pick(['养老院', '社会福利院', '康养中心'])}`, shortName: null, hospitalGrade: null };
        return { name: `${local}${this.pick(['急救中心', '血站', '卫生健康委员会'])}`, shortName: null, hospitalGrade: null };
    }
  }

  /** When the plain names of a place are used up: a numbered branch, station or hospital (第三十一人民医院). */
  private numberedName(type: CustomerType, w: Where): Named {
    const countyShort = shortPlace(w.county.name);
    const local = w.county.name.endsWith('区') && w.city !== w.province ? `${w.city.name}${w.county.name}` : w.county.name;
    const key = `${type}|${w.county.id}`;
    for (;;) {
      const k = (this.overflow.get(key) ?? 1) + 1;
      this.overflow.set(key, k);
      const n = chineseOrdinal(k);
      const named: Named =
        type === 'hospital'
          ? { name: `${local}第${n}人民医院`, shortName: null, hospitalGrade: '2B' }
          : type === 'pharmacy'
            ? { name: `${this.pick(CHAINS)}（${countyShort}${this.pick(STREETS)}${n}店）`, shortName: null, hospitalGrade: null }
            : type === 'clinic'
              ? { name: `${local}${this.pick(STREETS)}第${n}社区卫生服务站`, shortName: null, hospitalGrade: null }
              : type === 'distributor'
                ? { name: `${shortPlace(w.city.name)}${this.pick(FIRMS)}医药${countyShort}第${n}分公司`, shortName: null, hospitalGrade: null }
                : type === 'agent'
                  ? { name: `${countyShort}${this.pick(FIRMS)}${n}号医药科技有限公司`, shortName: null, hospitalGrade: null }
                  : { name: `${local}第${n}卫生服务站`, shortName: null, hospitalGrade: null };
      if (this.claim(named.name)) return named;
    }
  }

  private person(): string {
    return this.pick([...SURNAMES]) + this.pick([...GIVEN]) + (this.rng() < 0.6 ? this.pick([...GIVEN]) : '');
  }

  /** A valid 统一社会信用代码: registration authority and kind by type, the county's code, a serial, the check character. */
  private creditCode(type: CustomerType, countyId: string): string {
    this.serial += 1;
    const prefix = type === 'hospital' || type === 'other' ? '12' : type === 'clinic' ? (this.rng() < 0.5 ? '12' : '52') : '91';
    const organisation = String(this.serial).padStart(8, '0') + String(Math.floor(this.rng() * 10));
    const first17 = prefix + countyId.padEnd(6, '0').slice(0, 6) + organisation;
    return first17 + creditCodeCheckChar(first17)!;
  }

  private digits(n: number): string {
    let s = String(1 + Math.floor(this.rng() * 9));
    while (s.length < n) s += Math.floor(this.rng() * 10);
    return s;
  }

  private fill(named: Named, type: CustomerType, leaf: Place, w: Where, owner: { id: number; departmentId: number | null } | null): CustomerPlan {
    const road = `${this.pick(STREETS)}${this.pick(['路', '大道', '街'])}${1 + Math.floor(this.rng() * 400)}号`;
    const address = `${w.province.name}${w.city === w.province ? '' : w.city.name}${w.county === w.city ? '' : w.county.name}${road}`;
    const phone = `0${this.digits(2)}-${this.digits(8)}`;
    const trading = type === 'distributor' || type === 'agent';
    const withoutCode = type === 'clinic' && this.rng() < 0.1; // small clinics often have not given theirs yet
    const creditCode = withoutCode ? null : this.creditCode(type, w.county.id);
    const grade = this.weighted(GRADE_WEIGHTS);
    const departments =
      type === 'hospital'
        ? [...new Set(['药剂科', ...Array.from({ length: 3 + Math.floor(this.rng() * 6) }, () => this.pick(HOSPITAL_DEPARTMENTS))])]
        : [];
    const creditLimitYuan = type === 'distributor' ? this.pick([500_000, 1_000_000, 2_000_000, 5_000_000, 10_000_000, 30_000_000]) : type === 'agent' ? this.pick([0, 100_000, 300_000, 500_000]) : 0;
    const bank = this.pick(BANKS);
    return {
      name: named.name,
      shortName: named.shortName,
      aliases: named.shortName && this.rng() < 0.3 ? [named.shortName.replace(/院$/, '医院')].filter((a) => a !== named.name && a !== named.shortName) : [],
      creditCode,
      type,
      territoryId: leaf.id,
      territoryPath: leaf.path,
      address,
      hospitalGrade: type === 'hospital' ? named.hospitalGrade : null,
      hospitalDepartments: departments,
      ownerId: owner?.id ?? null,
      ownerDepartmentId: owner ? owner.departmentId : null,
      source: this.weighted(SOURCE_WEIGHTS),
      lifecycleStage: grade === 'O' ? 'purchasing' : this.weighted(STAGE_WEIGHTS),
      grade,
      // Yuan amounts plus a few fen, so that exact fen handling shows.
      creditLimitFen: BigInt(creditLimitYuan) * 100n,
      paymentTermsDays: type === 'distributor' ? this.pick([30, 45, 60, 90, 120]) : type === 'agent' ? this.pick([0, 30, 60]) : 0,
      invoiceTitle: trading ? named.name : null,
      taxNumber: trading ? creditCode : null,
      bankName: trading ? `${bank}${shortPlace(w.city.name)}${this.pick(STREETS)}支行` : null,
      bankAccount: trading ? this.digits(19) : null,
      invoiceAddress: trading ? address : null,
      invoicePhone: trading ? phone : null,
      phone,
      notes: null,
    };
  }
}

type Where = { province: Place; city: Place; county: Place };
type Named = { name: string; shortName: string | null; hospitalGrade: HospitalGrade | null };

/** The name keys of every customer that is not merged away (what the unique index compares). */
export async function takenNameKeys(db: Queryable): Promise<Set<string>> {
  const rows = rowsOf<{ k: string }>(await db.execute(sql`select name_key as k from customers where status <> 'merged'`));
  return new Set(rows.map((r) => r.k));
}

/** The highest serial a generated credit code used, so a second generation continues after it. */
export async function creditCodeSerialBase(db: Queryable): Promise<number> {
  const rows = rowsOf<{ n: number | null }>(await db.execute(sql`select count(*)::int as n from customers`));
  return (rows[0]?.n ?? 0) + 1_000_000;
}
