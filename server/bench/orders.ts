// `npm run bench -- orders [--duration S --connections C]`: order submit throughput (issue 6).
//
// On the company at scale 1 (20,000 customers, 200 reps; bench/run.ts's generator) it writes,
// set-based (insert … select over generate_series, no row-by-row inserts):
//   - products up to 500 (copies of the demo catalogue under new codes and specifications) with their
//     ex-factory prices, one batch each with stock received (ZC, or LK for 2–8 °C products);
//   - 250,000 orders of the last year with 4 lines each (1,000,000 order lines), shipped and invoiced,
//     spread over all customers, so every credit and stock check runs against a year of history.
// Then it starts the real server and lets C users (default 50 reps, r00001…, each at their own
// customers) create and submit orders for `duration` seconds over HTTP, one order after the other:
//   POST /api/orders {customerId, lines:[{productId, quantity}]} → {id, version, …}
//   POST /api/orders/:id/submit {version} → the order (all submit checks: qualifications, product
//   allowed, price, credit and overdue, stock)
// and prints orders/s and p50/p99 of the submit and of create + submit. It stops with a clear message
// when those routes are not there (404 ROUTE_NOT_FOUND) after printing the data-generation time.
// Figures go into docs/benchmarks.md under "Order submit (issue 6)".
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { repoRoot } from '../src/config.js';
import { loadDemoCompany } from '../src/demo/demo-company.js';
import { seedReferenceData } from '../src/demo/reference-data.js';
import { generateCompany, SCALE_PASSWORD } from '../src/demo/scale.js';
import { type Db, openDatabase, rowsOf } from '../src/kernel/db/client.js';
import { applyMigrations } from '../src/kernel/db/migrate.js';
import { benchDatabase, login, startChild, waitUntilAnswering } from './harness.js';

const BENCH_DB = process.env.BENCH_DB || 'rxdesk_bench_orders';
const docsFile = path.join(repoRoot, 'docs', 'benchmarks.md');
const START = '<!-- bench:orders:start -->';
const END = '<!-- bench:orders:end -->';
const PRODUCTS = 500;
const ORDERS = 250_000;
const LINES_PER_ORDER = 4;

export type OrdersBenchOptions = { duration: number; connections: number; writeDocs: boolean };

