import { and, eq, inArray, or, sql } from 'drizzle-orm';
import { users } from '../../kernel/access/access.tables.js';
import type { Queryable } from '../../kernel/db/client.js';
import { rowsOf } from '../../kernel/db/client.js';
import { type Importer, type ParsedRow, date, reference, text } from '../../kernel/excel/import.js';
import type { StoredCellError } from '../../kernel/excel/import.tables.js';
import { normaliseName } from '../../kernel/names.js';
import { TerritoryLookup, gradeParser, resolveTerritory, sourceParser, typeParser } from '../customers/customers.import.js';
import type { CustomerGrade, CustomerSource, CustomerType } from '../customers/customers.tables.js';
import { type NewLead, checkLeadOwner, insertLead, normalisePhone } from './leads.service.js';
import { leads } from './leads.tables.js';

/**
 * Importing leads from Excel (the reps' and the office's 潜在客户录入及跟踪表): the same rules as the
 * form — a real territory (省 / 市 / 区县 by name), a valid mobile when the phone looks like one, not
 * already a customer or an open lead, and not twice in the file (by normalised name). The owner is a
 * username of an active user who works leads; empty → the assignment rules (leads.assignment.ts), row
 * by row in file order, so round-robin deals them out in turn. 意向产品 lists product codes or names
 * separated by 、,; .
 */

const str = (v: unknown) => (v === null || v === undefined || v === '' ? null : String(v));
const splitProducts = (v: unknown) =>
  (str(v) ?? '')
    .split(/[、,，;；\n]+/)
    .map((s) => s.trim())
    .filter(Boolean);

/** Active users holding leads.write, by username. */
async function loadLeadWorkers(db: Queryable, values: string[] | null) {
  const rows = await db
    .select({ id: users.id, username: users.username, displayName: users.displayName })
    .from(users)
    .where(
      and(
        eq(users.status, 'active'),
        sql`exists (select 1 from user_roles ur join roles r on r.id = ur.role_id where ur.user_id = ${users.id} and 'leads.write' = any(r.permissions))`,
        values === null ? undefined : inArray(sql`lower(${users.username})`, values.map((v) => v.toLowerCase())),
      ),
    );
  return rows.map((r) => ({ id: r.id, keys: [r.username], label: `${r.displayName}（${r.username}）` }));
}

async function productsNamed(db: Queryable, names: string[]): Promise<Map<string, number>> {
  if (names.length === 0) return new Map();
  const list = sql.join(names.map((n) => sql`${n}`), sql`, `);
  const rows = rowsOf<{ id: number; code: string; name: string }>(
    await db.execute(sql`select id, code, generic_name as name, trade_name as "tradeName" from products
      where code in (${list}) or generic_name in (${list}) or trade_name in (${list}) order by id desc`),
  );
  // By code, generic name or trade name; the oldest product wins a shared name.
  const map = new Map<string, number>();
  for (const r of rows as { id: number; code: string; name: string; tradeName: string | null }[]) {
    map.set(r.code, r.id);
    map.set(r.name, r.id);
    if (r.tradeName) map.set(r.tradeName, r.id);
  }
  return map;
}

type PreparedLead = ParsedRow;

