import ExcelJS from 'exceljs';
import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../src/kernel/access/access.tables.js';
import { auditLog } from '../src/kernel/audit/audit.tables.js';
import { verifyAuditChain } from '../src/kernel/audit/audit.js';
import { rowsOf } from '../src/kernel/db/client.js';
import { Client, makeDepartment, makeRole, makeUser, setupTest } from './support.js';

let t: Awaited<ReturnType<typeof setupTest>>;
let admin: Client;

beforeAll(async () => {
  t = await setupTest({ demo: true });
  admin = await Client.as(t.app, 'admin');
});
afterAll(() => t.close());

const HEADERS = ['用户名', '姓名', '手机', '邮箱', '部门', '角色', '负责区域', '初始密码'];

async function xlsxOf(rows: (string | number)[][], headers = HEADERS): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('用户');
  sheet.addRow(headers);
  for (const r of rows) sheet.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const csvOf = (rows: string[][], headers = HEADERS) => [headers, ...rows].map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n') + '\r\n';

/** A browser-style multipart upload with one file field. */
function upload(client: Client, filename: string, content: Buffer, kind = 'users') {
  const boundary = `----rxdesk${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    'utf8',
  );
  const payload = Buffer.concat([head, content, Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return client.request({ method: 'POST', url: `/api/imports/${kind}`, payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
}

const userRow = (username: string, over: Partial<Record<string, string>> = {}) => {
  const base: Record<string, string> = {
    用户名: username,
    姓名: `测试${username}`,
    手机: '13900139000',
    邮箱: `${username}@example.cn`,
    部门: '销售中心/华东大区/上海一组',
    角色: '业务员',
    负责区域: '黄浦区、310104',
    初始密码: 'welcome2026',
    ...over,
  };
  return HEADERS.map((h) => base[h]);
};

async function usersNamed(names: string[]) {
  return t.db.select().from(users).where(inArray(users.username, names));
}
async function lastAuditSeq() {
  const [row] = await t.db.select({ n: sql<number>`coalesce(max(${auditLog.seq}), 0)` }).from(auditLog);
  return Number(row.n);
}

describe('the import template', () => {
  it('has the headers, an example row, a roles drop-down and a notes sheet explaining each column', async () => {
    const res = await admin.get('/api/imports/users/template.xlsx');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const [data, lists, notes] = wb.worksheets;
    expect((data.getRow(1).values as string[]).slice(1)).toEqual(HEADERS);
    expect(data.getRow(2).getCell(5).value).toBe('销售中心/华东大区/上海一组');
    expect(data.getCell('F2').dataValidation).toMatchObject({ type: 'list' });
    expect(lists.getColumn(1).values).toContain('业务员');
    expect(lists.getColumn(1).values).toContain('系统管理员');
    expect(notes.name).toBe('填写说明');
    const noteRows = notes.getSheetValues().slice(2) as unknown[][];
    expect(noteRows.map((r) => r[1])).toEqual(HEADERS);
    expect(String(noteRows[4][3])).toContain('销售中心/华东大区/上海一组');
  });

  it('round-trips: a filled-in template imports and the new user can log in, but must change the password first', async () => {
    const tpl = await admin.get('/api/imports/users/template.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(tpl.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0];
    sheet.getRow(2).values = userRow('tpl.one');
    sheet.getRow(3).values = userRow('tpl.two', { 角色: '业务员、团队主管', 部门: '销售中心/华东大区/江苏组', 负责区域: '320100' });
    const file = Buffer.from(await wb.xlsx.writeBuffer());

    const res = await upload(admin, '用户导入模板.xlsx', file);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ total: 2, valid: 2, errors: [], status: 'validated', filename: '用户导入模板.xlsx' });
    const commit = await admin.post(`/api/imports/batches/${res.json().batchId}/commit`, { mode: 'all_or_nothing' });
    expect(commit.statusCode, commit.body).toBe(200);
    expect(commit.json()).toMatchObject({ status: 'committed', committed: 2, result: { committed: 2, handOver: [] } });

    const two = (await admin.get('/api/users?q=tpl.two')).json().items[0];
    expect(two.department.name).toBe('江苏组');
    expect(two.roles.map((r: { code: string }) => r.code).sort()).toEqual(['rep', 'team_lead']);
    expect(two.territories).toEqual([{ id: '320100', name: '南京市' }]);
    expect(two.mustChangePassword).toBe(true);
    const newcomer = await Client.as(t.app, 'tpl.one', 'welcome2026');
    expect((await newcomer.get('/api/users')).json().error.code).toBe('AUTH_PASSWORD_CHANGE_REQUIRED');
  });
});

describe('validating an upload', () => {
  it('reports every bad row with its column and a Chinese message, and writes no users', async () => {
    const [north] = rowsOf<{ id: number }>(await t.db.execute(sql`select id from departments where name = '华北大区'`));
    await makeDepartment(t.db, { name: '上海一组', parentId: north.id }); // a second 上海一组, under 华北大区
    const file = await xlsxOf([
      userRow('ok.first'),
      userRow('Admin'), // exists, differing in case
      userRow('bad mail', { 邮箱: 'not-an-email', 部门: '不存在的部门' }),
      userRow('ok.first'), // repeats row 2
      userRow('ambiguous', { 部门: '上海一组' }),
      userRow('weak.pw', { 初始密码: 'short', 角色: '业务员,火星人', 负责区域: '朝阳区' }),
      userRow('', { 姓名: '', 邮箱: '' }),
    ]);
    const before = await t.db.select({ n: sql<number>`count(*)` }).from(users);
    const res = await upload(admin, 'bad-rows.xlsx', file);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ total: 7, valid: 1 });
    const byRow = (row: number) => body.errors.filter((e: { row: number }) => e.row === row).map((e: { column: string; message: string }) => `${e.column}: ${e.message}`);
    expect(byRow(2)).toEqual([]);
    expect(byRow(3)).toEqual(['用户名: 用户名“Admin”已被使用']);
    expect(byRow(4)).toEqual(['用户名: 用户名只能包含字母、数字和 _ . @ -', expect.stringMatching(/^邮箱: /), '部门: 找不到部门“不存在的部门”']);
    expect(byRow(5)).toEqual(['用户名: “ok.first”与文件第 2 行重复']);
    expect(byRow(6)).toEqual([expect.stringContaining('部门: 有多个部门名为“上海一组”')]);
    expect(byRow(6)[0]).toContain('请填写完整路径，如 销售中心/华东大区/上海一组');
    expect(byRow(7)).toEqual(['角色: 找不到角色“火星人”', expect.stringMatching(/^负责区域: 有多个区域名为“朝阳区”.*110105.*请改填 6 位行政区划代码/), expect.stringMatching(/^初始密码: /)]);
    expect(byRow(8)).toEqual(['用户名: 必填', '姓名: 必填']);
    const after = await t.db.select({ n: sql<number>`count(*)` }).from(users);
    expect(Number(after[0].n)).toBe(Number(before[0].n));
  });

  it('answers in English for an English-speaking administrator', async () => {
    const english = await Client.as(t.app, 'admin');
    english.headers['accept-language'] = 'en-US';
    // The session's user locale wins over the header; switch it to English for this client.
    await english.patch('/api/auth/me/preferences', { locale: 'en-US' });
    const res = await upload(english, 'english.csv', Buffer.from(csvOf([userRow('en.user', { 角色: 'Sales rep', 部门: 'Nowhere' })])));
    await english.patch('/api/auth/me/preferences', { locale: 'zh-CN' });
    expect(res.json().errors).toEqual([{ row: 2, column: 'Department', message: 'No department named "Nowhere"' }]);
  });

  it('refuses a file without the required columns, naming them', async () => {
    const res = await upload(admin, 'wrong.csv', Buffer.from('姓名,手机\r\n张三,139\r\n'));
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({ code: 'IMPORT_HEADER_MISSING', message: expect.stringContaining('用户名、部门、角色') });
  });

  it('refuses a request without a file and a file that is neither xlsx nor csv', async () => {
    expect((await admin.post('/api/imports/users', {})).json().error.code).toBe('IMPORT_FILE_MISSING');
    const res = await upload(admin, 'photo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('IMPORT_FILE_TYPE');
  });

  it('reads a csv saved by Chinese Excel in GBK, and one in UTF-8 with a BOM', async () => {
    const text = csvOf([userRow('gbk.user', { 姓名: '欧阳娜娜', 负责区域: '浦东新区' })]);
    const gbk = iconv.encode(text, 'gbk');
    expect(gbk.equals(Buffer.from(text, 'utf8'))).toBe(false);
    const res = await upload(admin, 'gbk.csv', gbk);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ total: 1, valid: 1, errors: [] });
    const commit = await admin.post(`/api/imports/batches/${res.json().batchId}/commit`, { mode: 'all_or_nothing' });
    expect(commit.statusCode, commit.body).toBe(200);
    const [u] = await usersNamed(['gbk.user']);
    expect(u.displayName).toBe('欧阳娜娜');

    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csvOf([userRow('bom.user', { 姓名: '司马光' })]), 'utf8')]);
    const res2 = await upload(admin, 'bom.csv', bom);
    expect(res2.json()).toMatchObject({ total: 1, valid: 1, errors: [] });
  });
});

describe('committing a batch', () => {
  it('all-or-nothing with a bad row in the middle writes nothing and no audit entries', async () => {
    const file = await xlsxOf([userRow('aon.one'), userRow('aon.two', { 角色: '不存在' }), userRow('aon.three')]);
    const res = await upload(admin, 'aon.xlsx', file);
    expect(res.json()).toMatchObject({ total: 3, valid: 2, errors: [{ row: 3, column: '角色' }] });
    const seq = await lastAuditSeq();
    const commit = await admin.post(`/api/imports/batches/${res.json().batchId}/commit`, { mode: 'all_or_nothing' });
    expect(commit.statusCode).toBe(422);
    expect(commit.json().error).toMatchObject({ code: 'IMPORT_HAS_ERRORS', message: '有 1 行存在错误，“全部成功才导入”模式下未写入任何数据' });
    expect(await usersNamed(['aon.one', 'aon.two', 'aon.three'])).toEqual([]);
    expect(await lastAuditSeq()).toBe(seq);
    expect((await admin.get(`/api/imports/batches/${res.json().batchId}`)).json().status).toBe('validated');
  });

  it('valid-only writes the good rows, shows generated passwords once, and the error file lists exactly the bad ones', async () => {
    const file = await xlsxOf([
      userRow('vo.one', { 初始密码: '' }),
      userRow('vo.bad1', { 邮箱: 'nope' }),
      userRow('vo.two'),
      userRow('vo.bad2', { 部门: '火星' }),
    ]);
    const res = await upload(admin, 'valid-only.xlsx', file);
    const id = res.json().batchId;
    const seq = await lastAuditSeq();
    const commit = await admin.post(`/api/imports/batches/${id}/commit`, { mode: 'valid_only' });
    expect(commit.statusCode, commit.body).toBe(200);
    const body = commit.json();
    expect(body).toMatchObject({ status: 'committed', total: 4, valid: 2, committed: 2 });
    expect(body.result.handOver).toEqual([{ row: 2, label: 'vo.one', secret: expect.stringMatching(/^(?=.*[A-Za-z])(?=.*\d).{12}$/) }]);
    expect((await usersNamed(['vo.one', 'vo.two', 'vo.bad1', 'vo.bad2'])).map((u) => u.username).sort()).toEqual(['vo.one', 'vo.two']);
    // The generated password works (and must be changed).
    const one = await Client.as(t.app, 'vo.one', body.result.handOver[0].secret);
    expect((await one.get('/api/auth/me')).json().user.mustChangePassword).toBe(true);
    const created = await t.db.select().from(auditLog).where(and(gt(auditLog.seq, seq), eq(auditLog.action, 'user.created')));
    expect(created.map((e) => (e.after as { username: string }).username).sort()).toEqual(['vo.one', 'vo.two']);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);

    const errors = await admin.get(`/api/imports/batches/${id}/errors.xlsx`);
    expect(errors.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(errors.rawPayload as unknown as ArrayBuffer);
    const rows = (wb.worksheets[0].getSheetValues().slice(1) as unknown[][]).map((r) => r.slice(1));
    expect(rows[0]).toEqual([...HEADERS, '错误原因', '原行号']);
    expect(rows.slice(1).map((r) => [r[0], r[9]])).toEqual([
      ['vo.bad1', 3],
      ['vo.bad2', 5],
    ]);
    expect(String(rows[2][8])).toBe('部门：找不到部门“火星”');
  });

  it('commits once when the commit is clicked twice at the same time', async () => {
    const res = await upload(admin, 'twice.xlsx', await xlsxOf([userRow('twice.one'), userRow('twice.two')]));
    const id = res.json().batchId;
    const [a, b] = await Promise.all([
      admin.post(`/api/imports/batches/${id}/commit`, { mode: 'all_or_nothing' }),
      admin.post(`/api/imports/batches/${id}/commit`, { mode: 'all_or_nothing' }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    expect([a, b].find((r) => r.statusCode === 409)!.json().error.code).toBe('IMPORT_BATCH_NOT_OPEN');
    expect(await usersNamed(['twice.one', 'twice.two'])).toHaveLength(2);
    const again = await admin.post(`/api/imports/batches/${id}/commit`, { mode: 'valid_only' });
    expect(again.json().error.message).toBe('该批次状态为“已导入”，不能再次导入');
  });

  it('re-checks at commit: a username taken since the upload becomes a row error, never a duplicate', async () => {
    const res = await upload(admin, 'race.xlsx', await xlsxOf([userRow('race.one'), userRow('race.two')]));
    await makeUser(t.db, { username: 'RACE.TWO' });
    const refused = await admin.post(`/api/imports/batches/${res.json().batchId}/commit`, { mode: 'all_or_nothing' });
    expect(refused.statusCode).toBe(422);
    expect(await usersNamed(['race.one'])).toEqual([]);
    const batch = (await admin.get(`/api/imports/batches/${res.json().batchId}`)).json();
    expect(batch).toMatchObject({ status: 'validated', valid: 1, errors: [{ row: 3, column: '用户名', message: '用户名“race.two”已被使用' }] });
    const ok = await admin.post(`/api/imports/batches/${res.json().batchId}/commit`, { mode: 'valid_only' });
    expect(ok.json()).toMatchObject({ committed: 1 });
  });

  it('writes nothing when the database fails half-way through a commit, and lets the same file be uploaded again', async () => {
    await t.database.exec(`
      create function refuse_exploding_user() returns trigger language plpgsql as $$
      begin
        if new.username = 'half.boom' then raise exception 'simulated failure'; end if;
        return new;
      end $$;
      create trigger refuse_exploding_user after insert on users for each row execute function refuse_exploding_user();`);
    try {
      const file = Buffer.from(csvOf([userRow('half.one'), userRow('half.boom'), userRow('half.three')]));
      const res = await upload(admin, 'half.csv', file);
      expect(res.json()).toMatchObject({ total: 3, valid: 3 });
      const seq = await lastAuditSeq();
      const commit = await admin.post(`/api/imports/batches/${res.json().batchId}/commit`, { mode: 'all_or_nothing' });
      expect(commit.statusCode).toBe(500);
      expect(await usersNamed(['half.one', 'half.boom', 'half.three'])).toEqual([]);
      expect(await lastAuditSeq()).toBe(seq);
      expect((await admin.get(`/api/imports/batches/${res.json().batchId}`)).json().status).toBe('failed');
      expect((await upload(admin, 'half.csv', file)).statusCode).toBe(200);
    } finally {
      await t.database.exec('drop trigger refuse_exploding_user on users; drop function refuse_exploding_user();');
    }
  });

  it('refuses the same file twice, pointing to the earlier batch', async () => {
    const file = Buffer.from(csvOf([userRow('same.file')]));
    const first = await upload(admin, 'same.csv', file);
    const second = await upload(admin, 'copy-of-same.csv', file);
    expect(second.statusCode).toBe(409);
    expect(second.json().error.code).toBe('IMPORT_FILE_ALREADY_IMPORTED');
    expect(second.json().error.message).toContain(`批次 #${first.json().batchId}，same.csv`);
  });
});

