import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoCompany } from '../src/demo/demo-company.js';
import { seedReferenceData } from '../src/demo/reference-data.js';
import { systemActor } from '../src/kernel/access/actor.js';
import { openDatabase, rowsOf } from '../src/kernel/db/client.js';
import { applyMigrations } from '../src/kernel/db/migrate.js';
import { initialsOf } from '../src/kernel/pinyin.js';
import { companyToday } from '../src/modules/customers/customers.scope.js';
import { createCustomer } from '../src/modules/customers/customers.service.js';
import { recomputeQualificationStates } from '../src/modules/customers/qualifications.js';
import { ensureBatch, moveStock } from '../src/modules/stock/stock.ledger.js';
import { type Running, loginPage, screenshot, startProduct } from './harness.js';

// DOMAIN.md flow 2 (order to cash), its first steps in the browser: the sales office types an order
// from a phone call with the keyboard only (customer and products found by pinyin initials, Enter
// through the line's cells), submits it; the office lead reviews and releases it (双人复核), and the order
// page shows the stock reserved first expiry first out. Stock has no entry screen on this branch yet,
// so the database is prepared with two batches before the server starts.
const CUSTOMER = '浦江仁和医院';
let product: Running;
let products: { id: number; name: string; initials: string }[] = [];

async function prepare(dataDir: string) {
  const database = await openDatabase({ dataDir });
  try {
    await applyMigrations(database);
    await seedReferenceData(database.db);
    await loadDemoCompany(database.db, { customers: false });
    const db = database.db;
    const [rep] = rowsOf<{ id: number }>(await db.execute(sql`select id from users where username = 'rep'`));
    const customer = await db.transaction((tx) =>
      createCustomer(tx, systemActor(), { name: CUSTOMER, type: 'hospital', territoryId: '310101', ownerId: rep!.id, creditLimitFen: 100_000_000n, paymentTermsDays: 60, code: 'E2E001' }),
    );
    await db.execute(sql`insert into customer_qualifications (customer_id, kind, number, expires_on) values (${customer.id}, 'medical_institution_licence', 'PDY31010100001', '2035-12-31')`);
    await recomputeQualificationStates(db, companyToday(), [customer.id]);
    const rows = rowsOf<{ id: number; generic_name: string }>(
      await db.execute(sql`select id, generic_name from products where status = 'active' and storage_condition <> 'cold_chain' order by id limit 40`),
    );
    // Two products whose initials find only themselves (no other active product's initials start alike).
    const all = rows.map((r) => ({ id: r.id, name: r.generic_name, initials: initialsOf(r.generic_name) }));
    const [{ n: total }] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from products`));
    const unique = [];
    for (const p of all) {
      const [{ n }] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from products where search_text like ${'%' + p.initials + '%'}`));
      if (n === 1) unique.push(p);
      if (unique.length === 2) break;
    }
    if (unique.length < 2) throw new Error(`no two products with unique initials among ${total}`);
    products = unique;
    for (const [i, p] of products.entries()) {
      await db.execute(sql`insert into prices (product_id, kind, amount_fen, valid_from, customer_id) values (${p.id}, 'supply', ${1250 + i * 1000}, '2020-01-01', ${customer.id})`);
    }
    // The first product: two batches in 合格品总仓, the earlier expiry must be reserved first. The second has none (back-order).
    const [w] = rowsOf<{ id: number }>(await db.execute(sql`select id from warehouses where code = 'ZC'`));
    await db.transaction(async (tx) => {
      const late = await ensureBatch(tx, { productId: products[0]!.id, batchNo: 'E2E-LATE', expiresOn: '2029-12-31' });
      const early = await ensureBatch(tx, { productId: products[0]!.id, batchNo: 'E2E-EARLY', expiresOn: '2027-12-31' });
      await moveStock(tx, systemActor(), null, companyToday(), [
        { warehouseId: w!.id, batchId: late, productId: products[0]!.id, kind: 'receipt', quantity: 100 },
        { warehouseId: w!.id, batchId: early, productId: products[0]!.id, kind: 'receipt', quantity: 8 },
      ]);
    });
  } finally {
    await database.close();
  }
}

beforeAll(async () => {
  product = await startProduct({ prepare });
});
afterAll(async () => {
  await product?.stop();
});

