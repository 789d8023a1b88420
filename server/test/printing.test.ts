import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printContext } from '../src/kernel/print/document.js';
import { escapeHtml, html, renderDocumentHtml } from '../src/kernel/print/html.js';
import { renderDocumentPdf } from '../src/kernel/print/pdf.js';
import { Client, makeDepartment, makeRole, makeUser, setupTest } from './support.js';

let t: Awaited<ReturnType<typeof setupTest>>;
let admin: Client;
let zhang: number;
let hostile: number;

beforeAll(async () => {
  t = await setupTest({ demo: true });
  admin = await Client.as(t.app, 'admin');
  const depts = (await admin.get('/api/departments')).json().items as { id: number; name: string }[];
  const team = depts.find((d) => d.name === '上海一组')!.id;
  zhang = (await makeUser(t.db, { username: 'zhang.wei', displayName: '张伟', departmentId: team, roles: ['rep'], territories: ['310101'] })).id;
  hostile = (await makeUser(t.db, { username: 'mallory', displayName: '<script>alert("x")</script>&"王"', departmentId: team })).id;
});
afterAll(() => t.close());

/** The text of every page of a PDF, and the page sizes in points. */
async function readPdf(body: Buffer) {
  const pdf = await getDocument({ data: new Uint8Array(body), useSystemFonts: false, isEvalSupported: false }).promise;
  const pages: { text: string; width: number; height: number }[] = [];
  for (let i = 1; i <= pdf.numPages; i++) {
    const page = await pdf.getPage(i);
    const content = await page.getTextContent();
    const [x0, y0, x1, y1] = page.view;
    pages.push({ text: content.items.map((item) => ('str' in item ? item.str : '')).join(''), width: x1 - x0, height: y1 - y0 });
  }
  await pdf.destroy();
  return pages;
}

