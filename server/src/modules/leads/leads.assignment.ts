import { eq, sql } from 'drizzle-orm';
import type { Actor } from '../../kernel/access/actor.js';
import type { Queryable, Tx } from '../../kernel/db/client.js';
import { rowsOf } from '../../kernel/db/client.js';
import { notify } from '../../kernel/notify/notify.js';
import { getCrmSettings } from '../crm/crm.settings.js';
import { leadAssignmentCursors, leadEvents, leads } from './leads.tables.js';

/**
 * Who gets a new lead nobody named an owner for (crm_settings.lead_assignment):
 * - 'territory': an active rep (a user with a role of data scope 'own' — not a manager who merely
 *   covers the region) holding leads.write whose territories cover the lead's territory; the most
 *   specific territory (longest matching path prefix) wins, then the fewest open leads, then the
 *   lowest id. No rep covers it (or it names no territory) → the pool, where managers assign it.
 * - 'round_robin': the active holders of leads.write in crm_settings.round_robin_department_id,
 *   in id order, the one after lead_assignment_cursors.last_user_id. The cursor row is locked
 *   FOR UPDATE, so two concurrent creations never give the same rep two leads in a row.
 * - 'manual': the pool; the office or a manager assigns by hand.
 */

const holdsLeadsWrite = sql`exists (select 1 from user_roles ur join roles r on r.id = ur.role_id
  where ur.user_id = u.id and 'leads.write' = any(r.permissions))`;

/** The rep the rules pick for a lead at this territory path, or null for the pool. */
export async function pickOwner(tx: Queryable, territoryPath: string | null): Promise<number | null> {
  const settings = await getCrmSettings(tx);
  if (settings.leadAssignment === 'manual') return null;
  if (settings.leadAssignment === 'territory') {
    if (!territoryPath) return null;
    const rows = rowsOf<{ id: number }>(
      await tx.execute(sql`
        select u.id
        from users u
        join user_territories ut on ut.user_id = u.id
        join territories t on t.id = ut.territory_id
        where u.status = 'active' and ${territoryPath} like t.path || '%' and ${holdsLeadsWrite}
          and exists (select 1 from user_roles ur join roles r on r.id = ur.role_id where ur.user_id = u.id and r.data_scope = 'own')
        group by u.id
        order by max(length(t.path)) desc,
                 (select count(*) from leads l where l.owner_id = u.id and l.status = 'open') asc,
                 u.id asc
        limit 1`),
    );
    return rows[0]?.id ?? null;
  }
  const departmentId = settings.roundRobinDepartmentId;
  if (departmentId == null) return null;
  await tx.insert(leadAssignmentCursors).values({ departmentId }).onConflictDoNothing();
  const [cursor] = await tx.select().from(leadAssignmentCursors).where(eq(leadAssignmentCursors.departmentId, departmentId)).for('update');
  const team = rowsOf<{ id: number }>(
    await tx.execute(sql`select u.id from users u where u.department_id = ${departmentId} and u.status = 'active' and ${holdsLeadsWrite} order by u.id`),
  ).map((r) => r.id);
  if (team.length === 0) return null;
  const next = team.find((id) => cursor?.lastUserId != null && id > cursor.lastUserId) ?? team[0]!;
  await tx.update(leadAssignmentCursors).set({ lastUserId: next, updatedAt: new Date() }).where(eq(leadAssignmentCursors.departmentId, departmentId));
  return next;
}

/** self: a rep's own new lead (no event, no notification). */
export type AssignedBy = 'rule' | 'manual' | 'claim' | 'self';

/**
 * Gives the lead to the owner: owner department, assignedAt and lastActedAt (the reclaim clock starts),
 * an event, and — unless the owner took it themselves — a notification with a link to the lead.
 */
export async function giveLead(tx: Tx, actor: Actor, leadId: number, ownerId: number, by: AssignedBy, at: Date = new Date()) {
  const [owner] = rowsOf<{ department_id: number | null }>(await tx.execute(sql`select department_id from users where id = ${ownerId}`));
  const [lead] = await tx
    .update(leads)
    .set({ ownerId, ownerDepartmentId: owner?.department_id ?? null, assignedAt: at, lastActedAt: at, updatedAt: at, version: sql`${leads.version} + 1` })
    .where(eq(leads.id, leadId))
    .returning({ code: leads.code, organisation: leads.organisation });
  if (by === 'self') return;
  await tx.insert(leadEvents).values({
    leadId,
    kind: by === 'claim' ? 'claimed' : 'assigned',
    at,
    actorId: actor.id || null,
    details: by === 'claim' ? { ownerId } : { ownerId, by },
  });
  if (ownerId !== actor.id) {
    await notify(tx, {
      userIds: [ownerId],
      event: 'lead.assigned',
      title: { 'zh-CN': `新线索：${lead!.organisation}（${lead!.code}）`, 'en-US': `New lead: ${lead!.organisation} (${lead!.code})` },
      body: { 'zh-CN': '请在规定时间内跟进该线索', 'en-US': 'Please follow up on this lead in time' },
      link: `/leads/${leadId}`,
    });
  }
}

/** Runs the assignment rules for a lead without an owner; returns the owner given, or null (pool). */
export async function assignByRules(tx: Tx, actor: Actor, leadId: number, territoryPath: string | null, at: Date = new Date()): Promise<number | null> {
  const ownerId = await pickOwner(tx, territoryPath);
  if (ownerId !== null) await giveLead(tx, actor, leadId, ownerId, 'rule', at);
  return ownerId;
}
