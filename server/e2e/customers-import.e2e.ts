import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { type Running, screenshot, startProduct } from './harness.js';

// The customer import in the browser: the sales office opens it from the customer list, uploads its
// spreadsheet (a csv here) with one bad row, reads the row error, imports the valid rows and finds
// the new customer in the list by pinyin initials.
let product: Running;
beforeAll(async () => {
  product = await startProduct();
});
afterAll(async () => {
  await product?.stop();
});

async function newPage(name: string): Promise<Page> {
  const page = await product.browser.newPage({ viewport: { width: 1440, height: 900 } });
  onTestFailed(async () => {
    if (!page.isClosed()) await screenshot(page, `failed-${name}`);
  });
  return page;
}

describe('importing customers in the browser', () => {
  it('imports the valid rows of the office’s spreadsheet and shows the bad row with its reason', async () => {
    const page = await newPage('customers-import');
    await page.goto(`${product.baseUrl}/login`);
    await page.getByTestId('login-username').fill('office');
    await page.getByTestId('login-password').fill('rxdesk2026');
    await page.getByTestId('login-submit').click();
    await page.getByText('欢迎，').waitFor();

    await page.goto(`${product.baseUrl}/customers`);
    await page.getByTestId('customers-import').click();
    await page.waitForURL(/\/customers\/import/);
    await page.getByText('导入客户').first().waitFor();

    const download = page.waitForEvent('download');
    await page.getByTestId('import-template').click();
    expect((await download).suggestedFilename()).toBe('客户导入模板.xlsx');

    const csv = [
      '客户名称,类型,省,市,区县,负责业务员,信用额度（元）,账期（天）',
      '苏州浏览器测试医药有限公司,经销商,江苏省,苏州市,姑苏区,,"1,000,000.50",60',
      '火星浏览器测试诊所,诊所,火星省,,,,,',
    ].join('\r\n');
    await page.locator('input[type=file]').setInputFiles({ name: 'customers.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await expect.poll(() => page.getByTestId('import-errors').textContent()).toContain('找不到区域“火星省”');

    await page.getByText('只导入有效的 1 行').click();
    await page.getByTestId('import-commit').click();
    await page.getByText('已导入 1 条').waitFor();
    await screenshot(page, 'customers-import-done');

    await page.goto(`${product.baseUrl}/customers?q=szllq`);
    await page.getByRole('link', { name: '苏州浏览器测试医药有限公司', exact: true }).waitFor();
    await page.close();
  });

  it('offers the import only to the sales office', async () => {
    const page = await newPage('customers-import-rep');
    await page.goto(`${product.baseUrl}/login`);
    await page.getByTestId('login-username').fill('rep');
    await page.getByTestId('login-password').fill('rxdesk2026');
    await page.getByTestId('login-submit').click();
    await page.getByText('欢迎，').waitFor();
    await page.goto(`${product.baseUrl}/customers`);
    await page.getByTestId('customers-table').waitFor();
    expect(await page.getByTestId('customers-import').count()).toBe(0);
    await page.close();
  });
});
