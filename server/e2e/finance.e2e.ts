import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoCompany } from '../src/demo/demo-company.js';
import { systemActor } from '../src/kernel/access/actor.js';
import { createCustomer } from '../src/modules/customers/customers.service.js';
import { seedReferenceData } from '../src/demo/reference-data.js';
import { openDatabase, rowsOf } from '../src/kernel/db/client.js';
import { applyMigrations } from '../src/kernel/db/migrate.js';
import { type Running, loginPage, screenshot, startProduct } from './harness.js';

/**
 * DOMAIN.md flow 2, the money end: finance invoices a shipped order line from 待开票, issues it with the tax
 * number, records the customer's payment, auto-allocates it and sees the invoice paid and the statement.
 * Orders and shipping are built elsewhere: the shipped order is written into the database before start.
 */
describe('invoicing and payment collection in the browser', () => {
  let product: Running;
  let customerId = 0;
  const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });

  beforeAll(async () => {
    product = await startProduct({
      prepare: async (dataDir) => {
        const database = await openDatabase({ dataDir });
        await applyMigrations(database);
        await seedReferenceData(database.db);
        await loadDemoCompany(database.db, { customers: false });
        const db = database.db;
        const [rep] = rowsOf<{ id: number }>(await db.execute(sql`select id from users where username = 'rep'`));
        const c = await db.transaction((tx) =>
          createCustomer(tx, systemActor(), {
            code: 'E2EFIN', name: '财务流程测试医院', type: 'hospital', territoryId: '310101', ownerId: rep!.id, paymentTermsDays: 30,
            invoiceTitle: '财务流程测试医院', taxNumber: '91310000MA1FL00001', bankName: '工商银行', bankAccount: '6222000011112222',
            invoiceAddress: '上海市黄浦区', invoicePhone: '021-63000000',
          }),
        );
        customerId = c.id;
        const [o] = rowsOf<{ id: number }>(
          await db.execute(sql`insert into sales_orders (number, status, customer_id, entered_by, order_date, total_fen)
            values ('SO-E2E-FIN-1', 'shipped', ${customerId}, (select id from users where username = 'office'), ${today}, 12500) returning id`),
        );
        await db.execute(sql`insert into sales_order_lines (order_id, line_no, product_id, quantity, unit_price_fen, amount_fen, shipped_qty)
          values (${o!.id}, 1, (select id from products order by id limit 1), 10, 1250, 12500, 10)`);
        await database.close();
      },
    });
  });
  afterAll(async () => product?.stop());

  it('invoices a shipped line, issues it, records and allocates the payment, and shows it paid on the statement', async () => {
    const page = await loginPage(product, 'finance', 'finance');
    await page.goto(`${product.baseUrl}/invoices?tab=invoiceable&customerId=${customerId}`);
    const row = page.getByRole('row', { name: /SO-E2E-FIN-1/ });
    await row.getByRole('checkbox').check();
    await page.getByTestId('make-invoice').click();
    await page.waitForURL(/\/invoices\/\d+$/);
    await page.getByTestId('tax-invoice-no').fill('24312000000000000001');
    await page.getByTestId('issue-invoice').click();
    await expect.poll(() => page.getByTestId('invoice-status').innerText(), { timeout: 30_000 }).toBe('已开');
    await expect.poll(() => page.getByTestId('invoice-open').innerText(), { timeout: 30_000 }).toBe('¥125.00');
    const invoiceUrl = page.url();

    await page.goto(`${product.baseUrl}/receipts?new=1&customerId=${customerId}`);
    await page.getByTestId('receipt-amount').fill('125');
    await page.getByRole('checkbox', { name: /自动核销/ }).uncheck();
    await page.getByTestId('save-receipt').click();
    await page.waitForURL(/\/receipts\/\d+$/);
    await expect.poll(() => page.getByTestId('receipt-unapplied').innerText(), { timeout: 30_000 }).toBe('¥125.00');
    await page.getByTestId('auto-allocate').click();
    await expect.poll(() => page.getByTestId('receipt-unapplied').innerText(), { timeout: 30_000 }).toBe('¥0.00');

    await page.goto(invoiceUrl);
    await expect.poll(() => page.getByTestId('invoice-open').innerText(), { timeout: 30_000 }).toBe('¥0.00');
    await page.goto(`${product.baseUrl}/receivables/statement?customerId=${customerId}&from=${today.slice(0, 8)}01&to=${today}`);
    await expect.poll(() => page.getByTestId('statement-closing').innerText(), { timeout: 30_000 }).toBe('¥0.00');
    await page.getByRole('cell', { name: '24312000000000000001' }).waitFor();
    await screenshot(page, 'finance-statement');
  });
});
