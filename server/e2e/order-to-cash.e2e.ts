import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoCompany } from '../src/demo/demo-company.js';
import { seedReferenceData } from '../src/demo/reference-data.js';
import { systemActor } from '../src/kernel/access/actor.js';
import { openDatabase, rowsOf } from '../src/kernel/db/client.js';
import { applyMigrations } from '../src/kernel/db/migrate.js';
import { initialsOf } from '../src/kernel/pinyin.js';
import { configureSecrets } from '../src/kernel/secrets.js';
import { companyToday } from '../src/modules/customers/customers.scope.js';
import { createCustomer } from '../src/modules/customers/customers.service.js';
import { insertQualification } from '../src/modules/customers/qualifications.js';
import { ensureBatch, moveStock } from '../src/modules/stock/stock.ledger.js';
import { type Running, loginPage, screenshot, startProduct } from './harness.js';

/**
 * DOMAIN.md flow 2 end to end, as the people of the demo company do it, each with their own login:
 * the sales office (office) types a distributor's phone order with the keyboard only and submits it; the
 * office lead (office_lead) reviews and releases it (双人复核) and sees the stock reserved first expiry first
 * out; the warehouse (logistics) cuts the shipment from the order, a second person (admin, shipments.check)
 * checks it, logistics dispatches it with carrier and tracking number; finance invoices the shipped lines
 * from 待开票, issues the invoice with the tax number, records the customer's transfer and allocates it to
 * the invoice; back on the order page the three indicators say shipped, invoiced and paid in full and the
 * chain lists the shipment, the invoice and the receipt.
 *
 * Data: the full demo company (its catalogue, price lists and stock, ~3,000 customers and their orders) as
 * on a first start, plus one new distributor that passes every submit check (qualified, a credit limit,
 * nothing overdue); distributors pay the demo's type price (出厂价 + 5 %), so the prices below are exact.
 * One small batch of the first product, expiring before any demo batch, is received so that FEFO must split
 * the line over two batches.
 */
const CUSTOMER = '沪滨瑞康医药有限公司';
const TAX_INVOICE_NO = '31250000000020261126';
// Demo catalogue: HK2003 硫酸氢氯吡格雷片 ex-factory ¥21.50 → distributor ¥22.575 → ¥22.58 (half up);
// HK4003 奥美拉唑肠溶胶囊 ¥10.90 → ¥11.445 → ¥11.45.
const LINES = [
  { code: 'HK2003', qty: 30, price: '¥22.58', amount: '¥677.40' },
  { code: 'HK4003', qty: 25, price: '¥11.45', amount: '¥286.25' },
] as const;
// 677.40 + 286.25; VAT 13 % included: round(67740 × 13/113) + round(28625 × 13/113) = 7793 + 3293 fen.
const TOTAL = '¥963.65';
const TAX = '¥110.86';
const EARLY_QTY = 12;

let product: Running;
let customerId = 0;
const products: { name: string; initials: string }[] = [];
/** FEFO: the batches the review must reserve, per line, with quantities. */
const expected: { batchNo: string; expiresOn: string; qty: number }[][] = [];

