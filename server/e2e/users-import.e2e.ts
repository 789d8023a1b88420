import iconv from 'iconv-lite';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { type Running, screenshot, startProduct } from './harness.js';

// The users import in the browser: template, a GBK csv with one bad row, the row errors, a
// valid-only commit, and the generated password shown once.
let product: Running;
beforeAll(async () => {
  product = await startProduct();
});
afterAll(async () => {
  await product?.stop();
});

async function newPage(name: string): Promise<Page> {
  const page = await product.browser.newPage();
  onTestFailed(async () => {
    if (!page.isClosed()) await screenshot(page, `failed-${name}`);
  });
  return page;
}

describe('importing users in the browser', () => {
  it('shows the row errors of an upload and imports the valid rows with a generated password', async () => {
    const page = await newPage('users-import');
    await page.goto(`${product.baseUrl}/login`);
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill('rxdesk2026');
    await page.getByTestId('login-submit').click();
    await page.getByText('欢迎，王敏').waitFor();

    await page.goto(`${product.baseUrl}/admin/users`);
    await page.getByTestId('users-import').click();
    await page.waitForURL(/\/admin\/users\/import/);

    const download = page.waitForEvent('download');
    await page.getByTestId('import-template').click();
    expect((await download).suggestedFilename()).toBe('用户导入模板.xlsx');

    const csv = [
      '用户名,姓名,手机,邮箱,部门,角色,负责区域,初始密码',
      'e2e.good,导入测试,13900000000,,上海一组,业务员,黄浦区,',
      'e2e.bad,坏行,,,火星部,业务员,,',
    ].join('\r\n');
    await page.locator('input[type=file]').setInputFiles({ name: 'users.csv', mimeType: 'text/csv', buffer: iconv.encode(csv, 'gbk') });
    await expect.poll(() => page.getByTestId('import-errors').textContent()).toContain('找不到部门“火星部”');

    await page.getByText('只导入有效的 1 行').click();
    await page.getByTestId('import-commit').click();
    await page.getByText('已导入 1 条').waitFor();
    const secret = await page.getByTestId('import-hand-over').locator('code').first().textContent();
    expect(secret).toMatch(/^(?=.*[A-Za-z])(?=.*\d).{12}$/);
    await screenshot(page, 'users-import-done');

    await page.goto(`${product.baseUrl}/admin/users?q=e2e.good`);
    await page.getByText('导入测试').waitFor();
    await page.close();
  });
});
