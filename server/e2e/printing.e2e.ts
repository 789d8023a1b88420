import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { type Running, screenshot, startProduct } from './harness.js';

// Issue 3's printing flow: the administrator opens a colleague's account notice from the users list,
// prints it (the button works under the strict CSP) and switches to the 241 mm continuous form and the PDF.
let product: Running;
beforeAll(async () => {
  product = await startProduct();
});
afterAll(async () => {
  await product?.stop();
});

describe('printing an account notice in the browser', () => {
  it('opens the notice in a new tab from the users list, prints it, and offers the continuous form and the PDF', async () => {
    const context = await product.browser.newContext();
    const page = await context.newPage();
    onTestFailed(async () => {
      for (const p of context.pages()) if (!p.isClosed()) await screenshot(p, `failed-print-${context.pages().indexOf(p)}`);
    });
    await page.goto(`${product.baseUrl}/login`);
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill('rxdesk2026');
    await page.getByTestId('login-submit').click();
    await page.getByText('欢迎，王敏').waitFor();

    await page.goto(`${product.baseUrl}/admin/users?q=rep`);
    const printLink = page.locator('[data-testid^="user-print-notice-"]').first();
    await printLink.waitFor();
    expect(await printLink.textContent()).toContain('打印开通单');
    const [notice] = await Promise.all([context.waitForEvent('page'), printLink.click()]);
    const cspErrors: string[] = [];
    notice.on('console', (m) => m.type() === 'error' && cspErrors.push(m.text()));
    await notice.getByRole('heading', { name: '账号开通通知单' }).waitFor();
    expect(await notice.locator('body').innerText()).toContain('初始密码');

    // The print button is wired by /print/print.js; stand in for the print dialog.
    await notice.evaluate(() => {
      (window as unknown as { printed: boolean }).printed = false;
      window.print = () => ((window as unknown as { printed: boolean }).printed = true);
    });
    await notice.getByTestId('print-button').click();
    expect(await notice.evaluate(() => (window as unknown as { printed: boolean }).printed)).toBe(true);
    await screenshot(notice, 'account-notice-a4');

    await notice.getByTestId('print-layout-continuous').click();
    await notice.waitForURL(/layout=continuous$/);
    await notice.getByRole('heading', { name: '账号开通通知单' }).waitFor();
    await screenshot(notice, 'account-notice-continuous');
    // What the browser's print dialog would put on paper: the @page size, the toolbar hidden, one form.
    const printed = await getDocument({ data: new Uint8Array(await notice.pdf({ preferCSSPageSize: true })), isEvalSupported: false }).promise;
    expect(printed.numPages).toBe(1);
    const [x0, y0, x1, y1] = (await printed.getPage(1)).view;
    expect([Math.round(x1 - x0), Math.round(y1 - y0)]).toEqual([683, 264]);
    await printed.destroy();

    const pdfHref = await notice.getByTestId('print-pdf-link').getAttribute('href');
    expect(pdfHref).toMatch(/print\.pdf\?layout=continuous$/);
    const pdf = await context.request.get(`${product.baseUrl}${pdfHref}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    expect(cspErrors).toEqual([]);
    await context.close();
  });
});
