import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoCrm } from '../src/demo/demo-crm.js';
import { rowsOf } from '../src/kernel/db/client.js';
import { companyToday } from '../src/modules/customers/customers.scope.js';
import { Client, setupTest } from './support.js';

let t: Awaited<ReturnType<typeof setupTest>>;

beforeAll(async () => {
  t = await setupTest({ demo: true });
});
afterAll(() => t.close());

async function one<T = number>(query: ReturnType<typeof sql>): Promise<T> {
  const [row] = rowsOf<Record<string, T>>(await t.db.execute(query));
  return Object.values(row!)[0]!;
}

describe('the demo CRM', () => {
  it('has about 200 leads, some in the pool, with follow-ups due today and overdue, and their events', async () => {
    const today = companyToday();
    expect(await one(sql`select count(*)::int from leads`)).toBe(200);
    expect(await one(sql`select count(*)::int from leads where owner_id is null`)).toBeGreaterThan(15);
    expect(await one(sql`select count(*)::int from leads where next_follow_up_on = ${today}::date and status = 'open'`)).toBeGreaterThan(10);
    expect(await one(sql`select count(*)::int from leads where next_follow_up_on < ${today}::date and status = 'open'`)).toBeGreaterThan(10);
    expect(await one(sql`select count(distinct grade)::int from leads`)).toBe(5);
    expect(await one(sql`select count(distinct source)::int from leads`)).toBeGreaterThan(5);
    // Every lead was created; every owned lead created by the office was assigned; some were graded.
    expect(await one(sql`select count(*)::int from leads l where not exists (select 1 from lead_events e where e.lead_id = l.id and e.kind = 'created')`)).toBe(0);
    expect(
      await one(sql`select count(*)::int from leads l where l.owner_id is not null and l.created_by <> l.owner_id
        and not exists (select 1 from lead_events e where e.lead_id = l.id and e.kind = 'assigned' and (e.details->>'ownerId')::int = l.owner_id)`),
    ).toBe(0);
    expect(await one(sql`select count(*)::int from lead_events where kind = 'graded'`)).toBeGreaterThan(50);
  });

  it('has about 3,000 activities of the reps with their own customers over the last 90 days, a few planned for next week', async () => {
    const total = await one(sql`select count(*)::int from activities`);
    expect(total).toBeGreaterThan(2500);
    expect(total).toBeLessThan(3500);
    expect(await one(sql`select count(distinct type)::int from activities`)).toBe(7);
    expect(await one(sql`select count(*)::int from activities where status = 'done' and starts_at > now()`)).toBe(0);
    expect(await one(sql`select count(*)::int from activities where starts_at < now() - interval '92 days'`)).toBe(0);
    const planned = await one(sql`select count(*)::int from activities where status = 'planned' and starts_at > now() and starts_at < now() + interval '8 days'`);
    expect(planned).toBeGreaterThan(20);
    expect(await one(sql`select count(*)::int from activities where status = 'planned'`)).toBe(planned);
    // Owners own the customers (the team meeting is the team lead's, with a rep's customer).
    expect(
      await one(sql`select count(*)::int from activities a join customers c on c.id = a.customer_id
        where c.owner_id <> a.owner_id and not exists (select 1 from activity_attendees x where x.activity_id = a.id)`),
    ).toBe(0);
    expect(await one(sql`select count(*)::int from opportunities o join customers c on c.id = o.customer_id where c.owner_id <> o.owner_id`)).toBe(0);
  });

  it('links every activity only to contacts of its own customer, and records products discussed', async () => {
    expect(await one(sql`select count(*)::int from activity_contacts ac join activities a on a.id = ac.activity_id join contacts k on k.id = ac.contact_id where k.customer_id is distinct from a.customer_id`)).toBe(0);
    expect(await one(sql`select count(distinct activity_id)::int from activity_contacts`)).toBeGreaterThan(1500);
    expect(await one(sql`select count(distinct activity_id)::int from activity_products`)).toBeGreaterThan(1000);
  });

  it('has follow-ups done, due and overdue, and manager comments by the rep’s team lead or regional manager', async () => {
    const today = companyToday();
    expect(await one(sql`select count(*)::int from activities where follow_up_done_at is not null`)).toBeGreaterThan(100);
    expect(await one(sql`select count(*)::int from activities where next_follow_up_on < ${today}::date and follow_up_done_at is null`)).toBeGreaterThan(20);
    expect(await one(sql`select count(*)::int from activities where next_follow_up_on >= ${today}::date and follow_up_done_at is null`)).toBeGreaterThan(20);
    expect(await one(sql`select count(*)::int from activity_comments`)).toBeGreaterThan(50);
    // The author heads the rep's team, or else the team's region.
    expect(
      await one(sql`select count(*)::int from activity_comments m join activities a on a.id = m.activity_id
        join users u on u.id = a.owner_id join departments d on d.id = u.department_id left join departments p on p.id = d.parent_id
        where m.author_id is distinct from coalesce(d.head_user_id, p.head_user_id)`),
    ).toBe(0);
    expect(await one(sql`select count(*)::int from activity_comments where created_at > now()`)).toBe(0);
  });

  it('has about 150 opportunities across the pipeline, won and lost with reasons and competitors, with their stage history', async () => {
    expect(await one(sql`select count(*)::int from opportunities`)).toBe(150);
    const byStatus = rowsOf<{ status: string; n: number }>(await t.db.execute(sql`select status, count(*)::int as n from opportunities group by status`));
    for (const s of ['open', 'won', 'lost']) expect(byStatus.find((r) => r.status === s)?.n ?? 0, s).toBeGreaterThan(10);
    expect(await one(sql`select count(distinct lost_reason)::int from opportunities where status = 'lost'`)).toBeGreaterThan(3);
    expect(await one(sql`select count(*)::int from opportunities where competitor is not null`)).toBeGreaterThan(50);
    expect(await one(sql`select count(distinct stage_id)::int from opportunities`)).toBe(7);
    // The history ends at the current stage and starts with a creation row.
    expect(
      await one(sql`select count(*)::int from opportunities o where o.stage_id <> (select h.to_stage_id from opportunity_stage_history h where h.opportunity_id = o.id order by h.at desc, h.id desc limit 1)`),
    ).toBe(0);
    expect(await one(sql`select count(*)::int from opportunities o where not exists (select 1 from opportunity_stage_history h where h.opportunity_id = o.id and h.from_stage_id is null)`)).toBe(0);
    // The value is the sum of the products' values.
    expect(await one(sql`select count(*)::int from opportunities o where o.amount_fen <> (select sum(p.amount_fen) from opportunity_products p where p.opportunity_id = o.id)`)).toBe(0);
  });

  it('has one team meeting with attendees and action items, one of them done', async () => {
    const meetings = rowsOf<{ id: number; agenda: string }>(await t.db.execute(sql`select a.id, a.agenda from activities a where exists (select 1 from activity_action_items i where i.activity_id = a.id)`));
    expect(meetings).toHaveLength(1);
    expect(await one(sql`select count(*)::int from activity_attendees where activity_id = ${meetings[0]!.id}`)).toBe(3);
    const items = rowsOf<{ status: string }>(await t.db.execute(sql`select status from activity_action_items where activity_id = ${meetings[0]!.id}`));
    expect(items.map((i) => i.status).sort()).toEqual(['done', 'open', 'open']);
  });

  it('feeds the workload report: every demo rep did something last month', async () => {
    const office = await Client.as(t.app, 'office');
    const now = new Date(`${companyToday()}T00:00:00Z`);
    const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 10);
    const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0)).toISOString().slice(0, 10);
    const res = await office.get(`/api/crm/workload?from=${last}&to=${end}&sort=visits`);
    expect(res.statusCode, res.body).toBe(200);
    const reps = (res.json().rows as { displayName: string; visits: number; calls: number }[]).filter((r) => ['张伟', '周杰', '吴芳', '郑浩', '冯丽', '何斌', '罗燕'].includes(r.displayName));
    expect(reps).toHaveLength(7);
    for (const r of reps) expect(r.visits + r.calls, r.displayName).toBeGreaterThan(20);
  });

  it('is loaded once: a second load adds nothing', async () => {
    expect(await loadDemoCrm(t.db)).toMatchObject({ leads: 0, activities: 0, opportunities: 0 });
  });
});
