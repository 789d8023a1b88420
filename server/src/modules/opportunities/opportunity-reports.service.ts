import { sql } from 'drizzle-orm';
import type { Actor } from '../../kernel/access/actor.js';
import { type Queryable, rowsOf } from '../../kernel/db/client.js';
import { getCrmSettings } from '../crm/crm.settings.js';
import { opportunityScope } from './opportunities.scope.js';
import { type LostReason, opportunities } from './opportunities.tables.js';
import { localMidnight, monthBounds, weightedFenSql } from './opportunities.service.js';

/**
 * The two monthly opportunity tables managers asked for (issue 5):
 * - 热点客户管理表 (hot prospects): what was open at the END of the month — the stage at that instant comes
 *   from the stage history (the last change before the month ended), so an opportunity won or lost later
 *   still counts for that month and one created later does not — whose probability then was at least
 *   crm_settings.hot_probability, or whose customer is graded H. The probability at month end is the
 *   current one while the opportunity is still in that stage, else that stage's default (probabilities
 *   are not historised). Days in stage and the last done activity are measured up to the month end (or now).
 * - 战败客户分析表 (lost deals): opportunities lost in a range of months, with the stage they were lost from
 *   (the history), grouped by reason, rep, region (province), competitor or month; shares of the count
 *   in whole percent, rounded half-up.
 * Both in the actor's opportunityScope; months are in the company's time zone.
 */

/** The province of a territory path '/310000/310100/310101/'. */
const provinceName = sql`(select t.name from territories t where t.id = split_part(${opportunities.territoryPath}, '/', 2))`;

export type HotGroupBy = 'rep' | 'region';
export type HotRow = {
  id: number;
  name: string;
  customerId: number;
  customerName: string;
  customerGrade: string | null;
  region: string | null;
  ownerId: number;
  ownerName: string;
  products: string | null;
  amountFen: string;
  probability: number;
  weightedFen: string;
  stageName: string;
  stageNameEn: string;
  expectedCloseOn: string | null;
  daysInStage: number;
  lastActivityOn: string | null;
};
type GroupTotals = { key: string; label: string; count: number; amountFen: string };

export async function hotProspects(db: Queryable, actor: Actor, input: { month: string; groupBy: HotGroupBy }, timeZone: string, now = new Date()) {
  const { hotProbability } = await getCrmSettings(db);
  const end = localMidnight(monthBounds(input.month).next, timeZone);
  const asOf = sql`least(${now.toISOString()}::timestamptz, ${end})`;
  const probabilityAtEnd = sql`(case when h.to_stage_id = ${opportunities.stageId} then ${opportunities.probability} else s.probability end)`;
  const rows = rowsOf<HotRow>(
    await db.execute(sql`
      select ${opportunities.id} as "id", ${opportunities.name} as "name", ${opportunities.customerId} as "customerId",
        c.name as "customerName", c.grade as "customerGrade", ${provinceName} as "region",
        ${opportunities.ownerId} as "ownerId", u.display_name as "ownerName",
        (select string_agg(p.generic_name, '、' order by p.code) from opportunity_products op join products p on p.id = op.product_id
          where op.opportunity_id = ${opportunities.id}) as "products",
        ${opportunities.amountFen}::text as "amountFen",
        ${probabilityAtEnd}::int as "probability",
        ${weightedFenSql(opportunities.amountFen, probabilityAtEnd)}::text as "weightedFen",
        s.name as "stageName", s.name_en as "stageNameEn",
        ${opportunities.expectedCloseOn}::text as "expectedCloseOn",
        greatest(0, floor(extract(epoch from (${asOf} - h.at)) / 86400))::int as "daysInStage",
        (select to_char(max(a.starts_at) at time zone ${timeZone}, 'YYYY-MM-DD') from activities a
          where a.customer_id = ${opportunities.customerId} and a.status = 'done' and a.starts_at < ${end}) as "lastActivityOn"
      from ${opportunities}
      join customers c on c.id = ${opportunities.customerId}
      join users u on u.id = ${opportunities.ownerId}
      join lateral (select h.to_stage_id, h.at from opportunity_stage_history h
        where h.opportunity_id = ${opportunities.id} and h.at < ${end} order by h.at desc, h.id desc limit 1) h on true
      join opportunity_stages s on s.id = h.to_stage_id and s.kind = 'open'
      where ${opportunities.createdAt} < ${end} and ${opportunityScope(actor)}
        and (${probabilityAtEnd} >= ${hotProbability} or c.grade = 'H')
      order by ${input.groupBy === 'rep' ? sql`u.display_name, ${opportunities.ownerId}` : sql`"region" nulls last`}, ${opportunities.amountFen} desc, ${opportunities.id}
    `),
  );
  const groups = new Map<string, GroupTotals & { weightedFen: string }>();
  for (const r of rows) {
    const key = input.groupBy === 'rep' ? String(r.ownerId) : (r.region ?? '');
    const label = input.groupBy === 'rep' ? r.ownerName : (r.region ?? '');
    const g = groups.get(key) ?? { key, label, count: 0, amountFen: '0', weightedFen: '0' };
    g.count += 1;
    g.amountFen = (BigInt(g.amountFen) + BigInt(r.amountFen)).toString();
    g.weightedFen = (BigInt(g.weightedFen) + BigInt(r.weightedFen)).toString();
    groups.set(key, g);
  }
  return { month: input.month, hotProbability, groups: [...groups.values()], rows };
}

