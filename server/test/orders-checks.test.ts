import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/kernel/db/client.js';
import { Client, makeCustomer, setupTest, userIdOf } from './support.js';
import { createOrder, makeProduct, makeQualifiedCustomer, priceFor, qualify, receiveStock, submit, today } from './orders-support.js';

/** The checks an order passes on submission (order-checks.ts), one at a time, through the API. */
describe('order submission checks', () => {
  let t: Awaited<ReturnType<typeof setupTest>>;
  let office: Client;
  let n = 0;

  beforeAll(async () => {
    t = await setupTest({ demo: true, demoCustomers: false });
    office = await Client.as(t.app, 'office');
  });
  afterAll(async () => t.close());

  /** A qualified customer with a named price of 10.00 on a fresh product with 100 in stock. */
  async function scenario(options: { creditLimitYuan?: number; stock?: number; qualified?: boolean } = {}) {
    n += 1;
    const customerId =
      options.qualified === false
        ? (await makeCustomer(t.db, { name: `检查医院${n}`, owner: 'rep', creditLimitFen: 100_000_000n })).id
        : await makeQualifiedCustomer(t.db, `检查医院${n}`, 'rep', options.creditLimitYuan ?? 1_000_000);
    const productId = await makeProduct(t.db, `检查药${n}号`);
    await priceFor(t.db, productId, customerId, 1000);
    if ((options.stock ?? 100) > 0) await receiveStock(t.db, productId, `B${n}`, '2029-12-31', options.stock ?? 100);
    return { customerId, productId };
  }

  it('sends a clean order straight to the office review, priced from the price list', async () => {
    const { customerId, productId } = await scenario();
    const order = await createOrder(office, customerId, [{ productId, quantity: 10 }]);
    expect(order.status).toBe('draft');
    expect(order.lines[0]).toMatchObject({ unitPriceFen: '1000', listPriceFen: '1000', amountFen: '10000' });
    expect(order.totalFen).toBe('10000');
    const out = await submit(office, order);
    expect(out.order.status).toBe('pending_review');
    expect(out.order.problems).toEqual([]);
    expect(out.approvalStarted).toBe(false);
  });

  it('routes an order for a customer without a valid medical institution licence to approval (GSP)', async () => {
    const { customerId, productId } = await scenario({ qualified: false });
    const out = await submit(office, await createOrder(office, customerId, [{ productId, quantity: 1 }]));
    expect(out.order.status).toBe('pending_approval');
    expect(out.approvalStarted).toBe(true);
    expect(out.order.abnormal).toBe(true);
    const problem = out.order.problems.find((p) => p.code === 'customer_unqualified');
    expect(problem?.message).toContain('医疗机构执业许可证');
  });

  it('treats an expired qualification like a missing one', async () => {
    n += 1;
    const c = await makeCustomer(t.db, { name: `过期资质医院${n}`, owner: 'rep', creditLimitFen: 100_000_000n });
    await qualify(t.db, c.id, '2020-01-01');
    const productId = await makeProduct(t.db);
    await priceFor(t.db, productId, c.id, 500);
    await receiveStock(t.db, productId, `EXP${n}`, '2029-12-31', 10);
    const out = await submit(office, await createOrder(office, c.id, [{ productId, quantity: 1 }]));
    expect(out.order.problems.map((p) => p.code)).toEqual(['customer_unqualified']);
  });

  it('refuses a unit price other than the list price without a reason', async () => {
    const { customerId, productId } = await scenario();
    const res = await office.post('/api/orders', { customerId, lines: [{ productId, quantity: 1, unitPriceFen: '900' }] });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('ORDER_PRICE_OVERRIDE_REASON_REQUIRED');
    expect(res.json().error.fields[0].path).toBe('lines.0.priceOverrideReason');
  });

  it('sends a price override with a reason to approval, showing both prices and the reason', async () => {
    const { customerId, productId } = await scenario();
    const order = await createOrder(office, customerId, [{ productId, quantity: 2, unitPriceFen: '900', priceOverrideReason: '老客户年度协议价' }]);
    expect(order.lines[0]).toMatchObject({ unitPriceFen: '900', listPriceFen: '1000', amountFen: '1800' });
    const out = await submit(office, order);
    expect(out.order.status).toBe('pending_approval');
    const p = out.order.problems.find((x) => x.code === 'price_override')!;
    expect(p.lineNo).toBe(1);
    expect(p.message).toContain('¥9.00');
    expect(p.message).toContain('¥10.00');
    expect(p.message).toContain('老客户年度协议价');
    // No credit problem: only the office lead approves.
    expect(out.order.approvals[0]!.tasks.map((x) => x.stepName)).toEqual(['内勤主管审核']);
  });

  it('flags a product no price applies to for this customer as not on sale to it', async () => {
    const { customerId } = await scenario();
    const unpriced = await makeProduct(t.db, '无价药');
    await receiveStock(t.db, unpriced, `NP${n}`, '2029-12-31', 5);
    const res = await office.post('/api/orders', { customerId, lines: [{ productId: unpriced, quantity: 1 }] });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.fields[0]).toMatchObject({ path: 'lines.0.unitPriceFen', message: '该客户没有适用的价格，请输入单价并填写原因' });
    const order = await createOrder(office, customerId, [{ productId: unpriced, quantity: 1, unitPriceFen: '700', priceOverrideReason: '临时报价' }]);
    const out = await submit(office, order);
    expect(out.order.problems.map((p) => p.code)).toEqual(['product_not_priced']);
    expect(out.order.status).toBe('pending_approval');
  });

  it('flags a discontinued product', async () => {
    const { customerId, productId } = await scenario();
    const order = await createOrder(office, customerId, [{ productId, quantity: 1 }]);
    await t.db.execute(sql`update products set status = 'discontinued' where id = ${productId}`);
    const out = await submit(office, order);
    expect(out.order.problems.map((p) => p.code)).toContain('product_inactive');
  });

  it('sends an order over the credit limit to the office lead and then finance', async () => {
    const { customerId, productId } = await scenario({ creditLimitYuan: 50 });
    const out = await submit(office, await createOrder(office, customerId, [{ productId, quantity: 10 }]));
    expect(out.order.status).toBe('pending_approval');
    const p = out.order.problems.find((x) => x.code === 'credit_limit')!;
    expect(p.message).toContain('¥50.00');
    expect(p.message).toContain('¥100.00');
    expect(out.order.approvals[0]!.tasks.map((x) => x.stepName)).toEqual(['内勤主管审核']);
    const [flow] = rowsOf<{ name: string }>(await t.db.execute(sql`select f.name from approval_requests r join approval_flows f on f.id = r.flow_id where r.doc_type = 'sales_order' and r.doc_id = ${out.order.id}`));
    expect(flow!.name).toBe('信用异常订单审批');
  });

  it('counts the customer’s other open orders against the limit, but not this one twice', async () => {
    const { customerId, productId } = await scenario({ creditLimitYuan: 150 });
    const first = await submit(office, await createOrder(office, customerId, [{ productId, quantity: 10 }]));
    expect(first.order.problems).toEqual([]);
    const second = await submit(office, await createOrder(office, customerId, [{ productId, quantity: 6 }]));
    expect(second.order.problems.map((p) => p.code)).toEqual(['credit_limit']);
  });

  it('lets only one of two orders submitted at once use the last of the credit limit', async () => {
    const { customerId, productId } = await scenario({ creditLimitYuan: 150 });
    const a = await createOrder(office, customerId, [{ productId, quantity: 10 }]);
    const b = await createOrder(office, customerId, [{ productId, quantity: 10 }]);
    const results = await Promise.all([submit(office, a), submit(office, b)]);
    expect(results.map((r) => r.order.problems.map((p) => p.code).join(',')).sort()).toEqual(['', 'credit_limit']);
  });

  it('sends an order of a customer with an overdue invoice to finance', async () => {
    const { customerId, productId } = await scenario();
    const officeId = await userIdOf(t.db, 'office');
    await t.db.execute(sql`insert into invoices (number, kind, invoice_type, status, customer_id, tax_invoice_no, issued_on, due_on, amount_fen, tax_fen, created_by)
      values (${`FP-OVERDUE-${customerId}`}, 'blue', 'special', 'issued', ${customerId}, ${`0${customerId}`}, '2026-08-01', '2026-08-31', 50000, 5752, ${officeId})`);
    const out = await submit(office, await createOrder(office, customerId, [{ productId, quantity: 1 }]));
    expect(out.order.status).toBe('pending_approval');
    const p = out.order.problems.find((x) => x.code === 'overdue')!;
    expect(p.message).toContain('¥500.00');
    const [flow] = rowsOf<{ name: string }>(await t.db.execute(sql`select f.name from approval_requests r join approval_flows f on f.id = r.flow_id where r.doc_type = 'sales_order' and r.doc_id = ${out.order.id}`));
    expect(flow!.name).toBe('信用异常订单审批');
  });

  it('flags a stock shortage as a back-order without sending the order to approval', async () => {
    const { customerId, productId } = await scenario({ stock: 3 });
    const out = await submit(office, await createOrder(office, customerId, [{ productId, quantity: 5 }]));
    expect(out.order.status).toBe('pending_review');
    expect(out.approvalStarted).toBe(false);
    expect(out.order.shortage).toBe(true);
    expect(out.order.abnormal).toBe(false);
    const p = out.order.problems.find((x) => x.code === 'stock_short')!;
    expect(p.message).toContain('不需审批');
    expect(p.message).toContain('3');
  });

  it('adds up two lines of one product against its stock', async () => {
    const { customerId, productId } = await scenario({ stock: 8 });
    const out = await submit(office, await createOrder(office, customerId, [{ productId, quantity: 5 }, { productId, quantity: 5 }]));
    expect(out.order.problems.filter((p) => p.code === 'stock_short')).toHaveLength(1);
  });
});
