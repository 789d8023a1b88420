import { loadDemoContacts } from './demo-contacts.js';
import { loadDemoCrm } from './demo-crm.js';
import { loadDemoO2c } from './demo-o2c.js';
import { count, eq, sql } from 'drizzle-orm';
import { type DepartmentKind, departments, roles, userRoles, userTerritories, users } from '../kernel/access/access.tables.js';
import { systemActor } from '../kernel/access/actor.js';
import { audit } from '../kernel/audit/audit.js';
import { hashPassword } from '../kernel/auth/passwords.js';
import type { Db, Tx } from '../kernel/db/client.js';
import { loadDemoCatalogue } from './demo-catalogue.js';
import { loadDemoCustomers } from './demo-customers.js';
import { loadDemoQualifications } from './demo-qualifications.js';

/**
 * The demo company 华康制药 loaded on the first start of an empty database: a department tree
 * (headquarters, sales centre with the sales office and three regions with teams, finance,
 * logistics, quality, IT) and one or more users per builtin role, all with DEMO_PASSWORD.
 */
export const DEMO_PASSWORD = 'rxdesk2026';

type DeptSeed = { key: string; name: string; nameEn: string; kind: DepartmentKind; children?: DeptSeed[] };

export const DEMO_DEPARTMENTS: DeptSeed = {
  key: 'hq', name: '华康制药有限公司', nameEn: 'Huakang Pharmaceutical Co., Ltd.', kind: 'company',
  children: [
    { key: 'gm', name: '总经办', nameEn: 'General management office', kind: 'office' },
    {
      key: 'sales', name: '销售中心', nameEn: 'Sales centre', kind: 'office',
      children: [
        { key: 'office', name: '销售内勤部', nameEn: 'Sales office', kind: 'sales_office' },
        {
          key: 'east', name: '华东大区', nameEn: 'East China region', kind: 'region',
          children: [
            { key: 'east_sh', name: '上海一组', nameEn: 'Shanghai team 1', kind: 'team' },
            { key: 'east_js', name: '江苏组', nameEn: 'Jiangsu team', kind: 'team' },
          ],
        },
        {
          key: 'north', name: '华北大区', nameEn: 'North China region', kind: 'region',
          children: [
            { key: 'north_bj', name: '北京组', nameEn: 'Beijing team', kind: 'team' },
            { key: 'north_sd', name: '山东组', nameEn: 'Shandong team', kind: 'team' },
          ],
        },
        {
          key: 'south', name: '华南大区', nameEn: 'South China region', kind: 'region',
          children: [
            { key: 'south_gd', name: '广东组', nameEn: 'Guangdong team', kind: 'team' },
            { key: 'south_fj', name: '福建组', nameEn: 'Fujian team', kind: 'team' },
          ],
        },
      ],
    },
    { key: 'finance', name: '财务部', nameEn: 'Finance', kind: 'finance' },
    { key: 'logistics', name: '仓储物流部', nameEn: 'Warehouse and logistics', kind: 'logistics' },
    { key: 'quality', name: '质量部', nameEn: 'Quality', kind: 'quality' },
    { key: 'it', name: '信息部', nameEn: 'IT', kind: 'office' },
  ],
};

type UserSeed = { username: string; displayName: string; dept: string | null; role: string; territories?: string[]; head?: boolean };

export const DEMO_USERS: UserSeed[] = [
  { username: 'admin', displayName: '王敏', dept: 'it', role: 'admin', head: true },
  { username: 'office', displayName: '李娜', dept: 'office', role: 'sales_office' },
  { username: 'office_lead', displayName: '陈静', dept: 'office', role: 'sales_office_lead', head: true },
  { username: 'director', displayName: '刘强', dept: 'sales', role: 'sales_director', head: true },
  { username: 'east_manager', displayName: '赵磊', dept: 'east', role: 'regional_manager', territories: ['310000', '320000', '330000'], head: true },
  { username: 'north_manager', displayName: '黄海', dept: 'north', role: 'regional_manager', territories: ['110000', '120000', '130000', '370000'], head: true },
  { username: 'south_manager', displayName: '林峰', dept: 'south', role: 'regional_manager', territories: ['440000', '350000'], head: true },
  { username: 'team_lead', displayName: '孙伟', dept: 'east_sh', role: 'team_lead', territories: ['310000'], head: true },
  { username: 'rep', displayName: '张伟', dept: 'east_sh', role: 'rep', territories: ['310101', '310104', '310105'] },
  { username: 'rep2', displayName: '周杰', dept: 'east_sh', role: 'rep', territories: ['310115'] },
  { username: 'rep_js', displayName: '吴芳', dept: 'east_js', role: 'rep', territories: ['320100'] },
  { username: 'rep_bj', displayName: '郑浩', dept: 'north_bj', role: 'rep', territories: ['110000'] },
  { username: 'rep_sd', displayName: '冯丽', dept: 'north_sd', role: 'rep', territories: ['370100', '370200'] },
  { username: 'rep_gd', displayName: '何斌', dept: 'south_gd', role: 'rep', territories: ['440100', '440300'] },
  { username: 'rep_fj', displayName: '罗燕', dept: 'south_fj', role: 'rep', territories: ['350100', '350200'] },
  { username: 'finance', displayName: '钱芳', dept: 'finance', role: 'finance', head: true },
  { username: 'logistics', displayName: '马超', dept: 'logistics', role: 'logistics', head: true },
  { username: 'quality', displayName: '许娟', dept: 'quality', role: 'quality', head: true },
  { username: 'management', displayName: '高远', dept: 'gm', role: 'management', head: true },
  { username: 'agent', displayName: '杭州康达医药（代理商）', dept: null, role: 'agent' },
];