export const leadsImporter: Importer<PreparedLead> = {
  kind: 'leads',
  permission: 'leads.import',
  title: { 'zh-CN': '潜在客户', 'en-US': 'Leads' },
  maxRows: 5000,
  columns: [
    { key: 'organisation', header: { 'zh-CN': '单位名称', 'en-US': 'Organisation' }, required: true, parser: text({ max: 100 }), note: { 'zh-CN': '全称；不能是已有客户或跟进中的线索', 'en-US': 'Full name; not an existing customer or open lead' }, example: '苏州市立医院', width: 30 },
    { key: 'contactName', header: { 'zh-CN': '联系人', 'en-US': 'Contact' }, parser: text({ max: 40 }), note: { 'zh-CN': '可空', 'en-US': 'Optional' }, example: '王主任' },
    { key: 'contactTitle', header: { 'zh-CN': '职务', 'en-US': 'Title' }, parser: text({ max: 40 }), note: { 'zh-CN': '可空', 'en-US': 'Optional' }, example: '药剂科主任' },
    { key: 'phone', header: { 'zh-CN': '电话', 'en-US': 'Phone' }, parser: text({ max: 30 }), note: { 'zh-CN': '手机须为 11 位', 'en-US': 'Mobiles: 11 digits' }, example: '13800138000' },
    { key: 'province', header: { 'zh-CN': '省', 'en-US': 'Province' }, parser: text({ max: 30 }), note: { 'zh-CN': '如 江苏省', 'en-US': 'e.g. 江苏省' }, example: '江苏省' },
    { key: 'city', header: { 'zh-CN': '市', 'en-US': 'City' }, parser: text({ max: 30 }), note: { 'zh-CN': '如 苏州市', 'en-US': 'e.g. 苏州市' }, example: '苏州市' },
    { key: 'county', header: { 'zh-CN': '区县', 'en-US': 'County' }, parser: text({ max: 30 }), note: { 'zh-CN': '可空', 'en-US': 'Optional' }, example: '' },
    { key: 'source', header: { 'zh-CN': '来源', 'en-US': 'Source' }, required: true, parser: sourceParser, note: { 'zh-CN': '电话、网站、拜访、会议/展会、客户介绍……', 'en-US': 'Phone, website, visit, event, referral…' }, example: '会议/展会' },
    { key: 'customerType', header: { 'zh-CN': '客户类型', 'en-US': 'Customer type' }, parser: typeParser, note: { 'zh-CN': '医院、诊所、药店、商业公司、代理商、其他', 'en-US': 'Hospital, clinic, pharmacy, distributor, agent, other' }, example: '医院' },
    { key: 'products', header: { 'zh-CN': '意向产品', 'en-US': 'Products of interest' }, parser: text({ max: 500 }), note: { 'zh-CN': '产品编码或名称，多个用 、 分隔', 'en-US': 'Product codes or names separated by 、' }, example: '', width: 24 },
    { key: 'grade', header: { 'zh-CN': '分级', 'en-US': 'Grade' }, parser: gradeParser, note: { 'zh-CN': 'C/B/A/H/O，空为 C', 'en-US': 'C/B/A/H/O; blank = C' }, example: 'B' },
    { key: 'nextFollowUpOn', header: { 'zh-CN': '下次跟进日期', 'en-US': 'Next follow-up' }, parser: date(), note: { 'zh-CN': '如 2026-12-01', 'en-US': 'e.g. 2026-12-01' }, example: '' },
    {
      key: 'ownerId',
      header: { 'zh-CN': '负责人(用户名)', 'en-US': 'Owner (username)' },
      parser: reference({ what: 'user', load: loadLeadWorkers }),
      note: { 'zh-CN': '用户名；空则按分配规则分配或进入线索池', 'en-US': 'Username; blank = the assignment rules (or the pool)' },
      example: '',
    },
    { key: 'notes', header: { 'zh-CN': '备注', 'en-US': 'Notes' }, parser: text({ max: 2000 }), note: { 'zh-CN': '可空', 'en-US': 'Optional' }, example: '', width: 30 },
  ],

  async validate(db, rows) {
    const problems = new Map<number, StoredCellError[]>();
    const add = (row: number, e: StoredCellError) => problems.set(row, [...(problems.get(row) ?? []), e]);
    const lookup = await TerritoryLookup.load(db);
    const keys = rows.map((r) => normaliseName(String(r.values.organisation)));
    const [customerRows, leadRows] = keys.length
      ? await Promise.all([
          rowsOf<{ name_key: string; code: string; name: string }>(await db.execute(sql`select name_key, code, name from customers where status = 'active' and name_key in (${sql.join(keys.map((k) => sql`${k}`), sql`, `)})`)),
          db.select({ nameKey: leads.nameKey, code: leads.code, organisation: leads.organisation }).from(leads).where(and(inArray(leads.nameKey, keys), or(eq(leads.status, 'open'), eq(leads.status, 'converting')))),
        ])
      : [[], []];
    const products = await productsNamed(db, [...new Set(rows.flatMap((r) => splitProducts(r.values.products)))]);
    const first = new Map<string, number>();
    rows.forEach((r, i) => {
      const v = r.values;
      const key = keys[i]!;
      const customer = customerRows.find((c) => c.name_key === key);
      if (customer) add(r.row, { column: 'organisation', code: 'LEAD_IS_CUSTOMER', params: { code: customer.code, name: customer.name } });
      const lead = leadRows.find((l) => l.nameKey === key);
      if (lead) add(r.row, { column: 'organisation', code: 'LEAD_DUPLICATE', params: { code: lead.code, name: lead.organisation } });
      const seen = first.get(key);
      if (seen === undefined) first.set(key, r.row);
      else add(r.row, { column: 'organisation', code: 'IMPORT_DUPLICATE_IN_FILE', params: { value: v.organisation, row: seen } });
      if (str(v.province) || str(v.city) || str(v.county)) {
        const t = resolveTerritory(lookup, { province: str(v.province), city: str(v.city), county: str(v.county), territoryCode: null });
        if (!t.ok) add(r.row, t.error);
      }
      const phone = normalisePhone(str(v.phone));
      if (phone && /^1\d+$/.test(phone) && !/^1[3-9]\d{9}$/.test(phone)) add(r.row, { column: 'phone', code: 'LEAD_MOBILE_INVALID' });
      for (const p of splitProducts(v.products)) if (!products.has(p)) add(r.row, { column: 'products', code: 'LEAD_IMPORT_PRODUCT_UNKNOWN', params: { value: p } });
    });
    return problems;
  },

  async commit(tx, actor, rows) {
    // The named owners must be within the importer's reach (as when assigning by hand).
    for (const ownerId of new Set(rows.map((r) => r.values.ownerId).filter((v): v is number => typeof v === 'number'))) await checkLeadOwner(tx, actor, ownerId);
    const lookup = await TerritoryLookup.load(tx);
    const products = await productsNamed(tx, [...new Set(rows.flatMap((r) => splitProducts(r.values.products)))]);
    for (const r of rows) {
      const v = r.values;
      const t = str(v.province) || str(v.city) || str(v.county) ? resolveTerritory(lookup, { province: str(v.province), city: str(v.city), county: str(v.county), territoryCode: null }) : null;
      const territory = t?.ok ? t.territory : null;
      const organisation = String(v.organisation).trim();
      const values: NewLead = {
        organisation,
        nameKey: normaliseName(organisation),
        contactName: str(v.contactName),
        contactTitle: str(v.contactTitle),
        phone: normalisePhone(str(v.phone)),
        territoryId: territory?.id ?? null,
        territoryPath: territory?.path ?? null,
        address: null,
        source: v.source as CustomerSource,
        customerType: (str(v.customerType) as CustomerType | null) ?? null,
        nextFollowUpOn: str(v.nextFollowUpOn),
        notes: str(v.notes),
        productIds: [...new Set(splitProducts(v.products).map((p) => products.get(p)!).filter((id) => id !== undefined))],
        grade: ((str(v.grade) as CustomerGrade | null) ?? 'C') as CustomerGrade,
        lifecycleStage: 'lead',
      };
      await insertLead(tx, actor, values, typeof v.ownerId === 'number' ? v.ownerId : 'rules');
    }
    return { committed: rows.length };
  },
};
