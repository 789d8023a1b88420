import { and, eq, inArray, ne, or, sql } from 'drizzle-orm';
import { territories, users } from '../../kernel/access/access.tables.js';
import { auditMany } from '../../kernel/audit/audit.js';
import { isValidCreditCode, normaliseCreditCode } from '../../kernel/credit-code.js';
import type { Queryable } from '../../kernel/db/client.js';
import { type CellParser, type Importer, type Text2, enumOf, integer, reference, text } from '../../kernel/excel/import.js';
import type { StoredCellError } from '../../kernel/excel/import.tables.js';
import { parseYuan } from '../../kernel/money.js';
import { normaliseName } from '../../kernel/names.js';
import { type NewCustomerRow, insertCustomersInBulk } from './customers.bulk.js';
import { CUSTOMER_TYPE_NAMES, GRADE_NAMES } from './customers.names.js';
import {
  CUSTOMER_GRADES,
  CUSTOMER_SOURCES,
  CUSTOMER_TYPES,
  type CustomerGrade,
  type CustomerSource,
  type CustomerType,
  type HospitalGrade,
  customers,
} from './customers.tables.js';

/**
 * Importing customers from Excel (客户导入): how a sales office moves its spreadsheet of existing
 * customers into RxDesk, once, when it starts using it.
 *
 * Rule: an imported customer is created directly, without an account opening (开户) and its
 * manager approval. These are historical customers the company already trades with; the approval
 * that DOMAIN.md flow 1 requires of a *new* customer happened, on paper, long ago. Only holders of
 * customers.import (the sales office) may do it, and every created customer is audited
 * (customer.created, with source 'import' and the batch's row), exactly like createCustomer.
 *
 * The same rules as createCustomer, checked for all rows at once: a valid 统一社会信用代码; a real
 * territory (省 / 市 / 区县 by name, tolerating 省/市/区/县 suffixes, or the 6-digit 地区编码); no
 * duplicate of an existing customer or of another row of the file by normalised name or credit
 * code; an active owner (负责业务员, by username or name) whose department becomes the customer's;
 * a hospital grade only on hospitals; the credit limit in yuan converted to fen exactly.
 */

// ---- Vocabulary: what offices write in their spreadsheets ----------------------------------------

const TYPE_SYNONYMS: Record<CustomerType, string[]> = {
  distributor: ['商业公司', '配送商', '经销商', '商业', '分销商', '医药公司', '批发'],
  agent: ['代理商', '代理'],
  hospital: ['医院', '公立医院', '民营医院'],
  clinic: ['诊所', '基层医疗', '社区卫生服务中心', '卫生院', '门诊部'],
  pharmacy: ['药店', '零售药店', '连锁药店', '药房', '连锁'],
  other: ['其他', '其它'],
};

const SOURCE_NAMES: Record<CustomerSource, Text2 & { more: string[] }> = {
  phone: { 'zh-CN': '电话', 'en-US': 'Phone', more: ['电话咨询', '来电'] },
  fax: { 'zh-CN': '传真', 'en-US': 'Fax', more: [] },
  email: { 'zh-CN': '邮件', 'en-US': 'Email', more: ['电子邮件', 'e-mail'] },
  sms: { 'zh-CN': '短信', 'en-US': 'SMS', more: [] },
  visit: { 'zh-CN': '拜访', 'en-US': 'Visit', more: ['上门拜访', '陌拜'] },
  media: { 'zh-CN': '媒体', 'en-US': 'Media', more: ['广告', '媒体广告'] },
  website: { 'zh-CN': '网站', 'en-US': 'Website', more: ['网络', '官网'] },
  event: { 'zh-CN': '会议/展会', 'en-US': 'Event', more: ['会议', '展会', '学术会议'] },
  referral: { 'zh-CN': '客户介绍', 'en-US': 'Referral', more: ['介绍', '转介绍'] },
  rep: { 'zh-CN': '业务员开发', 'en-US': 'Rep-developed', more: ['业务员', '自主开发'] },
};

