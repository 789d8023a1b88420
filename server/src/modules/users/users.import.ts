import { randomInt } from 'node:crypto';
import { asc, inArray, or } from 'drizzle-orm';
import { departments, roles, territories } from '../../kernel/access/access.tables.js';
import { hashPassword, passwordSchema } from '../../kernel/auth/passwords.js';
import type { Queryable } from '../../kernel/db/client.js';
import { type Importer, type ParsedRow, reference, text } from '../../kernel/excel/import.js';
import type { StoredCellError } from '../../kernel/excel/import.tables.js';
import { displayNameSchema, emailSchema, username } from './users.schemas.js';
import { insertUsers, type NewUser, takenUsernames } from './users.service.js';

/**
 * Importing users from Excel: the same rules as the user form (username unique ignoring case, the
 * password policy, department, roles and territories must exist), checked for all rows at once.
 * A blank initial password is generated and shown once to the administrator; every imported user
 * must change the password at first login.
 */

/** '销售中心/华东大区/上海一组' (without the company root) and the full path with it; separators / ／ > \ accepted. */
const normalisePath = (s: string) =>
  s
    .trim()
    .toLowerCase()
    .replace(/\s*[/／>＞\\]\s*/g, '/')
    .replace(/^\/|\/$/g, '');

async function loadDepartments(db: Queryable) {
  const rows = await db.select({ id: departments.id, parentId: departments.parentId, name: departments.name, nameEn: departments.nameEn }).from(departments);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const chain = (id: number | null): string[] => {
    const names: string[] = [];
    for (let d = id === null ? undefined : byId.get(id); d; d = d.parentId === null ? undefined : byId.get(d.parentId)) names.unshift(d.name);
    return names;
  };
  return rows.map((r) => {
    const full = chain(r.id);
    const belowRoot = full.slice(1).join('/');
    return { id: r.id, keys: [r.name, ...(r.nameEn ? [r.nameEn] : []), full.join('/'), ...(belowRoot ? [belowRoot] : [])], label: belowRoot || full.join('/') };
  });
}

async function loadRoles(db: Queryable) {
  const rows = await db.select({ id: roles.id, code: roles.code, name: roles.name, nameEn: roles.nameEn }).from(roles).orderBy(asc(roles.id));
  return rows.map((r) => ({ id: r.id, keys: [r.name, r.nameEn, r.code], label: r.name }));
}

async function loadTerritories(db: Queryable, values: string[] | null) {
  if (values === null) return [];
  const codes = values.filter((v) => /^\d{6}$/.test(v));
  const names = values.filter((v) => !/^\d{6}$/.test(v));
  const conditions = [...(codes.length ? [inArray(territories.id, codes)] : []), ...(names.length ? [inArray(territories.name, names)] : [])];
  if (conditions.length === 0) return [];
  const rows = await db.select({ id: territories.id, name: territories.name }).from(territories).where(or(...conditions));
  return rows.map((r) => ({ id: r.id, keys: [r.id, r.name], label: `${r.name}（${r.id}）` }));
}

/** 12 characters from an alphabet without look-alikes (0/O, 1/l/I), always with letters and digits. */
export function generatePassword(): string {
  const letters = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ';
  const digits = '23456789';
  const all = letters + digits;
  const chars = [letters[randomInt(letters.length)], digits[randomInt(digits.length)]];
  while (chars.length < 12) chars.push(all[randomInt(all.length)]);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}

