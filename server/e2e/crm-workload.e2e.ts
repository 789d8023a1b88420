import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Running, screenshot, startProduct, loginPage } from './harness.js';

// The managers' view in the browser (issue 5): a team lead opens the workload of their team on the
// demo company's CRM data, switches the period and the grouping, exports, and drills down from a
// rep's visits to the activity list with the owner, period, type and status in the URL.
let product: Running;
beforeAll(async () => {
  product = await startProduct();
});
afterAll(async () => {
  await product?.stop();
});

const login = (name: string, username: string) => loginPage(product, name, username, { acceptDownloads: true });

describe('the workload report in the browser', () => {
  it('shows a team lead their team, by rep and by team, exports it and drills down to a rep’s visits', async () => {
    const page = await login('crm-workload', 'team_lead');
    await page.goto(`${product.baseUrl}/crm/workload?preset=lastMonth`);
    const table = page.getByTestId('workload-table');
    await table.getByText('张伟').waitFor();
    const names = await table.locator('tbody tr.ant-table-row td:nth-child(2)').allTextContents();
    expect(names.sort()).toEqual(['周杰', '孙伟', '张伟'].sort());
    await screenshot(page, 'crm-workload-reps');

    await page.getByTestId('workload-group-by').getByText('按团队').click();
    await page.waitForURL(/groupBy=team/);
    await table.getByText('上海一组').first().waitFor();
    await page.getByTestId('workload-group-by').getByText('按人员').click();
    await page.waitForURL((url) => !url.search.includes('groupBy'));

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('workload-export').click()]);
    expect(download.suggestedFilename()).toMatch(/^工作量-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.xlsx$/);

    const visits = table.locator('a[data-testid^="workload-visits-"]').first();
    await visits.waitFor();
    await visits.click();
    await page.waitForURL(/\/activities\?ownerId=\d+&from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}&type=visit&status=done/);
    await page.close();
  });

  it('refuses the page to a rep', async () => {
    const page = await login('crm-workload-rep', 'rep');
    await page.goto(`${product.baseUrl}/crm/workload`);
    await page.locator('.ant-result-403').waitFor();
    expect(await page.getByTestId('workload-table').count()).toBe(0);
    await page.close();
  });
});
