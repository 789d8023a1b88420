import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoO2c } from '../src/demo/demo-o2c.js';
import { rowsOf } from '../src/kernel/db/client.js';
import { companyToday } from '../src/modules/customers/customers.scope.js';
import { Client, setupTest } from './support.js';

let t: Awaited<ReturnType<typeof setupTest>>;

// The whole demo company (3,000 customers, the CRM, order to cash): slow on a busy machine.
beforeAll(async () => {
  t = await setupTest({ demo: true });
}, 300_000);
afterAll(() => t?.close());

async function one<T = number>(query: ReturnType<typeof sql>): Promise<T> {
  const [row] = rowsOf<Record<string, T>>(await t.db.execute(query));
  return Object.values(row!)[0]!;
}

describe('the demo order to cash', () => {
  it('has about 300 orders over the last three months in every state', async () => {
    expect(await one(sql`select count(*)::int from sales_orders`)).toBe(300);
    const states = rowsOf<{ status: string; n: number }>(await t.db.execute(sql`select status, count(*)::int as n from sales_orders group by status`));
    const of = Object.fromEntries(states.map((s) => [s.status, s.n]));
    for (const s of ['draft', 'pending_approval', 'pending_review', 'released', 'partially_shipped', 'shipped', 'cancelled']) expect(of[s], s).toBeGreaterThan(0);
    expect(of.shipped).toBeGreaterThan(150);
    expect(await one(sql`select count(*)::int from sales_orders where status = 'pending_approval' and jsonb_array_length(problems) = 0`)).toBe(0);
    expect(await one(sql`select (max(order_date) - min(order_date))::int from sales_orders`)).toBeGreaterThan(70);
    expect(await one(sql`select count(*)::int from sales_orders o where not exists (select 1 from document_events e where e.doc_type = 'sales_order' and e.doc_id = o.id::text and e.kind = 'created')`)).toBe(0);
  });

  it('keeps the stock ledger whole: on hand is the sum of movements, reserved the sum of reservations', async () => {
    expect(
      await one(sql`select count(*)::int from stock_balances b
        where b.on_hand <> coalesce((select sum(m.quantity) from stock_movements m where m.warehouse_id = b.warehouse_id and m.batch_id = b.batch_id), 0)
           or b.reserved <> coalesce((select sum(r.quantity) from stock_reservations r where r.warehouse_id = b.warehouse_id and r.batch_id = b.batch_id), 0)`),
    ).toBe(0);
    expect(await one(sql`select count(*)::int from sales_order_lines l where l.reserved_qty <> coalesce((select sum(quantity) from stock_reservations r where r.order_line_id = l.id), 0)`)).toBe(0);
    // What left the warehouse is what the shipments list, line by line; returns came back into quarantine.
    expect(
      await one(sql`select count(*)::int from sales_order_lines l
        where l.shipped_qty <> coalesce((select sum(sl.quantity) from shipment_lines sl join shipments s on s.id = sl.shipment_id
                                         where sl.order_line_id = l.id and s.status in ('dispatched', 'delivered')), 0)`),
    ).toBe(0);
    expect(await one(sql`select -coalesce(sum(quantity), 0)::int from stock_movements where kind = 'shipment'`)).toBe(await one(sql`select coalesce(sum(quantity), 0)::int from shipment_lines`));
    expect(await one(sql`select count(*)::int from stock_balances b join warehouses w on w.id = b.warehouse_id where w.code = 'BHG' and b.on_hand > 0`)).toBeGreaterThan(0);
  });

  it('has several batches per product, a near-expiry and an expired one, and 2–8 °C products only in the cold store', async () => {
    const today = companyToday();
    expect(await one(sql`select min(n)::int from (select count(*) as n from stock_batches group by product_id) x`)).toBeGreaterThanOrEqual(2);
    expect(await one(sql`select count(*)::int from stock_balances b join stock_batches s on s.id = b.batch_id where s.expires_on <= ${today}::date and b.on_hand > 0`)).toBeGreaterThan(0);
    expect(
      await one(sql`select count(*)::int from stock_balances b join stock_batches s on s.id = b.batch_id
        where s.expires_on > ${today}::date and s.expires_on < ${today}::date + interval '6 months' and b.on_hand > b.reserved`),
    ).toBeGreaterThan(0);
    expect(
      await one(sql`select count(*)::int from stock_balances b join products p on p.id = b.product_id join warehouses w on w.id = b.warehouse_id
        where p.storage_condition = 'cold_chain' and w.code = 'ZC'`),
    ).toBe(0);
    expect(await one(sql`select count(*)::int from shipments where cold_chain and status in ('dispatched', 'delivered')`)).toBeGreaterThan(0);
  });

  it('invoices only shipped goods, and every customer’s receivable adds up', async () => {
    expect(await one(sql`select count(*)::int from sales_order_lines where invoiced_qty > shipped_qty`)).toBe(0);
    expect(
      await one(sql`select count(*)::int from sales_order_lines l
        where l.invoiced_qty <> coalesce((select sum(il.quantity) from invoice_lines il join invoices i on i.id = il.invoice_id where il.order_line_id = l.id and i.status = 'issued'), 0)`),
    ).toBe(0);
    expect(await one(sql`select count(*)::int from invoices where kind = 'red'`)).toBeGreaterThanOrEqual(2);
    // invoices − receipts = open blue − open red credit − unapplied cash, per customer.
    expect(
      await one(sql`select count(*)::int from customers c where
        coalesce((select sum(amount_fen) from invoices i where i.customer_id = c.id and i.status = 'issued'), 0)
        - coalesce((select sum(amount_fen) from receipts r where r.customer_id = c.id and r.status = 'posted'), 0)
        <> coalesce((select sum(amount_fen - paid_fen - credited_fen) from invoices i where i.customer_id = c.id and i.status = 'issued' and kind = 'blue'), 0)
         - coalesce((select sum(-(amount_fen + credited_fen)) from invoices i where i.customer_id = c.id and i.status = 'issued' and kind = 'red'), 0)
         - coalesce((select sum(amount_fen - allocated_fen) from receipts r where r.customer_id = c.id and r.status = 'posted'), 0)`),
    ).toBe(0);
    expect(await one(sql`select count(*)::int from receipts r where r.allocated_fen <> coalesce((select sum(amount_fen) from receipt_allocations a where a.receipt_id = r.id), 0)`)).toBe(0);
    expect(await one(sql`select count(*)::int from receipts where allocated_fen < amount_fen`)).toBeGreaterThan(0);
    expect(await one(sql`select count(*)::int from receipts where method = 'acceptance_bill'`)).toBeGreaterThan(0);
    // Numbers in the shapes the modules themselves give (the demo counts past them, so new ones never collide).
    expect(await one(sql`select count(*)::int from receipts where number !~ '^SK[0-9]{6}-[0-9]{5}$'`)).toBe(0);
    expect(await one(sql`select count(*)::int from sales_orders where number !~ '^SO[0-9]{8}-[0-9]{4}$'`)).toBe(0);
    expect(await one(sql`select count(*)::int from shipments where number !~ '^FH[0-9]{8}-[0-9]{4}$'`)).toBe(0);
    expect(
      await one(sql`select count(distinct customer_id)::int from invoices where status = 'issued' and kind = 'blue' and due_on < ${companyToday()}::date and amount_fen > paid_fen + credited_fen`),
    ).toBeGreaterThan(3);
  });

  it('leaves its exceptional orders waiting in the real approval flow, with the problems the checks found', async () => {
    const pending = await one(sql`select count(*)::int from sales_orders where status = 'pending_approval'`);
    expect(pending).toBeGreaterThan(0);
    expect(await one(sql`select count(*)::int from sales_orders o where o.status = 'pending_approval'
      and (jsonb_array_length(o.problems) = 0 or not exists (select 1 from approval_requests r where r.doc_type = 'sales_order' and r.doc_id = o.id and r.status = 'pending'))`)).toBe(0);
    const lead = await Client.as(t.app, 'office_lead');
    const tasks = (await lead.get('/api/approvals/tasks?status=pending')).json();
    expect(JSON.stringify(tasks)).toContain('SO');
  });

  it('is loaded once: a second call leaves everything as it is', async () => {
    expect(await loadDemoO2c(t.db)).toBeNull();
    expect(await one(sql`select count(*)::int from sales_orders`)).toBe(300);
  });

  it('shows office, finance and a team lead plausible figures on the daily clearing and the closing pages', async () => {
    // The busiest day of the demo in the last two weeks.
    const day = await one<string>(sql`select order_date::text from sales_orders where order_date > current_date - 14 group by order_date order by count(*) desc limit 1`);
    const office = (await (await Client.as(t.app, 'office')).get(`/api/daily-clearing?date=${day}`)).json();
    expect(office.orders.enteredCount).toBeGreaterThan(0);
    const finance = await Client.as(t.app, 'finance');
    const f = (await finance.get(`/api/daily-clearing?date=${day}`)).json();
    expect(f.orders.enteredCount).toBe(office.orders.enteredCount);
    expect(BigInt(f.open.overdueFen)).toBeGreaterThan(0n);
    const lead = (await (await Client.as(t.app, 'team_lead')).get(`/api/daily-clearing?date=${day}`)).json();
    expect(lead.orders.enteredCount).toBeLessThan(office.orders.enteredCount);
    const periods = (await finance.get('/api/period-closings')).json() as { period: string; ordersCount: number; status: string }[];
    expect(periods.length).toBeGreaterThanOrEqual(3);
    expect(periods.filter((p) => p.ordersCount > 0).length).toBeGreaterThanOrEqual(3);
  });
});
