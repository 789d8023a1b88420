import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginPage, type Running, screenshot, startProduct } from './harness.js';

// 日清月结 in the browser: finance opens the daily clearing report for a busy day of the demo company,
// follows a customer link, then closes the demo's months in order up to last month on 月结.
let product: Running;
beforeAll(async () => {
  product = await startProduct();
});
afterAll(async () => {
  await product?.stop();
});

/** Today and last month in Shanghai time. */
function shanghai(now = new Date()) {
  const today = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  const [y, m] = today.split('-').map(Number);
  const last = new Date(Date.UTC(y!, m! - 2, 1)).toISOString().slice(0, 7);
  return { today, lastMonth: last };
}

describe('daily clearing and monthly closing in the browser', () => {
  it('lets finance read the daily clearing of a busy demo day and close the months up to last month', async () => {
    const page = await loginPage(product, 'closing-finance', 'finance', { viewport: { width: 1600, height: 1000 } });
    await page.goto(`${product.baseUrl}/daily-clearing`);
    await page.getByTestId('clearing-report').waitFor();
    // The busiest of the last ten days (by orders entered), asked through the same session.
    const day = await page.evaluate(async (today) => {
      let best = { date: today, n: -1 };
      for (let k = 1; k <= 10; k++) {
        const date = new Date(Date.parse(`${today}T00:00:00Z`) - k * 86_400_000).toISOString().slice(0, 10);
        const r = (await (await fetch(`/api/daily-clearing?date=${date}`)).json()) as { orders: { enteredCount: number } };
        if (r.orders.enteredCount > best.n) best = { date, n: r.orders.enteredCount };
      }
      return best;
    }, shanghai().today);
    expect(day.n).toBeGreaterThan(0);
    await page.goto(`${product.baseUrl}/daily-clearing?date=${day.date}`);
    await expect.poll(() => page.getByTestId('clearing-orders-entered').textContent()).toContain(String(day.n));
    await page.getByText('日末未结').waitFor();
    await page.getByText('按业务员').waitFor();
    const customer = page.locator('[data-testid^="clearing-customer-"]').first();
    await customer.waitFor();
    await screenshot(page, 'daily-clearing');
    await customer.click();
    await page.waitForURL(/\/customers\/\d+/);

    await page.goto(`${product.baseUrl}/closing`);
    await page.getByTestId('periods-table').waitFor();
    const { lastMonth } = shanghai();
    // Months close in order: close the oldest open one until last month is closed.
    for (let guard = 0; guard < 6; guard++) {
      const status = page.getByTestId(`period-status-${lastMonth}`);
      await status.waitFor();
      if ((await status.textContent()) === '已月结') break;
      const closeButton = page.locator('[data-testid^="close-20"]').first();
      const period = (await closeButton.getAttribute('data-testid'))!.slice('close-'.length);
      await closeButton.click();
      await page.getByText(`月结 ${period}`, { exact: true }).waitFor();
      await page.getByTestId('close-confirm').click();
      await page.getByText(`${period} 已月结`).waitFor();
      await expect.poll(() => page.getByTestId(`period-status-${period}`).textContent()).toBe('已月结');
    }
    expect(await page.getByTestId(`period-status-${lastMonth}`).textContent()).toBe('已月结');
    await page.getByTestId(`reopen-${lastMonth}`).waitFor();
    await screenshot(page, 'closing');
    await page.close();
  });
});