const HOSPITAL_GRADE_NAMES: Record<HospitalGrade, string[]> = {
  '3A': ['三甲', '三级甲等', '三级甲'],
  '3B': ['三乙', '三级乙等', '三级乙'],
  '3C': ['三丙', '三级丙等'],
  '2A': ['二甲', '二级甲等', '二级甲'],
  '2B': ['二乙', '二级乙等', '二级乙'],
  '2C': ['二丙', '二级丙等'],
  '1A': ['一甲', '一级甲等'],
  '1B': ['一乙', '一级乙等'],
  '1C': ['一丙', '一级丙等'],
  unrated: ['未定级', '未评级', '无'],
};

/** An enumeration that also accepts the synonyms people write (经销商 for distributor, 三甲 for 3A). */
export function vocabulary<V extends string>(entries: { value: V; label: Text2; more: string[] }[]): CellParser {
  const base = enumOf(entries.map(({ value, label }) => ({ value, label })));
  const byKey = new Map<string, V>();
  for (const e of entries) for (const k of [e.value, e.label['zh-CN'], e.label['en-US'], ...e.more]) byKey.set(k.normalize('NFKC').replace(/\s+/g, '').toLowerCase(), e.value);
  return {
    ...base,
    parse(raw) {
      const hit = byKey.get(raw.normalize('NFKC').replace(/\s+/g, '').toLowerCase());
      return hit === undefined ? base.parse(raw) : { ok: true, value: hit };
    },
  };
}

export const typeParser = vocabulary(CUSTOMER_TYPES.map((t) => ({ value: t, label: CUSTOMER_TYPE_NAMES[t], more: TYPE_SYNONYMS[t] })));
export const sourceParser = vocabulary(CUSTOMER_SOURCES.map((s) => ({ value: s, label: SOURCE_NAMES[s], more: SOURCE_NAMES[s].more })));
export const gradeParser = vocabulary(CUSTOMER_GRADES.map((g) => ({ value: g, label: { 'zh-CN': g, 'en-US': g }, more: [GRADE_NAMES[g]['zh-CN'], GRADE_NAMES[g]['en-US'], g.toLowerCase()] })));
const hospitalGradeParser = vocabulary(
  (Object.keys(HOSPITAL_GRADE_NAMES) as HospitalGrade[]).map((g) => ({
    value: g,
    label: { 'zh-CN': HOSPITAL_GRADE_NAMES[g][0]!, 'en-US': g === 'unrated' ? 'Unrated' : `Grade ${g}` },
    more: HOSPITAL_GRADE_NAMES[g],
  })),
);

const creditCodeParser: CellParser = {
  parse(raw) {
    const code = normaliseCreditCode(raw);
    return isValidCreditCode(code) ? { ok: true, value: code } : { ok: false, code: 'CUSTOMER_CREDIT_CODE_INVALID' };
  },
};

/** 信用额度（元）: '1,234.50' → 123450n fen, exactly (no floating point on the way). */
const yuanParser: CellParser = {
  parse(raw) {
    const fen = parseYuan(raw);
    if (fen === null) return { ok: false, code: 'IMPORT_NOT_AMOUNT', params: { value: raw } };
    if (fen < 0n) return { ok: false, code: 'IMPORT_OUT_OF_RANGE', params: { value: raw, min: 0, max: '' } };
    return { ok: true, value: fen.toString() }; // kept as text: the parsed rows are stored as JSON
  },
};

const aliasesParser: CellParser = {
  parse(raw) {
    const list = raw.split(/[;；\n]+/).map((s) => s.trim()).filter(Boolean);
    if (list.some((a) => a.length > 100)) return { ok: false, code: 'IMPORT_TOO_LONG', params: { max: 100 } };
    return { ok: true, value: [...new Set(list)] };
  },
};

