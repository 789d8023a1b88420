import { type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../kernel/access/actor.js';
import { scopeCondition } from '../../kernel/access/scope.js';
import { type Queryable, rowsOf } from '../../kernel/db/client.js';
import { DomainError } from '../../kernel/errors.js';

/**
 * Managers' view (issue 5): what each rep did in a period — visits, calls, other contacts, plans,
 * customers reached, new leads, follow-ups done and overdue, opportunities moved, won and lost,
 * manager comments received — ranked, per rep or summed per team.
 *
 * Rules:
 * - The rows are the people within the actor's reach who could do sales work: active users holding
 *   activities.write through a role, inside the actor's data scope over users (own / team /
 *   department subtree / all). Territory grants do not widen it: people are not located in places.
 * - The period is two company-calendar dates, both inclusive, turned into instants in the company
 *   time zone (a visit at 23:30 Shanghai time on the 31st belongs to the 31st).
 * - Every metric is counted set-based: one grouped subquery per source table, joined to the people
 *   in one statement, never a query per rep.
 * - A new lead is a lead_events row of kind created / assigned / claimed whose owner is the rep:
 *   details.ownerId when the event names it, else the actor for a claim, and for a creation the
 *   actor when they own the lead now. Each lead counts once per rep in the period.
 * - Follow-ups overdue are counted as of the period end: due before `to` and not done by the end of `to`.
 * - An opportunity move is a stage-history row with a from-stage (a creation is not a move) whose actor is the rep.
 * - Comments received are comments on the rep's activities written by somebody else.
 */

export const WORKLOAD_METRICS = [
  'visits',
  'calls',
  'otherContacts',
  'planned',
  'customersContacted',
  'newLeads',
  'followUpsDone',
  'followUpsOverdue',
  'opportunitiesMoved',
  'opportunitiesWon',
  'opportunitiesLost',
  'commentsReceived',
] as const;
export type WorkloadMetric = (typeof WORKLOAD_METRICS)[number];
export type WorkloadMetrics = Record<WorkloadMetric, number>;

export type WorkloadQuery = {
  from: string;
  to: string;
  groupBy: 'rep' | 'team';
  departmentId?: number;
  sort: WorkloadMetric;
  order: 'asc' | 'desc';
};

export type WorkloadRow = WorkloadMetrics & {
  rank: number;
  /** null when grouped by team. */
  userId: number | null;
  displayName: string | null;
  departmentId: number | null;
  departmentName: string | null;
  /** People counted in the row (1 per rep, the team's size by team). */
  people: number;
};

export type WorkloadReport = {
  from: string;
  to: string;
  groupBy: 'rep' | 'team';
  sort: WorkloadMetric;
  order: 'asc' | 'desc';
  rows: WorkloadRow[];
  totals: WorkloadMetrics & { people: number };
};

/** A longer period than this is refused: two years covers "this year against last year". */
export const MAX_PERIOD_DAYS = 731;

const DAY_MS = 86_400_000;

function checkPeriod(from: string, to: string) {
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS;
  if (!(days >= 0)) throw new DomainError('CRM_REPORT_PERIOD_INVALID', { from, to }, 422, [{ path: 'to', code: 'CRM_REPORT_PERIOD_INVALID' }]);
  if (days + 1 > MAX_PERIOD_DAYS)
    throw new DomainError('CRM_REPORT_PERIOD_TOO_LONG', { days: MAX_PERIOD_DAYS }, 422, [{ path: 'from', code: 'CRM_REPORT_PERIOD_TOO_LONG' }]);
}

/** The people the actor may see in the report: active users holding activities.write, within the actor's scope. */
export function workloadPeople(actor: Actor, departmentId?: number): SQL {
  const inScope = scopeCondition(actor, { owner: sql`u.id`, department: sql`u.department_id` });
  const inDepartment =
    departmentId === undefined
      ? sql`true`
      : sql`u.department_id in (select d.id from departments d where d.path like (select p.path || '%' from departments p where p.id = ${departmentId}))`;
  return sql`select u.id, u.display_name, u.department_id from users u
    where u.status = 'active'
      and exists (select 1 from user_roles ur join roles r on r.id = ur.role_id
                  where ur.user_id = u.id and 'activities.write' = any(r.permissions))
      and ${inScope} and ${inDepartment}`;
}

/**
 * The per-rep statement: people, then one grouped subquery per source, left-joined. `start` and
 * `end` are the instants of the period [start, end).
 */
export function workloadStatement(actor: Actor, q: Pick<WorkloadQuery, 'from' | 'to' | 'departmentId'>, timeZone: string): SQL {
  const start = sql`(${q.from}::date::timestamp at time zone ${timeZone})`;
  const end = sql`((${q.to}::date + 1)::timestamp at time zone ${timeZone})`;
  return sql`
    with people as (${workloadPeople(actor, q.departmentId)}),
    acts as (
      select a.owner_id,
        count(*) filter (where a.status = 'done' and a.type = 'visit')::int as visits,
        count(*) filter (where a.status = 'done' and a.type = 'phone')::int as calls,
        count(*) filter (where a.status = 'done' and a.type in ('email', 'sms', 'wechat', 'meeting', 'meal'))::int as other_contacts,
        count(*) filter (where a.status = 'planned')::int as planned,
        count(distinct a.customer_id) filter (where a.status = 'done')::int as customers_contacted
      from activities a
      where a.owner_id in (select id from people) and a.starts_at >= ${start} and a.starts_at < ${end}
      group by a.owner_id),
    follow_ups_done as (
      select a.owner_id, count(*)::int as n from activities a
      where a.owner_id in (select id from people) and a.follow_up_done_at >= ${start} and a.follow_up_done_at < ${end}
        and a.next_follow_up_on is not null
      group by a.owner_id),
    follow_ups_overdue as (
      -- Two halves so each uses its index: never done (activities_follow_up_idx), done after the period end.
      select owner_id, count(*)::int as n from (
        select a.owner_id from activities a
        where a.owner_id in (select id from people) and a.next_follow_up_on is not null and a.follow_up_done_at is null
          and a.next_follow_up_on < ${q.to}::date and a.status <> 'cancelled'
        union all
        select a.owner_id from activities a
        where a.owner_id in (select id from people) and a.follow_up_done_at >= ${end}
          and a.next_follow_up_on < ${q.to}::date and a.status <> 'cancelled') overdue
      group by owner_id),
    lead_owners as (
      select e.lead_id, case
          when e.details ? 'ownerId' then (e.details->>'ownerId')::int
          when e.kind = 'claimed' then e.actor_id
          when e.kind = 'created' and l.owner_id = e.actor_id then e.actor_id
        end as owner_id
      from lead_events e join leads l on l.id = e.lead_id
      where e.kind in ('created', 'assigned', 'claimed') and e.at >= ${start} and e.at < ${end}),
    new_leads as (
      select owner_id, count(distinct lead_id)::int as n from lead_owners
      where owner_id in (select id from people) group by owner_id),
    moves as (
      select h.actor_id as owner_id, count(*)::int as n from opportunity_stage_history h
      where h.actor_id in (select id from people) and h.from_stage_id is not null and h.at >= ${start} and h.at < ${end}
      group by h.actor_id),
    closed as (
      select o.owner_id,
        count(*) filter (where o.status = 'won')::int as won,
        count(*) filter (where o.status = 'lost')::int as lost
      from opportunities o
      where o.owner_id in (select id from people) and o.closed_at >= ${start} and o.closed_at < ${end}
      group by o.owner_id),
    comments as (
      -- Driven by the period's comments (activity_comments_created_idx), each looked up by its activity's key:
      -- a join let the planner scan every activity of the people for a month's few comments.
      select owner_id, count(*)::int as n from (
        select (select a.owner_id from activities a where a.id = c.activity_id and a.owner_id <> c.author_id) as owner_id
        from activity_comments c where c.created_at >= ${start} and c.created_at < ${end}
        offset 0) received -- a fence: flattened, the lookup ran twice per comment (select list and filter)
      where owner_id in (select id from people)
      group by owner_id)
    select p.id as "userId", p.display_name as "displayName", p.department_id as "departmentId", d.name as "departmentName",
      coalesce(acts.visits, 0) as "visits",
      coalesce(acts.calls, 0) as "calls",
      coalesce(acts.other_contacts, 0) as "otherContacts",
      coalesce(acts.planned, 0) as "planned",
      coalesce(acts.customers_contacted, 0) as "customersContacted",
      coalesce(new_leads.n, 0) as "newLeads",
      coalesce(follow_ups_done.n, 0) as "followUpsDone",
      coalesce(follow_ups_overdue.n, 0) as "followUpsOverdue",
      coalesce(moves.n, 0) as "opportunitiesMoved",
      coalesce(closed.won, 0) as "opportunitiesWon",
      coalesce(closed.lost, 0) as "opportunitiesLost",
      coalesce(comments.n, 0) as "commentsReceived"
    from people p
    left join departments d on d.id = p.department_id
    left join acts on acts.owner_id = p.id
    left join follow_ups_done on follow_ups_done.owner_id = p.id
    left join follow_ups_overdue on follow_ups_overdue.owner_id = p.id
    left join new_leads on new_leads.owner_id = p.id
    left join moves on moves.owner_id = p.id
    left join closed on closed.owner_id = p.id
    left join comments on comments.owner_id = p.id`;
}

type RepFigures = WorkloadMetrics & { userId: number; displayName: string; departmentId: number | null; departmentName: string | null };

const zero = (): WorkloadMetrics => Object.fromEntries(WORKLOAD_METRICS.map((m) => [m, 0])) as WorkloadMetrics;

/** The workload report of the actor's reach for a period (see the rules above). */
export async function workloadReport(db: Queryable, actor: Actor, q: WorkloadQuery, timeZone: string): Promise<WorkloadReport> {
  checkPeriod(q.from, q.to);
  const reps = rowsOf<RepFigures>(await db.execute(workloadStatement(actor, q, timeZone))).map((r) => {
    const row = { ...r } as RepFigures;
    for (const m of WORKLOAD_METRICS) row[m] = Number(r[m]);
    return row;
  });

  let rows: Omit<WorkloadRow, 'rank'>[];
  if (q.groupBy === 'rep') {
    rows = reps.map((r) => ({ ...r, people: 1 }));
  } else {
    const teams = new Map<number | null, Omit<WorkloadRow, 'rank'>>();
    for (const r of reps) {
      let team = teams.get(r.departmentId);
      if (!team) {
        team = { ...zero(), userId: null, displayName: null, departmentId: r.departmentId, departmentName: r.departmentName, people: 0 };
        teams.set(r.departmentId, team);
      }
      team.people += 1;
      for (const m of WORKLOAD_METRICS) team[m] += r[m];
    }
    rows = [...teams.values()];
  }

  const sign = q.order === 'desc' ? -1 : 1;
  const label = (r: Omit<WorkloadRow, 'rank'>) => r.displayName ?? r.departmentName ?? '';
  rows.sort((a, b) => sign * (a[q.sort] - b[q.sort]) || label(a).localeCompare(label(b), 'zh-CN') || (a.userId ?? a.departmentId ?? 0) - (b.userId ?? b.departmentId ?? 0));
  // Competition ranking (1, 2, 2, 4): equal figures share a place.
  const ranked: WorkloadRow[] = [];
  rows.forEach((r, i) => {
    const previous = ranked[i - 1];
    const rank = previous && previous[q.sort] === r[q.sort] ? previous.rank : i + 1;
    ranked.push({ rank, ...r });
  });

  const totals = { ...zero(), people: 0 };
  for (const r of rows) {
    totals.people += r.people;
    for (const m of WORKLOAD_METRICS) totals[m] += r[m];
  }
  return { from: q.from, to: q.to, groupBy: q.groupBy, sort: q.sort, order: q.order, rows: ranked, totals };
}
