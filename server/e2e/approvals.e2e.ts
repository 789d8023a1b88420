import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { Page } from 'playwright-core';
import { type Running, screenshot, startProduct } from './harness.js';

// Issue 3's browser flow: a team lead requests an account for a new rep; since the team lead heads
// 上海一组 the first step walks up to 华东大区's head (赵磊, east_manager); the administrator approves
// the second step and is shown the initial password once; the requester reads both approvals on the
// request's timeline. Every wait is on something that stays on screen, never on a toast.
let product: Running;
beforeAll(async () => {
  product = await startProduct();
});
afterAll(async () => {
  await product?.stop();
});

/** A new page (in its own browser context, so its own session) that leaves a screenshot behind on failure. */
async function newPage(name: string): Promise<Page> {
  const page = await product.browser.newPage({ viewport: { width: 1440, height: 900 } });
  onTestFailed(async () => {
    if (!page.isClosed()) await screenshot(page, `failed-${name}`);
  });
  return page;
}

async function login(page: Page, username: string, password = 'rxdesk2026') {
  await page.goto(`${product.baseUrl}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

async function loggedIn(name: string, username: string): Promise<Page> {
  const page = await newPage(name);
  await login(page, username);
  await page.getByTestId('user-menu').waitFor();
  return page;
}

/** Approves, from 待办审批, the task of the given request; returns the page with the decision made. */
async function approveFromTodo(page: Page, number: string, comment: string) {
  await page.goto(`${product.baseUrl}/approvals/pending`);
  const row = page.getByTestId('approval-tasks-pending').locator('tbody tr').filter({ hasText: number });
  await row.waitFor();
  await row.locator('[data-testid^="task-approve-"]').click();
  await page.getByTestId('decision-comment').fill(comment);
  await page.getByTestId('decision-submit').click();
}

describe('account request approval in the browser', () => {
  let number = '';
  let initialPassword = '';

  it('lets a team lead draft an account request for a new rep and submit it for approval', async () => {
    const page = await loggedIn('request', 'team_lead');
    await page.goto(`${product.baseUrl}/account-requests`);
    await page.getByTestId('account-requests-create').click();
    await page.getByTestId('account-request-form-username').fill('e2e_newrep');
    await page.getByTestId('account-request-form-displayName').fill('陈晓');
    await page.getByTestId('account-request-form-department').click();
    await page.locator('.ant-select-tree').getByTitle('上海一组', { exact: true }).click();
    await page.getByTestId('account-request-form-roles').click();
    await page.locator('.ant-select-item-option[title="业务员"]').click();
    await page.keyboard.press('Escape');
    await page.getByTestId('account-request-form-reason').fill('新入职业务员，负责浦东医院');
    await page.getByTestId('account-request-form-submit').click();

    // Saving opens the draft's own page.
    await page.getByTestId('account-request-submit').waitFor();
    await expect.poll(() => page.getByTestId('account-request-status').textContent()).toBe('草稿');
    number = /AR-\d{6}-\d{4}/.exec((await page.locator('h1').textContent()) ?? '')?.[0] ?? '';
    expect(number).not.toBe('');

    // The offer letter goes with the request as an attachment.
    await page.getByTestId('attachments').locator('input[type=file]').setInputFiles({
      name: '录用通知.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n% offer letter\n%%EOF\n'),
    });
    await page.getByTestId('attachments').getByText('录用通知.pdf').waitFor();

    // And a reminder to follow it up tomorrow.
    await page.getByTestId('remind-me').click();
    await page.getByTestId('remind-me-text').fill('跟进入职手续');
    await page.getByTestId('remind-me-save').click();
    await page.getByTestId('remind-me-text').waitFor({ state: 'hidden' });

    await page.getByTestId('account-request-submit').click();
    await expect.poll(() => page.getByTestId('account-request-status').textContent()).toBe('审批中');
    // Team lead 孙伟 heads 上海一组 himself, so the first step goes to the head of 华东大区.
    await expect.poll(() => page.getByTestId('approval-progress').innerText()).toContain('赵磊');
    await page.close();
  });

  it('shows the request in the regional manager’s to-do list, who approves it', async () => {
    const page = await loggedIn('first-approval', 'east_manager');
    await expect.poll(() => page.getByTestId('header-approvals').innerText()).toContain('1');
    // The inbox says what waits, too.
    await page.goto(`${product.baseUrl}/notifications`);
    await page.getByText(`待审批：账号申请 ${number}`).first().waitFor();
    await approveFromTodo(page, number, '同意开通');
    // The decided task leaves 待办 and appears in 已办.
    await page.getByTestId('approval-tasks-pending').locator('tbody tr').filter({ hasText: number }).waitFor({ state: 'detached' });
    await page.goto(`${product.baseUrl}/approvals/done`);
    await page.getByTestId('approval-tasks-done').locator('tbody tr').filter({ hasText: number }).filter({ hasText: '已同意' }).waitFor();
    await page.close();
  });

  it('shows the administrator the initial password once, after the final approval', async () => {
    const page = await loggedIn('final-approval', 'admin');
    await approveFromTodo(page, number, '已核对');
    await page.getByTestId('initial-password').waitFor();
    expect(await page.getByTestId('initial-username').textContent()).toBe('e2e_newrep');
    initialPassword = ((await page.getByTestId('initial-password').textContent()) ?? '').trim();
    expect(initialPassword).toMatch(/^[A-Za-z0-9]{10}$/);
    await screenshot(page, 'approvals-initial-password');
    await page.getByTestId('initial-password-close').click();
    await page.getByTestId('initial-password').waitFor({ state: 'hidden' });
    await page.close();
  });

  it('lets the requester read both approvals and the state changes on the request’s timeline, and comment', async () => {
    const page = await loggedIn('timeline', 'team_lead');
    await page.goto(`${product.baseUrl}/notifications`);
    await page.getByText(`已审批通过：账号申请 ${number}`).first().waitFor();
    await page.goto(`${product.baseUrl}/account-requests?q=${number}`);
    await page.getByRole('link', { name: number }).click();
    await expect.poll(() => page.getByTestId('account-request-status').textContent()).toBe('已开通');
    const events = page.getByTestId('document-timeline');
    await expect.poll(() => events.innerText()).toContain('赵磊 同意');
    const text = await events.innerText();
    expect(text).toContain('同意开通');
    expect(text).toContain('王敏 同意');
    expect(text).toContain('已核对');
    expect(text).toMatch(/审批中\s*→\s*已开通/);

    await page.getByTestId('comment-text').fill('已通知本人');
    await page.getByTestId('comment-submit').click();
    await expect.poll(() => events.innerText()).toContain('孙伟 评论：已通知本人');
    await screenshot(page, 'approvals-timeline');
    await page.close();
  });

  it('opens the new account with the initial password, which must be changed first', async () => {
    const page = await newPage('new-account');
    await login(page, 'e2e_newrep', initialPassword);
    await page.getByTestId('forced-password-change').waitFor();
    await page.close();
  });
});
