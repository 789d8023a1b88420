import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Running, screenshot, startProduct, loginPage } from './harness.js';

// DOMAIN.md flow 1 (lead to customer) in the browser: a rep applies to open a new hospital with its
// licence, the department head and the sales office lead approve in 审批中心, and the rep then finds
// the new customer by its pinyin initials, with its document on file.
let product: Running;
beforeAll(async () => {
  product = await startProduct();
});
afterAll(async () => {
  await product?.stop();
});

const login = (name: string, username: string) => loginPage(product, name, username);

async function approveFromTodo(page: Page, number: string, comment: string) {
  await page.goto(`${product.baseUrl}/approvals/pending`);
  const row = page.getByTestId('approval-tasks-pending').locator('tbody tr').filter({ hasText: number });
  await row.waitFor();
  await row.locator('[data-testid^="task-approve-"]').click();
  await page.getByTestId('decision-comment').fill(comment);
  await page.getByTestId('decision-submit').click();
  await row.waitFor({ state: 'detached' });
}

describe('account opening in the browser', () => {
  it('opens a new hospital from a rep’s application approved by the department head and the office lead', async () => {
    const rep = await login('opening-rep', 'rep');
    await rep.getByRole('menuitem', { name: '客户' }).click();
    await rep.getByRole('menuitem', { name: '开户申请' }).click();
    await rep.waitForURL(/\/customer-applications$/);
    await rep.getByTestId('applications-create').click();
    await rep.waitForURL(/\/customer-applications\/new$/);

    await rep.getByTestId('application-name').fill('青海省康复医院');
    await rep.getByTestId('application-territory').click();
    await rep.locator('.ant-cascader-menu-item', { hasText: '青海省' }).click();
    await rep.locator('.ant-cascader-menu-item', { hasText: '西宁市' }).click();
    await rep.keyboard.press('Escape');
    await rep.getByTestId('application-add-document').click();
    await rep.getByTestId('application-document-kind-0').click();
    await rep.locator('.ant-select-item-option', { hasText: '医疗机构执业许可证' }).click();
    await rep.getByTestId('application-document-number-0').fill('PDY63010088888');
    await rep.getByTestId('application-document-expires-0').click();
    await rep.getByTestId('application-document-expires-0').fill('2031-12-31');
    await rep.keyboard.press('Enter');
    await rep.getByTestId('application-reason').fill('新开发的康复专科医院，药剂科已同意进药');
    await rep.getByTestId('application-credit-limit').fill('200,000.07');
    // No customer of that name exists: no duplicate warning blocks the form.
    expect(await rep.getByTestId('application-duplicates').count()).toBe(0);
    await screenshot(rep, 'opening-form');
    await rep.getByTestId('application-save').click();
    await rep.waitForURL(/\/customer-applications\/\d+$/);
    await expect.poll(() => rep.getByTestId('application-status').first().textContent()).toBe('草稿');
    const title = (await rep.locator('h1').first().textContent()) ?? '';
    const number = /KH-SQ-\d{6}-\d{4}/.exec(title)?.[0] ?? '';
    expect(number).not.toBe('');

    await rep.getByTestId('application-document-upload-0').locator('input[type=file]').setInputFiles({
      name: '医疗机构执业许可证.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4 licence scan'),
    });
    await rep.getByTestId('application-documents').getByText('1 个文件').waitFor();
    await rep.getByTestId('application-submit').click();
    await expect.poll(() => rep.getByTestId('application-status').first().textContent()).toBe('审批中');
    await screenshot(rep, 'opening-submitted');

    const lead = await login('opening-team-lead', 'team_lead');
    await approveFromTodo(lead, number, '同意开户');
    await lead.close();
    const officeLead = await login('opening-office-lead', 'office_lead');
    await approveFromTodo(officeLead, number, '资料齐全');
    await officeLead.close();

    await rep.goto(`${product.baseUrl}/customers`);
    await rep.getByTestId('customers-filter-q').locator('input').fill('qhskf');
    await rep.getByTestId('customers-filter-q').locator('input').press('Enter');
    await rep.waitForURL(/q=qhskf/);
    const link = rep.getByRole('link', { name: '青海省康复医院', exact: true });
    await link.waitFor();
    await screenshot(rep, 'opening-found-by-initials');
    await link.click();
    await rep.waitForURL(/\/customers\/\d+/);
    await expect.poll(() => rep.getByTestId('customer-header').textContent()).toContain('资质齐全');
    // The credit limit typed in yuan arrives to the fen.
    await rep.getByText('¥200,000.07').waitFor();
    await rep.getByRole('tab', { name: '资质文件' }).click();
    await rep.getByTestId('customer-qualifications').getByText('PDY63010088888').waitFor();
    await rep.getByTestId('customer-qualifications').getByText('1 个文件').waitFor();
    await screenshot(rep, 'opening-customer-documents');
    await rep.close();
  });
});