/** Products up to 500 with prices and stock, and a year of shipped, invoiced orders (1 M lines). */
export async function generateOrderLoad(db: Db, today: string): Promise<{ seconds: number; counts: Record<string, number> }> {
  const t0 = performance.now();
  await db.transaction(async (tx) => {
    await tx.execute(sql`
      with base as (select p.*, row_number() over (order by p.id) as rn, count(*) over () as n from products p where p.status = 'active'),
      copies as (select b.*, g from base b cross join generate_series(1, ${PRODUCTS}) g where (g - 1) % b.n = b.rn - 1 and g > b.n)
      insert into products (code, generic_name, trade_name, dosage_form, specification, package_unit, units_per_package, approval_number, manufacturer,
        storage_condition, prescription_class, reimbursement_class, status, product_line_id, vat_rate_bp, search_text)
      select 'BP' || lpad(g::text, 5, '0'), generic_name, trade_name, dosage_form, specification || '（' || g || '）', package_unit, units_per_package,
        approval_number, manufacturer, storage_condition, prescription_class, reimbursement_class, 'active', product_line_id, vat_rate_bp, search_text || ' bp' || g
      from copies`);
    // The same ex-factory price as the product it copies.
    await tx.execute(sql`
      insert into prices (product_id, kind, amount_fen, valid_from)
      select p.id, 'ex_factory', coalesce((select max(pr.amount_fen) from prices pr join products o on o.id = pr.product_id
          where pr.kind = 'ex_factory' and o.generic_name = p.generic_name and o.code not like 'BP%'), 5000), ${today}::date - 400
      from products p where p.code like 'BP%'`);
    await tx.execute(sql`
      insert into stock_batches (product_id, batch_no, manufactured_on, expires_on)
      select id, 'BENCH' || id, ${today}::date - 100, ${today}::date + 700 from products where status = 'active'
      on conflict do nothing`);
    await tx.execute(sql`
      insert into stock_movements (business_date, warehouse_id, batch_id, product_id, kind, quantity, doc_type, doc_number)
      select ${today}::date - 100, w.id, b.id, b.product_id, 'receipt', 1000000, 'stock_receipt', 'RK-BENCH'
      from stock_batches b join products p on p.id = b.product_id
      join warehouses w on w.code = case when p.storage_condition = 'cold_chain' then 'LK' else 'ZC' end
      where b.batch_no = 'BENCH' || b.product_id`);
    await tx.execute(sql`
      insert into stock_balances (warehouse_id, batch_id, product_id, on_hand)
      select warehouse_id, batch_id, product_id, sum(quantity) from stock_movements where doc_number = 'RK-BENCH'
      group by warehouse_id, batch_id, product_id
      on conflict (warehouse_id, batch_id) do update set on_hand = stock_balances.on_hand + excluded.on_hand`);
    // A year of orders over all customers, shipped and invoiced: 4 lines each.
    await tx.execute(sql`
      with cs as (select array_agg(id order by id) as ids from customers where owner_id is not null),
      office as (select id from users where username = 'office')
      insert into sales_orders (number, status, customer_id, owner_id, owner_department_id, entered_by, order_date, total_fen, submitted_by, submitted_at, created_at, updated_at)
      select 'SOB' || lpad(g::text, 7, '0'), 'shipped', c.id, c.owner_id, c.owner_department_id, office.id, ${today}::date - 1 - (g % 365),
        0, office.id, now(), now(), now()
      from generate_series(1, ${ORDERS}) g cross join cs cross join office
      join customers c on c.id = cs.ids[1 + (hashtext(g::text) & 2147483647) % cardinality(cs.ids)]`);
    await tx.execute(sql`
      with ps as (select array_agg(p.id order by p.id) as ids, array_agg(coalesce(pr.amount_fen, 5000) order by p.id) as prices
                  from products p left join lateral (select max(amount_fen) as amount_fen from prices where product_id = p.id and kind = 'ex_factory') pr on true
                  where p.status = 'active')
      insert into sales_order_lines (order_id, line_no, product_id, quantity, unit_price_fen, list_price_fen, price_source, amount_fen, vat_rate_bp, shipped_qty, invoiced_qty)
      select o.id, k, ps.ids[x.i], x.q, ps.prices[x.i], ps.prices[x.i], 'ex_factory', x.q * ps.prices[x.i], 1300, x.q, x.q
      from sales_orders o cross join ps cross join generate_series(1, ${LINES_PER_ORDER}) k
      cross join lateral (select 1 + ((o.id * 7919 + k * 104729) % cardinality(ps.ids)) as i, 1 + ((o.id + k) % 50) as q) x
      where o.number like 'SOB%'`);
    await tx.execute(sql`
      update sales_orders o set total_fen = t.total from (select order_id, sum(amount_fen) as total from sales_order_lines group by order_id) t
      where o.id = t.order_id and o.number like 'SOB%'`);
  });
  const seconds = (performance.now() - t0) / 1000;
  await db.execute(sql`analyze`);
  const [counts] = rowsOf<Record<string, number>>(
    await db.execute(sql`select (select count(*) from customers)::int as customers, (select count(*) from products where status = 'active')::int as products,
      (select count(*) from sales_orders)::int as orders, (select count(*) from sales_order_lines)::int as order_lines`),
  );
  return { seconds, counts: counts! };
}

type Sample = { submit: number; both: number; ok: boolean };

