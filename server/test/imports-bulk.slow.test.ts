import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../src/kernel/access/access.tables.js';
import { Client, setupTest } from './support.js';

// The 2,000-row users import. Slow by nature (argon2 for each password: ~80 ms of CPU each), so it
// runs after the rest of the suite (see vitest.config.ts).
let t: Awaited<ReturnType<typeof setupTest>>;
let admin: Client;

beforeAll(async () => {
  t = await setupTest({ demo: true });
  admin = await Client.as(t.app, 'admin');
});
afterAll(() => t.close());

const HEADERS = ['用户名', '姓名', '手机', '邮箱', '部门', '角色', '负责区域', '初始密码'];

async function xlsxOf(rows: string[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('用户');
  sheet.addRow(HEADERS);
  for (const r of rows) sheet.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function upload(client: Client, filename: string, content: Buffer) {
  const boundary = `----rxdesk${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  const payload = Buffer.concat([head, content, Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return client.request({ method: 'POST', url: '/api/imports/users', payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
}

/** Every fifth row leaves the password blank, so that it is generated. */
const userRow = (i: number, territories: string) => {
  const username = `bulk.${i}`;
  return [username, `测试${username}`, '13900139000', `${username}@example.cn`, '销售中心/华东大区/上海一组', '业务员', territories, i % 5 ? 'welcome2026' : ''];
};

describe('a large file', () => {
  it('imports 2,000 users in bulk (argon2 for each password dominates the time)', { timeout: 900_000 }, async () => {
    const rows = Array.from({ length: 2000 }, (_, i) => userRow(i, i % 2 ? '310101' : '徐汇区、静安区'));
    const file = await xlsxOf(rows);
    const started = Date.now();
    const res = await upload(admin, 'bulk.xlsx', file);
    const validated = Date.now();
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.json()).toMatchObject({ total: 2000, valid: 2000, errors: [] });
    const commit = await admin.post(`/api/imports/batches/${res.json().batchId}/commit`, { mode: 'all_or_nothing' });
    const committed = Date.now();
    expect(commit.statusCode, commit.body.slice(0, 300)).toBe(200);
    expect(commit.json().committed).toBe(2000);
    expect(commit.json().result.handOver).toHaveLength(400);
    const [{ n }] = await t.db.select({ n: sql<number>`count(*)` }).from(users).where(sql`${users.username} like 'bulk.%'`);
    expect(Number(n)).toBe(2000);
    console.log(`2,000-row import (${t.database.kind}): validate ${validated - started} ms, commit ${committed - validated} ms`);
  });
});