/** Active users by username or display name (the name may be shared: then the username is needed). */
async function loadOwners(db: Queryable, values: string[] | null) {
  const where = values === null ? undefined : or(inArray(sql`lower(${users.username})`, values.map((v) => v.toLowerCase())), inArray(users.displayName, values));
  const rows = await db
    .select({ id: users.id, username: users.username, displayName: users.displayName })
    .from(users)
    .where(and(eq(users.status, 'active'), sql`${users.agentCustomerId} is null`, where));
  return rows.map((r) => ({ id: r.id, keys: [r.username, r.displayName], label: `${r.displayName}（${r.username}）` }));
}

// ---- Territories: 省 / 市 / 区县 names or 地区编码 -----------------------------------------------

type Territory = { id: string; name: string; level: string; parentId: string | null; path: string };

/** 广东省 / 广东, 广州市 / 广州, 天河区 / 天河, 浦东新区 / 浦东, 广西壮族自治区 / 广西 all compare equal. */
export function placeKey(name: string): string {
  const s = name.normalize('NFKC').replace(/\s+/g, '');
  const short = s.replace(/(特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|自治州|自治县|地区|新区|省|市|盟|区|县|旗)$/, '');
  return short.length >= 2 ? short : s;
}

export class TerritoryLookup {
  private readonly byId = new Map<string, Territory>();
  private readonly children = new Map<string | null, Territory[]>();
  constructor(rows: Territory[]) {
    for (const r of rows) {
      this.byId.set(r.id, r);
      this.children.set(r.parentId, [...(this.children.get(r.parentId) ?? []), r]);
    }
  }
  static async load(db: Queryable) {
    return new TerritoryLookup(await db.select({ id: territories.id, name: territories.name, level: territories.level, parentId: territories.parentId, path: territories.path }).from(territories));
  }
  get(id: string) {
    return this.byId.get(id);
  }
  /** Territories named `name` below `under` (any depth), or anywhere when `under` is null. */
  find(name: string, under: Territory | null, levels: string[]): Territory[] {
    const key = placeKey(name);
    return [...this.byId.values()].filter((t) => levels.includes(t.level) && placeKey(t.name) === key && (!under || t.path.startsWith(under.path)));
  }
}

type TerritoryCells = { province: string | null; city: string | null; county: string | null; territoryCode: string | null };

/** The most precise territory the row names, or the problem with the column it is in. */
export function resolveTerritory(lookup: TerritoryLookup, cells: TerritoryCells): { ok: true; territory: Territory } | { ok: false; error: StoredCellError } {
  if (cells.territoryCode) {
    const t = lookup.get(cells.territoryCode.trim());
    return t ? { ok: true, territory: t } : { ok: false, error: { column: 'territoryCode', code: 'IMPORT_NOT_FOUND', params: { what: 'territory_code', value: cells.territoryCode } } };
  }
  if (!cells.province && !cells.city && !cells.county) return { ok: false, error: { column: 'province', code: 'CUSTOMER_IMPORT_TERRITORY_REQUIRED' } };
  const one = (column: keyof TerritoryCells, value: string, found: Territory[]): { ok: true; territory: Territory } | { ok: false; error: StoredCellError } => {
    if (found.length === 1) return { ok: true, territory: found[0]! };
    if (found.length === 0) return { ok: false, error: { column, code: 'IMPORT_NOT_FOUND', params: { what: 'territory', value } } };
    return {
      ok: false,
      error: {
        column,
        code: 'IMPORT_AMBIGUOUS',
        params: { what: 'territory', value, candidates: found.map((t) => `${t.name}（${t.id}）`).join('；'), hint: { 'zh-CN': '请同时填写省、市，或填写地区编码', 'en-US': 'also fill in the province and city, or the territory code' } },
      },
    };
  };
  let at: Territory | null = null;
  if (cells.province) {
    const r = one('province', cells.province, lookup.find(cells.province, null, ['province']));
    if (!r.ok) return r;
    at = r.territory;
  }
  if (cells.city) {
    // 北京市 / 北京市 / 东城区: a municipality's 市 repeats the province (or says 市辖区).
    const repeatsProvince = at && (placeKey(cells.city) === placeKey(at.name) || cells.city.trim() === '市辖区');
    if (!repeatsProvince) {
      const r = one('city', cells.city, lookup.find(cells.city, at, ['city']));
      if (!r.ok) return r;
      at = r.territory;
    }
  }
  if (cells.county) {
    const r = one('county', cells.county, lookup.find(cells.county, at, ['county', 'city']).filter((t) => t.id !== at?.id));
    if (!r.ok) return r;
    at = r.territory;
  }
  return { ok: true, territory: at! };
}