const percentile = (xs: number[], p: number) => {
  if (xs.length === 0) return 0;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

/** One user: create an order for one of their customers with 1–3 products, submit it; again until the time is up. */
async function userLoop(base: string, cookie: string, csrf: string, customerIds: number[], productIds: number[], until: number, samples: Sample[], errors: string[]) {
  const headers = { cookie, 'content-type': 'application/json', 'x-csrf-token': csrf };
  let i = 0;
  while (Date.now() < until) {
    i++;
    const customerId = customerIds[i % customerIds.length]!;
    const count = 1 + (i % 3);
    const lines = Array.from({ length: count }, (_, k) => ({ productId: productIds[(i * 31 + k * 97) % productIds.length]!, quantity: 1 + ((i + k) % 20) }));
    const t0 = performance.now();
    const created = await fetch(`${base}/api/orders`, { method: 'POST', headers, body: JSON.stringify({ customerId, lines }) });
    const body = (await created.json().catch(() => ({}))) as { id?: number; version?: number; error?: { code: string } };
    if (!created.ok || !body.id) {
      errors.push(`create ${created.status} ${body.error?.code ?? ''}`);
      continue;
    }
    const t1 = performance.now();
    const submitted = await fetch(`${base}/api/orders/${body.id}/submit`, { method: 'POST', headers, body: JSON.stringify({ version: body.version }) });
    const submitBody = (await submitted.json().catch(() => ({}))) as { error?: { code: string } };
    const t2 = performance.now();
    if (!submitted.ok) errors.push(`submit ${submitted.status} ${submitBody.error?.code ?? ''}`);
    samples.push({ submit: t2 - t1, both: t2 - t0, ok: submitted.ok });
  }
}

async function loginWithCsrf(base: string, username: string, password: string): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (!res.ok) throw new Error(`login as ${username} failed: ${res.status}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('rxdesk_sid='))!;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie, csrf: csrfToken };
}

export async function runOrdersBench(options: OrdersBenchOptions): Promise<void> {
  const t0 = Date.now();
  const { adminUrl, target, serverEnv } = await benchDatabase(BENCH_DB, 'rxdesk-bench-orders-');
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const database = await openDatabase(target);
  let generated: Awaited<ReturnType<typeof generateOrderLoad>>;
  let label: string;
  let usersWithCustomers: { username: string; customerIds: number[] }[];
  let productIds: number[];
  try {
    await applyMigrations(database);
    await seedReferenceData(database.db);
    await loadDemoCompany(database.db, { customers: false });
    const companyStart = performance.now();
    await generateCompany(database.db, { scale: 1 });
    console.log(`company at scale 1 generated in ${((performance.now() - companyStart) / 1000).toFixed(1)} s`);
    generated = await generateOrderLoad(database.db, today);
    console.log(`order history written in ${generated.seconds.toFixed(1)} s:`, generated.counts);
    usersWithCustomers = rowsOf<{ username: string; ids: number[] }>(
      await database.db.execute(sql`select u.username, (select array_agg(c.id order by c.id) from (select id from customers where owner_id = u.id order by id limit 50) c) as ids
        from users u where u.username ~ '^r[0-9]+$' order by u.username limit ${options.connections}`),
    ).map((u) => ({ username: u.username, customerIds: (u.ids ?? []).map(Number) }));
    productIds = rowsOf<{ id: number }>(await database.db.execute(sql`select id from products where status = 'active' order by id`)).map((p) => p.id);
    const [{ version }] = rowsOf<{ version: string }>(await database.db.execute(sql`select version()`));
    const pgVersion = version.match(/PostgreSQL [\d.]+/)?.[0] ?? version;
    label = database.kind === 'postgres' ? `${pgVersion} (${new URL(adminUrl!).host})` : `PGlite (embedded, ${pgVersion})`;
  } finally {
    await database.close();
  }

  const app = await startChild('RxDesk', 'src/main.ts', { ...serverEnv, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', DEMO: '1' });
  await waitUntilAnswering(`${app.base}/api/health`);
  const probeCookie = await login(app.base, usersWithCustomers[0]!.username, SCALE_PASSWORD);
  const probe = await fetch(`${app.base}/api/orders/0/submit`, { method: 'POST', headers: { cookie: probeCookie, 'content-type': 'application/json' }, body: '{}' });
  const probeText = await probe.text();
  if (probe.status === 404 && probeText.includes('ROUTE_NOT_FOUND')) {
    throw new Error(
      `the order routes are not there yet (POST /api/orders/:id/submit answers 404 ROUTE_NOT_FOUND): data generation took ${generated.seconds.toFixed(1)} s ` +
        `for ${generated.counts.order_lines} order lines; run npm run bench -- orders again after the orders module is merged`,
    );
  }
  const sessions = [];
  for (const u of usersWithCustomers) sessions.push({ ...u, ...(await loginWithCsrf(app.base, u.username, SCALE_PASSWORD)) });
  console.log(`\n${sessions.length} users create and submit orders for ${options.duration} s (after a 3 s warm-up)…`);
  const warm: Sample[] = [];
  await Promise.all(sessions.map((s) => userLoop(app.base, s.cookie, s.csrf, s.customerIds, productIds, Date.now() + 3000, warm, [])));
  const samples: Sample[] = [];
  const errors: string[] = [];
  const started = Date.now();
  await Promise.all(sessions.map((s) => userLoop(app.base, s.cookie, s.csrf, s.customerIds, productIds, started + options.duration * 1000, samples, errors)));
  const elapsed = (Date.now() - started) / 1000;
  const ok = samples.filter((s) => s.ok);
  const figures = {
    users: sessions.length,
    submitted: ok.length,
    perSecond: ok.length / elapsed,
    submitP50: percentile(ok.map((s) => s.submit), 50),
    submitP99: percentile(ok.map((s) => s.submit), 99),
    bothP50: percentile(ok.map((s) => s.both), 50),
    bothP99: percentile(ok.map((s) => s.both), 99),
    errors: errors.length,
  };
  const errorKinds = [...new Set(errors)].slice(0, 5).join('; ');
  console.log(
    `  ${figures.submitted} orders submitted, ${figures.perSecond.toFixed(1)} orders/s; submit p50 ${figures.submitP50.toFixed(0)} ms, p99 ${figures.submitP99.toFixed(0)} ms; ` +
      `create + submit p50 ${figures.bothP50.toFixed(0)} ms, p99 ${figures.bothP99.toFixed(0)} ms; errors ${figures.errors}${errorKinds ? ` (${errorKinds})` : ''}`,
  );
  if (options.writeDocs) writeOrdersDocs({ kind: adminUrl ? 'postgres' : 'pglite', label: label!, generated: generated!, figures, options, errorKinds });
  console.log(`total ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

function writeOrdersDocs(r: {
  kind: 'pglite' | 'postgres';
  label: string;
  generated: { seconds: number; counts: Record<string, number> };
  figures: { users: number; submitted: number; perSecond: number; submitP50: number; submitP99: number; bothP50: number; bothP99: number; errors: number };
  options: OrdersBenchOptions;
  errorKinds: string;
}): void {
  const key = `orders ${r.kind}`;
  const f = r.figures;
  const c = r.generated.counts;
  const block = [
    `<!-- bench:run ${key} -->`,
    `### ${r.kind === 'postgres' ? 'PostgreSQL' : 'PGlite'}`,
    '',
    `- date: ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}; \`npm run bench -- orders\``,
    `- machine: ${os.availableParallelism()} CPUs (${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; node ${process.version}; database ${r.label}`,
    `- data: ${c.customers} customers, ${c.products} products, ${c.orders} orders with ${c.order_lines} lines (history written set-based in ${r.generated.seconds.toFixed(1)} s)`,
    `- load: ${f.users} users (reps, each at their own customers), each creating and submitting orders one after the other for ${r.options.duration} s; server and load on one machine`,
    '',
    '| orders submitted | orders/s | submit p50 ms | submit p99 ms | create + submit p50 ms | create + submit p99 ms | errors |',
    '|---|---|---|---|---|---|---|',
    `| ${f.submitted} | ${f.perSecond.toFixed(1)} | ${f.submitP50.toFixed(0)} | ${f.submitP99.toFixed(0)} | ${f.bothP50.toFixed(0)} | ${f.bothP99.toFixed(0)} | ${f.errors}${r.errorKinds ? ` (${r.errorKinds})` : ''} |`,
    `<!-- bench:run:end -->`,
  ].join('\n');
  let doc = fs.readFileSync(docsFile, 'utf8');
  if (!doc.includes(START)) doc += `\n## Order submit (issue 6)\n\n${START}\n${END}\n`;
  const [head, rest] = doc.split(START);
  const [inner, tail] = rest!.split(END);
  const runs = inner!.split(/(?=<!-- bench:run )/).filter((b) => b.trim() && !b.includes(`<!-- bench:run ${key} -->`));
  doc = `${head}${START}\n${[...runs.map((b) => b.trim()), block].join('\n\n')}\n${END}${tail}`;
  fs.writeFileSync(docsFile, doc);
  console.log(`figures written to ${path.relative(repoRoot, docsFile)}`);
}
