import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError, fileNameFromDisposition, setCsrfToken, setUnauthorizedHandler, toQueryString } from './api';

function reply(status: number, body?: unknown) {
  return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(null);
});

describe('api client', () => {
  it('sends the CSRF token on changes, and the session cookie always', async () => {
    const fetch = vi.fn(async () => reply(200, { ok: true }));
    vi.stubGlobal('fetch', fetch);
    setCsrfToken('tok-1');
    await api.get('/users', { q: 'zhang', page: 2, status: undefined });
    await api.patch('/users/1', { version: 3 });
    const [getUrl, getInit] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    const [patchUrl, patchInit] = fetch.mock.calls[1] as unknown as [string, RequestInit];
    expect(getUrl).toBe('/api/users?q=zhang&page=2');
    expect(getInit.credentials).toBe('include');
    expect((getInit.headers as Record<string, string>)['x-csrf-token']).toBeUndefined();
    expect(patchUrl).toBe('/api/users/1');
    expect((patchInit.headers as Record<string, string>)['x-csrf-token']).toBe('tok-1');
    expect(patchInit.body).toBe('{"version":3}');
  });

  it('turns the error body into an ApiError with code, localized message and field errors', async () => {
    vi.stubGlobal('fetch', async () =>
      reply(400, { error: { code: 'VALIDATION_FAILED', message: '用户名已存在', fields: [{ path: 'username', message: '已存在' }] } }),
    );
    const error = await api.post('/users', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', message: '用户名已存在', fields: [{ path: 'username', message: '已存在' }] });
  });

  it('reports a lost session, but not a wrong password, as a reason to log in again', async () => {
    const lost = vi.fn();
    setUnauthorizedHandler(lost);
    vi.stubGlobal('fetch', async () => reply(401, { error: { code: 'AUTH_INVALID_CREDENTIALS', message: '用户名或密码错误' } }));
    await api.post('/auth/login', {}).catch(() => undefined);
    expect(lost).not.toHaveBeenCalled();
    vi.stubGlobal('fetch', async () => reply(401, { error: { code: 'AUTH_REQUIRED', message: '请先登录' } }));
    await api.get('/users').catch(() => undefined);
    expect(lost).toHaveBeenCalledTimes(1);
  });

  it('returns nothing for 204 replies', async () => {
    vi.stubGlobal('fetch', async () => new Response(null, { status: 204 }));
    await expect(api.delete('/roles/1')).resolves.toBeUndefined();
  });

  it('gives a readable error when the reply is not JSON', async () => {
    vi.stubGlobal('fetch', async () => new Response('<html>Bad gateway</html>', { status: 502 }));
    await expect(api.get('/users')).rejects.toMatchObject({ status: 502, code: 'HTTP_502' });
  });
});

describe('helpers', () => {
  it('leaves empty values out of the query string', () => {
    expect(toQueryString({ a: 1, b: '', c: undefined, d: null, e: false })).toBe('?a=1&e=false');
    expect(toQueryString({})).toBe('');
  });

  it('reads the file name from Content-Disposition, including UTF-8 names', () => {
    expect(fileNameFromDisposition(`attachment; filename="users.xlsx"; filename*=UTF-8''%E7%94%A8%E6%88%B7.xlsx`)).toBe('用户.xlsx');
    expect(fileNameFromDisposition('attachment; filename="users.xlsx"')).toBe('users.xlsx');
    expect(fileNameFromDisposition(null)).toBeNull();
  });
});
