import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Running, loginPage, screenshot, startProduct } from './harness.js';

// 库存 in the browser: the warehouse receives a production batch by the form, finds it on the stock
// page with its batch and expiry, and the receipt movement in the ledger (库存流水).
let product: Running;
beforeAll(async () => {
  product = await startProduct();
});
afterAll(async () => {
  await product?.stop();
});

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe('stock in the browser', () => {
  it('lets the warehouse receive a batch by the form and see it on 库存 and in 库存流水', async () => {
    const page = await loginPage(product, 'stock-receive', 'logistics');
    await page.goto(`${product.baseUrl}/stock/receive`);
    await page.getByTestId('receipt-note').fill('生产入库 SC-2026-001');
    await page.getByTestId('receipt-warehouse-0').click();
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: '合格品总仓' }).click();
    await page.getByTestId('receipt-product-0').click();
    await page.keyboard.type('HK1001');
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: '阿莫西林胶囊' }).first().click();
    await page.getByTestId('receipt-batch-0').fill('E2E20261101');
    await page.getByTestId('receipt-manufactured-0').fill(inDays(-20));
    await page.getByTestId('receipt-expires-0').fill(inDays(700));
    await page.getByTestId('receipt-quantity-0').fill('120');
    await screenshot(page, 'stock-receipt-form');
    await page.getByTestId('receipt-submit').click();
    const done = page.getByTestId('receipt-done');
    await done.waitFor();
    const number = /RK-\d{6}-\d{4}/.exec((await done.textContent()) ?? '')?.[0];
    expect(number).toBeTruthy();

    await page.goto(`${product.baseUrl}/stock?q=HK1001`);
    const row = page.getByTestId('stock-row-HK1001');
    await row.waitFor();
    await page.locator('tr.ant-table-row', { has: row }).locator('.ant-table-row-expand-icon').click();
    await page.getByTestId('stock-batch-E2E20261101').waitFor();
    await expect.poll(() => page.locator('tr.ant-table-row', { has: page.getByTestId('stock-batch-E2E20261101') }).textContent()).toContain(inDays(700));
    await screenshot(page, 'stock-page-batch');

    await page.goto(`${product.baseUrl}/stock/movements`);
    await page.getByTestId('movements-docNumber').fill(number!);
    await page.getByTestId('movements-docNumber').press('Enter');
    await page.waitForURL(/docNumber=/);
    await page.getByText('共 1 条').waitFor();
    const ledgerRow = page.locator('tr.ant-table-row', { hasText: 'E2E20261101' });
    await expect.poll(() => ledgerRow.textContent()).toContain('+120');
    expect(await ledgerRow.textContent()).toContain('入库');
    await screenshot(page, 'stock-movements');
    await page.close();
  });
});
