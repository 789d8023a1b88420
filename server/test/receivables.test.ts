import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../src/kernel/access/actor.js';
import { rowsOf } from '../src/kernel/db/client.js';
import { creditStatus } from '../src/modules/finance/credit.js';
import { createDraftInvoice, createRedInvoice, getInvoice, issueInvoice } from '../src/modules/finance/invoices.service.js';
import { autoAllocate, getReceipt, recordReceipt, unallocate, voidReceipt } from '../src/modules/finance/receipts.service.js';
import { agingReport, customerStatement, overdueInvoices, remindOverdue } from '../src/modules/finance/receivables.service.js';
import { actorOfUser, billableCustomer, shippedOrder } from './finance-fixtures.js';
import { propertyParameters } from './property-support.js';
import { Client, setupTest, userIdOf } from './support.js';

const RECEIVABLES_RUNS = 50;

describe('receivables 应收', () => {
  let t: Awaited<ReturnType<typeof setupTest>>;
  let finance: Actor;
  const tz = 'Asia/Shanghai';
  let taxSeq = 70000;

  beforeAll(async () => {
    t = await setupTest({ demo: true, demoCustomers: false });
    finance = await actorOfUser(t.db, 'finance');
  });
  afterAll(async () => t.close());

  async function invoiceOf(customerId: number, amount: bigint, issuedOn: string, quantity = 1) {
    const { lineIds } = await shippedOrder(t.db, customerId, [{ quantity, unitPriceFen: amount / BigInt(quantity) }]);
    const d = await createDraftInvoice(t.db, finance, { customerId, invoiceType: 'normal', lines: [{ orderLineId: lineIds[0]!, quantity }] }, tz);
    return issueInvoice(t.db, finance, d.id, { version: d.version, taxInvoiceNo: `7700${taxSeq++}`, issuedOn });
  }
  const daysBefore = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);

  it('puts open invoices into aging buckets by days past due, exactly at the edges', async () => {
    const asOf = '2026-11-26';
    const c = await billableCustomer(t.db, 'rep', { paymentTermsDays: 0 });
    // Amount = days overdue × 100 + 1, so each bucket's sum tells which invoices landed there.
    for (const days of [-1, 0, 1, 30, 31, 60, 61, 90, 91]) await invoiceOf(c.id, BigInt(Math.max(days, 0) * 100 + 1 + (days < 0 ? 5 : 0)), daysBefore(asOf, days));
    const { rows } = await agingReport(t.db, finance, { customerId: c.id, asOf });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      notDueFen: 6n + 1n, // due tomorrow, due today
      d1to30Fen: 101n + 3001n,
      d31to60Fen: 3101n + 6001n,
      d61to90Fen: 6101n + 9001n,
      over90Fen: 9101n,
      overdueFen: 101n + 3001n + 3101n + 6001n + 6101n + 9001n + 9101n,
    });
    const overdue = await overdueInvoices(t.db, finance, { asOf });
    expect(overdue.filter((o) => o.customerId === c.id).map((o) => o.daysOverdue)).toEqual([91, 90, 61, 60, 31, 30, 1]);
    expect((await creditStatus(t.db, [c.id], asOf)).get(c.id)).toMatchObject({ overdueFen: rows[0]!.overdueFen, oldestOverdueDays: 91 });
  });

  it('filters aging by rep and tells each rep once a week about their overdue invoices', async () => {
    const asOf = '2026-11-30';
    const c = await billableCustomer(t.db, 'rep2', { paymentTermsDays: 10 });
    await invoiceOf(c.id, 5000n, '2026-10-01');
    const rep2 = await userIdOf(t.db, 'rep2');
    const mine = await agingReport(t.db, finance, { ownerId: rep2, asOf });
    expect(mine.rows.every((r) => r.ownerId === rep2)).toBe(true);
    expect(mine.rows.some((r) => r.customerId === c.id)).toBe(true);
    const before = rowsOf<{ n: number }>(await t.db.execute(sql`select count(*)::int as n from notifications where user_id = ${rep2} and event = 'receivables.overdue'`))[0]!.n;
    const told = await remindOverdue(t.db, asOf);
    expect(told).toBeGreaterThanOrEqual(1);
    const notes = rowsOf<{ title: string; body: string }>(await t.db.execute(sql`select title, body from notifications where user_id = ${rep2} and event = 'receivables.overdue' order by id`));
    expect(notes.length).toBe(before + 1);
    expect(notes.at(-1)!.title).toContain('逾期应收');
    expect(notes.at(-1)!.body).toContain('逾期 50 天');
  });

  it('prints a statement whose opening, movements and closing add up', async () => {
    const c = await billableCustomer(t.db, 'rep');
    const old = await invoiceOf(c.id, 10000n, '2026-09-10', 10);
    await recordReceipt(t.db, finance, { customerId: c.id, method: 'bank_transfer', amountFen: 4000n, receivedOn: '2026-09-20' }, tz);
    const inRange = await invoiceOf(c.id, 2500n, '2026-10-05');
    const red0 = await createRedInvoice(t.db, finance, { originalInvoiceId: old.id, reason: '退货', lines: [{ orderLineId: (await getInvoice(t.db, finance, old.id)).lines[0]!.orderLineId, quantity: 2 }] }, tz);
    await issueInvoice(t.db, finance, red0.id, { version: red0.version, taxInvoiceNo: `7700${taxSeq++}`, issuedOn: '2026-10-06' });
    await recordReceipt(t.db, finance, { customerId: c.id, method: 'cash', amountFen: 1000n, receivedOn: '2026-10-07' }, tz);
    const v = await recordReceipt(t.db, finance, { customerId: c.id, method: 'cash', amountFen: 777n, receivedOn: '2026-10-08' }, tz);
    await voidReceipt(t.db, finance, v.id, v.version, '重复录入');
    await invoiceOf(c.id, 999n, '2026-11-02');

    const s = await customerStatement(t.db, finance, c.id, '2026-10-01', '2026-10-31');
    expect(s.openingFen).toBe(6000n);
    expect(s.entries.map((e) => [e.kind, e.debitFen, e.creditFen, e.balanceFen])).toEqual([
      ['invoice', 2500n, 0n, 8500n],
      ['red_invoice', 0n, 2000n, 6500n],
      ['receipt', 0n, 1000n, 5500n],
    ]);
    expect(s).toMatchObject({ invoicedFen: 2500n, redFen: -2000n, receivedFen: 1000n, closingFen: 5500n });
    expect(s.entries[0]!.number).toBe(inRange.number);
    const fin = await Client.as(t.app, 'finance');
    const print = await fin.get(`/api/customers/${c.id}/statement/print?from=2026-10-01&to=2026-10-31`);
    expect(print.statusCode).toBe(200);
    expect(print.body).toContain('客户对账单');
    expect(print.body).toContain('¥55.00');
    const xlsx = await fin.get(`/api/customers/${c.id}/statement/export?from=2026-10-01&to=2026-10-31`);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    expect((await fin.get(`/api/customers/${c.id}/statement?from=2026-10-31&to=2026-10-01`)).statusCode).toBe(422);
    const rep2 = await Client.as(t.app, 'rep2');
    expect((await rep2.get(`/api/customers/${c.id}/statement?from=2026-10-01&to=2026-10-31`)).statusCode).toBe(404);
  });

  it('shows the credit status of a visible customer to those who read receivables', async () => {
    const c = await billableCustomer(t.db, 'rep', { creditLimitFen: 100000n });
    await invoiceOf(c.id, 30000n, '2026-11-01');
    await shippedOrder(t.db, c.id, [{ quantity: 4, shipped: 0, unitPriceFen: 1000n }]);
    const rep = await Client.as(t.app, 'rep');
    const res = await rep.get(`/api/customers/${c.id}/credit`);
    expect(res.json()).toMatchObject({ limitFen: '100000', receivableFen: '30000', uninvoicedFen: '4000', exposureFen: '34000', availableFen: '66000' });
    expect((await (await Client.as(t.app, 'rep2')).get(`/api/customers/${c.id}/credit`)).statusCode).toBe(404);
    expect((await (await Client.as(t.app, 'logistics')).get(`/api/customers/${c.id}/credit`)).statusCode).toBe(403);
  });

  it('keeps, for every customer, invoices − receipts = open blue − open red credit − unapplied cash, as creditStatus says', async () => {
    type Op =
      | { kind: 'invoice'; c: number; qty: number; price: number }
      | { kind: 'red'; c: number; pick: number; qty: number }
      | { kind: 'receipt'; c: number; amount: number; auto: boolean }
      | { kind: 'allocate'; pick: number }
      | { kind: 'unallocate'; pick: number }
      | { kind: 'void'; pick: number };
    const int = (min: number, max: number) => fc.integer({ min, max });
    const opArb: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ kind: fc.constant('invoice' as const), c: int(0, 1), qty: int(1, 5), price: int(1, 5000) }),
      fc.record({ kind: fc.constant('red' as const), c: int(0, 1), pick: int(0, 20), qty: int(1, 3) }),
      fc.record({ kind: fc.constant('receipt' as const), c: int(0, 1), amount: int(1, 20000), auto: fc.boolean() }),
      fc.record({ kind: fc.constant('allocate' as const), pick: int(0, 20) }),
      fc.record({ kind: fc.constant('unallocate' as const), pick: int(0, 20) }),
      fc.record({ kind: fc.constant('void' as const), pick: int(0, 20) }),
    );
    // Every run (and every shrink attempt) works on two fresh customers, so it starts with no invoices
    // or receipts and a shrunk counterexample replays exactly; the database is shared by the whole file.
    const used: number[] = [];
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 12 }), async (ops) => {
        const ids = [(await billableCustomer(t.db, 'rep')).id, (await billableCustomer(t.db, 'rep')).id];
        used.push(...ids);
        for (const o of ops) {
          try {
            if (o.kind === 'invoice') {
              await invoiceOf(ids[o.c]!, BigInt(o.price * o.qty), '2026-11-05', o.qty);
            } else if (o.kind === 'red') {
              const blues = rowsOf<{ id: number }>(await t.db.execute(sql`select id from invoices where customer_id = ${ids[o.c]} and kind = 'blue' and status = 'issued' order by id`));
              if (blues.length === 0) continue;
              const blue = await getInvoice(t.db, finance, blues[o.pick % blues.length]!.id);
              const line = blue.lines[0]!;
              const red = await createRedInvoice(t.db, finance, { originalInvoiceId: blue.id, reason: '属性测试', lines: [{ orderLineId: line.orderLineId, quantity: Math.min(o.qty, line.quantity - line.redQty) || 1 }] }, tz);
              await issueInvoice(t.db, finance, red.id, { version: red.version, taxInvoiceNo: `7700${taxSeq++}`, issuedOn: '2026-11-06' });
            } else if (o.kind === 'receipt') {
              await recordReceipt(t.db, finance, { customerId: ids[o.c]!, method: 'bank_transfer', amountFen: BigInt(o.amount), receivedOn: '2026-11-07', autoAllocate: o.auto }, tz);
            } else {
              const rs = rowsOf<{ id: number }>(await t.db.execute(sql`select id from receipts where customer_id in (${ids[0]}, ${ids[1]}) and status = 'posted' order by id`));
              if (rs.length === 0) continue;
              const r = await getReceipt(t.db, finance, rs[o.pick % rs.length]!.id);
              if (o.kind === 'allocate') await autoAllocate(t.db, finance, r.id);
              else if (o.kind === 'unallocate' && r.allocations.length > 0) await unallocate(t.db, finance, r.id, r.allocations[o.pick % r.allocations.length]!.id, null);
              else if (o.kind === 'void') await voidReceipt(t.db, finance, r.id, r.version, '属性测试');
            }
          } catch (e) {
            // Refusals (a red beyond the blue, voiding an allocated receipt) are allowed outcomes.
            if (!(e as { code?: string }).code || (e as { status?: number }).status === undefined) throw e;
          }
        }
        const status = await creditStatus(t.db, ids, '2026-11-26');
        for (const id of ids) {
          const [f] = rowsOf<{ inv: string; rec: string; open_blue: string; open_red: string; unapplied: string }>(
            await t.db.execute(sql`select
              coalesce((select sum(amount_fen) from invoices where customer_id = ${id} and status = 'issued'), 0)::text as inv,
              coalesce((select sum(amount_fen) from receipts where customer_id = ${id} and status = 'posted'), 0)::text as rec,
              coalesce((select sum(amount_fen - paid_fen - credited_fen) from invoices where customer_id = ${id} and status = 'issued' and kind = 'blue'), 0)::text as open_blue,
              coalesce((select sum(-(amount_fen + credited_fen)) from invoices where customer_id = ${id} and status = 'issued' and kind = 'red'), 0)::text as open_red,
              coalesce((select sum(amount_fen - allocated_fen) from receipts where customer_id = ${id} and status = 'posted'), 0)::text as unapplied`),
          );
          const left = BigInt(f!.inv) - BigInt(f!.rec);
          const right = BigInt(f!.open_blue) - BigInt(f!.open_red) - BigInt(f!.unapplied);
          expect(left, `customer ${id}`).toBe(right);
          expect(status.get(id)!.receivableFen, `creditStatus of customer ${id}`).toBe(left);
          const aging = (await agingReport(t.db, finance, { customerId: id, asOf: '2026-11-26' })).rows[0];
          if (aging) expect(aging.balanceFen, `aging of customer ${id}`).toBe(left);
          const [alloc] = rowsOf<{ ok: boolean }>(
            await t.db.execute(sql`select bool_and(r.allocated_fen = coalesce((select sum(a.amount_fen) from receipt_allocations a where a.receipt_id = r.id), 0)) as ok from receipts r where r.customer_id = ${id}`),
          );
          expect(alloc!.ok ?? true, `allocations of customer ${id}`).toBe(true);
        }
      }),
      {
        ...propertyParameters<[Op[]]>(RECEIVABLES_RUNS, 200_000),
        // One sequence that surely invoices, credits, receives, allocates, unallocates and voids, besides the random ones.
        examples: [
          [
            [
              { kind: 'invoice', c: 0, qty: 2, price: 1000 },
              { kind: 'receipt', c: 0, amount: 500, auto: true },
              { kind: 'red', c: 0, pick: 0, qty: 1 },
              { kind: 'invoice', c: 1, qty: 1, price: 700 },
              { kind: 'receipt', c: 1, amount: 900, auto: false },
              { kind: 'allocate', pick: 1 },
              { kind: 'unallocate', pick: 0 },
              { kind: 'void', pick: 0 },
              { kind: 'receipt', c: 0, amount: 50, auto: false },
              { kind: 'void', pick: 2 },
            ],
          ],
        ],
      },
    );
    // The sequences did real work: invoices, reds and receipts of both kinds exist.
    const [made] = rowsOf<{ blue: number; red: number; rec: number; alloc: number }>(
      await t.db.execute(sql`select (select count(*) from invoices where customer_id = any(${`{${used.join(',')}}`}::int[]) and kind = 'blue' and status = 'issued')::int as blue,
        (select count(*) from invoices where customer_id = any(${`{${used.join(',')}}`}::int[]) and kind = 'red' and status = 'issued')::int as red,
        (select count(*) from receipts where customer_id = any(${`{${used.join(',')}}`}::int[]))::int as rec,
        (select count(*) from receipt_allocations a join receipts r on r.id = a.receipt_id where r.customer_id = any(${`{${used.join(',')}}`}::int[]))::int as alloc`),
    );
    expect(made!.blue).toBeGreaterThan(3);
    expect(made!.red).toBeGreaterThan(0);
    expect(made!.rec).toBeGreaterThan(3);
    expect(made!.alloc).toBeGreaterThan(0);
  }, 240_000);
});
