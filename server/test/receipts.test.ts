import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../src/kernel/access/actor.js';
import { rowsOf } from '../src/kernel/db/client.js';
import { createDraftInvoice, getInvoice, issueInvoice } from '../src/modules/finance/invoices.service.js';
import { allocateByHand, autoAllocate, getReceipt, recordReceipt, unallocate, voidReceipt } from '../src/modules/finance/receipts.service.js';
import { actorOfUser, billableCustomer, closePeriod, shippedOrder } from './finance-fixtures.js';
import { Client, setupTest } from './support.js';

describe('receipts 回款', () => {
  let t: Awaited<ReturnType<typeof setupTest>>;
  let finance: Actor;
  const tz = 'Asia/Shanghai';
  let taxSeq = 5000;

  beforeAll(async () => {
    t = await setupTest({ demo: true, demoCustomers: false });
    finance = await actorOfUser(t.db, 'finance');
  });
  afterAll(async () => t.close());

  /** An issued blue invoice of `amount` fen for the customer, issued on `issuedOn`. */
  async function invoiceOf(customerId: number, amount: bigint, issuedOn: string) {
    const { lineIds } = await shippedOrder(t.db, customerId, [{ quantity: 1, unitPriceFen: amount }]);
    const d = await createDraftInvoice(t.db, finance, { customerId, invoiceType: 'special', lines: [{ orderLineId: lineIds[0]!, quantity: 1 }] }, tz);
    return issueInvoice(t.db, finance, d.id, { version: d.version, taxInvoiceNo: `9900${taxSeq++}`, issuedOn });
  }
  const receive = (customerId: number, amountFen: bigint, extra: Partial<Parameters<typeof recordReceipt>[2]> = {}) =>
    recordReceipt(t.db, finance, { customerId, method: 'bank_transfer', amountFen, receivedOn: '2026-11-22', ...extra }, tz);

  it('records an acceptance bill only with its number and due date, and each bill once', async () => {
    const c = await billableCustomer(t.db, 'rep');
    await expect(receive(c.id, 10000n, { method: 'acceptance_bill', billNo: null, billDueOn: '2027-05-01' })).rejects.toMatchObject({ code: 'RECEIPT_BILL_REQUIRED' });
    await expect(receive(c.id, 10000n, { method: 'acceptance_bill', billNo: 'B-1', billDueOn: null })).rejects.toMatchObject({ code: 'RECEIPT_BILL_REQUIRED' });
    const bill = await receive(c.id, 10000n, { method: 'acceptance_bill', billNo: '130158100001220261122000001', billDueOn: '2027-05-22' });
    expect(bill).toMatchObject({ method: 'acceptance_bill', billDueOn: '2027-05-22', unappliedFen: 10000n });
    expect(bill.number).toMatch(/^SK\d{6}-\d{5}$/);
    await expect(receive(c.id, 5000n, { method: 'acceptance_bill', billNo: '130158100001220261122000001', billDueOn: '2027-05-22' })).rejects.toMatchObject({ code: 'RECEIPT_BILL_TAKEN' });
    // A bank transfer does not keep bill fields.
    expect(await receive(c.id, 100n, { billNo: 'X', billDueOn: '2027-01-01' })).toMatchObject({ billNo: null, billDueOn: null });
  });

  it('allocates automatically to the oldest due invoices first and leaves the rest unapplied', async () => {
    const c = await billableCustomer(t.db, 'rep', { paymentTermsDays: 30 });
    const late = await invoiceOf(c.id, 5000n, '2026-11-10'); // due 12-10
    const early = await invoiceOf(c.id, 3000n, '2026-10-01'); // due 10-31
    const mid = await invoiceOf(c.id, 4000n, '2026-10-20'); // due 11-19
    const r = await receive(c.id, 8500n, { autoAllocate: true });
    expect(r.allocations.map((a) => [a.invoiceId, a.amountFen])).toEqual([
      [early.id, 3000n],
      [mid.id, 4000n],
      [late.id, 1500n],
    ]);
    expect(r).toMatchObject({ allocatedFen: 8500n, unappliedFen: 0n });
    expect((await getInvoice(t.db, finance, late.id)).openFen).toBe(3500n);
    const extra = await receive(c.id, 5000n);
    const after = await autoAllocate(t.db, finance, extra.id);
    expect(after).toMatchObject({ allocatedFen: 3500n, unappliedFen: 1500n });
    // Nothing open any more: auto-allocation does nothing.
    expect(await autoAllocate(t.db, finance, extra.id)).toMatchObject({ allocatedFen: 3500n });
  });

  it('never over-allocates a receipt or an invoice when clerks allocate at the same time', async () => {
    const c = await billableCustomer(t.db, 'rep');
    const a = await invoiceOf(c.id, 6000n, '2026-11-01');
    const b = await invoiceOf(c.id, 6000n, '2026-11-02');
    const r1 = await receive(c.id, 7000n);
    const r2 = await receive(c.id, 7000n);
    await Promise.allSettled([
      autoAllocate(t.db, finance, r1.id),
      autoAllocate(t.db, finance, r2.id),
      allocateByHand(t.db, finance, r1.id, r1.version, [{ invoiceId: a.id, amountFen: 6000n }]),
      allocateByHand(t.db, finance, r2.id, r2.version, [{ invoiceId: b.id, amountFen: 6000n }]),
      autoAllocate(t.db, finance, r1.id),
    ]);
    const inv = rowsOf<{ id: number; paid: string; amount: string }>(await t.db.execute(sql`select id, paid_fen::text as paid, amount_fen::text as amount from invoices where id in (${a.id}, ${b.id})`));
    for (const i of inv) expect(BigInt(i.paid)).toBeLessThanOrEqual(BigInt(i.amount));
    const total = inv.reduce((s, i) => s + BigInt(i.paid), 0n);
    const rec = rowsOf<{ allocated: string }>(await t.db.execute(sql`select allocated_fen::text as allocated from receipts where id in (${r1.id}, ${r2.id})`));
    expect(rec.reduce((s, x) => s + BigInt(x.allocated), 0n)).toBe(total);
    const [{ s }] = rowsOf<{ s: string }>(await t.db.execute(sql`select coalesce(sum(amount_fen), 0)::text as s from receipt_allocations where invoice_id in (${a.id}, ${b.id})`));
    expect(BigInt(s)).toBe(total);
    expect(total).toBe(12000n);
  });

  it('allocates by hand within the open amounts, takes allocations back and voids only unallocated receipts', async () => {
    const c = await billableCustomer(t.db, 'rep');
    const a = await invoiceOf(c.id, 3000n, '2026-11-01');
    const other = await billableCustomer(t.db, 'rep');
    const foreign = await invoiceOf(other.id, 3000n, '2026-11-01');
    const r = await receive(c.id, 5000n);
    await expect(allocateByHand(t.db, finance, r.id, r.version, [{ invoiceId: a.id, amountFen: 3001n }])).rejects.toMatchObject({ code: 'RECEIPT_ALLOCATION_EXCEEDS_INVOICE' });
    await expect(allocateByHand(t.db, finance, r.id, r.version, [{ invoiceId: foreign.id, amountFen: 100n }])).rejects.toMatchObject({ code: 'RECEIPT_INVOICE_NOT_OPEN' });
    const done = await allocateByHand(t.db, finance, r.id, r.version, [{ invoiceId: a.id, amountFen: 2000n }]);
    expect(done.allocations).toHaveLength(1);
    await expect(voidReceipt(t.db, finance, r.id, done.version, '录错了')).rejects.toMatchObject({ code: 'RECEIPT_VOID_ALLOCATED' });
    const back = await unallocate(t.db, finance, r.id, done.allocations[0]!.id, '分错发票');
    expect(back).toMatchObject({ allocatedFen: 0n, allocations: [] });
    expect((await getInvoice(t.db, finance, a.id)).paidFen).toBe(0n);
    const voided = await voidReceipt(t.db, finance, r.id, back.version, '录错了');
    expect(voided).toMatchObject({ status: 'voided', unappliedFen: 0n, voidReason: '录错了' });
    await expect(autoAllocate(t.db, finance, r.id)).rejects.toMatchObject({ code: 'RECEIPT_VOIDED' });
    const [{ n }] = rowsOf<{ n: number }>(await t.db.execute(sql`select count(*)::int as n from audit_log where entity = 'receipt' and entity_id = ${String(r.id)} and action in ('receipt.unallocated', 'receipt.voided')`));
    expect(n).toBe(2);
  });

  it('refuses a receipt dated in a closed month', async () => {
    const c = await billableCustomer(t.db, 'rep');
    await closePeriod(t.db, '2025-03');
    await expect(receive(c.id, 100n, { receivedOn: '2025-03-15' })).rejects.toMatchObject({ code: 'PERIOD_CLOSED', status: 409 });
  });

  it('lets finance record receipts over HTTP, shows reps their own customers’ receipts only and refuses reps writing', async () => {
    const mine = await billableCustomer(t.db, 'rep');
    const theirs = await billableCustomer(t.db, 'rep2');
    const fin = await Client.as(t.app, 'finance');
    const res = await fin.post('/api/receipts', { customerId: mine.id, method: 'bank_transfer', amountFen: '12345', receivedOn: '2026-11-23', reference: 'LS-1' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ amountFen: '12345', unappliedFen: '12345' });
    const hidden = (await fin.post('/api/receipts', { customerId: theirs.id, method: 'cash', amountFen: '100', receivedOn: '2026-11-23' })).json();
    expect((await fin.post('/api/receipts', { customerId: mine.id, method: 'cash', amountFen: '1.5', receivedOn: '2026-11-23' })).statusCode).toBe(400);
    const rep = await Client.as(t.app, 'rep');
    const list = (await rep.get('/api/receipts?unapplied=true&pageSize=200')).json();
    expect(list.items.some((r: { id: number }) => r.id === res.json().id)).toBe(true);
    expect(list.items.some((r: { id: number }) => r.id === hidden.id)).toBe(false);
    expect((await rep.get(`/api/receipts/${hidden.id}`)).statusCode).toBe(404);
    expect((await rep.post('/api/receipts', { customerId: mine.id, method: 'cash', amountFen: '100', receivedOn: '2026-11-23' })).statusCode).toBe(403);
    expect((await getReceipt(t.db, finance, hidden.id)).customerId).toBe(theirs.id);
  });
});
