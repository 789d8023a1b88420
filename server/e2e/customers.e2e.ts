import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Running, screenshot, startProduct, loginPage } from './harness.js';

// The customer list and the 360° page in the browser: pinyin-initials search within the rep's data
// scope, the 360° page, and an edit whose money is typed in yuan and kept exactly.
let product: Running;
beforeAll(async () => {
  product = await startProduct();
});
afterAll(async () => {
  await product?.stop();
});

const login = (name: string, username: string) => loginPage(product, name, username);

describe('customers in the browser', () => {
  it('finds a hospital by pinyin initials, opens its 360° page and edits its credit terms', async () => {
    const page = await login('customers-search', 'rep_bj');
    await page.getByRole('menuitem', { name: '客户' }).click();
    await page.getByRole('menuitem', { name: '客户列表' }).click();
    await page.waitForURL(/\/customers$/);
    await page.getByTestId('customers-filter-q').locator('input').fill('bjxh');
    await page.getByTestId('customers-filter-q').locator('input').press('Enter');
    await page.waitForURL(/q=bjxh/);
    // The list keeps showing the previous page while the search runs: wait for the filtered answer.
    await page.getByText('共 1 条').waitFor();
    const link = page.getByRole('link', { name: '北京协和医院', exact: true });
    await link.waitFor();
    await screenshot(page, 'customers-search-bjxh');

    await link.click();
    await page.waitForURL(/\/customers\/\d+$/);
    await expect.poll(() => page.getByTestId('customer-header').textContent()).toContain('郑浩');
    await page.getByTestId('customer-edit').click();
    await page.getByTestId('customer-form-credit-limit').fill('1,234.56');
    await page.getByTestId('customer-form-save').click();
    await page.getByText('已保存客户「北京协和医院」').waitFor();
    await expect.poll(() => page.getByTestId('customer-profile').textContent()).toContain('北京协和医院');
    await page.getByText('¥1,234.56').waitFor();
    await screenshot(page, 'customer-360');
    await page.close();
  });

  it('does not show a rep the customers of another region', async () => {
    const page = await login('customers-scope', 'rep');
    await page.goto(`${product.baseUrl}/customers?q=bjxh`);
    // The visible empty-state text (the empty image's hidden SVG <title> says 暂无数据 too).
    await page.getByTestId('customers-table').locator('.ant-empty-description').waitFor();
    expect(await page.getByRole('link', { name: '北京协和医院', exact: true }).count()).toBe(0);
    await page.close();
  });
});
