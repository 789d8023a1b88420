import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Running, screenshot, startProduct, loginPage } from './harness.js';

// 销售机会 in the browser: a rep opens an opportunity from a customer's 360° page, drags it on the board
// to 商务谈判, then loses it through the card's 移到… menu with a reason; the team lead finds it in 战败分析.
let product: Running;
beforeAll(async () => {
  product = await startProduct();
});
afterAll(async () => {
  await product?.stop();
});

const login = (name: string, username: string) => loginPage(product, name, username, { viewport: { width: 1600, height: 1000 } });

describe('opportunities in the browser', () => {
  const name = `E2E 年度采购 ${Date.now() % 100000}`;

  it('lets a rep open an opportunity, drag it to 商务谈判 and lose it with a reason', async () => {
    const page = await login('opportunities-rep', 'rep');
    await page.goto(`${product.baseUrl}/customers`);
    const first = page.getByTestId('customers-table').locator('tbody tr a').first();
    await first.waitFor();
    await first.click();
    await page.waitForURL(/\/customers\/\d+/);
    await page.getByRole('tab', { name: '销售机会' }).click();
    await page.getByTestId('customer-opportunities-new').click();
    await page.getByTestId('opportunity-form-name').fill(name);
    await page.getByTestId('opportunity-form-add-product').click();
    await page.getByTestId('opportunity-form-product-0').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').first().click();
    await page.getByTestId('opportunity-form-line-amount-0').fill('1,234.56');
    await page.getByText('留空则为产品金额合计 ¥1,234.56').waitFor();
    await page.getByTestId('opportunity-form-save').click();
    await page.getByText(`已保存“${name}”`).waitFor();
    await page.getByRole('link', { name }).waitFor();

    await page.goto(`${product.baseUrl}/opportunities?view=board&q=${encodeURIComponent(name)}`);
    const card = page.locator('[data-testid^="board-card-"]', { hasText: name }).first();
    await card.waitFor();
    await expect.poll(() => page.getByTestId('board-column-contact').textContent()).toContain(name);
    expect(await card.textContent()).toContain('¥1,234.56');

    // Drag the card onto the 商务谈判 column (dnd-kit's pointer sensor).
    const from = (await card.boundingBox())!;
    const to = (await page.getByTestId('board-column-negotiation').boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + 12);
    await page.mouse.down();
    await page.mouse.move(from.x + from.width / 2 + 20, from.y + 30, { steps: 5 });
    await page.mouse.move(to.x + to.width / 2, to.y + 120, { steps: 20 });
    await page.mouse.up();
    await page.getByText(`“${name}”已移到商务谈判`).waitFor();
    await expect.poll(() => page.getByTestId('board-column-negotiation').textContent()).toContain(name);
    await screenshot(page, 'opportunities-board');

    // Lose it through the card's 移到… menu: the reason is asked first.
    const moved = page.locator('[data-testid^="board-card-"]', { hasText: name }).first();
    await moved.getByRole('button', { name: '移到…' }).click();
    await page.getByRole('menuitem', { name: '输单' }).click();
    await page.getByTestId('lost-confirm').click();
    await page.getByText('请选择战败原因').waitFor();
    await page.getByTestId('lost-reason').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '价格' }).click();
    await page.getByTestId('lost-note').fill('对手报价低 8%');
    await page.getByTestId('lost-confirm').click();
    await page.getByText(`“${name}”已移到输单`).waitFor();
    await expect.poll(() => page.getByTestId('opportunity-board').textContent()).not.toContain(name);

    // The detail page shows the loss and every stage change.
    await page.goto(`${product.baseUrl}/opportunities?q=${encodeURIComponent(name)}&status=lost`);
    await page.getByRole('link', { name }).click();
    await page.waitForURL(/\/opportunities\/\d+$/);
    await expect.poll(() => page.getByTestId('opportunity-history').textContent()).toContain('商务谈判 → 输单');
    expect(await page.getByTestId('opportunity-history').textContent()).toContain('初步接洽 → 商务谈判');
    await page.getByText('对手报价低 8%').waitFor();
    await screenshot(page, 'opportunity-detail');
    await page.close();
  });

  it('shows the team lead the lost deal in 战败分析 for this month', async () => {
    const page = await login('opportunities-lead', 'team_lead');
    await page.goto(`${product.baseUrl}/crm/lost-deals`);
    await expect.poll(() => page.getByTestId('lost-rows').textContent()).toContain(name);
    const row = page.getByTestId('lost-rows').locator('tr', { hasText: name });
    expect(await row.textContent()).toContain('商务谈判');
    expect(await row.textContent()).toContain('价格');
    expect(await page.getByTestId('lost-groups').textContent()).toContain('价格');
    await screenshot(page, 'opportunities-lost-deals');
    await page.close();
  });

  it('lets the office lead rename a pipeline stage in the settings table', async () => {
    const page = await login('opportunities-stages', 'office_lead');
    await page.goto(`${product.baseUrl}/crm/stages`);
    const name = page.getByTestId('stage-name-commit');
    await expect.poll(() => name.inputValue()).toBe('待签约');
    await name.fill('待签合同');
    await page.getByTestId('stage-save-commit').click();
    await page.getByText('阶段已保存').waitFor();
    await page.reload();
    await expect.poll(() => page.getByTestId('stage-name-commit').inputValue()).toBe('待签合同');
    await screenshot(page, 'opportunity-stages');
    await page.close();
  });
});
