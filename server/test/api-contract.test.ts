import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../src/kernel/i18n.js';
import { Client, setupTest } from './support.js';

let t: Awaited<ReturnType<typeof setupTest>>;
beforeAll(async () => {
  t = await setupTest({ demo: true });
});
afterAll(() => t.close());

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

describe('error messages', () => {
  it('has a Chinese and an English message for every error code the server can throw', () => {
    const src = sourceFiles(path.resolve(__dirname, '../src')).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
    const codes = new Set([...src.matchAll(/(?:DomainError\(|code: )'([A-Z][A-Z0-9_]+)'/g)].map((m) => m[1]));
    expect(codes.size).toBeGreaterThan(15);
    for (const code of codes) {
      expect(messages[code], code).toBeDefined();
      expect(messages[code]['zh-CN'], code).toMatch(/[\u4e00-\u9fff]/);
      expect(messages[code]['en-US'], code).toMatch(/[a-z]/);
    }
  });

  it('answers malformed JSON, a wrong content type and an unknown route with the one error shape', async () => {
    const admin = await Client.as(t.app, 'admin');
    const bad = await admin.request({ method: 'POST', url: '/api/departments', headers: { 'content-type': 'application/json' }, payload: '{"name": ' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'BAD_REQUEST', message: '请求格式有误' });
    const wrongType = await admin.request({ method: 'POST', url: '/api/departments', headers: { 'content-type': 'text/xml' }, payload: '<x/>' });
    expect(wrongType.statusCode).toBe(415);
    expect(wrongType.json().error.code).toBe('BAD_REQUEST');
    const missing = await admin.get('/api/nothing-here');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('ROUTE_NOT_FOUND');
    const badId = await admin.get('/api/users/abc');
    expect(badId.statusCode).toBe(400);
    expect(badId.json().error.fields[0].path).toBe('id');
  });

  it('localises validation messages per field', async () => {
    const c = await Client.as(t.app, 'admin');
    const zh = await c.post('/api/roles', { code: 'ok_code', name: '', nameEn: 'x', permissions: [], dataScope: 'everything' });
    const fields = Object.fromEntries(zh.json().error.fields.map((f: { path: string; message: string }) => [f.path, f.message]));
    expect(fields.name).toMatch(/[\u4e00-\u9fff]/);
    expect(fields.dataScope).toMatch(/[\u4e00-\u9fff]/);
    await c.patch('/api/auth/me/preferences', { locale: 'en-US' });
    const en = await c.post('/api/roles', { code: 'ok_code', name: '', nameEn: 'x', permissions: [], dataScope: 'everything' });
    expect(en.json().error.message).toBe('Some input is invalid; please check the highlighted fields');
    expect(en.json().error.fields.find((f: { path: string }) => f.path === 'name').message).toMatch(/Too small/i);
    await c.patch('/api/auth/me/preferences', { locale: 'zh-CN' });
  });
});

describe('API documentation', () => {
  it('serves an OpenAPI description of every API route, and the interactive docs', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const route of t.app.apiRoutes) {
      const p = route.url.replace(/:(\w+)/g, '{$1}');
      expect(doc.paths[p]?.[route.method.toLowerCase()], `${route.method} ${route.url}`).toBeDefined();
    }
    expect(doc.paths['/api/users'].get.parameters.map((x: { name: string }) => x.name)).toEqual(expect.arrayContaining(['page', 'pageSize', 'sort', 'q']));
    const ui = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.body).toMatch(/swagger/i);
  });
});