// ---- The importer ------------------------------------------------------------------------------------

type PreparedCustomer = { row: number; values: Record<string, unknown> };

const str = (v: unknown) => (v === null || v === undefined || v === '' ? null : String(v));

export const customersImporter: Importer<PreparedCustomer> = {
  kind: 'customers',
  permission: 'customers.import',
  title: { 'zh-CN': '客户', 'en-US': 'Customers' },
  maxRows: 20_000,
  columns: [
    {
      key: 'name',
      header: { 'zh-CN': '客户名称', 'en-US': 'Customer name' },
      required: true,
      parser: text({ max: 200 }),
      note: { 'zh-CN': '全称，如营业执照所写；规范化后（繁简、全半角、括号、有限公司等后缀）不能与已有客户或文件中其他行相同', 'en-US': 'Full legal name; after normalisation it must not equal an existing customer or another row' },
      example: '杭州市第一人民医院',
      width: 30,
    },
    { key: 'shortName', header: { 'zh-CN': '简称', 'en-US': 'Short name' }, parser: text({ max: 100 }), note: { 'zh-CN': '可空', 'en-US': 'Optional' }, example: '杭州一院' },
    {
      key: 'aliases',
      header: { 'zh-CN': '别名', 'en-US': 'Aliases' },
      parser: aliasesParser,
      note: { 'zh-CN': '其他叫法，多个用 ; 分隔（用于搜索和流向匹配）', 'en-US': 'Other names, separated by ; (for search and flow matching)' },
      example: '杭州一医院;浙大附属杭州市第一医院',
      width: 26,
    },
    {
      key: 'type',
      header: { 'zh-CN': '类型', 'en-US': 'Type' },
      required: true,
      parser: typeParser,
      note: { 'zh-CN': '医院、诊所/基层医疗、零售药店/连锁、商业公司/配送商、代理商、其他（也可写 经销商、药店、卫生院 等）', 'en-US': 'Hospital, clinic, pharmacy, distributor, agent or other' },
      example: '医院',
    },
    {
      key: 'creditCode',
      header: { 'zh-CN': '统一社会信用代码', 'en-US': 'Unified social credit code' },
      parser: creditCodeParser,
      note: { 'zh-CN': '18 位，校验位须正确；不能与已有客户重复', 'en-US': '18 characters with a correct check character; unique' },
      example: '12330100470000000A',
      width: 22,
    },
    { key: 'province', header: { 'zh-CN': '省', 'en-US': 'Province' }, parser: text({ max: 30 }), note: { 'zh-CN': '如 浙江省 或 浙江', 'en-US': 'e.g. 浙江省 or 浙江' }, example: '浙江省' },
    { key: 'city', header: { 'zh-CN': '市', 'en-US': 'City' }, parser: text({ max: 30 }), note: { 'zh-CN': '如 杭州市 或 杭州；直辖市可空', 'en-US': 'e.g. 杭州市; may be blank for municipalities' }, example: '杭州市' },
    {
      key: 'county',
      header: { 'zh-CN': '区县', 'en-US': 'County / district' },
      parser: text({ max: 30 }),
      note: { 'zh-CN': '如 上城区；省、市、区县至少填一项，或填地区编码', 'en-US': 'e.g. 上城区; fill at least one of province, city, county, or the territory code' },
      example: '上城区',
    },
    {
      key: 'territoryCode',
      header: { 'zh-CN': '地区编码', 'en-US': 'Territory code' },
      parser: text({ max: 12 }),
      note: { 'zh-CN': '6 位行政区划代码，填写后优先于省/市/区县', 'en-US': '6-digit division code; takes precedence over the names' },
      example: '',
    },
    { key: 'address', header: { 'zh-CN': '地址', 'en-US': 'Address' }, parser: text({ max: 300 }), note: { 'zh-CN': '可空', 'en-US': 'Optional' }, example: '浙江省杭州市上城区浣纱路261号', width: 30 },
    {
      key: 'hospitalGrade',
      header: { 'zh-CN': '医院等级', 'en-US': 'Hospital grade' },
      parser: hospitalGradeParser,
      note: { 'zh-CN': '仅医院填写：三甲、三乙、二甲……未定级', 'en-US': 'Hospitals only: 三甲 (3A), 三乙, 二甲 … 未定级' },
      example: '三甲',
    },
    {
      key: 'ownerId',
      header: { 'zh-CN': '负责业务员', 'en-US': 'Owner (rep)' },
      parser: reference({ what: 'user', load: loadOwners, hint: { 'zh-CN': '请填写用户名', 'en-US': 'write the username instead' } }),
      note: { 'zh-CN': '用户名或姓名；重名时填用户名。可空（待分配）', 'en-US': 'Username or name; use the username when names repeat. Blank = unassigned' },
      example: 'rep',
    },
    { key: 'source', header: { 'zh-CN': '客户来源', 'en-US': 'Source' }, parser: sourceParser, note: { 'zh-CN': '可空', 'en-US': 'Optional' }, example: '业务员开发' },
    { key: 'grade', header: { 'zh-CN': '分级', 'en-US': 'Grade' }, parser: gradeParser, note: { 'zh-CN': 'C 冷淡、B 一般、A 意向、H 热点、O 已订单', 'en-US': 'C cold, B lukewarm, A interested, H hot, O ordered' }, example: 'A' },
    {
      key: 'creditLimitFen',
      header: { 'zh-CN': '信用额度（元）', 'en-US': 'Credit limit (yuan)' },
      parser: yuanParser,
      note: { 'zh-CN': '元，最多两位小数，如 500000 或 1,234.50；空 = 0（款到发货）', 'en-US': 'Yuan, up to 2 decimals; blank = 0 (payment before delivery)' },
      example: '500000',
    },
    { key: 'paymentTermsDays', header: { 'zh-CN': '账期（天）', 'en-US': 'Payment terms (days)' }, parser: integer({ min: 0, max: 3650 }), note: { 'zh-CN': '0–3650，空 = 0', 'en-US': '0–3650; blank = 0' }, example: '60' },
    { key: 'invoiceTitle', header: { 'zh-CN': '开票抬头', 'en-US': 'Invoice title' }, parser: text({ max: 200 }), note: { 'zh-CN': '可空', 'en-US': 'Optional' }, example: '杭州市第一人民医院', width: 26 },
    { key: 'taxNumber', header: { 'zh-CN': '税号', 'en-US': 'Tax number' }, parser: text({ max: 30 }), note: { 'zh-CN': '可空', 'en-US': 'Optional' }, example: '12330100470000000A', width: 22 },
    { key: 'bankName', header: { 'zh-CN': '开户银行', 'en-US': 'Bank' }, parser: text({ max: 100 }), note: { 'zh-CN': '可空', 'en-US': 'Optional' }, example: '中国工商银行杭州解放路支行', width: 26 },
    { key: 'bankAccount', header: { 'zh-CN': '银行账号', 'en-US': 'Bank account' }, parser: text({ max: 40 }), note: { 'zh-CN': '可空', 'en-US': 'Optional' }, example: '1202021209900012345', width: 22 },
    { key: 'invoiceAddress', header: { 'zh-CN': '开票地址', 'en-US': 'Invoice address' }, parser: text({ max: 300 }), note: { 'zh-CN': '可空', 'en-US': 'Optional' }, example: '', width: 26 },
    { key: 'invoicePhone', header: { 'zh-CN': '开票电话', 'en-US': 'Invoice phone' }, parser: text({ max: 30 }), note: { 'zh-CN': '可空', 'en-US': 'Optional' }, example: '' },
    { key: 'phone', header: { 'zh-CN': '电话', 'en-US': 'Phone' }, parser: text({ max: 30 }), note: { 'zh-CN': '可空', 'en-US': 'Optional' }, example: '0571-56006666' },
    {
      key: 'code',
      header: { 'zh-CN': '客户编码', 'en-US': 'Customer code' },
      parser: text({ max: 30 }),
      note: { 'zh-CN': '可空：留空则自动编号 KH000001…；填写则沿用原系统（ERP）编码，不能重复', 'en-US': 'Optional: blank = numbered KH000001…; otherwise the ERP code is kept and must be unique' },
      example: '',
    },
    { key: 'notes', header: { 'zh-CN': '备注', 'en-US': 'Notes' }, parser: text({ max: 1000 }), note: { 'zh-CN': '可空', 'en-US': 'Optional' }, example: '', width: 30 },
  ],

  async validate(db, rows) {
    const problems = new Map<number, StoredCellError[]>();
    const add = (row: number, e: StoredCellError) => problems.set(row, [...(problems.get(row) ?? []), e]);
    const lookup = await TerritoryLookup.load(db);
    const firstByName = new Map<string, number>();
    const firstByCode = new Map<string, number>();
    const firstByCustomerCode = new Map<string, number>();
    for (const r of rows) {
      const v = r.values;
      const territory = resolveTerritory(lookup, { province: str(v.province), city: str(v.city), county: str(v.county), territoryCode: str(v.territoryCode) });
      if (!territory.ok) add(r.row, territory.error);
      if (v.hospitalGrade && v.type !== 'hospital') add(r.row, { column: 'hospitalGrade', code: 'CUSTOMER_HOSPITAL_GRADE_NOT_HOSPITAL' });
      const key = normaliseName(String(v.name));
      const sameName = firstByName.get(key);
      if (sameName === undefined) firstByName.set(key, r.row);
      else add(r.row, { column: 'name', code: 'IMPORT_DUPLICATE_IN_FILE', params: { value: v.name, row: sameName } });
      if (v.creditCode) {
        const sameCode = firstByCode.get(String(v.creditCode));
        if (sameCode === undefined) firstByCode.set(String(v.creditCode), r.row);
        else add(r.row, { column: 'creditCode', code: 'IMPORT_DUPLICATE_IN_FILE', params: { value: v.creditCode, row: sameCode } });
      }
      if (v.code) {
        const same = firstByCustomerCode.get(String(v.code));
        if (same === undefined) firstByCustomerCode.set(String(v.code), r.row);
        else add(r.row, { column: 'code', code: 'IMPORT_DUPLICATE_IN_FILE', params: { value: v.code, row: same } });
      }
    }
    // Against the database, in three queries whatever the number of rows.
    const existing = await existingDuplicates(db, [...firstByName.keys()], [...firstByCode.keys()], [...firstByCustomerCode.keys()]);
    for (const r of rows) {
      const v = r.values;
      const byName = existing.byNameKey.get(normaliseName(String(v.name)));
      if (byName) add(r.row, { column: 'name', code: 'CUSTOMER_DUPLICATE_NAME', params: byName });
      const byCode = v.creditCode ? existing.byCreditCode.get(String(v.creditCode)) : undefined;
      if (byCode) add(r.row, { column: 'creditCode', code: 'CUSTOMER_DUPLICATE_CREDIT_CODE', params: byCode });
      if (v.code && existing.codes.has(String(v.code))) add(r.row, { column: 'code', code: 'CUSTOMER_CODE_TAKEN' });
    }
    return problems;
  },

  async commit(tx, actor, rows) {
    const lookup = await TerritoryLookup.load(tx);
    const ownerIds = [...new Set(rows.map((r) => r.values.ownerId).filter((id): id is number => typeof id === 'number'))];
    const owners = ownerIds.length ? await tx.select({ id: users.id, departmentId: users.departmentId }).from(users).where(inArray(users.id, ownerIds)) : [];
    const departmentOf = new Map(owners.map((o) => [o.id, o.departmentId]));
    const planned: NewCustomerRow[] = rows.map(({ values: v }) => {
      const territory = resolveTerritory(lookup, { province: str(v.province), city: str(v.city), county: str(v.county), territoryCode: str(v.territoryCode) });
      if (!territory.ok) throw new Error('territory resolved at validation but not at commit'); // validate ran in this transaction
      const name = String(v.name).trim();
      const ownerId = typeof v.ownerId === 'number' ? v.ownerId : null;
      return {
        code: str(v.code),
        name,
        shortName: str(v.shortName),
        aliases: ((v.aliases as string[] | null) ?? []).filter((a) => a !== name),
        creditCode: str(v.creditCode),
        type: v.type as CustomerType,
        territoryId: territory.territory.id,
        territoryPath: territory.territory.path,
        address: str(v.address) ?? '',
        hospitalGrade: (v.hospitalGrade as HospitalGrade | null) ?? null,
        hospitalDepartments: [],
        ownerId,
        ownerDepartmentId: ownerId === null ? null : (departmentOf.get(ownerId) ?? null),
        source: (v.source as CustomerSource | null) ?? null,
        lifecycleStage: 'purchasing',
        grade: (v.grade as CustomerGrade | null) ?? null,
        creditLimitFen: v.creditLimitFen ? BigInt(String(v.creditLimitFen)) : 0n,
        paymentTermsDays: (v.paymentTermsDays as number | null) ?? 0,
        invoiceTitle: str(v.invoiceTitle),
        taxNumber: str(v.taxNumber),
        bankName: str(v.bankName),
        bankAccount: str(v.bankAccount),
        invoiceAddress: str(v.invoiceAddress),
        invoicePhone: str(v.invoicePhone),
        phone: str(v.phone),
        notes: str(v.notes),
      };
    });
    const inserted = await insertCustomersInBulk(tx, planned, actor.id || null);
    await auditMany(
      tx,
      actor,
      inserted.map((c, i) => ({
        action: 'customer.created',
        entity: 'customer',
        entityId: c.id,
        after: { ...planned[i], code: c.code, via: 'import', row: rows[i]!.row },
      })),
    );
    return { committed: inserted.length };
  },
};

