import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, setupTest } from './support.js';

let t: Awaited<ReturnType<typeof setupTest>>;
beforeAll(async () => {
  t = await setupTest({ demo: true });
});
afterAll(() => t.close());

describe('smoke', () => {
  it('lets the administrator log in and list users', async () => {
    const admin = await Client.as(t.app, 'admin');
    const res = await admin.get('/api/users?pageSize=100');
    expect(res.statusCode).toBe(200);
    expect(res.json().total).toBe(20);
  });
});