describe('orders in the browser', () => {
  it('lets the office type an order by keyboard, the office lead release it, and shows the reserved batches', async () => {
    const office = await loginPage(product, 'orders-office', 'office');
    await office.goto(`${product.baseUrl}/orders/new`);
    // Customer: by its pinyin initials, Enter picks it.
    const customer = office.getByTestId('order-customer');
    await customer.click();
    await office.keyboard.type(initialsOf(CUSTOMER));
    await office.locator('.ant-select-item-option', { hasText: CUSTOMER }).waitFor();
    await office.keyboard.press('Enter');
    await office.getByTestId('order-form-credit').waitFor();

    // Line 1: product by initials → Enter → quantity → Enter (price: list) → Enter (no discount) → a new line.
    await office.getByTestId('order-line-product').first().click();
    await office.keyboard.type(products[0]!.initials);
    // Enter takes the highlighted option: wait until the search result (not the initial list) is shown.
    await office.locator('.ant-select-dropdown:visible .ant-select-item-option-active', { hasText: products[0]!.name }).waitFor();
    await expect.poll(() => office.locator('.ant-select-dropdown:visible .ant-select-item-option').count()).toBe(1);
    await office.keyboard.press('Enter');
    await expect.poll(() => office.evaluate(() => document.activeElement?.id ?? '')).toMatch(/-qty$/);
    await office.keyboard.type('12');
    await office.keyboard.press('Enter');
    await office.keyboard.press('Enter');
    await office.keyboard.press('Enter');
    await expect.poll(() => office.getByTestId('order-line-product').count()).toBe(2);
    await expect.poll(() => office.evaluate(() => document.activeElement?.id ?? '')).toMatch(/-product$/);

    // Line 2 straight from the keyboard: the focus is already in the new line's product cell.
    await office.keyboard.type(products[1]!.initials);
    await expect.poll(() => office.locator('.ant-select-dropdown:visible .ant-select-item-option').allTextContents()).toEqual([expect.stringContaining(products[1]!.name)]);
    await office.keyboard.press('Enter');
    await expect.poll(() => office.evaluate(() => document.activeElement?.id ?? '')).toMatch(/-qty$/);
    await office.keyboard.type('3');
    await office.keyboard.press('Enter');
    // 12 × ¥12.50 + 3 × ¥22.50 = ¥217.50, at the list prices.
    await expect.poll(() => office.getByTestId('order-form-total').textContent()).toContain('¥217.50');
    await expect.poll(() => office.getByTestId('order-line-stock').first().textContent()).toContain('108');
    await screenshot(office, 'orders-entry');
    await office.getByTestId('order-save-submit').click();
    await office.waitForURL(/\/orders\/\d+$/);
    const orderId = Number(/\/orders\/(\d+)$/.exec(office.url())![1]);
    // Only a shortage (the second product has no stock): flagged, but straight to review.
    await expect.poll(() => office.getByTestId('order-status').first().textContent()).toBe('待复核');
    await office.getByTestId('order-problem-stock_short').waitFor();
    await office.getByTestId('order-review-own').waitFor();
    expect(await office.getByTestId('order-review').count()).toBe(0);
    await screenshot(office, 'orders-submitted');
    await office.close();

    const lead = await loginPage(product, 'orders-lead', 'office_lead');
    await lead.goto(`${product.baseUrl}/orders/review`);
    const button = lead.getByTestId(`order-review-${orderId}`);
    await button.click();
    await button.waitFor({ state: 'detached' });
    await lead.goto(`${product.baseUrl}/orders/${orderId}`);
    await expect.poll(() => lead.getByTestId('order-status').first().textContent()).toBe('已下达');
    const batches = lead.getByTestId('reservation-batch');
    await expect.poll(() => batches.allTextContents()).toEqual(['E2E-EARLY', 'E2E-LATE']);
    await expect.poll(() => lead.getByTestId('order-reservations').textContent()).toContain('2027-12-31');
    await expect.poll(() => lead.getByTestId('indicator-shipped').getAttribute('data-state')).toBe('none');
    await lead.getByTestId('order-reserve').waitFor();
    await screenshot(lead, 'orders-released');
    await lead.close();
  });
});
