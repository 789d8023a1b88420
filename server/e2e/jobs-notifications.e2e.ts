import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { type Running, screenshot, startProduct } from './harness.js';

// Issue 3 (jobs and notifications): a user sees in the bell what an administrator did to their
// account and clears it; the administrator runs a scheduled job by hand and finds it in the history.
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

async function login(page: Page, username: string, password = 'rxdesk2026') {
  await page.goto(`${product.baseUrl}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

/** The administrator's API session, for set-up the flow under test does not cover. */
async function adminApi() {
  const res = await fetch(`${product.baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: 'rxdesk2026' }),
  });
  const cookie = res.headers.get('set-cookie')!.split(';')[0];
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return (method: string, url: string, body?: unknown) =>
    fetch(`${product.baseUrl}${url}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrfToken, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : method === 'POST' ? '{}' : undefined,
    });
}

describe('jobs and notifications in the browser', () => {
  it('shows a user the unread count of what the administrator did, and clears it', async () => {
    const call = await adminApi();
    const reps = (await (await call('GET', '/api/users?q=rep')).json()) as { items: { id: number; username: string }[] };
    const rep = reps.items.find((u) => u.username === 'rep')!;
    expect((await call('POST', `/api/users/${rep.id}/disable`, {})).status).toBe(200);
    expect((await call('POST', `/api/users/${rep.id}/enable`, {})).status).toBe(200);

    const page = await newPage('bell');
    await login(page, 'rep');
    const bell = page.getByTestId('notification-bell');
    await expect.poll(() => bell.textContent(), { timeout: 10_000 }).toContain('2');
    await bell.click();
    await page.getByTestId('notification-dropdown').getByText('您的账号已重新启用').waitFor();
    await page.getByTestId('notifications-view-all').click();
    await page.waitForURL(/\/notifications/);
    await page.getByText('您的账号已被停用').waitFor();
    await page.getByTestId('notifications-page-read-all').click();
    await expect.poll(async () => (await bell.locator('.ant-badge-count').count()) === 0, { timeout: 10_000 }).toBe(true);
    await screenshot(page, 'notifications-page');
    await page.close();
  });

  it('lets the administrator run a job now and see it in the run history', async () => {
    const page = await newPage('jobs');
    await login(page, 'admin');
    await page.getByText('欢迎，王敏').waitFor();
    await page.goto(`${product.baseUrl}/admin/jobs`);
    await page.getByTestId('jobs-table').getByText('清理过期会话和 90 天前的登录记录').waitFor();
    await page.getByTestId('job-run-sessions.purge').click();
    await page.getByText('任务 sessions.purge 执行成功').waitFor();
    await page.getByTestId('job-runs-table').getByText('手动').waitFor();
    await screenshot(page, 'jobs-page');
    await page.close();
  });

  it('sends a roles-changed notice to the WeCom group robot the administrator set up, for a user who chose it', async () => {
    const received: { url: string; body: { msgtype: string; markdown: { content: string } } }[] = [];
    const robot = http.createServer((req, res) => {
      let data = '';
      req.on('data', (c) => (data += c));
      req.on('end', () => {
        received.push({ url: req.url ?? '', body: JSON.parse(data) });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0,"errmsg":"ok"}');
      });
    });
    await new Promise<void>((r) => robot.listen(0, '127.0.0.1', r));
    try {
      const robotUrl = `http://127.0.0.1:${(robot.address() as AddressInfo).port}/cgi-bin/webhook/send?key=e2e`;
      const page = await newPage('channels');
      await login(page, 'admin');
      await page.getByText('欢迎，王敏').waitFor();
      await page.goto(`${product.baseUrl}/admin/channels`);
      await page.getByTestId('channels-smtp-password').fill('Smtp-Secret-9');
      await page.getByTestId('channels-wecom').fill('not a url');
      await page.getByTestId('channels-save').click();
      await page.getByText('Invalid URL').or(page.locator('.ant-form-item-explain-error')).first().waitFor();
      // The typed values survive the refusal; fix the one field and save.
      expect(await page.getByTestId('channels-smtp-password').inputValue()).toBe('Smtp-Secret-9');
      await page.getByTestId('channels-wecom').fill(robotUrl);
      await page.getByTestId('channels-save').click();
      await page.getByText('消息渠道已保存').waitFor();
      await page.reload();
      await page.getByText('已设置（加密保存）').waitFor();
      expect(await page.getByTestId('channels-smtp-password').inputValue()).toBe('');
      await screenshot(page, 'channels-page');
      await page.close();

      const repPage = await newPage('preferences');
      await login(repPage, 'office');
      await repPage.getByTestId('user-menu').click();
      await repPage.getByTestId('notification-preferences').click();
      await repPage.getByTestId('pref-user.roles_changed-wecom').check();
      await repPage.getByTestId('preferences-save').click();
      await repPage.getByText('通知设置已保存').waitFor();
      await repPage.close();

      const call = await adminApi();
      const office = ((await (await call('GET', '/api/users?q=office')).json()) as { items: { id: number; username: string; version: number; roles: { id: number }[] }[] }).items.find((u) => u.username === 'office')!;
      const roles = (await (await call('GET', '/api/roles')).json()) as { items: { id: number; code: string }[] };
      const lead = roles.items.find((r) => r.code === 'sales_office_lead')!;
      expect((await call('PATCH', `/api/users/${office.id}`, { roleIds: [lead.id], version: office.version })).status).toBe(200);
      // Run now (the minutely schedule may get there first, and a run it is in the middle of skips ours).
      const run = (await (await call('POST', '/api/jobs/notifications.deliver/run', {})).json()) as { outcome: string };
      expect(['ok', 'skipped_locked']).toContain(run.outcome);
      await expect.poll(() => received.length, { timeout: 70_000 }).toBe(1);
      expect(received[0].url).toBe('/cgi-bin/webhook/send?key=e2e');
      expect(received[0].body.msgtype).toBe('markdown');
      expect(received[0].body.markdown.content).toContain('您的角色已变更');
    } finally {
      await new Promise((r) => robot.close(r));
    }
  });
});
