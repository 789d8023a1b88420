import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, makeUser, roleIdOf, setupTest } from './support.js';

let t: Awaited<ReturnType<typeof setupTest>>;
let lead: Client;
let docId: number;
const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(2048, 0x20), Buffer.from('\n%%EOF\n')]);

beforeAll(async () => {
  t = await setupTest({ demo: true });
  lead = await Client.as(t.app, 'team_lead');
  const me = (await lead.get('/api/auth/me')).json().user;
  const doc = await lead.post('/api/account-requests', {
    username: 'with_files', displayName: '附件测试', departmentId: me.department.id, roleIds: [await roleIdOf(t.db, 'rep')], reason: '测试附件',
  });
  docId = doc.json().id;
});
afterAll(() => t.close());

const base = () => `/api/documents/account_request/${docId}/attachments`;

describe('attachments', () => {
  it('stores an uploaded file, lists it, and gives the same bytes back on download', async () => {
    const up = await lead.upload(base(), '身份证复印件.pdf', pdf);
    expect(up.statusCode).toBe(200);
    expect(up.json()).toMatchObject({ filename: '身份证复印件.pdf', contentType: 'application/pdf', sizeBytes: pdf.length, uploadedByName: '孙伟' });
    const list = (await lead.get(base())).json().items;
    expect(list.map((a: { filename: string }) => a.filename)).toEqual(['身份证复印件.pdf']);
    const down = await lead.get(`/api/attachments/${up.json().id}/download`);
    expect(down.statusCode).toBe(200);
    expect(down.headers['content-type']).toBe('application/pdf');
    expect(String(down.headers['content-disposition'])).toMatch(/^attachment;/);
    expect(Buffer.compare(down.rawPayload, pdf)).toBe(0);
    const tl = (await lead.get(`/api/documents/account_request/${docId}/timeline`)).json();
    expect(tl.events.at(-1)).toMatchObject({ kind: 'attachment', transition: 'added' });
  });

  it('refuses executable types by name and by content, empty files and files over the limit, leaving no file behind', async () => {
    const before = fs.readdirSync(t.config.filesDir, { recursive: true }).length;
    const exe = await lead.upload(base(), 'setup.exe', Buffer.from('MZ\x90\x00rest'));
    expect(exe.statusCode).toBe(422);
    expect(exe.json().error.code).toBe('ATTACHMENT_TYPE_REFUSED');
    const disguised = await lead.upload(base(), '发票.pdf', Buffer.concat([Buffer.from('MZ\x90\x00'), Buffer.alloc(100)]));
    expect(disguised.json().error.code).toBe('ATTACHMENT_CONTENT_REFUSED');
    const script = await lead.upload(base(), 'readme.txt', '#!/bin/sh\nrm -rf /\n');
    expect(script.json().error.code).toBe('ATTACHMENT_CONTENT_REFUSED');
    const html = await lead.upload(base(), 'page.txt', '<html><script>alert(1)</script></html>');
    expect(html.json().error.code).toBe('ATTACHMENT_CONTENT_REFUSED');
    expect((await lead.upload(base(), 'empty.pdf', Buffer.alloc(0))).json().error.code).toBe('ATTACHMENT_EMPTY');
    const huge = await lead.upload(base(), 'big.zip', Buffer.alloc(20 * 1024 * 1024 + 10, 1));
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe('ATTACHMENT_TOO_LARGE');
    const files = fs.readdirSync(t.config.filesDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
    expect(files).toBe(1); // only the PDF of the first test
    expect(before).toBeGreaterThan(0);
    expect((await lead.get(base())).json().items).toHaveLength(1);
  });

  it('denies listing, uploading and downloading outside the document’s scope', async () => {
    const outsider = await makeUser(t.db, { username: 'far_away', departmentId: null, roles: ['team_lead'] });
    const c = await Client.as(t.app, 'far_away', outsider.password);
    const [first] = (await lead.get(base())).json().items;
    expect((await c.get(base())).statusCode).toBe(404);
    expect((await c.upload(base(), 'x.pdf', pdf)).statusCode).toBe(404);
    expect((await c.get(`/api/attachments/${first.id}/download`)).statusCode).toBe(404);
    expect((await c.delete(`/api/attachments/${first.id}`)).statusCode).toBe(404);
  });

  it('lets the uploader remove an attachment, but not a colleague who can merely see the document', async () => {
    const up = (await lead.upload(base(), '合同.docx', Buffer.from('PK\x03\x04 docx content'))).json();
    const east = await Client.as(t.app, 'east_manager'); // sees the request by department scope
    expect((await east.get(base())).statusCode).toBe(200);
    expect((await east.delete(`/api/attachments/${up.id}`)).statusCode).toBe(403);
    expect((await lead.delete(`/api/attachments/${up.id}`)).statusCode).toBe(204);
    expect((await lead.get(`/api/attachments/${up.id}/download`)).statusCode).toBe(404);
    expect((await lead.get(base())).json().items.map((a: { filename: string }) => a.filename)).toEqual(['身份证复印件.pdf']);
  });

  it('asks for a file when the upload has none', async () => {
    const res = await lead.request({ method: 'POST', url: base(), payload: Buffer.from('------x--\r\n'), headers: { 'content-type': 'multipart/form-data; boundary=----x' } });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('ATTACHMENT_FILE_REQUIRED');
  });
});
