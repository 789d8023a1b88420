import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Running, startProduct, loginPage } from './harness.js';

// Issue 5's flow: a rep logs a visit with a follow-up date; the team lead opens it and comments;
// the rep sees the notification and the comment on the activity. Then the rep's week calendar
// shows a visit planned on a day.
let product: Running;
beforeAll(async () => {
  product = await startProduct();
});
afterAll(async () => {
  await product?.stop();
});

const login = (name: string, username: string) => loginPage(product, name, username, { timezoneId: 'Asia/Shanghai', locale: 'zh-CN' });

/** 'YYYY-MM-DD' in Shanghai, n days from today. */
function shanghaiDay(n: number): string {
  return new Date(Date.now() + n * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
}

describe('activities in the browser', () => {
  let activityId = 0;
  let customer: { id: number; name: string };

  it('lets a rep log a visit with a follow-up date from the activity list', async () => {
    const rep = await login('activities-rep-log', 'rep');
    const reply = await rep.request.get(`${product.baseUrl}/api/customers?pageSize=1&sort=name`);
    customer = (await reply.json()).items[0];
    expect(customer?.id).toBeGreaterThan(0);
    await rep.goto(`${product.baseUrl}/activities?customerId=${customer.id}&new=1`);
    await rep.getByTestId('activity-form').waitFor();
    // The drawer opened with the customer of the link.
    await rep.getByTestId('activity-form').getByText(customer.name).first().waitFor();
    await rep.getByTestId('activity-form-department').fill('心内科');
    await rep.getByTestId('activity-form-outcome').fill('主任同意下月药事会讨论');
    await rep.getByTestId('activity-form-nextStep').fill('送临床资料');
    const followUp = shanghaiDay(3);
    await setPicker(rep, 'activity-form-followUp', followUp);
    // A done visit dated in the future is refused on its field, and what was typed stays.
    await setPicker(rep, 'activity-form-startsAt', '2030-01-01 10:00');
    await rep.getByTestId('activity-form-submit').click();
    await rep.getByText('已完成的记录不能晚于当前时间').first().waitFor();
    expect(await rep.getByTestId('activity-form-outcome').inputValue()).toBe('主任同意下月药事会讨论');
    await setPicker(rep, 'activity-form-startsAt', `${shanghaiDay(-1)} 10:00`);
    await rep.getByTestId('activity-form-submit').click();
    await rep.waitForURL(/\/activities\/\d+$/);
    activityId = Number(new URL(rep.url()).pathname.split('/').pop());
    await rep.getByTestId('activity-outcome').getByText('主任同意下月药事会讨论').waitFor();
    await rep.getByTestId('activity-follow-up').getByText(followUp).waitFor();
    await rep.context().close();
  });

  it('lets the team lead open the visit and comment, and the rep sees the notification and the comment', async () => {
    const lead = await login('activities-lead-comment', 'team_lead');
    await lead.goto(`${product.baseUrl}/activities?ownerId=${await userId(lead, 'rep')}`);
    await lead.getByTestId(`activity-link-${activityId}`).click();
    await lead.waitForURL(new RegExp(`/activities/${activityId}$`));
    await lead.getByTestId('activity-comment-input').fill('资料带上最新的指南');
    await lead.getByTestId('activity-comment-submit').click();
    await lead.getByTestId('activity-comments').getByText('资料带上最新的指南').waitFor();
    await lead.context().close();

    const rep = await login('activities-rep-notified', 'rep');
    await rep.getByTestId('notification-bell').click();
    const note = rep.getByTestId('notification-dropdown').getByText('孙伟 批注了您的记录', { exact: false });
    await note.first().waitFor();
    await note.first().click();
    await rep.waitForURL(new RegExp(`/activities/${activityId}$`));
    await rep.getByTestId('activity-comments').getByText('资料带上最新的指南').waitFor();
    // A rep cannot comment (上级批注 is for managers).
    expect(await rep.getByTestId('activity-comment-input').count()).toBe(0);
    await rep.context().close();
  });

  it('shows a visit planned from the week calendar on its day', async () => {
    const rep = await login('activities-calendar', 'rep');
    await rep.goto(`${product.baseUrl}/activities/calendar`);
    const day = shanghaiDay(1);
    await rep.getByTestId('calendar-week').waitFor();
    if ((await rep.getByTestId(`calendar-day-${day}`).count()) === 0) await rep.getByTestId('calendar-next').click();
    await rep.getByTestId(`calendar-plan-${day}`).click();
    await rep.getByTestId('activity-form').waitFor();
    const select = rep.getByTestId('activity-form-customer');
    await select.click();
    await rep.keyboard.type(customer.name.slice(0, 4));
    await rep.locator('.ant-select-item-option').filter({ hasText: customer.name }).first().click();
    await rep.getByTestId('activity-form-subject').fill('计划拜访药剂科');
    const created = rep.waitForResponse((r) => new URL(r.url()).pathname === '/api/activities' && r.request().method() === 'POST');
    await rep.getByTestId('activity-form-submit').click();
    // The demo company has planned visits of its own that week (some with this customer): find the one just made.
    const { id } = (await (await created).json()) as { id: number };
    const item = rep.getByTestId(`calendar-day-${day}`).locator(`[data-testid="calendar-item-${id}"][data-status="planned"]`);
    await item.first().waitFor();
    expect(await item.first().textContent()).toContain(customer.name);
    await item.first().click();
    await rep.waitForURL(/\/activities\/\d+$/);
    await rep.getByTestId('activity-check-in').waitFor();
    await rep.context().close();
  });
});

async function userId(page: Page, username: string): Promise<number> {
  const res = await page.request.get(`${product.baseUrl}/api/users?q=${username}&pageSize=20`);
  const items = (await res.json()).items as { id: number; username: string }[];
  return items.find((u) => u.username === username)!.id;
}

/** Types a value into an antd DatePicker (the test id sits on its input or on its wrapper). */
async function setPicker(page: Page, testId: string, value: string) {
  const picker = page.getByTestId(testId);
  const input = (await picker.evaluate((e) => e.tagName)) === 'INPUT' ? picker : picker.locator('input');
  await input.click();
  await input.fill(value);
  await input.press('Enter');
}