/** Runs the tasks with at most `limit` in flight: argon2 takes ~80 ms and 19 MiB a hash. */
async function mapLimited<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await task(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

type PreparedUser = NewUser & { row: number; generatedPassword: string | null };

export const usersImporter: Importer<PreparedUser> = {
  kind: 'users',
  permission: 'users.write',
  title: { 'zh-CN': '用户', 'en-US': 'Users' },
  maxRows: 5000,
  columns: [
    {
      key: 'username',
      header: { 'zh-CN': '用户名', 'en-US': 'Username' },
      required: true,
      parser: text({ schema: username }),
      note: { 'zh-CN': '登录名，2–40 位字母、数字或 _ . @ -，不区分大小写且不能与已有用户重复', 'en-US': 'Login name, 2–40 letters, digits or _ . @ -; unique ignoring case' },
      example: 'zhang.san',
    },
    {
      key: 'displayName',
      header: { 'zh-CN': '姓名', 'en-US': 'Name' },
      required: true,
      parser: text({ schema: displayNameSchema }),
      note: { 'zh-CN': '真实姓名，最多 40 字', 'en-US': 'Full name, up to 40 characters' },
      example: '张三',
    },
    {
      key: 'phone',
      header: { 'zh-CN': '手机', 'en-US': 'Phone' },
      parser: text({ max: 30 }),
      note: { 'zh-CN': '可空', 'en-US': 'Optional' },
      example: '13800138000',
    },
    {
      key: 'email',
      header: { 'zh-CN': '邮箱', 'en-US': 'Email' },
      parser: text({ schema: emailSchema }),
      note: { 'zh-CN': '可空', 'en-US': 'Optional' },
      example: 'zhang.san@example.cn',
      width: 24,
    },
    {
      key: 'departmentId',
      header: { 'zh-CN': '部门', 'en-US': 'Department' },
      required: true,
      parser: reference({
        what: 'department',
        load: (db) => loadDepartments(db),
        normalise: normalisePath,
        hint: { 'zh-CN': '请填写完整路径，如 销售中心/华东大区/上海一组', 'en-US': 'write the full path, e.g. 销售中心/华东大区/上海一组' },
      }),
      note: {
        'zh-CN': '部门名称；重名时填写完整路径，如 销售中心/华东大区/上海一组',
        'en-US': 'Department name; when two share a name, write the path, e.g. 销售中心/华东大区/上海一组',
      },
      example: '销售中心/华东大区/上海一组',
      width: 26,
    },
    {
      key: 'roleIds',
      header: { 'zh-CN': '角色', 'en-US': 'Roles' },
      required: true,
      parser: reference({ what: 'role', load: (db) => loadRoles(db), many: true, dropDown: true }),
      note: { 'zh-CN': '角色名称，多个用 、 或 , 分隔', 'en-US': 'Role names, several separated by 、 or ,' },
      example: '业务员',
    },
    {
      key: 'territoryIds',
      header: { 'zh-CN': '负责区域', 'en-US': 'Territories' },
      parser: reference({
        what: 'territory',
        load: loadTerritories,
        many: true,
        hint: { 'zh-CN': '请改填 6 位行政区划代码', 'en-US': 'write the 6-digit division code instead' },
      }),
      note: {
        'zh-CN': '省、市、区县名称或 6 位行政区划代码，多个用 、 或 , 分隔；重名的区县（如 朝阳区）请填代码',
        'en-US': 'Province, city or county names or 6-digit codes, separated by 、 or ,; use the code for names that repeat (e.g. 朝阳区)',
      },
      example: '黄浦区、310104',
      width: 24,
    },
    {
      key: 'password',
      header: { 'zh-CN': '初始密码', 'en-US': 'Initial password' },
      parser: text({ schema: passwordSchema }),
      note: {
        'zh-CN': '可空：留空则自动生成，导入完成后只显示一次；至少 8 位且含字母和数字。用户首次登录须修改密码',
        'en-US': 'Optional: generated when blank and shown once after the import; at least 8 characters with letters and digits. Users must change it at first login',
      },
      example: '',
    },
  ],

  async validate(db, rows) {
    const problems = new Map<number, StoredCellError[]>();
    const add = (row: number, e: StoredCellError) => problems.set(row, [...(problems.get(row) ?? []), e]);
    const firstRow = new Map<string, number>();
    for (const r of rows) {
      const key = String(r.values.username).toLowerCase();
      const first = firstRow.get(key);
      if (first === undefined) firstRow.set(key, r.row);
      else add(r.row, { column: 'username', code: 'IMPORT_DUPLICATE_IN_FILE', params: { value: r.values.username, row: first } });
    }
    const taken = await takenUsernames(db, rows.map((r) => String(r.values.username)));
    for (const r of rows) {
      if (taken.has(String(r.values.username).toLowerCase())) add(r.row, { column: 'username', code: 'USERNAME_TAKEN', params: { username: r.values.username } });
    }
    return problems;
  },

  async prepare(rows: ParsedRow[]) {
    return mapLimited(rows, 4, async (r) => {
      const v = r.values;
      const generatedPassword = v.password ? null : generatePassword();
      return {
        row: r.row,
        generatedPassword,
        username: String(v.username),
        displayName: String(v.displayName),
        phone: (v.phone as string | null) ?? null,
        email: (v.email as string | null) ?? null,
        departmentId: v.departmentId as number,
        roleIds: (v.roleIds as number[]) ?? [],
        territoryIds: (v.territoryIds as string[] | null) ?? [],
        passwordHash: await hashPassword(generatedPassword ?? String(v.password)),
      };
    });
  },

  async commit(tx, actor, rows) {
    await insertUsers(tx, actor, rows);
    return {
      committed: rows.length,
      handOver: rows.filter((r) => r.generatedPassword).map((r) => ({ row: r.row, label: r.username, secret: r.generatedPassword! })),
    };
  },
};