export type DemoResult = { created: boolean; logins: { username: string; role: string }[] };

/**
 * Loads the demo company once; later starts find users and leave everything as it is.
 * `customers: false` leaves out the ~3,000 demo customers (demo-customers.ts), for tests that build
 * their own few customers and count them.
 */
export async function loadDemoCompany(db: Db, options: { customers?: boolean } = {}): Promise<DemoResult> {
  const roleRows = await db.select({ id: roles.id, code: roles.code, name: roles.name }).from(roles);
  const logins = DEMO_USERS.map((u) => ({ username: u.username, role: roleRows.find((r) => r.code === u.role)?.name ?? u.role }));
  const [{ n }] = await db.select({ n: count() }).from(users);
  if (Number(n) > 0) {
    // A demo company loaded before the catalogue existed gets it now (it keeps its own "already loaded"
    // check); a real company's database — another root department — is left alone.
    const [root] = await db.select({ name: departments.name }).from(departments).where(sql`${departments.parentId} is null`).limit(1);
    if (root?.name === DEMO_DEPARTMENTS.name) await loadDemoCatalogue(db);
    return { created: false, logins };
  }
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const created = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(7291005)`);
    const [{ n: again }] = await tx.select({ n: count() }).from(users);
    if (Number(again) > 0) return false; // another process got here first
    const deptIds = await insertDepartmentTree(tx, DEMO_DEPARTMENTS, null, '/');
    const roleIdOf = new Map(roleRows.map((r) => [r.code, r.id]));
    const actor = systemActor();
    for (const u of DEMO_USERS) {
      const [row] = await tx
        .insert(users)
        .values({ username: u.username, displayName: u.displayName, passwordHash, departmentId: u.dept ? deptIds.get(u.dept)! : null })
        .returning({ id: users.id });
      await tx.insert(userRoles).values({ userId: row.id, roleId: roleIdOf.get(u.role)! });
      if (u.territories?.length) await tx.insert(userTerritories).values(u.territories.map((territoryId) => ({ userId: row.id, territoryId })));
      if (u.head && u.dept) await tx.update(departments).set({ headUserId: row.id }).where(eq(departments.id, deptIds.get(u.dept)!));
      await audit(tx, actor, { action: 'user.created', entity: 'user', entityId: row.id, after: { ...u, source: 'demo' } });
    }
    if (options.customers !== false) {
      await loadDemoCustomers(tx);
      await loadDemoQualifications(tx);
    }
    return true;
  });
  if (created) await loadDemoCatalogue(db);
  // Contacts for the demo customers (loaded above by the demo customer loader); skips customers that have some.
  if (created) await loadDemoContacts(db);
  // The CRM (leads, activities, opportunities) of the demo reps with their customers; needs the customers and contacts.
  if (created && options.customers !== false) await loadDemoCrm(db);
  // Order to cash (stock, orders, shipments, invoices, receipts, returns) of the same customers.
  if (created && options.customers !== false) await loadDemoO2c(db);
  return { created, logins };
}

export async function insertDepartmentTree(tx: Tx, node: DeptSeed, parentId: number | null, parentPath: string, out = new Map<string, number>(), sort = 0) {
  const [row] = await tx.insert(departments).values({ parentId, name: node.name, nameEn: node.nameEn, kind: node.kind, sort }).returning({ id: departments.id });
  const path = `${parentPath}${row.id}/`;
  await tx.update(departments).set({ path }).where(eq(departments.id, row.id));
  await audit(tx, systemActor(), { action: 'department.created', entity: 'department', entityId: row.id, after: { ...node, children: undefined, path } });
  out.set(node.key, row.id);
  let i = 0;
  for (const child of node.children ?? []) await insertDepartmentTree(tx, child, row.id, path, out, i++);
  return out;
}