export type LostGroupBy = 'reason' | 'rep' | 'region' | 'competitor' | 'month';
export type LostRow = {
  id: number;
  name: string;
  customerId: number;
  customerName: string;
  region: string | null;
  ownerId: number;
  ownerName: string;
  amountFen: string;
  competitor: string | null;
  lostReason: LostReason;
  lostNote: string | null;
  stageBeforeName: string | null;
  stageBeforeNameEn: string | null;
  lostAt: Date;
  lostMonth: string;
};

/** count × 100 / total, half-up, as a whole percent. */
export function sharePercent(count: number, total: number): number {
  return total === 0 ? 0 : Math.floor((count * 200 + total) / (total * 2));
}

export async function lostDeals(
  db: Queryable,
  actor: Actor,
  input: { from: string; to: string; groupBy: LostGroupBy },
  timeZone: string,
  labels: (groupBy: LostGroupBy, key: string, row: LostRow) => string,
) {
  const [from, to] = input.from <= input.to ? [input.from, input.to] : [input.to, input.from];
  const start = localMidnight(monthBounds(from).start, timeZone);
  const end = localMidnight(monthBounds(to).next, timeZone);
  const raw = rowsOf<LostRow>(
    await db.execute(sql`
      select ${opportunities.id} as "id", ${opportunities.name} as "name", ${opportunities.customerId} as "customerId",
        c.name as "customerName", ${provinceName} as "region",
        ${opportunities.ownerId} as "ownerId", u.display_name as "ownerName",
        ${opportunities.amountFen}::text as "amountFen", ${opportunities.competitor} as "competitor",
        ${opportunities.lostReason} as "lostReason", ${opportunities.lostNote} as "lostNote",
        before.name as "stageBeforeName", before.name_en as "stageBeforeNameEn",
        ${opportunities.closedAt} as "lostAt",
        to_char(${opportunities.closedAt} at time zone ${timeZone}, 'YYYY-MM') as "lostMonth"
      from ${opportunities}
      join customers c on c.id = ${opportunities.customerId}
      join users u on u.id = ${opportunities.ownerId}
      left join lateral (select h.from_stage_id from opportunity_stage_history h
        where h.opportunity_id = ${opportunities.id} and h.to_stage_id = ${opportunities.stageId} order by h.at desc, h.id desc limit 1) h on true
      left join opportunity_stages before on before.id = h.from_stage_id
      where ${opportunities.status} = 'lost' and ${opportunities.closedAt} >= ${start} and ${opportunities.closedAt} < ${end}
        and ${opportunityScope(actor)}
      order by ${opportunities.closedAt}, ${opportunities.id}
    `),
  );
  // Raw rows bring timestamps as text on some drivers.
  const rows = raw.map((r) => ({ ...r, lostAt: new Date(r.lostAt) }));
  const keyOf = (r: LostRow): string =>
    ({ reason: r.lostReason, rep: String(r.ownerId), region: r.region ?? '', competitor: r.competitor ?? '', month: r.lostMonth })[input.groupBy];
  const groups = new Map<string, GroupTotals>();
  let totalAmount = 0n;
  for (const r of rows) {
    const key = keyOf(r);
    const g = groups.get(key) ?? { key, label: labels(input.groupBy, key, r), count: 0, amountFen: '0' };
    g.count += 1;
    g.amountFen = (BigInt(g.amountFen) + BigInt(r.amountFen)).toString();
    totalAmount += BigInt(r.amountFen);
    groups.set(key, g);
  }
  const ordered = [...groups.values()].sort((a, b) => (input.groupBy === 'month' ? a.key.localeCompare(b.key) : b.count - a.count || a.key.localeCompare(b.key)));
  return {
    from,
    to,
    total: { count: rows.length, amountFen: totalAmount.toString() },
    groups: ordered.map((g) => ({ ...g, sharePercent: sharePercent(g.count, rows.length) })),
    rows,
  };
}