describe('the account notice as a print view', () => {
  it('shows the company, name, username, department, roles, territories, date and a blank for the password', async () => {
    const res = await admin.get(`/api/users/${zhang}/print`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-store');
    const page = res.body;
    expect(page).toContain('账号开通通知单');
    const company = (await admin.get('/api/departments')).json().items.find((d: { parentId: number | null }) => d.parentId === null).name;
    expect(page).toContain(company);
    for (const text of ['张伟', 'zhang.wei', '上海一组', '业务员', '黄浦区', '初始密码', '开通人签字', '领取人签字']) expect(page).toContain(text);
    expect(page).toMatch(/开通日期：\d{4}-\d{2}-\d{2}/);
    expect(page).toContain('data-testid="print-blank"');
    expect(page).not.toMatch(/fixture123|argon2/);
  });

  it('sets the A4 page size by default and the 241 mm continuous form on request', async () => {
    expect((await admin.get(`/api/users/${zhang}/print`)).body).toContain('@page { size: 210mm 297mm;');
    expect((await admin.get(`/api/users/${zhang}/print?layout=continuous`)).body).toContain('@page { size: 241mm 93.1mm;');
    expect((await admin.get(`/api/users/${zhang}/print?layout=continuous-half`)).body).toContain('@page { size: 241mm 139.7mm;');
  });

  it('offers a print button wired by a static script, and a link to the PDF of the same layout', async () => {
    const page = (await admin.get(`/api/users/${zhang}/print?layout=continuous`)).body;
    expect(page).toContain('data-testid="print-button"');
    expect(page).toContain(`href="/api/users/${zhang}/print.pdf?layout=continuous"`);
    expect(page).not.toMatch(/<script>(?!alert)/); // no inline script: the CSP would block it
    expect(page).toContain('<script src="/print/print.js" defer></script>');
    const script = await admin.get('/print/print.js');
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect(script.body).toContain('window.print()');
  });

  it('escapes a hostile display name so that it shows as text and runs nothing', async () => {
    const page = (await admin.get(`/api/users/${hostile}/print`)).body;
    expect(page).not.toContain('<script>alert');
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&quot;王&quot;');
  });

  it('speaks English to an English-speaking administrator', async () => {
    const english = new Client(t.app, { 'accept-language': 'en-US' });
    await english.login('admin');
    await english.request({ method: 'PATCH', url: '/api/auth/me/preferences', payload: { locale: 'en-US' } });
    const page = (await english.get(`/api/users/${zhang}/print`)).body;
    expect(page).toContain('Account notice');
    expect(page).toContain('Initial password');
    await english.request({ method: 'PATCH', url: '/api/auth/me/preferences', payload: { locale: 'zh-CN' } });
  });

  it('refuses an unknown layout', async () => {
    const res = await admin.get(`/api/users/${zhang}/print?layout=a3`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
  });
});

describe('the account notice as a PDF', () => {
  it('is a valid PDF with the Chinese name and title as text, on one A4 page', async () => {
    const res = await admin.get(`/api/users/${zhang}/print.pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('账号开通通知单-zhang.wei.pdf')}`);
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const pages = await readPdf(res.rawPayload);
    expect(pages).toHaveLength(1);
    expect(pages[0].width).toBeCloseTo(595.28, 0);
    expect(pages[0].height).toBeCloseTo(841.89, 0);
    for (const text of ['账号开通通知单', '张伟', 'zhang.wei', '上海一组', '黄浦区', '初始密码']) expect(pages[0].text).toContain(text);
  });

  it('fits the notice on one 241 × 93.1 mm continuous-form page', async () => {
    const res = await admin.get(`/api/users/${zhang}/print.pdf?layout=continuous`);
    expect(res.statusCode).toBe(200);
    const pages = await readPdf(res.rawPayload);
    expect(pages).toHaveLength(1);
    expect(pages[0].width).toBeCloseTo(683.15, 0);
    expect(pages[0].height).toBeCloseTo(263.9, 0);
    expect(pages[0].text).toContain('张伟');
  });

  it('uses the 241 × 139.7 mm half-sheet when asked', async () => {
    const pages = await readPdf((await admin.get(`/api/users/${zhang}/print.pdf?layout=continuous-half`)).rawPayload);
    expect(pages[0].width).toBeCloseTo(683.15, 0);
    expect(pages[0].height).toBeCloseTo(396, 0);
  });

  it('prints a hostile display name as plain text', async () => {
    const pages = await readPdf((await admin.get(`/api/users/${hostile}/print.pdf`)).rawPayload);
    expect(pages[0].text).toContain('<script>alert("x")</script>&"王"');
  });
});

describe('who may print an account notice', () => {
  it('answers 404 for a user outside the administrator’s data scope, as reading the user does', async () => {
    const branch = await makeDepartment(t.db, { name: '成都办事处' });
    await makeRole(t.db, { code: 'branch_admin', permissions: ['users.read', 'users.write'], dataScope: 'department' });
    const branchAdmin = await makeUser(t.db, { username: 'branch.admin', departmentId: branch, roles: ['branch_admin'] });
    const colleague = await makeUser(t.db, { username: 'branch.rep', displayName: '刘洋', departmentId: branch, roles: ['rep'] });
    const client = await Client.as(t.app, branchAdmin.username, branchAdmin.password);
    expect((await client.get(`/api/users/${colleague.id}/print`)).statusCode).toBe(200);
    for (const url of [`/api/users/${zhang}/print`, `/api/users/${zhang}/print.pdf`]) {
      const res = await client.get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
    }
  });

  it('refuses an office colleague who may read users but not manage them', async () => {
    const office = await Client.as(t.app, 'office');
    expect((await office.get(`/api/users/${zhang}`)).statusCode).toBe(200);
    for (const url of [`/api/users/${zhang}/print`, `/api/users/${zhang}/print.pdf`]) {
      const res = await office.get(url);
      expect(res.statusCode, url).toBe(403);
      expect(res.json().error.code).toBe('FORBIDDEN');
    }
  });

  it('answers 404 for a user that does not exist', async () => {
    expect((await admin.get('/api/users/999999/print.pdf')).statusCode).toBe(404);
  });
});

describe('the print kernel for other documents', () => {
  const ctx = printContext('continuous', 'zh-CN');
  const note = {
    company: '华东医药有限公司',
    title: '随货同行单',
    reference: 'No. FH-2026-0001',
    blocks: [
      { kind: 'fields' as const, columns: 3 as const, fields: [{ label: '收货单位', value: '上海市第一人民医院' }, { label: '日期', value: '2026-11-25' }] },
      {
        kind: 'table' as const,
        columns: [{ label: '品名', widthPct: 40 }, { label: '批号', widthPct: 30 }, { label: '数量', widthPct: 30, align: 'right' as const }],
        rows: Array.from({ length: 30 }, (_, i) => ['阿莫西林胶囊', `B${2026000 + i}`, String(i + 1)]),
      },
    ],
  };

  it('escapes every value, including table cells', () => {
    const page = renderDocumentHtml({ ...note, blocks: [{ kind: 'table', columns: [{ label: '<b>', widthPct: 100 }], rows: [['<img src=x onerror=alert(1)>']] }] }, ctx);
    expect(page).not.toContain('<img');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain('&lt;b&gt;');
    expect(escapeHtml(`'"\`&`)).toBe('&#39;&quot;&#96;&amp;');
    expect(html`<p title="${'" onclick="x'}">${'<i>'}</p>`.value).toBe('<p title="&quot; onclick=&quot;x">&lt;i&gt;</p>');
  });

  it('continues a long delivery note on further continuous-form pages of the same size', async () => {
    const pages = await readPdf(await renderDocumentPdf(note, ctx));
    expect(pages.length).toBeGreaterThan(1);
    for (const p of pages) expect([Math.round(p.width), Math.round(p.height)]).toEqual([683, 264]);
    const all = pages.map((p) => p.text).join('');
    expect(all).toContain('随货同行单');
    expect(all).toContain('B2026029');
  });
});
