import { count, eq, sql } from 'drizzle-orm';
import { knownPermissions, roles, territories } from '../kernel/access/access.tables.js';
import { ALL_PERMISSIONS } from '../kernel/access/permissions.js';
import { audit } from '../kernel/audit/audit.js';
import { systemActor } from '../kernel/access/actor.js';
import type { Db, Tx } from '../kernel/db/client.js';
import { approvalFlowSteps, approvalFlows } from '../kernel/approvals/approvals.tables.js';
import { chinaTerritories } from '../modules/territories/territories.data.js';
import { BUILTIN_ROLES } from './builtin-roles.js';
import { crmSettings } from '../modules/crm/crm.tables.js';
import { opportunityStages } from '../modules/opportunities/opportunities.tables.js';
import { stockSettings, warehouses } from '../modules/stock/stock.tables.js';

/** Data every installation needs, demo or not: the territory tree and the builtin roles. Idempotent. */
export async function seedReferenceData(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(7291004)`);
    const [{ n }] = await tx.select({ n: count() }).from(territories);
    if (Number(n) === 0) {
      const rows = chinaTerritories();
      for (let i = 0; i < rows.length; i += 1000) await tx.insert(territories).values(rows.slice(i, i + 1000));
      await audit(tx, systemActor(), { action: 'territories.loaded', entity: 'territory', after: { count: rows.length } });
    }
    const inserted = await tx
      .insert(roles)
      .values(BUILTIN_ROLES.map((r) => ({ ...r, builtin: true })))
      .onConflictDoNothing({ target: roles.code })
      .returning({ id: roles.id, code: roles.code });
    for (const r of inserted) await audit(tx, systemActor(), { action: 'role.created', entity: 'role', entityId: r.id, after: r });

    await seedDefaultCustomerApplicationFlow(tx);
    await seedCrmDefaults(tx);
    await seedOrderToCashDefaults(tx);

    // Permissions added to the code since the last start go to the builtin roles that declare them.
    const known = new Set((await tx.select({ code: knownPermissions.code }).from(knownPermissions)).map((k) => k.code));
    const fresh = ALL_PERMISSIONS.filter((p) => !known.has(p));
    if (fresh.length === 0) return;
    const firstStart = known.size === 0;
    if (!firstStart) {
      for (const role of BUILTIN_ROLES) {
        const grant = role.permissions.filter((p) => fresh.includes(p));
        if (grant.length === 0) continue;
        const [updated] = await tx
          .update(roles)
          .set({ permissions: sql`(select array_agg(distinct p order by p) from unnest(${roles.permissions} || ${sql`array[${sql.join(grant.map((g) => sql`${g}`), sql`, `)}]::text[]`}) p)` })
          .where(eq(roles.code, role.code))
          .returning({ id: roles.id, permissions: roles.permissions });
        if (updated) await audit(tx, systemActor(), { action: 'role.permissions_granted', entity: 'role', entityId: updated.id, after: { granted: grant } });
      }
    }
    await tx.insert(knownPermissions).values(fresh.map((code) => ({ code })));
    // Account requests arrive with their default approval flow, so no request can create a user unapproved.
    if (fresh.includes('account_requests.create')) await seedDefaultAccountRequestFlow(tx);  });
}

/** 账号申请: the requester's department head, then any administrator. */
async function seedDefaultAccountRequestFlow(tx: Tx) {
  const [admin] = await tx.select({ id: roles.id }).from(roles).where(eq(roles.code, 'admin'));
  const [flow] = await tx
    .insert(approvalFlows)
    .values({ docType: 'account_request', name: '账号开通审批', priority: 100, conditions: [] })
    .returning({ id: approvalFlows.id });
  await tx.insert(approvalFlowSteps).values([
    { flowId: flow.id, seq: 1, name: '部门负责人审批', approverKind: 'department_head', mode: 'any' },
    { flowId: flow.id, seq: 2, name: '系统管理员开通', approverKind: 'role', roleId: admin.id, mode: 'any' },
  ]);
  await audit(tx, systemActor(), { action: 'approval_flow.created', entity: 'approval_flow', entityId: flow.id, after: { docType: 'account_request', source: 'default' } });
}

/** 开户申请: the submitter's department head, then the sales office lead; seeded while the type has no flow at all. */
async function seedDefaultCustomerApplicationFlow(tx: Tx) {
  const [{ n }] = await tx.select({ n: count() }).from(approvalFlows).where(eq(approvalFlows.docType, 'customer_application'));
  if (Number(n) > 0) return;
  const [lead] = await tx.select({ id: roles.id }).from(roles).where(eq(roles.code, 'sales_office_lead'));
  if (!lead) return;
  const [flow] = await tx
    .insert(approvalFlows)
    .values({ docType: 'customer_application', name: '开户审批', priority: 100, conditions: [] })
    .returning({ id: approvalFlows.id });
  await tx.insert(approvalFlowSteps).values([
    { flowId: flow.id, seq: 1, name: '部门负责人审批', approverKind: 'department_head', mode: 'any' },
    { flowId: flow.id, seq: 2, name: '内勤主管审核', approverKind: 'role', roleId: lead.id, mode: 'any' },
  ]);
  await audit(tx, systemActor(), { action: 'approval_flow.created', entity: 'approval_flow', entityId: flow.id, after: { docType: 'customer_application', source: 'default' } });
}

/** CRM settings row and the default sales pipeline (销售阶段), when there is none yet. */
async function seedCrmDefaults(tx: Tx) {
  await tx.insert(crmSettings).values({ id: 1 }).onConflictDoNothing();
  const [{ n }] = await tx.select({ n: count() }).from(opportunityStages);
  if (Number(n) > 0) return;
  await tx.insert(opportunityStages).values(DEFAULT_STAGES);
  await audit(tx, systemActor(), { action: 'opportunity_stages.seeded', entity: 'opportunity_stage', after: DEFAULT_STAGES });
}

const DEFAULT_STAGES: (typeof opportunityStages.$inferInsert)[] = [
  { code: 'contact', name: '初步接洽', nameEn: 'First contact', kind: 'open', position: 1, probability: 10 },
  { code: 'needs', name: '需求确认', nameEn: 'Needs confirmed', kind: 'open', position: 2, probability: 30 },
  { code: 'proposal', name: '方案报价', nameEn: 'Proposal and quote', kind: 'open', position: 3, probability: 50 },
  { code: 'negotiation', name: '商务谈判', nameEn: 'Negotiation', kind: 'open', position: 4, probability: 70 },
  { code: 'commit', name: '待签约', nameEn: 'Commitment', kind: 'open', position: 5, probability: 90 },
  { code: 'won', name: '赢单', nameEn: 'Won', kind: 'won', position: 6, probability: 100 },
  { code: 'lost', name: '输单', nameEn: 'Lost', kind: 'lost', position: 7, probability: 0 },
];

/**
 * Order to cash (issue 6): the stock settings row, three warehouses (合格品总仓, 冷库, 不合格品库) and the
 * default approval flows, each only while there is none yet.
 * - 异常订单 (sales_order, an order whose submission checks found problems): an order with a credit problem
 *   (fact creditProblem = true) goes to the sales office lead and then finance; any other to the office lead.
 * - 退换货 (return_request): the sales office lead.
 */
const warehouse = (code: string, name: string, kind: 'normal' | 'quarantine', coldChain: boolean) => ({ code, name, kind, coldChain });

async function seedOrderToCashDefaults(tx: Tx) {
  await tx.insert(stockSettings).values({ id: 1 }).onConflictDoNothing();
  const [{ n: warehouseCount }] = await tx.select({ n: count() }).from(warehouses);
  if (Number(warehouseCount) === 0) {
    const created = await tx
      .insert(warehouses)
      .values([warehouse('ZC', '合格品总仓', 'normal', false), warehouse('LK', '冷库（2–8 ℃）', 'normal', true), warehouse('BHG', '不合格品库', 'quarantine', true)])
      .returning();
    for (const w of created) await audit(tx, systemActor(), { action: 'warehouse.created', entity: 'warehouse', entityId: w.id, after: w });
  }
  const [lead] = await tx.select({ id: roles.id }).from(roles).where(eq(roles.code, 'sales_office_lead'));
  const [finance] = await tx.select({ id: roles.id }).from(roles).where(eq(roles.code, 'finance'));
  if (!lead || !finance) return;
  const seedFlow = async (docType: string, flows: { name: string; priority: number; conditions: (typeof approvalFlows.$inferInsert)['conditions']; steps: { name: string; roleId: number }[] }[]) => {
    const [{ n }] = await tx.select({ n: count() }).from(approvalFlows).where(eq(approvalFlows.docType, docType));
    if (Number(n) > 0) return;
    for (const f of flows) {
      const [flow] = await tx.insert(approvalFlows).values({ docType, name: f.name, priority: f.priority, conditions: f.conditions }).returning({ id: approvalFlows.id });
      await tx.insert(approvalFlowSteps).values(f.steps.map((step, i) => ({ flowId: flow.id, seq: i + 1, name: step.name, approverKind: 'role' as const, roleId: step.roleId, mode: 'any' as const })));
      await audit(tx, systemActor(), { action: 'approval_flow.created', entity: 'approval_flow', entityId: flow.id, after: { docType, source: 'default', name: f.name } });
    }
  };
  await seedFlow('sales_order', [
    { name: '信用异常订单审批', priority: 10, conditions: [{ fact: 'creditProblem', op: 'eq', value: true }], steps: [{ name: '内勤主管审核', roleId: lead.id }, { name: '财务审批', roleId: finance.id }] },
    { name: '异常订单审批', priority: 100, conditions: [], steps: [{ name: '内勤主管审核', roleId: lead.id }] },
  ]);
  await seedFlow('return_request', [{ name: '退换货审批', priority: 100, conditions: [], steps: [{ name: '内勤主管审批', roleId: lead.id }] }]);
}