describe('who may import', () => {
  it('refuses users without users.write, and shows a batch only to its uploader and to administrators', async () => {
    const office = await Client.as(t.app, 'office');
    expect((await upload(office, 'x.csv', Buffer.from(csvOf([userRow('nope')])))).statusCode).toBe(403);
    expect((await office.get('/api/imports/users/template.xlsx')).statusCode).toBe(403);

    const writer = await makeRole(t.db, { code: 'user_keeper', permissions: ['users.read', 'users.write'], dataScope: 'all' });
    expect(writer).toBeGreaterThan(0);
    const keeperA = await makeUser(t.db, { username: 'keeper.a', roles: ['user_keeper'] });
    const keeperB = await makeUser(t.db, { username: 'keeper.b', roles: ['user_keeper'] });
    const a = await Client.as(t.app, keeperA.username, keeperA.password);
    const b = await Client.as(t.app, keeperB.username, keeperB.password);
    const res = await upload(a, 'keeper.csv', Buffer.from(csvOf([userRow('kept.one')])));
    expect(res.statusCode, res.body).toBe(200);
    const id = res.json().batchId;
    expect((await a.get(`/api/imports/batches/${id}`)).statusCode).toBe(200);
    expect((await admin.get(`/api/imports/batches/${id}`)).statusCode).toBe(200);
    expect((await b.get(`/api/imports/batches/${id}`)).statusCode).toBe(404);
    expect((await b.post(`/api/imports/batches/${id}/commit`, { mode: 'valid_only' })).statusCode).toBe(404);
    expect((await b.get(`/api/imports/batches/${id}/errors.xlsx`)).statusCode).toBe(404);
    // The office may import contacts (customers.import), so it passes the gate but not someone else's batch;
    // a rep may import nothing and is refused at the gate.
    expect((await office.get(`/api/imports/batches/${id}`)).statusCode).toBe(404);
    expect((await (await Client.as(t.app, 'rep')).get(`/api/imports/batches/${id}`)).statusCode).toBe(403);
  });
});

describe('file size', () => {
  it('accepts an upload above the 2 MB JSON body limit and refuses one above 10 MB with a clear message', async () => {
    const padding = 'x'.repeat(1500);
    const rows = Array.from({ length: 2000 }, () => ['', '', '', '', '', '', '', '', padding]);
    const big = Buffer.from(csvOf(rows, [...HEADERS, '备注']));
    expect(big.length).toBeGreaterThan(2 * 1024 * 1024);
    const ok = await upload(admin, 'padded.csv', big);
    expect(ok.statusCode, ok.body.slice(0, 200)).toBe(200);
    expect(ok.json()).toMatchObject({ total: 2000, valid: 0 });

    const huge = Buffer.alloc(10 * 1024 * 1024 + 10, 'a');
    const res = await upload(admin, 'huge.csv', huge);
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({ code: 'IMPORT_FILE_TOO_LARGE', message: '文件超过 10 MB，请拆分后再上传' });
  });
});
