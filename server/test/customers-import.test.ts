import ExcelJS from 'exceljs';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { departments, users } from '../src/kernel/access/access.tables.js';
import { auditLog } from '../src/kernel/audit/audit.tables.js';
import { customers } from '../src/modules/customers/customers.tables.js';
import { Client, creditCodeFrom, setupTest } from './support.js';

let t: Awaited<ReturnType<typeof setupTest>>;
let office: Client;

beforeAll(async () => {
  t = await setupTest({ demo: true });
  office = await Client.as(t.app, 'office');
});
afterAll(() => t.close());

const HEADERS = ['客户名称', '简称', '别名', '类型', '统一社会信用代码', '省', '市', '区县', '地区编码', '负责业务员', '医院等级', '客户来源', '分级', '信用额度（元）', '账期（天）', '开票抬头', '税号', '备注'];
type Row = Partial<Record<(typeof HEADERS)[number], string>>;

async function xlsxOf(rows: Row[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('客户');
  sheet.addRow(HEADERS);
  for (const r of rows) sheet.addRow(HEADERS.map((h) => r[h] ?? ''));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

let fileNo = 0;
async function uploadRows(client: Client, rows: Row[]) {
  return client.upload('/api/imports/customers', `客户-${++fileNo}.xlsx`, await xlsxOf(rows));
}

const named = (names: string[]) => t.db.select().from(customers).where(inArray(customers.name, names));

describe('the customer import template', () => {
  it('has every column with a note, an example row and the customer types as a drop-down', async () => {
    const res = await office.get('/api/imports/customers/template.xlsx');
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const [data, lists, notes] = wb.worksheets;
    const headers = (data!.getRow(1).values as string[]).slice(1);
    for (const h of ['客户名称', '类型', '统一社会信用代码', '省', '市', '区县', '地区编码', '负责业务员', '信用额度（元）', '账期（天）', '开票抬头', '备注']) expect(headers).toContain(h);
    expect(data!.getRow(2).getCell(1).value).toBe('杭州市第一人民医院');
    expect(lists!.getColumn(1).values).toContain('医院');
    expect(notes!.rowCount).toBeGreaterThan(headers.length);
  });
});

describe('importing customers', () => {
  it('creates the customers of a good file with their owners, territories and exact credit limits, audited', async () => {
    const rows: Row[] = [
      { 客户名称: '宁波市测试第一医院', 类型: '医院', 统一社会信用代码: creditCodeFrom('12330200000000001'), 省: '浙江', 市: '宁波市', 区县: '海曙', 医院等级: '三甲', 分级: 'A', 客户来源: '业务员开发' },
      // A municipality: 市 repeats the province; the owner by display name (张伟 = rep); credit limit with thousands separators and fen.
      { 客户名称: '上海测试医药有限公司', 简称: '沪测医药', 别名: '上海测试医药;沪测', 类型: '经销商', 统一社会信用代码: creditCodeFrom('91310104000000002'), 省: '上海市', 市: '上海市', 区县: '徐汇区', 负责业务员: '张伟', '信用额度（元）': '1,234,567.89', '账期（天）': '60', 开票抬头: '上海测试医药有限公司', 税号: creditCodeFrom('91310104000000002') },
      // By territory code, owner by username.
      { 客户名称: '广州测试大药房（天河店）', 类型: '零售药店/连锁', 地区编码: '440106', 负责业务员: 'rep_gd', '信用额度（元）': '0.1' },
    ];
    const res = await uploadRows(office, rows);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ total: 3, valid: 3, errors: [] });
    const commit = await office.post(`/api/imports/batches/${res.json().batchId}/commit`, { mode: 'all_or_nothing' });
    expect(commit.statusCode, commit.body).toBe(200);
    expect(commit.json().result.committed).toBe(3);

    const created = await named(rows.map((r) => r.客户名称!));
    const byName = new Map(created.map((c) => [c.name, c]));
    const [rep] = await t.db.select().from(users).where(eq(users.username, 'rep'));
    const [repGd] = await t.db.select().from(users).where(eq(users.username, 'rep_gd'));
    expect(byName.get('宁波市测试第一医院')).toMatchObject({ type: 'hospital', territoryId: '330203', territoryPath: '/330000/330200/330203/', hospitalGrade: '3A', grade: 'A', source: 'rep', ownerId: null, creditLimitFen: 0n });
    expect(byName.get('上海测试医药有限公司')).toMatchObject({
      type: 'distributor',
      territoryId: '310104',
      ownerId: rep!.id,
      ownerDepartmentId: rep!.departmentId,
      creditLimitFen: 123456789n,
      paymentTermsDays: 60,
      shortName: '沪测医药',
      aliases: ['上海测试医药', '沪测'],
      invoiceTitle: '上海测试医药有限公司',
    });
    expect(byName.get('广州测试大药房（天河店）')).toMatchObject({ type: 'pharmacy', territoryId: '440106', ownerId: repGd!.id, creditLimitFen: 10n });
    expect(byName.get('宁波市测试第一医院')!.code).toMatch(/^KH\d{6}$/);

    const audits = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'customer.created'), inArray(auditLog.entityId, created.map((c) => String(c.id)))));
    expect(audits).toHaveLength(3);
    expect(audits[0]!.actorName).toBe('李娜');
    // The rep now finds the imported customer in the list, by pinyin initials too.
    const list = await (await Client.as(t.app, 'rep')).get(`/api/customers?q=${encodeURIComponent('shcsyy')}`);
    expect(list.json().items.map((c: { name: string }) => c.name)).toContain('上海测试医药有限公司');
  });

  it('reports every bad row with its row number and reason, and creates nothing in all-or-nothing mode', async () => {
    const rows: Row[] = [
      { 客户名称: '杭州测试好医院', 类型: '医院', 省: '浙江省', 市: '杭州市', 区县: '上城区' },
      { 客户名称: '坏代码诊所', 类型: '诊所', 统一社会信用代码: '91310000000000000X', 省: '浙江省' },
      { 客户名称: '无地区药店', 类型: '药店' },
      { 客户名称: '火星诊所', 类型: '诊所', 省: '火星省' },
      { 客户名称: '朝阳测试诊所', 类型: '诊所', 区县: '朝阳区' },
      { 客户名称: '无名业务员药店', 类型: '药店', 省: '浙江', 负责业务员: 'nobody_here' },
      { 客户名称: '金额错药店', 类型: '药店', 省: '浙江', '信用额度（元）': '12.345' },
      { 客户名称: '等级错药店', 类型: '药店', 省: '浙江', 医院等级: '三甲' },
      { 客户名称: '类型错公司', 类型: '外星人', 省: '浙江' },
    ];
    const res = await uploadRows(office, rows);
    expect(res.statusCode).toBe(200);
    const { batchId, total, valid, errors } = res.json() as { batchId: number; total: number; valid: number; errors: { row: number; column: string; message: string }[] };
    expect({ total, valid }).toEqual({ total: 9, valid: 1 });
    const at = (row: number) => errors.filter((e) => e.row === row).map((e) => `${e.column}：${e.message}`).join(' / ');
    expect(at(3)).toContain('统一社会信用代码');
    expect(at(3)).toContain('校验位');
    expect(at(4)).toContain('请填写省、市、区县中的至少一项');
    expect(at(5)).toContain('找不到区域“火星省”');
    expect(at(6)).toContain('有多个区域名为“朝阳区”');
    expect(at(7)).toContain('找不到用户“nobody_here”');
    expect(at(8)).toContain('不是金额');
    expect(at(9)).toContain('只有医院才有医院等级');
    expect(at(10)).toContain('不是可选值');
    expect(at(2)).toBe('');

    const commit = await office.post(`/api/imports/batches/${batchId}/commit`, { mode: 'all_or_nothing' });
    expect(commit.statusCode).toBe(422);
    expect(commit.json().error.code).toBe('IMPORT_HAS_ERRORS');
    expect(await named(rows.map((r) => r.客户名称!))).toHaveLength(0);

    const errorsFile = await office.get(`/api/imports/batches/${batchId}/errors.xlsx`);
    expect(errorsFile.statusCode).toBe(200);
  });

  it('explains row errors in English to an office user who chose English', async () => {
    const lead = await Client.as(t.app, 'office_lead');
    expect((await lead.patch('/api/auth/me/preferences', { locale: 'en-US' })).statusCode).toBeLessThan(300);
    const up = await lead.upload('/api/imports/customers', 'en.xlsx', await xlsxOf([{ 客户名称: '英文测试诊所', 类型: 'Clinic', 省: 'Nowhere' }]));
    expect(up.statusCode).toBe(200);
    expect(up.json().errors[0]).toMatchObject({ row: 2, column: 'Province', message: 'No territory named "Nowhere"' });
  });

  it('refuses duplicates of existing customers and of other rows of the file, by normalised name and by credit code', async () => {
    const existingCode = creditCodeFrom('91310104000000002'); // imported above
    const rows: Row[] = [
      { 客户名称: '北京協和醫院', 类型: '医院', 省: '北京' }, // the demo's 北京协和医院 in traditional characters
      { 客户名称: '完全新的医药公司', 类型: '经销商', 统一社会信用代码: existingCode, 省: '上海' },
      { 客户名称: '重复测试诊所', 类型: '诊所', 统一社会信用代码: creditCodeFrom('52330100000000003'), 省: '浙江' },
      { 客户名称: '重复测试诊所（有限公司）', 类型: '诊所', 省: '浙江' },
      { 客户名称: '另一家测试诊所', 类型: '诊所', 统一社会信用代码: creditCodeFrom('52330100000000003'), 省: '浙江' },
    ];
    const res = await uploadRows(office, rows);
    const errors = res.json().errors as { row: number; column: string; message: string }[];
    const at = (row: number) => errors.filter((e) => e.row === row).map((e) => e.message).join(' / ');
    expect(at(2)).toContain('客户「北京协和医院」');
    expect(at(2)).toContain('郑浩'); // its owner, so the office knows whom to ask
    expect(at(3)).toContain('统一社会信用代码已被客户「上海测试医药有限公司」');
    expect(at(4)).toBe('');
    expect(at(5)).toContain('与文件第 4 行重复');
    expect(at(6)).toContain('与文件第 4 行重复');
    // valid_only writes the one good row and nothing else.
    const commit = await office.post(`/api/imports/batches/${res.json().batchId}/commit`, { mode: 'valid_only' });
    expect(commit.json().result.committed).toBe(1);
    expect((await named(['重复测试诊所', '另一家测试诊所', '完全新的医药公司'])).map((c) => c.name)).toEqual(['重复测试诊所']);
    const [{ n }] = await t.db.select({ n: sql<number>`count(*)::int` }).from(customers).where(eq(customers.nameKey, '北京协和医院'));
    expect(n).toBe(1);
  });

  it('re-checks at commit: a customer created after the upload makes its row a duplicate', async () => {
    const rows: Row[] = [{ 客户名称: '后来者测试医院', 类型: '医院', 省: '江苏', 市: '南京' }];
    const res = await uploadRows(office, rows);
    expect(res.json().valid).toBe(1);
    const other = await uploadRows(office, [{ ...rows[0], 简称: '抢先' }]);
    expect((await office.post(`/api/imports/batches/${other.json().batchId}/commit`, { mode: 'all_or_nothing' })).statusCode).toBe(200);
    const late = await office.post(`/api/imports/batches/${res.json().batchId}/commit`, { mode: 'all_or_nothing' });
    expect(late.statusCode).toBe(422);
    expect(await named(['后来者测试医院'])).toHaveLength(1);
  });

  it('commits a batch once, even when two clicks arrive together', async () => {
    const res = await uploadRows(office, [{ 客户名称: '并发测试药店', 类型: '药店', 省: '福建' }]);
    const both = await Promise.all([1, 2].map(() => office.post(`/api/imports/batches/${res.json().batchId}/commit`, { mode: 'all_or_nothing' })));
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(await named(['并发测试药店'])).toHaveLength(1);
  });

  it('lets only the sales office import customers: a rep, a manager and finance get 403', async () => {
    for (const user of ['rep', 'east_manager', 'finance', 'agent']) {
      const c = await Client.as(t.app, user);
      expect((await c.get('/api/imports/customers/template.xlsx')).statusCode, user).toBe(403);
      expect((await c.upload('/api/imports/customers', 'x.xlsx', await xlsxOf([{ 客户名称: '越权', 类型: '医院', 省: '浙江' }]))).statusCode, user).toBe(403);
    }
    // Another office user cannot see or commit someone else's batch (it looks missing).
    const res = await uploadRows(office, [{ 客户名称: '别人的批次药店', 类型: '药店', 省: '福建' }]);
    const lead = await Client.as(t.app, 'office_lead');
    expect((await lead.get(`/api/imports/batches/${res.json().batchId}`)).statusCode).toBe(404);
    expect((await lead.post(`/api/imports/batches/${res.json().batchId}/commit`, { mode: 'all_or_nothing' })).statusCode).toBe(404);
  });

  it('gives imported customers the owner’s team, so the team lead and regional manager see them', async () => {
    const [dept] = await t.db.select().from(departments).where(eq(departments.name, '上海一组'));
    const [c] = await named(['上海测试医药有限公司']);
    expect(c!.ownerDepartmentId).toBe(dept!.id);
    const lead = await Client.as(t.app, 'team_lead');
    expect((await lead.get(`/api/customers/${c!.id}`)).statusCode).toBe(200);
    expect((await (await Client.as(t.app, 'rep_js')).get(`/api/customers/${c!.id}`)).statusCode).toBe(404);
  });
});
