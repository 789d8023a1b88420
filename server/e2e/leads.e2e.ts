import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Running, screenshot, startProduct, loginPage } from './harness.js';

// 潜在客户 in the browser: the office captures a lead for a Shanghai district without naming an owner,
// the territory rule gives it to the rep covering the district, the rep finds it under 我的线索,
// grades it A and turns it into an account opening whose draft opens prefilled.
let product: Running;
beforeAll(async () => {
  product = await startProduct();
});
afterAll(async () => {
  await product?.stop();
});

const login = (name: string, username: string) => loginPage(product, name, username);

/** Opens a node of the territory tree (counties load when their city opens). */
async function expandTerritory(page: Page, name: string) {
  const node = page.locator('.ant-select-tree-treenode').filter({ has: page.getByTitle(name, { exact: true }) });
  await node.locator('.ant-select-tree-switcher').click();
}

describe('leads in the browser', () => {
  it('routes an office-captured Shanghai lead to the rep, who grades it and converts it', async () => {
    const organisation = '上海黄浦浏览器测试医院';
    const office = await login('leads-office', 'office');
    await office.getByRole('menuitem', { name: '销售管理' }).click();
    await office.getByRole('menuitem', { name: '潜在客户' }).click();
    await office.waitForURL(/\/leads$/);
    await office.getByTestId('leads-new').click();
    await office.getByTestId('lead-form-organisation').fill(organisation);
    await office.getByTestId('lead-form-contact').fill('吴主任');
    await office.getByTestId('lead-form-phone').fill('139 0000 8888');
    await office.getByTestId('lead-form-territory').click();
    await expandTerritory(office, '上海市');
    if (await office.getByTitle('市辖区', { exact: true }).count()) await expandTerritory(office, '市辖区');
    await office.locator('.ant-select-tree').getByTitle('黄浦区', { exact: true }).click();
    await office.getByTestId('lead-form-type').click();
    await office.locator('.ant-select-item-option', { hasText: '医院' }).first().click();
    await screenshot(office, 'lead-form');
    await office.getByTestId('lead-form-save').click();
    await office.waitForURL(/\/leads\/\d+$/);
    // Nobody was named: the territory rule gave it to 张伟 (rep covers 黄浦区).
    await expect.poll(() => office.getByTestId('lead-profile').textContent()).toContain('张伟');
    await office.close();

    const rep = await login('leads-rep', 'rep');
    await rep.goto(`${product.baseUrl}/leads`);
    await rep.getByTestId('leads-view-mine').waitFor();
    await rep.getByRole('link', { name: organisation, exact: true }).waitFor();
    await screenshot(rep, 'leads-mine');
    await rep.getByRole('link', { name: organisation, exact: true }).click();
    await rep.waitForURL(/\/leads\/\d+$/);
    await rep.getByTestId('lead-grade-A').click();
    await expect.poll(() => rep.getByTestId('lead-grade-history').textContent()).toContain('A 意向');
    await expect.poll(() => rep.getByTestId('lead-events').textContent()).toContain('分级变更');
    await screenshot(rep, 'lead-page');
    await rep.getByTestId('lead-convert').click();
    await rep.waitForURL(/\/customer-applications\/\d+\/edit$/);
    await expect.poll(() => rep.getByTestId('application-name').inputValue()).toBe(organisation);
    await screenshot(rep, 'lead-converted-application');
    await rep.close();
  });
});
