import { and, inArray, ne, or } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '../../kernel/db/client.js';
import { type Importer, type ParsedRow, date, enumOf, reference, text } from '../../kernel/excel/import.js';
import type { StoredCellError } from '../../kernel/excel/import.tables.js';
import { customers } from '../customers/customers.tables.js';
import { customerScope } from '../customers/customers.scope.js';
import type { Actor } from '../../kernel/access/actor.js';
import { INFLUENCE_NAMES } from './contacts.names.js';
import { type NewContact, contactValues, insertContacts, normaliseMobile, takenMobiles } from './contacts.service.js';
import { CHINESE_MOBILE, CONTACT_INFLUENCES, type ContactGender, type ContactInfluence } from './contacts.tables.js';

/**
 * Importing contacts from Excel (the reps' old 客户联系人表): the customer is named by its code
 * (KH000123) or its exact name; the same rules as the contact form (mainland mobile, one mobile
 * once per customer — also within the file), checked for all rows at once, inserted in bulk.
 */
async function loadCustomers(db: Queryable, values: string[] | null, actor?: Actor) {
  if (values === null) return [];
  // Only customers the importer may see: a customer outside their scope reads as "not found", as everywhere else.
  const rows = await db
    .select({ id: customers.id, code: customers.code, name: customers.name })
    .from(customers)
    .where(and(ne(customers.status, 'merged'), or(inArray(customers.code, values), inArray(customers.name, values)), actor ? customerScope(actor) : undefined));
  return rows.map((r) => ({ id: r.id, keys: [r.code, r.name], label: `${r.name}（${r.code}）` }));
}

export const contactsImporter: Importer<NewContact> = {
  kind: 'contacts',
  permission: 'customers.import',
  title: { 'zh-CN': '联系人', 'en-US': 'Contacts' },
  maxRows: 20000,
  columns: [
    {
      key: 'customerId',
      header: { 'zh-CN': '客户', 'en-US': 'Customer' },
      required: true,
      parser: reference({ what: 'customer', load: loadCustomers, normalise: (s) => s.trim(), hint: { 'zh-CN': '请改填客户编码', 'en-US': 'write the customer code instead' } }),
      note: { 'zh-CN': '客户编码（如 KH000001）或完整的客户名称', 'en-US': 'Customer code (e.g. KH000001) or the exact customer name' },
      example: 'KH000001',
      width: 28,
    },
    { key: 'name', header: { 'zh-CN': '姓名', 'en-US': 'Name' }, required: true, parser: text({ max: 40 }), note: { 'zh-CN': '最多 40 字', 'en-US': 'Up to 40 characters' }, example: '王建国' },
    {
      key: 'gender',
      header: { 'zh-CN': '性别', 'en-US': 'Gender' },
      parser: enumOf<ContactGender>([
        { value: 'male', label: { 'zh-CN': '男', 'en-US': 'Male' } },
        { value: 'female', label: { 'zh-CN': '女', 'en-US': 'Female' } },
      ]),
      note: { 'zh-CN': '男 / 女，可空', 'en-US': 'Male / Female, optional' },
      example: '男',
    },
    { key: 'department', header: { 'zh-CN': '科室/部门', 'en-US': 'Department' }, parser: text({ max: 40 }), note: { 'zh-CN': '可空', 'en-US': 'Optional' }, example: '药剂科' },
    { key: 'title', header: { 'zh-CN': '职务', 'en-US': 'Title' }, parser: text({ max: 40 }), note: { 'zh-CN': '可空', 'en-US': 'Optional' }, example: '主任' },
    {
      key: 'mobile',
      header: { 'zh-CN': '手机', 'en-US': 'Mobile' },
      parser: text({ max: 20 }),
      note: { 'zh-CN': '11 位手机号；同一客户下不能重复', 'en-US': '11-digit mainland mobile; unique within a customer' },
      example: '13800138000',
    },
    { key: 'phone', header: { 'zh-CN': '电话', 'en-US': 'Phone' }, parser: text({ max: 30 }), note: { 'zh-CN': '可空', 'en-US': 'Optional' }, example: '021-64370045' },
    { key: 'email', header: { 'zh-CN': '邮箱', 'en-US': 'Email' }, parser: text({ schema: z.email().max(120) }), note: { 'zh-CN': '可空', 'en-US': 'Optional' }, example: '', width: 22 },
    { key: 'wechat', header: { 'zh-CN': '微信', 'en-US': 'WeChat' }, parser: text({ max: 60 }), note: { 'zh-CN': '可空', 'en-US': 'Optional' }, example: '' },
    { key: 'birthday', header: { 'zh-CN': '生日', 'en-US': 'Birthday' }, parser: date(), note: { 'zh-CN': '如 1975-03-08，可空', 'en-US': 'e.g. 1975-03-08, optional' }, example: '1975-03-08' },
    {
      key: 'influence',
      header: { 'zh-CN': '影响力', 'en-US': 'Influence' },
      parser: enumOf<ContactInfluence>(CONTACT_INFLUENCES.map((value) => ({ value, label: INFLUENCE_NAMES[value] }))),
      note: { 'zh-CN': '决策者 / 影响者 / 使用者 / 其他，空为其他', 'en-US': 'Decision maker / Influencer / User / Other; blank = Other' },
      example: '决策者',
    },
    { key: 'preferences', header: { 'zh-CN': '喜好', 'en-US': 'Preferences' }, parser: text({ max: 1000 }), note: { 'zh-CN': '可空', 'en-US': 'Optional' }, example: '' },
    { key: 'notes', header: { 'zh-CN': '备注', 'en-US': 'Notes' }, parser: text({ max: 2000 }), note: { 'zh-CN': '可空', 'en-US': 'Optional' }, example: '' },
  ],

  async validate(db, rows) {
    const problems = new Map<number, StoredCellError[]>();
    const add = (row: number, e: StoredCellError) => problems.set(row, [...(problems.get(row) ?? []), e]);
    const taken = await takenMobiles(db, rows.map((r) => r.values.customerId as number).filter((id) => typeof id === 'number'));
    const firstRow = new Map<string, number>();
    for (const r of rows) {
      const mobile = normaliseMobile(r.values.mobile as string | null);
      if (!mobile) continue;
      if (!CHINESE_MOBILE.test(mobile)) {
        add(r.row, { column: 'mobile', code: 'CONTACT_MOBILE_INVALID', params: { value: r.values.mobile } });
        continue;
      }
      const key = `${r.values.customerId}:${mobile}`;
      if (taken.has(key)) add(r.row, { column: 'mobile', code: 'CONTACT_MOBILE_TAKEN', params: { value: mobile } });
      const first = firstRow.get(key);
      if (first === undefined) firstRow.set(key, r.row);
      else add(r.row, { column: 'mobile', code: 'IMPORT_DUPLICATE_IN_FILE', params: { value: mobile, row: first } });
    }
    return problems;
  },

  async prepare(rows: ParsedRow[]) {
    return rows.map((r) => {
      const v = r.values as Record<string, string | null | undefined>;
      return {
        ...contactValues({
          name: String(v.name),
          gender: (v.gender as ContactGender | null) ?? null,
          department: v.department,
          title: v.title,
          mobile: v.mobile,
          phone: v.phone,
          email: v.email,
          wechat: v.wechat,
          birthday: v.birthday,
          influence: (v.influence as ContactInfluence | null) ?? 'other',
          preferences: v.preferences,
          notes: v.notes,
        }),
        customerId: r.values.customerId as number,
      };
    });
  },

  async commit(tx, actor, rows) {
    await insertContacts(tx, actor, rows);
    return { committed: rows.length };
  },
};
