// `npx tsx bench/activities-timeline.ts [--activities 5000] [--runs 300]`
//
// Issue 5's figure: the activity timeline of one customer with 5,000 activities (GET
// /api/activities?customerId=…, page 1 and the count), as its rep, the team lead and the office.
// Builds the demo company (without its 3,000 customers) plus the noise of other customers'
// activities in a throwaway database (PGlite in memory, or a fresh database on DATABASE_URL),
// times the service call and prints p50/p99 and PostgreSQL's plan of the page query.
import { parseArgs } from 'node:util';
import { eq, sql } from 'drizzle-orm';
import { loadActor, systemActor } from '../src/kernel/access/actor.js';
import { users } from '../src/kernel/access/access.tables.js';
import { createTestDatabase } from '../src/kernel/db/test-db.js';
import { rowsOf } from '../src/kernel/db/client.js';
import { loadDemoCompany } from '../src/demo/demo-company.js';
import { listActivities } from '../src/modules/activities/activities.service.js';
import { createCustomer } from '../src/modules/customers/customers.service.js';

const { values } = parseArgs({ options: { activities: { type: 'string' }, runs: { type: 'string' } } });
const perCustomer = Number(values.activities ?? 5000);
const runs = Number(values.runs ?? 300);

const database = await createTestDatabase();
const { db } = database;
await loadDemoCompany(db, { customers: false });
const idOf = async (username: string) => (await db.select({ id: users.id }).from(users).where(eq(users.username, username)))[0]!.id;
const rep = await idOf('rep');
const rep2 = await idOf('rep2');

const customerIds: number[] = [];
for (let i = 0; i < 20; i++) {
  const owner = i % 2 === 0 ? rep : rep2;
  const c = await db.transaction((tx) => createCustomer(tx, systemActor(), { name: `基准医院${i}`, type: 'hospital', territoryId: '310101', ownerId: owner, code: `BENCH${i}` }));
  customerIds.push(c.id);
}
const [target] = customerIds;
// The customer of the figure, and as many activities again spread over the other 19 customers.
await db.execute(sql`insert into activities (type, status, customer_id, subject, starts_at, outcome, owner_id, owner_department_id, created_by)
  select (array['visit','phone','wechat','email'])[1 + g % 4], 'done', ${target}, '拜访 ' || g, now() - (g || ' hours')::interval, '沟通顺利',
         ${rep}, (select department_id from users where id = ${rep}), ${rep}
  from generate_series(1, ${perCustomer}) g`);
await db.execute(sql`insert into activities (type, status, customer_id, subject, starts_at, owner_id, owner_department_id, created_by)
  select 'visit', 'done', (${sql.raw(`array[${customerIds.slice(1).join(',')}]`)})[1 + g % 19], '拜访 ' || g, now() - (g || ' hours')::interval,
         case when g % 2 = 0 then ${rep2}::int else ${rep}::int end, (select department_id from users where id = ${rep}), ${rep}
  from generate_series(1, ${perCustomer}) g`);
await db.execute(sql`insert into activity_comments (activity_id, author_id, body)
  select id, ${await idOf('team_lead')}, '批注' from activities where customer_id = ${target} and id % 10 = 0`);
await db.execute(sql`analyze`);

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

console.log(`timeline of one customer with ${perCustomer} activities (+${perCustomer} elsewhere), ${runs} runs each, ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`);
for (const username of ['rep', 'team_lead', 'office']) {
  const actor = (await loadActor(db, await idOf(username)))!;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const page = 1 + (i % 5);
    const t0 = performance.now();
    const result = await listActivities(db, actor, { customerId: target }, { page, pageSize: 20 });
    times.push(performance.now() - t0);
    if (result.total !== perCustomer) throw new Error(`${username} saw ${result.total} activities`);
  }
  times.sort((a, b) => a - b);
  console.log(`  ${username.padEnd(10)} p50 ${percentile(times, 50).toFixed(1)} ms   p99 ${percentile(times, 99).toFixed(1)} ms`);
}
const plan = rowsOf<Record<string, string>>(
  await db.execute(sql`explain (analyze, costs off) select a.id from activities a where a.customer_id = ${target}
    and (a.owner_id = ${rep} or exists (select 1 from customers c where c.id = a.customer_id and c.owner_id = ${rep}))
    order by a.starts_at desc, a.id desc limit 20`),
);
console.log(plan.map((r) => Object.values(r)[0]).join('\n'));
await database.close();
