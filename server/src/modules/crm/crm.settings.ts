import { eq, sql } from 'drizzle-orm';
import type { Actor } from '../../kernel/access/actor.js';
import { departments } from '../../kernel/access/access.tables.js';
import { audit } from '../../kernel/audit/audit.js';
import type { Db, Queryable } from '../../kernel/db/client.js';
import { DomainError, versionConflict } from '../../kernel/errors.js';
import type { CustomerGrade } from '../customers/customers.tables.js';
import { crmSettings, type LeadAssignmentMode } from './crm.tables.js';

export type CrmSettings = typeof crmSettings.$inferSelect;
export type CrmSettingsInput = {
  leadAssignment: LeadAssignmentMode;
  roundRobinDepartmentId: number | null;
  leadReclaimDays: number;
  dormantDays: Record<CustomerGrade, number>;
  hotProbability: number;
  version: number;
};

/** The company's CRM settings; the row is created with its defaults by reference data (and here if missing). */
export async function getCrmSettings(db: Queryable): Promise<CrmSettings> {
  const [row] = await db.select().from(crmSettings).where(eq(crmSettings.id, 1));
  if (row) return row;
  await db.insert(crmSettings).values({ id: 1 }).onConflictDoNothing();
  const [created] = await db.select().from(crmSettings).where(eq(crmSettings.id, 1));
  return created;
}

export async function updateCrmSettings(db: Db, actor: Actor, input: CrmSettingsInput): Promise<CrmSettings> {
  return db.transaction(async (tx) => {
    await getCrmSettings(tx);
    const [before] = await tx.select().from(crmSettings).where(eq(crmSettings.id, 1)).for('update');
    if (before.version !== input.version) throw versionConflict();
    if (input.leadAssignment === 'round_robin') {
      if (input.roundRobinDepartmentId === null) {
        throw new DomainError('CRM_ROUND_ROBIN_TEAM_REQUIRED', {}, 422, [{ path: 'roundRobinDepartmentId', code: 'CRM_ROUND_ROBIN_TEAM_REQUIRED' }]);
      }
      const [dept] = await tx.select({ id: departments.id }).from(departments).where(eq(departments.id, input.roundRobinDepartmentId));
      if (!dept) throw new DomainError('CRM_ROUND_ROBIN_TEAM_REQUIRED', {}, 422, [{ path: 'roundRobinDepartmentId', code: 'CRM_ROUND_ROBIN_TEAM_REQUIRED' }]);
    }
    const [after] = await tx
      .update(crmSettings)
      .set({
        leadAssignment: input.leadAssignment,
        roundRobinDepartmentId: input.roundRobinDepartmentId,
        leadReclaimDays: input.leadReclaimDays,
        dormantDays: input.dormantDays,
        hotProbability: input.hotProbability,
        updatedBy: actor.id,
        version: sql`${crmSettings.version} + 1`,
        updatedAt: new Date(),
      })
      .where(eq(crmSettings.id, 1))
      .returning();
    await audit(tx, actor, { action: 'crm_settings.updated', entity: 'crm_settings', entityId: 1, before, after });
    return after;
  });
}
