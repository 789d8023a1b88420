import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { Page } from 'playwright-core';
import { type Running, screenshot, startProduct } from './harness.js';

// Issue 2's browser flow: the administrator creates a user; the user logs in, must change the
// initial password, and lands in the Chinese UI. Then the language switch is remembered.
let product: Running;
beforeAll(async () => {
  product = await startProduct();
});
afterAll(async () => {
  await product?.stop();
});

/** A new page that leaves a screenshot behind if the test fails. */
async function newPage(name: string): Promise<Page> {
  const page = await product.browser.newPage();
  onTestFailed(async () => {
    if (!page.isClosed()) await screenshot(page, `failed-${name}`);
  });
  return page;
}

async function login(page: Page, username: string, password: string) {
  await page.goto(`${product.baseUrl}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

async function logout(page: Page) {
  await page.getByTestId('user-menu').click();
  await page.getByTestId('logout').click();
  await page.waitForURL(/\/login/);
}

describe('platform in the browser', () => {
  it('refuses a wrong password with a clear Chinese message', async () => {
    const page = await newPage('wrong-password');
    await login(page, 'admin', 'wrong-password');
    await expect.poll(() => page.getByTestId('login-error').textContent()).toContain('用户名或密码错误');
    await page.close();
  });

  it('lets the administrator create a user who then logs in, changes the password and sees the Chinese UI', async () => {
    const page = await newPage('create-user');
    await login(page, 'admin', 'rxdesk2026');
    await page.getByText('欢迎，王敏').waitFor();

    await page.goto(`${product.baseUrl}/admin/users`);
    await page.getByTestId('users-create').click();
    await page.getByTestId('user-form-username').fill('e2e_rep');
    await page.getByTestId('user-form-displayName').fill('测试业务员');
    await page.getByTestId('user-form-password').fill('Start2026x');
    await page.getByTestId('user-form-department').click();
    await page.locator('.ant-select-tree').getByTitle('上海一组', { exact: true }).click();
    await page.getByTestId('user-form-roles').click();
    await page.locator('.ant-select-item-option[title="业务员"]').click();
    await page.keyboard.press('Escape');
    await page.getByTestId('user-form-submit').click();
    await page.getByTestId('user-form-submit').waitFor({ state: 'hidden' }); // the drawer closes once the user is saved
    const keyword = page.locator('input[data-testid="users-filter-q"], [data-testid="users-filter-q"] input').first();
    await keyword.fill('e2e_rep');
    await keyword.press('Enter');
    await page.getByRole('cell', { name: 'e2e_rep', exact: true }).waitFor();
    expect(page.url()).toContain('q=e2e_rep');
    await screenshot(page, 'users-after-create');
    await logout(page);

    await login(page, 'e2e_rep', 'Start2026x');
    await page.getByTestId('forced-password-change').waitFor();
    await page.getByTestId('change-password-current').fill('Start2026x');
    await page.getByTestId('change-password-new').fill('Mine2026xy');
    await page.getByTestId('change-password-confirm').fill('Mine2026xy');
    await page.getByTestId('change-password-submit').click();
    await page.getByText('欢迎，测试业务员').waitFor();
    expect(await page.locator('html').getAttribute('lang')).toMatch(/zh/);
    expect(await page.locator('body').innerText()).toContain('业务员');
    await screenshot(page, 'new-user-home');

    // The new password is the one that works now.
    await logout(page);
    await login(page, 'e2e_rep', 'Start2026x');
    await expect.poll(() => page.getByTestId('login-error').textContent()).toContain('用户名或密码错误');
    await login(page, 'e2e_rep', 'Mine2026xy');
    await page.getByText('欢迎，测试业务员').waitFor();
    await page.close();
  });

  it('remembers the English switch for the user across logins', async () => {
    const page = await newPage('language');
    await login(page, 'office', 'rxdesk2026');
    await page.getByText('欢迎，李娜').waitFor();
    await page.getByTestId('lang-switch').click();
    await page.getByTestId('lang-en-US').click();
    await page.getByText('Welcome, 李娜').waitFor();
    await logout(page);
    const fresh = await product.browser.newContext();
    const again = await fresh.newPage();
    await again.goto(`${product.baseUrl}/login`);
    await again.getByTestId('login-username').fill('office');
    await again.getByTestId('login-password').fill('rxdesk2026');
    await again.getByTestId('login-submit').click();
    await again.getByText('Welcome, 李娜').waitFor();
    await fresh.close();
    await page.close();
  });
});
