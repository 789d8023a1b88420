import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadActor, systemActor } from '../src/kernel/access/actor.js';
import { rowsOf, type Tx } from '../src/kernel/db/client.js';
import { closeMonth, listPeriods } from '../src/modules/finance/closing.js';
import { assertPeriodOpen } from '../src/modules/finance/periods.js';
import { moveStock, type StockMove } from '../src/modules/stock/stock.ledger.js';
import { Client, makeCustomer, setupTest, userIdOf } from './support.js';

/**
 * 日清月结 on a small data set written straight into the tables (the order, shipping and invoicing
 * services are built elsewhere): the day is 2025-10-15 in Asia/Shanghai.
 * - customer A (rep 张伟, team 上海一组): order A1 of the day (10,000, abnormal, in approval), order A2 of
 *   the day before, reviewed and released at 00:30 on the 16th (Shanghai) — 16:30 UTC on the 15th; an
 *   invoice of September (5,000) due 2025-10-01 still open; an acceptance bill of 3,000 received on the day.
 * - customer B (rep 吴芳, 江苏组): order B1 of the day (20,000, two lines, one cold chain) reviewed at 23:30,
 *   shipped whole the same day, invoiced blue 20,000 then red −1,000 for one unit; 8,000 received by transfer.
 */
describe('daily clearing and monthly closing', () => {
  let t: Awaited<ReturnType<typeof setupTest>>;
  let customerA: number;
  let customerB: number;
  let p1: number;
  let p2: number;
  let warehouseId: number;
  let batch1: number;

  beforeAll(async () => {
    t = await setupTest({ demo: true, demoCustomers: false });
    customerA = (await makeCustomer(t.db, { name: '日清甲医院', owner: 'rep' })).id;
    customerB = (await makeCustomer(t.db, { name: '日清乙医院', owner: 'rep_js' })).id;
    const office = await userIdOf(t.db, 'office');
    const lead = await userIdOf(t.db, 'office_lead');
    const logistics = await userIdOf(t.db, 'logistics');
    const finance = await userIdOf(t.db, 'finance');
    const [a, b] = rowsOf<{ id: number }>(await t.db.execute(sql`select id from products order by id limit 2`));
    p1 = a!.id;
    p2 = b!.id;
    const [w] = rowsOf<{ id: number }>(await t.db.execute(sql`select id from warehouses where code = 'ZC'`));
    warehouseId = w!.id;
    const [b1, b2] = rowsOf<{ id: number }>(
      await t.db.execute(sql`insert into stock_batches (product_id, batch_no, expires_on) values (${p1}, 'RQ-1', '2028-01-31'), (${p2}, 'RQ-2', '2028-01-31') returning id`),
    );
    batch1 = b1!.id;
    const order = async (v: {
      number: string;
      customerId: number;
      status: string;
      date: string;
      submittedAt: string;
      reviewedAt?: string;
      problems?: unknown[];
      lines: { productId: number; qty: number; price: number; shipped?: number; invoiced?: number }[];
    }) => {
      const total = v.lines.reduce((s, l) => s + l.qty * l.price, 0);
      const [o] = rowsOf<{ id: number }>(
        await t.db.execute(sql`insert into sales_orders (number, status, customer_id, owner_id, entered_by, order_date, total_fen, problems, submitted_by, submitted_at, reviewed_by, reviewed_at, released_at)
          values (${v.number}, ${v.status}, ${v.customerId}, (select owner_id from customers where id = ${v.customerId}), ${office}, ${v.date}, ${total}, ${JSON.stringify(v.problems ?? [])}::jsonb,
            ${office}, ${v.submittedAt}, ${v.reviewedAt ? lead : null}, ${v.reviewedAt ?? null}, ${v.reviewedAt ?? null}) returning id`),
      );
      const lines = [];
      for (const [i, l] of v.lines.entries()) {
        const [row] = rowsOf<{ id: number }>(
          await t.db.execute(sql`insert into sales_order_lines (order_id, line_no, product_id, quantity, unit_price_fen, amount_fen, shipped_qty, invoiced_qty)
            values (${o!.id}, ${i + 1}, ${l.productId}, ${l.qty}, ${l.price}, ${l.qty * l.price}, ${l.shipped ?? 0}, ${l.invoiced ?? 0}) returning id`),
        );
        lines.push(row!.id);
      }
      return { id: o!.id, lines };
    };
    await order({ number: 'SO-A1', customerId: customerA, status: 'pending_approval', date: '2025-10-15', submittedAt: '2025-10-15T02:00:00Z', problems: [{ code: 'CREDIT_EXCEEDED' }], lines: [{ productId: p1, qty: 10, price: 1000 }] });
    await order({ number: 'SO-A2', customerId: customerA, status: 'released', date: '2025-10-14', submittedAt: '2025-10-14T03:00:00Z', reviewedAt: '2025-10-15T16:30:00Z', lines: [{ productId: p1, qty: 5, price: 1000 }] });
    const b1o = await order({
      number: 'SO-B1',
      customerId: customerB,
      status: 'shipped',
      date: '2025-10-15',
      submittedAt: '2025-10-15T01:00:00Z',
      reviewedAt: '2025-10-15T15:30:00Z',
      lines: [
        { productId: p1, qty: 10, price: 1000, shipped: 10, invoiced: 9 },
        { productId: p2, qty: 5, price: 2000, shipped: 5, invoiced: 5 },
      ],
    });
    const [s] = rowsOf<{ id: number }>(
      await t.db.execute(sql`insert into shipments (number, status, order_id, customer_id, warehouse_id, cold_chain, temperature_logger_id, start_temp_tenths, end_temp_tenths,
          created_by, checked_by, dispatched_by, dispatched_at, dispatched_on)
        values ('FH-B1', 'dispatched', ${b1o.id}, ${customerB}, ${warehouseId}, true, 'LOG-1', 40, 50, ${logistics}, ${office}, ${logistics}, '2025-10-15T06:00:00Z', '2025-10-15') returning id`),
    );
    await t.db.execute(sql`insert into shipment_lines (shipment_id, order_line_id, product_id, batch_id, warehouse_id, quantity)
      values (${s!.id}, ${b1o.lines[0]}, ${p1}, ${b1!.id}, ${warehouseId}, 10), (${s!.id}, ${b1o.lines[1]}, ${p2}, ${b2!.id}, ${warehouseId}, 5)`);
    const [blue] = rowsOf<{ id: number }>(
      await t.db.execute(sql`insert into invoices (number, kind, status, customer_id, order_id, tax_invoice_no, issued_on, due_on, amount_fen, tax_fen, created_by, issued_by)
        values ('KP-B1', 'blue', 'issued', ${customerB}, ${b1o.id}, '00000001', '2025-10-15', '2025-11-14', 20000, 2301, ${finance}, ${finance}) returning id`),
    );
    await t.db.execute(sql`insert into invoices (number, kind, status, customer_id, order_id, original_invoice_id, tax_invoice_no, issued_on, due_on, amount_fen, tax_fen, created_by, issued_by, reason)
      values ('KP-B1R', 'red', 'issued', ${customerB}, ${b1o.id}, ${blue!.id}, '00000002', '2025-10-15', '2025-10-15', -1000, -115, ${finance}, ${finance}, '退货')`);
    await t.db.execute(sql`insert into invoices (number, kind, status, customer_id, tax_invoice_no, issued_on, due_on, amount_fen, tax_fen, created_by, issued_by)
      values ('KP-A0', 'blue', 'issued', ${customerA}, '00000003', '2025-09-01', '2025-10-01', 5000, 575, ${finance}, ${finance})`);
    await t.db.execute(sql`insert into receipts (number, customer_id, method, amount_fen, received_on, created_by, bill_no, bill_due_on)
      values ('HK202510-00001', ${customerA}, 'acceptance_bill', 3000, '2025-10-15', ${finance}, 'BILL-1', '2026-04-15'),
             ('HK202510-00002', ${customerB}, 'bank_transfer', 8000, '2025-10-15', ${finance}, null, null)`);
  });
  afterAll(async () => t.close());

  describe('日清报表', () => {
    it('counts the day’s orders, shipments, invoices and receipts and what is open at its end', async () => {
      const office = await Client.as(t.app, 'office');
      const res = await office.get('/api/daily-clearing?date=2025-10-15');
      expect(res.statusCode).toBe(200);
      const r = res.json();
      expect(r.orders).toEqual({
        enteredCount: 2,
        enteredFen: '30000',
        submittedCount: 2,
        submittedFen: '30000',
        abnormalCount: 1,
        reviewedCount: 1,
        releasedCount: 1,
        releasedFen: '20000',
        cancelledCount: 0,
      });
      expect(r.shipments).toEqual({ dispatchedCount: 1, dispatchedLines: 2, dispatchedQuantity: 15, coldChainCount: 1, deliveredCount: 0 });
      expect(r.invoices).toEqual({ blueCount: 1, blueFen: '20000', blueTaxFen: '2301', redCount: 1, redFen: '-1000', redTaxFen: '-115', netFen: '19000' });
      expect(r.receipts).toEqual({
        count: 2,
        totalFen: '11000',
        byMethod: [
          { method: 'acceptance_bill', count: 1, amountFen: '3000' },
          { method: 'bank_transfer', count: 1, amountFen: '8000' },
        ],
      });
      expect(r.open).toEqual({
        pendingApprovalCount: 1,
        pendingReviewCount: 0,
        releasedNotShippedCount: 1,
        releasedNotShippedFen: '5000',
        shippedNotInvoicedFen: '1000',
        overdueCount: 1,
        overdueFen: '5000',
        overdueCustomers: 1,
      });
      const byRep = Object.fromEntries(r.byRep.map((x: { displayName: string }) => [x.displayName, x]));
      expect(byRep['张伟']).toMatchObject({ ordersCount: 1, ordersFen: '10000', dispatchedCount: 0, invoicedFen: '0', receivedFen: '3000', overdueFen: '5000' });
      expect(byRep['吴芳']).toMatchObject({ ordersCount: 1, ordersFen: '20000', dispatchedCount: 1, invoicedFen: '19000', receivedFen: '8000', overdueFen: '0' });
      expect(r.byCustomer.map((c: { customerId: number }) => c.customerId).sort()).toEqual([customerA, customerB].sort());
    });

    it('puts a review at 00:30 Shanghai time on the next day, though it is still the 15th in UTC', async () => {
      const office = await Client.as(t.app, 'office');
      expect((await office.get('/api/daily-clearing?date=2025-10-15')).json().orders.reviewedCount).toBe(1);
      const next = (await office.get('/api/daily-clearing?date=2025-10-16')).json();
      expect(next.orders).toMatchObject({ enteredCount: 0, reviewedCount: 1, releasedCount: 1, releasedFen: '5000' });
    });

    it('shows a team lead only the customers of the team, in every section', async () => {
      const lead = await Client.as(t.app, 'team_lead');
      const r = (await lead.get('/api/daily-clearing?date=2025-10-15')).json();
      expect(r.orders).toMatchObject({ enteredCount: 1, enteredFen: '10000', abnormalCount: 1, reviewedCount: 0 });
      expect(r.shipments.dispatchedCount).toBe(0);
      expect(r.invoices).toMatchObject({ blueCount: 0, redCount: 0, netFen: '0' });
      expect(r.receipts).toMatchObject({ count: 1, totalFen: '3000' });
      expect(r.open).toMatchObject({ releasedNotShippedCount: 1, shippedNotInvoicedFen: '0', overdueFen: '5000' });
      expect(r.byCustomer.map((c: { customerId: number }) => c.customerId)).toEqual([customerA]);
      expect(r.byRep.map((x: { displayName: string }) => x.displayName)).toEqual(['张伟']);
    });

    it('is refused to a rep and to logistics, and refuses a date that does not exist', async () => {
      expect((await (await Client.as(t.app, 'rep')).get('/api/daily-clearing?date=2025-10-15')).statusCode).toBe(403);
      expect((await (await Client.as(t.app, 'logistics')).get('/api/daily-clearing?date=2025-10-15')).statusCode).toBe(403);
      const office = await Client.as(t.app, 'office');
      expect((await office.get('/api/daily-clearing?date=2025-02-30')).statusCode).toBe(400);
    });

    it('exports the report as an Excel file', async () => {
      const office = await Client.as(t.app, 'office');
      const res = await office.get('/api/daily-clearing/export.xlsx?date=2025-10-15');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      expect(res.rawPayload.subarray(0, 2).toString()).toBe('PK');
    });
  });

  describe('月结', () => {
    /** A stock movement as every stock writer records it: the period guard, then the ledger. */
    const recordMovement = (tx: Tx, date: string, moves: StockMove[]) =>
      assertPeriodOpen(tx, date).then(() => moveStock(tx, systemActor(), { docType: 'stock_adjustment', docId: 1, docNumber: 'TZ-1' }, date, moves));
    /** A receipt as the receipts service records it: the period guard, then the row. */
    const recordReceipt = async (tx: Tx, date: string, amountFen: number, number: string) => {
      await assertPeriodOpen(tx, date);
      await tx.execute(sql`insert into receipts (number, customer_id, method, amount_fen, received_on, created_by)
        values (${number}, ${customerA}, 'cash', ${amountFen}, ${date}, (select id from users where username = 'finance'))`);
    };
    const move = (quantity: number): StockMove[] => [{ warehouseId, batchId: batch1, productId: p1, kind: 'adjustment', quantity }];

    it('refuses a month that is not over, and a month while an earlier one is open', async () => {
      const finance = (await loadActor(t.db, await userIdOf(t.db, 'finance')))!;
      await expect(t.db.transaction((tx) => closeMonth(tx, finance, { period: '2025-11' }, '2025-11-20', 'Asia/Shanghai'))).rejects.toMatchObject({ code: 'PERIOD_NOT_OVER' });
      await expect(t.db.transaction((tx) => closeMonth(tx, finance, { period: '2025-10' }, '2025-11-20', 'Asia/Shanghai'))).rejects.toMatchObject({
        code: 'PERIOD_EARLIER_OPEN',
        params: { period: '2025-09' },
      });
      const res = await (await Client.as(t.app, 'finance')).post('/api/period-closings', { period: '2025-10' });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('PERIOD_EARLIER_OPEN');
    });

    it('is refused to the sales office', async () => {
      const office = await Client.as(t.app, 'office');
      expect((await office.post('/api/period-closings', { period: '2025-09' })).statusCode).toBe(403);
      expect((await office.get('/api/period-closings')).statusCode).toBe(403);
    });

    it('closes September, then October once its unfinished orders are acknowledged, with the month-end receivables', async () => {
      const finance = await Client.as(t.app, 'finance');
      const sep = await finance.post('/api/period-closings', { period: '2025-09' });
      expect(sep.statusCode).toBe(201);
      expect(sep.json()).toMatchObject({ period: '2025-09', blueInvoicedFen: '5000', receivableAtEndFen: '5000' });
      expect((await finance.post('/api/period-closings', { period: '2025-09' })).json().error.code).toBe('PERIOD_ALREADY_CLOSED');

      expect((await finance.get('/api/period-closings/2025-10/warnings')).json()).toEqual([{ kind: 'draft_orders', count: 1 }]);
      const refused = await finance.post('/api/period-closings', { period: '2025-10' });
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error.code).toBe('PERIOD_HAS_DRAFTS');
      const oct = await finance.post('/api/period-closings', { period: '2025-10', acknowledgeWarnings: true });
      expect(oct.statusCode).toBe(201);
      // 5,000 open from September + 20,000 − 1,000 invoiced − 11,000 received.
      expect(oct.json()).toMatchObject({ ordersCount: 3, ordersFen: '35000', shipmentsCount: 1, blueInvoicedFen: '20000', redInvoicedFen: '-1000', receivedFen: '11000', receivableAtEndFen: '13000' });

      const list = (await finance.get('/api/period-closings')).json() as { period: string; status: string; closedByName: string | null }[];
      expect(list.find((p) => p.period === '2025-10')).toMatchObject({ status: 'closed', closedByName: '钱芳' });
      expect(list.find((p) => p.period === '2025-11')).toMatchObject({ status: 'open' });
      const [audit] = rowsOf<{ n: number }>(await t.db.execute(sql`select count(*)::int as n from audit_log where action = 'period.closed'`));
      expect(audit!.n).toBe(2);
    });

    it('refuses a stock movement and a receipt dated in a closed month, and takes them in an open one', async () => {
      await expect(t.db.transaction((tx) => recordMovement(tx, '2025-10-20', move(5)))).rejects.toMatchObject({ code: 'PERIOD_CLOSED', params: { period: '2025-10' } });
      await expect(t.db.transaction((tx) => recordReceipt(tx, '2025-09-30', 100, 'HK-X1'))).rejects.toMatchObject({ code: 'PERIOD_CLOSED' });
      await t.db.transaction((tx) => recordMovement(tx, '2025-11-03', move(5)));
      await t.db.transaction((tx) => recordReceipt(tx, '2025-11-03', 100, 'HK-X2'));
      const [n] = rowsOf<{ n: number }>(await t.db.execute(sql`select count(*)::int as n from stock_movements where business_date = '2025-10-20'`));
      expect(n!.n).toBe(0);
    });

    it('reopens only the last closed month, with a reason that is audited', async () => {
      const finance = await Client.as(t.app, 'finance');
      const notLast = await finance.post('/api/period-closings/2025-09/reopen', { reason: '调整' });
      expect(notLast.json().error.code).toBe('PERIOD_NOT_LAST_CLOSED');
      expect((await finance.post('/api/period-closings/2025-10/reopen', { reason: '' })).statusCode).toBe(400);
      expect((await finance.post('/api/period-closings/2025-10/reopen', { reason: '补录退货红字发票' })).statusCode).toBe(204);
      const [entry] = rowsOf<{ after: { reason: string } }>(await t.db.execute(sql`select after from audit_log where action = 'period.reopened' and entity_id = '2025-10'`));
      expect(entry!.after.reason).toBe('补录退货红字发票');
      await t.db.transaction((tx) => recordMovement(tx, '2025-10-20', move(1)));
      expect((await finance.post('/api/period-closings/2025-10/reopen', { reason: '再来' })).json().error.code).toBe('PERIOD_NOT_CLOSED');
    });

    it('waits for a write in flight before closing, and refuses the writes that come after', async () => {
      const financeActor = (await loadActor(t.db, await userIdOf(t.db, 'finance')))!;
      let letWriterFinish!: () => void;
      const writerMayFinish = new Promise<void>((resolve) => (letWriterFinish = resolve));
      let writerInside!: () => void;
      const writerIsInside = new Promise<void>((resolve) => (writerInside = resolve));
      const order: string[] = [];
      const writer = t.db.transaction(async (tx) => {
        await recordReceipt(tx, '2025-10-31', 700, 'HK-W1');
        writerInside();
        await writerMayFinish;
        order.push('writer committed');
      });
      await writerIsInside;
      const closing = t.db
        .transaction((tx) => closeMonth(tx, financeActor, { period: '2025-10', acknowledgeWarnings: true }, '2025-11-20', 'Asia/Shanghai'))
        .then((f) => {
          order.push('closed');
          return f;
        });
      await new Promise((r) => setTimeout(r, 100));
      expect(order).toEqual([]);
      letWriterFinish();
      await writer;
      const figures = await closing;
      expect(order).toEqual(['writer committed', 'closed']);
      // The closing counted the receipt that was in flight: 13,000 − 700.
      expect(figures.receivableAtEndFen).toBe(12300n);
      await expect(t.db.transaction((tx) => recordReceipt(tx, '2025-10-31', 1, 'HK-W2'))).rejects.toMatchObject({ code: 'PERIOD_CLOSED' });
      const periods = await listPeriods(t.db, '2025-11-20');
      expect(periods.find((p) => p.period === '2025-10')?.status).toBe('closed');
    });
  });
});
