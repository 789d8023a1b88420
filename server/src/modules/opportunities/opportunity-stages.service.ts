import { randomUUID } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Actor } from '../../kernel/access/actor.js';
import { audit } from '../../kernel/audit/audit.js';
import type { Db, Queryable, Tx } from '../../kernel/db/client.js';
import { DomainError, notFound, versionConflict } from '../../kernel/errors.js';
import { opportunities, opportunityStages } from './opportunities.tables.js';

/**
 * The sales pipeline (销售阶段), configured by whoever holds crm.configure. Rules owned here:
 * - open stages form the pipeline in `position` order; exactly one 'won' and one 'lost' stage close an
 *   opportunity (partial unique indexes), they are never created, deactivated or reordered here;
 * - a stage that still holds open opportunities cannot be deactivated (move them first), and at least
 *   one open stage stays active so new opportunities have somewhere to start;
 * - every change is optimistic (version) and audited.
 */
export type StageRow = typeof opportunityStages.$inferSelect & { openCount: number };

/** Open stages by position, then won, then lost. */
export const stageOrder = [sql`case ${opportunityStages.kind} when 'open' then 0 when 'won' then 1 else 2 end`, asc(opportunityStages.position), asc(opportunityStages.id)];

export async function listStages(db: Queryable): Promise<StageRow[]> {
  const openCount = sql<number>`(select count(*)::int from ${opportunities} o where o.stage_id = opportunity_stages.id and o.status = 'open')`;
  return db
    .select({
      id: opportunityStages.id,
      code: opportunityStages.code,
      name: opportunityStages.name,
      nameEn: opportunityStages.nameEn,
      kind: opportunityStages.kind,
      position: opportunityStages.position,
      probability: opportunityStages.probability,
      active: opportunityStages.active,
      version: opportunityStages.version,
      openCount,
    })
    .from(opportunityStages)
    .orderBy(...stageOrder);
}

async function stageWithCount(db: Queryable, id: number): Promise<StageRow> {
  const row = (await listStages(db)).find((s) => s.id === id);
  if (!row) throw notFound();
  return row;
}

export async function createStage(db: Db, actor: Actor, input: { name: string; nameEn: string; probability: number }): Promise<StageRow> {
  const id = await db.transaction(async (tx) => {
    await lockAllStages(tx);
    const [{ next }] = await tx
      .select({ next: sql<number>`coalesce(max(${opportunityStages.position}), 0)::int + 1` })
      .from(opportunityStages)
      .where(eq(opportunityStages.kind, 'open'));
    const [row] = await tx
      .insert(opportunityStages)
      .values({ code: `custom_${randomUUID().slice(0, 8)}`, name: input.name, nameEn: input.nameEn, kind: 'open', position: next, probability: input.probability })
      .returning();
    await audit(tx, actor, { action: 'opportunity_stage.created', entity: 'opportunity_stage', entityId: row!.id, after: row });
    return row!.id;
  });
  return stageWithCount(db, id);
}

async function lockAllStages(tx: Tx) {
  return tx.select().from(opportunityStages).orderBy(asc(opportunityStages.id)).for('update');
}

export async function updateStage(
  db: Db,
  actor: Actor,
  id: number,
  input: { name?: string; nameEn?: string; probability?: number; active?: boolean; version: number },
): Promise<StageRow> {
  await db.transaction(async (tx) => {
    const all = await lockAllStages(tx);
    const before = all.find((s) => s.id === id);
    if (!before) throw notFound();
    if (before.version !== input.version) throw versionConflict();
    if (input.active === false && before.active) {
      if (before.kind !== 'open') throw new DomainError('OPPORTUNITY_STAGE_CLOSING_REQUIRED', {}, 422, [{ path: 'active', code: 'OPPORTUNITY_STAGE_CLOSING_REQUIRED' }]);
      const [{ n }] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(opportunities)
        .where(and(eq(opportunities.stageId, id), eq(opportunities.status, 'open')));
      if (n > 0) throw new DomainError('OPPORTUNITY_STAGE_IN_USE', { count: n }, 409, [{ path: 'active', code: 'OPPORTUNITY_STAGE_IN_USE', params: { count: n } }]);
      if (!all.some((s) => s.kind === 'open' && s.active && s.id !== id)) throw new DomainError('OPPORTUNITY_STAGE_LAST_OPEN', {}, 422, [{ path: 'active', code: 'OPPORTUNITY_STAGE_LAST_OPEN' }]);
    }
    const patch = {
      name: input.name ?? before.name,
      nameEn: input.nameEn ?? before.nameEn,
      probability: input.probability ?? before.probability,
      active: input.active ?? before.active,
    };
    await tx.update(opportunityStages).set({ ...patch, version: before.version + 1 }).where(eq(opportunityStages.id, id));
    const changed = Object.fromEntries(Object.entries(patch).filter(([k, v]) => v !== before[k as keyof typeof before]));
    const was = Object.fromEntries(Object.keys(changed).map((k) => [k, before[k as keyof typeof before]]));
    await audit(tx, actor, { action: 'opportunity_stage.updated', entity: 'opportunity_stage', entityId: id, before: was, after: changed });
  });
  return stageWithCount(db, id);
}

/** The order of the open stages: `ids` must name every open stage (active or not) exactly once. */
export async function reorderStages(db: Db, actor: Actor, ids: number[]): Promise<StageRow[]> {
  await db.transaction(async (tx) => {
    const all = await lockAllStages(tx);
    const open = all.filter((s) => s.kind === 'open');
    const same = ids.length === open.length && new Set(ids).size === ids.length && ids.every((id) => open.some((s) => s.id === id));
    if (!same) throw new DomainError('OPPORTUNITY_STAGE_ORDER_INVALID', {}, 422, [{ path: 'ids', code: 'OPPORTUNITY_STAGE_ORDER_INVALID' }]);
    const before = [...open].sort((a, b) => a.position - b.position).map((s) => s.id);
    // Positions are not unique, so the new ones can be written directly; won and lost follow the open stages.
    for (const [i, id] of ids.entries()) {
      const stage = open.find((s) => s.id === id)!;
      if (stage.position !== i + 1) await tx.update(opportunityStages).set({ position: i + 1, version: stage.version + 1 }).where(eq(opportunityStages.id, id));
    }
    for (const [j, kind] of (['won', 'lost'] as const).entries()) {
      await tx.update(opportunityStages).set({ position: ids.length + 1 + j }).where(eq(opportunityStages.kind, kind));
    }
    await audit(tx, actor, { action: 'opportunity_stages.reordered', entity: 'opportunity_stage', before: { ids: before }, after: { ids } });
  });
  return listStages(db);
}
