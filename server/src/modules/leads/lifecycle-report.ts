import { type SQL, and, sql } from 'drizzle-orm';
import type { Actor } from '../../kernel/access/actor.js';
import { type Queryable, rowsOf } from '../../kernel/db/client.js';
import { customerScope } from '../customers/customers.scope.js';
import { type CustomerType, LIFECYCLE_STAGES, type LifecycleStage, customers } from '../customers/customers.tables.js';

/** A customer in one stage for longer than this counts as stalled. */
export const STALLED_AFTER_DAYS = 90;

export type LifecycleRow = { stage: LifecycleStage; customers: number; medianDays: number | null; averageDays: number | null; stalled: number };
export type LifecycleFilter = { ownerId?: number; territoryId?: string; type?: CustomerType };

/**
 * 生命周期分析: for each stage, the active customers in the actor's scope now in it, how long they have
 * been there so far (since their last customer_stage_history row into that stage; their creation when
 * there is none, e.g. imported customers) as median and average days, and how many have waited more
 * than STALLED_AFTER_DAYS.
 */
export async function lifecycleReport(db: Queryable, actor: Actor, filter: LifecycleFilter, now: Date = new Date()): Promise<LifecycleRow[]> {
  const where: (SQL | undefined)[] = [customerScope(actor), sql`${customers.status} = 'active'`];
  if (filter.ownerId !== undefined) where.push(sql`${customers.ownerId} = ${filter.ownerId}`);
  if (filter.type) where.push(sql`${customers.type} = ${filter.type}`);
  if (filter.territoryId) where.push(sql`${customers.territoryPath} like (select t.path from territories t where t.id = ${filter.territoryId}) || '%'`);
  const rows = rowsOf<{ stage: LifecycleStage; n: number; median: number | null; average: number | null; stalled: number }>(
    await db.execute(sql`
      with c as (
        select ${customers.lifecycleStage} as stage,
          extract(epoch from (${now.toISOString()}::timestamptz - coalesce(
            (select max(h.at) from customer_stage_history h where h.customer_id = ${customers.id} and h.to_stage = ${customers.lifecycleStage}),
            ${customers.createdAt}))) / 86400.0 as days
        from ${customers}
        where ${and(...where)}
      )
      select stage, count(*)::int as n,
        percentile_cont(0.5) within group (order by days)::float8 as median,
        avg(days)::float8 as average,
        (count(*) filter (where days > ${STALLED_AFTER_DAYS}))::int as stalled
      from c group by stage`),
  );
  const round = (v: number | null) => (v === null ? null : Math.round(Number(v) * 10) / 10);
  return LIFECYCLE_STAGES.map((stage) => {
    const r = rows.find((x) => x.stage === stage);
    return { stage, customers: r ? Number(r.n) : 0, medianDays: r ? round(r.median) : null, averageDays: r ? round(r.average) : null, stalled: r ? Number(r.stalled) : 0 };
  });
}