async function prepare(dataDir: string) {
  configureSecrets(dataDir);
  const database = await openDatabase({ dataDir });
  try {
    await applyMigrations(database);
    await seedReferenceData(database.db);
    await loadDemoCompany(database.db); // what the first start does; the server then finds it loaded
    const db = database.db;
    const today = companyToday();
    const [rep] = rowsOf<{ id: number }>(await db.execute(sql`select id from users where username = 'rep'`));
    const c = await db.transaction(async (tx) => {
      const created = await createCustomer(tx, systemActor(), {
        code: 'E2EO2C', name: CUSTOMER, type: 'distributor', territoryId: '310101', ownerId: rep!.id, creditLimitFen: 50_000_000n, paymentTermsDays: 30,
        address: '上海市黄浦区瑞金二路 88 号', phone: '021-64001234',
        invoiceTitle: CUSTOMER, taxNumber: '91310101MA1HB0R2K8', bankName: '招商银行上海分行', bankAccount: '121900000010801', invoiceAddress: '上海市黄浦区瑞金二路 88 号', invoicePhone: '021-64001234',
      });
      await insertQualification(tx, systemActor(), created.id, { kind: 'business_licence', number: '91310101MA1HB0R2K8', issuedOn: '2020-03-01', expiresOn: null });
      await insertQualification(tx, systemActor(), created.id, { kind: 'drug_operation_licence', number: '沪AA0210088', issuedOn: '2022-05-01', expiresOn: '2031-04-30' });
      return created;
    });
    customerId = c.id;
    // Typed by its initials: they must find this customer only.
    const [{ n: sameCustomers }] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from customers where search_text like ${'%' + initialsOf(CUSTOMER) + '%'}`));
    if (sameCustomers !== 1) throw new Error(`${sameCustomers} customers match ${initialsOf(CUSTOMER)}`);

    const [zc] = rowsOf<{ id: number }>(await db.execute(sql`select id from warehouses where code = 'ZC'`));
    for (const [i, line] of LINES.entries()) {
      const [p] = rowsOf<{ id: number; generic_name: string; storage_condition: string }>(
        await db.execute(sql`select id, generic_name, storage_condition from products where code = ${line.code}`),
      );
      if (!p || p.storage_condition === 'cold_chain') throw new Error(`${line.code} missing or cold chain`);
      const initials = initialsOf(p.generic_name);
      const [{ n }] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from products where search_text like ${'%' + initials + '%'}`));
      if (n !== 1) throw new Error(`${n} products match ${initials}`);
      products.push({ name: p.generic_name, initials });
      let left: number = line.qty;
      const batches: { batchNo: string; expiresOn: string; qty: number }[] = [];
      if (i === 0) {
        // A short-dated batch, before every demo batch of the product: FEFO takes it first, then the next one.
        const early = new Date(Date.parse(`${today}T00:00:00Z`) + 75 * 86_400_000).toISOString().slice(0, 10);
        await db.transaction(async (tx) => {
          const batchId = await ensureBatch(tx, { productId: p.id, batchNo: 'E2E-O2C-EARLY', manufacturedOn: '2024-08-01', expiresOn: early });
          await moveStock(tx, systemActor(), { docType: 'stock_receipt', docId: 0, docNumber: 'RK-E2E-O2C' }, today, [
            { warehouseId: zc!.id, batchId, productId: p.id, kind: 'receipt', quantity: EARLY_QTY },
          ]);
        });
        batches.push({ batchNo: 'E2E-O2C-EARLY', expiresOn: early, qty: EARLY_QTY });
        left -= EARLY_QTY;
      }
      // The demo's next batch by expiry (free stock in a normal warehouse, not expired) takes the rest.
      const [next] = rowsOf<{ batch_no: string; expires_on: string; free: number }>(
        await db.execute(sql`select b.batch_no, b.expires_on::text, (s.on_hand - s.reserved)::int as free from stock_balances s
          join stock_batches b on b.id = s.batch_id join warehouses w on w.id = s.warehouse_id
          where s.product_id = ${p.id} and s.on_hand > s.reserved and b.expires_on > ${today}::date and w.kind = 'normal' and b.batch_no <> 'E2E-O2C-EARLY'
          order by b.expires_on, b.id limit 1`),
      );
      if (!next || next.free < left) throw new Error(`not enough demo stock of ${line.code}`);
      batches.push({ batchNo: next.batch_no, expiresOn: next.expires_on, qty: left });
      expected.push(batches);
    }
  } finally {
    await database.close();
  }
}

beforeAll(async () => {
  product = await startProduct({ prepare, fromTemplate: true });
});
afterAll(async () => {
  await product?.stop();
});

const heading = (page: Page) => page.locator('h1').first();
async function numberIn(page: Page, pattern: RegExp): Promise<string> {
  await poll(async () => pattern.test((await heading(page).textContent()) ?? '')).toBe(true);
  return pattern.exec((await heading(page).textContent())!)![0];
}
/** Pages load their data after the first paint: wait for what a user would wait for (not the default second). */
const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 20_000, interval: 100 });
const activeId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