type DuplicateParams = { name: string; code: string; owner: string };

async function existingDuplicates(db: Queryable, nameKeys: string[], creditCodes: string[], codes: string[]) {
  const owner = sql<string>`coalesce((select u.display_name from users u where u.id = ${customers.ownerId}), '-')`;
  const notMerged = ne(customers.status, 'merged');
  const byNameKey = new Map<string, DuplicateParams>();
  const byCreditCode = new Map<string, DuplicateParams>();
  if (nameKeys.length) {
    const rows = await db.select({ key: customers.nameKey, name: customers.name, code: customers.code, owner }).from(customers).where(and(notMerged, inArray(customers.nameKey, nameKeys)));
    for (const r of rows) byNameKey.set(r.key, { name: r.name, code: r.code, owner: r.owner });
  }
  if (creditCodes.length) {
    const rows = await db
      .select({ creditCode: customers.creditCode, name: customers.name, code: customers.code, owner })
      .from(customers)
      .where(and(notMerged, inArray(customers.creditCode, creditCodes)));
    for (const r of rows) byCreditCode.set(r.creditCode!, { name: r.name, code: r.code, owner: r.owner });
  }
  const taken = codes.length ? await db.select({ code: customers.code }).from(customers).where(inArray(customers.code, codes)) : [];
  return { byNameKey, byCreditCode, codes: new Set(taken.map((r) => r.code)) };
}
