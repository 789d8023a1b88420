import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Running, screenshot, startProduct, loginPage } from './harness.js';

// The drug catalogue and the price lookup in the browser: pinyin-initials search, a product's
// documents with their expiry tags, and which price a hospital pays and why.
let product: Running;
beforeAll(async () => {
  product = await startProduct();
});
afterAll(async () => {
  await product?.stop();
});

const login = (name: string, username: string) => loginPage(product, name, username);

describe('drugs and prices in the browser', () => {
  it('finds a drug by pinyin initials and shows its documents with expiry tags', async () => {
    const page = await login('products-search', 'office');
    await page.getByRole('menuitem', { name: '药品与价格' }).click();
    await page.getByRole('menuitem', { name: '药品目录' }).click();
    await page.waitForURL(/\/products$/);
    await page.getByTestId('products-filter-q').locator('input').fill('amxl');
    await page.getByTestId('products-filter-q').locator('input').press('Enter');
    await page.waitForURL(/q=amxl/);
    const link = page.getByRole('link', { name: /阿莫西林胶囊/ });
    await page.getByText('共 1 条').waitFor();
    await link.first().waitFor();
    await screenshot(page, 'products-search-amxl');
    await link.first().click();
    await page.waitForURL(/\/products\/\d+$/);
    await page.getByText('产品资质').waitFor();
    await page.getByText('药品注册证').first().waitFor();
    await screenshot(page, 'product-detail');
    await page.goto(`${product.baseUrl}/products?q=HK1002`);
    await page.getByTestId('expiry-expired').first().waitFor();
    await page.getByTestId('products-lines').click();
    await page.getByTestId('product-line-name').fill('肿瘤');
    await page.getByTestId('product-line-add').click();
    await page.getByText('已新增产品线“肿瘤”').waitFor();
    await screenshot(page, 'product-lines');
    await page.close();
  });

  it('tells which price a Beijing hospital pays for a drug and by which rule', async () => {
    const page = await login('price-query', 'office');
    await page.goto(`${product.baseUrl}/prices?kind=tender&q=amxl`);
    await page.getByText('广东省药品交易中心2025年度集中采购').first().waitFor();
    await screenshot(page, 'prices-tender');
    await page.getByTestId('prices-create').click();
    await page.getByTestId('price-form-kind').click();
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: '中标价' }).click();
    await page.getByTestId('price-form-amount').fill('12.345');
    await page.getByTestId('price-form-submit').click();
    await page.getByText('请输入大于 0 的金额，最多两位小数').waitFor();
    await screenshot(page, 'price-form');
    await page.goto(`${product.baseUrl}/price-query`);
    await page.getByText('取价优先级').waitFor();
    // The demo customers come with the customers module's demo data; without them there is nobody to price for.
    const hospitals = await page.evaluate(async () => {
      const res = await fetch('/api/customers/options?q=bjxh');
      return res.ok ? ((await res.json()) as { items?: unknown[] }).items?.length ?? 0 : 0;
    });
    if (hospitals === 0) return;
    await page.getByTestId('price-query-customer').click();
    await page.keyboard.type('bjxh');
    await page.getByRole('option', { name: /北京协和医院/ }).first().click();
    await page.getByTestId('price-query-product').click();
    await page.keyboard.type('HK1001');
    await page.getByRole('option', { name: /阿莫西林胶囊/ }).first().click();
    await page.getByTestId('price-query-on').locator('input').fill('2026-06-01');
    await page.getByTestId('price-query-on').locator('input').press('Enter');
    await page.getByTestId('price-query-rule').waitFor();
    await expect.poll(() => page.getByTestId('price-query-rule').textContent()).toContain('本省中标价');
    expect(await page.getByTestId('price-query-amount').textContent()).toBe('¥11.31');
    await screenshot(page, 'price-query');
    await page.close();
  });
});