describe('order to cash in the browser', () => {
  it('takes an order typed by keyboard through review, FEFO shipment, invoice and payment to a complete chain', async () => {
    // ---- 1. The sales office types the phone order: keyboard only ------------------------------------------
    const office = await loginPage(product, 'o2c-office', 'office');
    await office.goto(`${product.baseUrl}/orders/new`);
    // The customer field has the focus: type the initials, Enter picks the one match.
    await poll(() => office.evaluate(() => document.activeElement?.closest('[data-testid="order-customer"]') !== null)).toBe(true);
    await office.keyboard.type(initialsOf(CUSTOMER));
    await poll(() => office.locator('.ant-select-dropdown:visible .ant-select-item-option').allTextContents()).toEqual([expect.stringContaining(CUSTOMER)]);
    await office.keyboard.press('Enter');
    const credit = office.getByTestId('order-form-credit');
    await poll(() => credit.textContent()).toContain('¥500,000.00');
    await poll(() => credit.textContent()).toMatch(/逾期\S*¥0\.00/);

    await office.getByTestId('order-line-product').first().click();
    for (const [i, line] of LINES.entries()) {
      // Product by initials → Enter → quantity → Enter (list price) → Enter (no discount) → the next line.
      await poll(() => activeId(office)).toMatch(/-product$/);
      await office.keyboard.type(products[i]!.initials);
      await poll(() => office.locator('.ant-select-dropdown:visible .ant-select-item-option').allTextContents()).toEqual([expect.stringContaining(products[i]!.name)]);
      await office.locator('.ant-select-dropdown:visible .ant-select-item-option-active', { hasText: products[i]!.name }).waitFor();
      await office.keyboard.press('Enter');
      await poll(() => activeId(office)).toMatch(/-qty$/);
      await office.keyboard.type(String(line.qty));
      await office.keyboard.press('Enter');
      await poll(() => activeId(office)).toMatch(/-price$/);
      // The price list's price applies: shown as the price cell's placeholder and in the line's hints.
      await poll(() => office.getByTestId('order-line-price').nth(i).getAttribute('placeholder')).toBe(line.price.slice(1));
      await office.keyboard.press('Enter');
      await poll(() => activeId(office)).toMatch(/-discount$/);
      await office.keyboard.press('Enter');
      await poll(() => office.getByTestId('order-line-product').count()).toBe(i + 2);
      const row = office.getByTestId('order-form-lines').locator('tbody tr.ant-table-row').nth(i);
      await poll(() => row.textContent()).toContain(line.amount);
    }
    await poll(() => office.getByTestId('order-form-total').textContent()).toContain(TOTAL);
    await screenshot(office, 'o2c-1-entry');
    await office.getByTestId('order-save-submit').click();
    await office.waitForURL(/\/orders\/\d+$/);
    const orderUrl = office.url();
    const orderId = Number(/\/orders\/(\d+)$/.exec(orderUrl)![1]);
    const orderNumber = await numberIn(office, /SO\d+-\d+/);
    // Every check passed: straight to the office review, no findings, and not for the one who entered it.
    await poll(() => office.getByTestId('order-status').first().textContent()).toBe('待复核');
    expect(await office.getByTestId('order-problems').count()).toBe(0);
    await poll(() => office.getByTestId('order-total').textContent()).toBe(TOTAL);
    await office.getByTestId('order-review-own').waitFor();
    expect(await office.getByTestId('order-review').count()).toBe(0);
    await office.close();

    // ---- 2. The office lead reviews and releases it (双人复核); stock is reserved FEFO ------------------------
    const lead = await loginPage(product, 'o2c-lead', 'office_lead');
    await lead.goto(`${product.baseUrl}/orders/review`);
    const reviewRow = lead.getByRole('row', { name: new RegExp(orderNumber) });
    await poll(() => reviewRow.textContent()).toContain(TOTAL);
    await poll(() => reviewRow.textContent()).toContain(CUSTOMER);
    await lead.getByTestId(`order-review-${orderId}`).click();
    await lead.getByTestId(`order-review-${orderId}`).waitFor({ state: 'detached' });
    await lead.goto(orderUrl);
    await poll(() => lead.getByTestId('order-status').first().textContent()).toBe('已下达');
    const reservations = lead.getByTestId('order-reservations').locator('tbody tr.ant-table-row');
    const reserved = expected.flat();
    await poll(() => lead.getByTestId('reservation-batch').allTextContents()).toEqual(reserved.map((b) => b.batchNo));
    for (const [k, b] of reserved.entries()) {
      const cells = await reservations.nth(k).locator('td').allTextContents();
      expect(cells).toContain(b.expiresOn);
      expect(cells.at(-1)).toBe(String(b.qty));
    }
    expect(await lead.getByTestId('line-reserved').allTextContents()).toEqual(LINES.map((l) => String(l.qty)));
    await screenshot(lead, 'o2c-2-released');
    await lead.close();

    // ---- 3. Logistics cuts the shipment from the order, admin checks it, logistics dispatches it -----------
    const logistics = await loginPage(product, 'o2c-logistics', 'logistics');
    await logistics.goto(`${product.baseUrl}/shipments`);
    await logistics.getByTestId('create-shipment').click();
    const picker = logistics.locator('.ant-modal');
    await picker.locator('input').first().fill(orderNumber);
    await picker.getByRole('cell', { name: orderNumber }).click();
    await logistics.waitForURL(/\/shipments\/new\?orderId=\d+$/);
    for (const b of reserved) await logistics.getByRole('cell', { name: b.batchNo, exact: true }).waitFor();
    await logistics.getByTestId('submit-shipment').click();
    await logistics.waitForURL(/\/shipments\/\d+$/);
    const shipmentUrl = logistics.url();
    const shipmentNumber = await numberIn(logistics, /FH\d+-\d+/);
    await logistics.getByText('拣货中').first().waitFor();
    // The picker may not check their own shipment.
    expect(await logistics.getByTestId('check-shipment').isDisabled()).toBe(true);

    const admin = await loginPage(product, 'o2c-admin', 'admin');
    await admin.goto(shipmentUrl);
    await admin.getByTestId('check-shipment').click();
    await admin.getByText('已复核').first().waitFor();
    await admin.close();

    await logistics.reload();
    await logistics.getByTestId('dispatch-shipment').click();
    await logistics.locator('.ant-modal #carrier').fill('顺丰速运');
    await logistics.locator('.ant-modal #trackingNo').fill('SF1126202603');
    await logistics.locator('.ant-modal').getByRole('button', { name: /^发\s?出$/ }).click();
    await logistics.getByText('已发出，库存已出库').waitFor();
    await logistics.getByText('SF1126202603').first().waitFor();
    for (const b of reserved) await logistics.getByRole('cell', { name: b.batchNo, exact: true }).first().waitFor();
    await screenshot(logistics, 'o2c-3-dispatched');
    await logistics.close();

    // ---- 4. Finance invoices the shipped lines from 待开票 and issues the invoice ----------------------------
    const finance = await loginPage(product, 'o2c-finance', 'finance');
    await finance.goto(`${product.baseUrl}/invoices?tab=invoiceable&customerId=${customerId}`);
    const toInvoice = finance.getByRole('row', { name: new RegExp(orderNumber) });
    await poll(() => toInvoice.count()).toBe(LINES.length);
    for (let k = 0; k < LINES.length; k++) await toInvoice.nth(k).getByRole('checkbox').check();
    await finance.getByTestId('make-invoice').click();
    await finance.waitForURL(/\/invoices\/\d+$/);
    const invoiceNumber = await numberIn(finance, /KP\d+-\d+/);
    await poll(() => finance.getByTestId('invoice-amount').textContent()).toBe(TOTAL);
    await poll(() => finance.getByTestId('invoice-tax').textContent()).toBe(TAX);
    await finance.getByTestId('tax-invoice-no').fill(TAX_INVOICE_NO);
    await finance.getByTestId('issue-invoice').click();
    await poll(() => finance.getByTestId('invoice-status').innerText()).toBe('已开');
    await poll(() => finance.getByTestId('invoice-open').innerText()).toBe(TOTAL);

    // ---- 5. Finance records the customer's transfer and allocates it to the invoice ------------------------
    await finance.goto(`${product.baseUrl}/receipts?new=1&customerId=${customerId}`);
    await finance.getByTestId('receipt-amount').fill(TOTAL.slice(1));
    await finance.getByRole('checkbox', { name: /自动核销/ }).uncheck();
    await finance.getByTestId('save-receipt').click();
    await finance.waitForURL(/\/receipts\/\d+$/);
    const receiptNumber = await numberIn(finance, /SK\d+-\d+/);
    await poll(() => finance.getByTestId('receipt-unapplied').innerText()).toBe(TOTAL);
    const openInvoice = finance.getByRole('row', { name: new RegExp(invoiceNumber) });
    await poll(() => openInvoice.textContent()).toContain(TAX_INVOICE_NO);
    await openInvoice.getByRole('textbox').fill(TOTAL.slice(1));
    await finance.getByRole('button', { name: /^核\s?销$/ }).click();
    await poll(() => finance.getByTestId('receipt-unapplied').innerText()).toBe('¥0.00');
    await screenshot(finance, 'o2c-5-receipt');

    // ---- 6. The order's chain is complete ------------------------------------------------------------------
    await finance.goto(orderUrl);
    for (const name of ['shipped', 'invoiced', 'paid']) {
      const indicator = finance.getByTestId(`indicator-${name}`);
      await poll(() => indicator.getAttribute('data-state')).toBe('fully');
      await poll(() => indicator.textContent()).toContain(`全部${TOTAL} / ${TOTAL}`);
    }
    await poll(() => finance.getByTestId('order-status').first().textContent()).toBe('已发货');
    const chain = finance.getByTestId('order-chain');
    const rowOf = (text: string) => chain.getByRole('row', { name: new RegExp(text) });
    await poll(() => rowOf(shipmentNumber).textContent()).toContain('SF1126202603');
    expect(await rowOf(shipmentNumber).textContent()).toContain(String(LINES.reduce((s, l) => s + l.qty, 0)));
    const invoiceRows = rowOf(invoiceNumber);
    // The invoice's own row, and the receipt's row that names the invoice it pays.
    await poll(() => invoiceRows.count()).toBe(2);
    expect(await invoiceRows.first().textContent()).toContain(TAX_INVOICE_NO);
    expect(await invoiceRows.first().textContent()).toContain(`${TOTAL}${TOTAL}`);
    expect(await rowOf(receiptNumber).textContent()).toContain(TOTAL);
    expect(await rowOf(receiptNumber).textContent()).toContain('银行转账');
    await screenshot(finance, 'o2c-6-chain');
    await finance.close();
  });
});
