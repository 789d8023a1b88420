import { and, eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../src/kernel/audit/audit.tables.js';
import { isApprovalNumber, isEan13 } from '../src/modules/products/products.rules.js';
import { Client, setupTest } from './support.js';

let t: Awaited<ReturnType<typeof setupTest>>;
let office: Client;
let rep: Client;
let quality: Client;

const amoxicillin = {
  code: 'T-AMX-025',
  genericName: '阿莫西林胶囊',
  tradeName: '阿莫仙',
  dosageForm: 'capsule',
  specification: '0.25g*24粒',
  packageUnit: 'box',
  unitsPerPackage: 24,
  approvalNumber: '国药准字H44021351',
  manufacturer: '测试制药有限公司',
  storageCondition: 'normal',
  prescriptionClass: 'rx',
  reimbursementClass: 'class_a',
  barcode: '6901234567892',
};

beforeAll(async () => {
  t = await setupTest({ demo: true });
  office = await Client.as(t.app, 'office');
  rep = await Client.as(t.app, 'rep');
  quality = await Client.as(t.app, 'quality');
});
afterAll(() => t.close());

describe('identifier formats', () => {
  it('accepts domestic and imported approval numbers and refuses the rest', () => {
    for (const ok of ['国药准字H20043225', '国药准字Z11020001', '国药准字S20130001', '国药准字J20150010', '国药准字HJ20200001', 'H20170001', 'HC20150012', ' 国药准字h20043225 ']) {
      expect(isApprovalNumber(ok), ok).toBe(true);
    }
    for (const bad of ['国药准字H2004322', '国药准字20043225', '国药准字H200432250', 'X20170001', '药准字H20043225', '']) {
      expect(isApprovalNumber(bad), bad).toBe(false);
    }
  });

  it('checks the EAN-13 check digit', () => {
    expect(isEan13('6901234567892')).toBe(true);
    expect(isEan13('6901234567891')).toBe(false);
    expect(isEan13('690123456789')).toBe(false);
  });
});

describe('products', () => {
  let id: number;

  it('adds a product, finds it by pinyin, initials, code and approval number, and audits the change', async () => {
    const res = await office.post('/api/products', amoxicillin);
    expect(res.statusCode, res.body).toBe(200);
    id = res.json().id;
    expect(res.json()).toMatchObject({ code: 'T-AMX-025', status: 'active', version: 1, documentsState: null });
    for (const q of ['阿莫西林', 'amoxilin', 'amxl', 'amx', 'T-AMX', '44021351', 'amoxian']) {
      const list = (await rep.get(`/api/products?q=${encodeURIComponent(q)}`)).json();
      expect(list.items.map((p: { id: number }) => p.id), q).toContain(id);
    }
    const [entry] = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'product.created'), eq(auditLog.entityId, String(id))));
    expect(entry).toBeDefined();
  });

  it('refuses a bad approval number, a bad barcode and a bad code with field errors in the user’s language', async () => {
    const res = await office.post('/api/products', { ...amoxicillin, code: 'T-BAD', approvalNumber: '国药准字H123', barcode: '6901234567891' });
    expect(res.statusCode).toBe(400);
    const fields = res.json().error.fields.map((f: { path: string }) => f.path);
    expect(fields).toEqual(expect.arrayContaining(['approvalNumber', 'barcode']));
    expect(res.json().error.fields.find((f: { path: string }) => f.path === 'approvalNumber').message).toContain('国药准字');
  });

  it('refuses a second active product with the same generic name, specification and manufacturer, and a taken code', async () => {
    const dup = await office.post('/api/products', { ...amoxicillin, code: 'T-AMX-OTHER' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('PRODUCT_DUPLICATE');
    const taken = await office.post('/api/products', { ...amoxicillin, specification: '0.5g*24粒' });
    expect(taken.json().error.code).toBe('PRODUCT_CODE_TAKEN');
  });

  it('changes a product with its version, refuses a stale version, and lets a discontinued product be re-listed under a new row', async () => {
    const upd = await quality.patch(`/api/products/${id}`, { ...amoxicillin, storageCondition: 'cool', status: 'discontinued', version: 1 });
    expect(upd.statusCode, upd.body).toBe(200);
    expect(upd.json()).toMatchObject({ storageCondition: 'cool', status: 'discontinued', version: 2 });
    const stale = await quality.patch(`/api/products/${id}`, { ...amoxicillin, status: 'active', version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('CONFLICT_VERSION');
    const again = await office.post('/api/products', { ...amoxicillin, code: 'T-AMX-025B' });
    expect(again.statusCode, again.body).toBe(200);
    const [entry] = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'product.updated'), eq(auditLog.entityId, String(id))));
    expect(entry.before).toMatchObject({ storageCondition: 'normal' });
    expect(entry.after).toMatchObject({ storageCondition: 'cool' });
  });

  it('filters by status, storage and prescription class, sorts, and exports the same list to Excel', async () => {
    const list = (await rep.get('/api/products?status=discontinued&storageCondition=cool&prescriptionClass=rx&sort=-code')).json();
    expect(list.items.map((p: { code: string }) => p.code)).toContain('T-AMX-025');
    expect(list.items.every((p: { status: string }) => p.status === 'discontinued')).toBe(true);
    const xlsx = await rep.get('/api/products/export.xlsx?status=discontinued');
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0];
    expect(sheet.getRow(1).getCell(1).value).toBe('产品编码');
    const codes: unknown[] = [];
    sheet.eachRow((row, n) => n > 1 && codes.push(row.getCell(1).value));
    expect(codes).toContain('T-AMX-025');
    expect(codes).toHaveLength((await rep.get('/api/products?status=discontinued&pageSize=200')).json().total);
  });

  it('refuses writes to a rep (403) and hides the catalogue from the agent portal', async () => {
    expect((await rep.post('/api/products', { ...amoxicillin, code: 'T-REP' })).statusCode).toBe(403);
    const agent = await Client.as(t.app, 'agent');
    expect((await agent.get('/api/products')).statusCode).toBe(403);
  });

  it('keeps product lines and filters the catalogue by a line and its sub-lines', async () => {
    const line = await office.post('/api/product-lines', { name: '测试抗感染', sort: 1 });
    expect(line.statusCode, line.body).toBe(200);
    const sub = await office.post('/api/product-lines', { name: '测试青霉素类', parentId: line.json().id });
    const p = await office.post('/api/products', { ...amoxicillin, code: 'T-LINE', specification: '0.5g*12粒', barcode: null, productLineId: sub.json().id });
    expect(p.statusCode, p.body).toBe(200);
    const list = (await rep.get(`/api/products?productLineId=${line.json().id}`)).json();
    expect(list.items.map((x: { code: string }) => x.code)).toEqual(['T-LINE']);
    expect((await office.post('/api/product-lines', { name: '测试抗感染' })).json().error.code).toBe('PRODUCT_LINE_NAME_TAKEN');
  });
});

describe('product documents', () => {
  let productId: number;
  const today = () => new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
  const plusDays = (n: number) => {
    const d = new Date(`${today()}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + n);
    return d.toISOString().slice(0, 10);
  };

  beforeAll(async () => {
    productId = (await office.post('/api/products', { ...amoxicillin, code: 'T-DOCS', specification: '0.125g*36粒', barcode: null })).json().id;
  });

  it('computes valid, expiring and expired, and shows the worst state on the product', async () => {
    const long = await quality.post(`/api/products/${productId}/documents`, { kind: 'package_insert', number: null, issuedOn: '2020-01-01', expiresOn: null });
    expect(long.statusCode, long.body).toBe(200);
    expect(long.json().expiryState).toBe('valid');
    expect((await rep.get(`/api/products/${productId}`)).json().documentsState).toBe('valid');
    const soon = await quality.post(`/api/products/${productId}/documents`, { kind: 'registration', number: '2021S00123', issuedOn: '2021-01-01', expiresOn: plusDays(10) });
    expect(soon.json().expiryState).toBe('expiring');
    expect((await rep.get(`/api/products/${productId}`)).json().documentsState).toBe('expiring');
    const old = await quality.post(`/api/products/${productId}/documents`, { kind: 'inspection_report', number: 'JY-1', issuedOn: '2024-01-01', expiresOn: plusDays(-1) });
    expect(old.json().expiryState).toBe('expired');
    expect((await rep.get(`/api/products/${productId}`)).json().documentsState).toBe('expired');
    const todayDoc = await quality.post(`/api/products/${productId}/documents`, { kind: 'gmp', expiresOn: today() });
    expect(todayDoc.json().expiryState).toBe('expiring');
  });

  it('refuses an expiry before the issue date', async () => {
    const res = await quality.post(`/api/products/${productId}/documents`, { kind: 'gmp', issuedOn: '2025-01-02', expiresOn: '2025-01-01' });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.fields[0].path).toBe('expiresOn');
  });

  it('takes files through the attachments kernel, listed with the document', async () => {
    const doc = (await quality.post(`/api/products/${productId}/documents`, { kind: 'price_approval', number: '粤价〔2025〕12号' })).json();
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(512, 0x20), Buffer.from('\n%%EOF\n')]);
    const up = await quality.upload(`/api/documents/product_document/${doc.id}/attachments`, '价格批文.pdf', pdf);
    expect(up.statusCode, up.body).toBe(200);
    expect((await rep.get(`/api/documents/product_document/${doc.id}/attachments`)).json().items).toHaveLength(1);
    const docs = (await rep.get(`/api/products/${productId}/documents`)).json().items;
    expect(docs.find((d: { id: number }) => d.id === doc.id).attachmentCount).toBe(1);
    const agent = await Client.as(t.app, 'agent');
    expect((await agent.get(`/api/documents/product_document/${doc.id}/attachments`)).statusCode).toBe(404);
    // Readers see the files; only who maintains the catalogue adds or removes them.
    expect((await rep.upload(`/api/documents/product_document/${doc.id}/attachments`, '假文件.pdf', pdf)).statusCode).toBe(403);
    expect((await rep.delete(`/api/attachments/${up.json().id}`)).statusCode).toBe(403);
  });

  it('changes and removes a document with audit', async () => {
    const doc = (await quality.post(`/api/products/${productId}/documents`, { kind: 'other', notes: '草稿' })).json();
    const upd = await quality.patch(`/api/product-documents/${doc.id}`, { kind: 'other', notes: '定稿', version: doc.version });
    expect(upd.statusCode, upd.body).toBe(200);
    expect(upd.json().notes).toBe('定稿');
    expect((await quality.delete(`/api/product-documents/${doc.id}`)).statusCode).toBe(204);
    expect((await rep.delete(`/api/product-documents/${doc.id}`)).statusCode).toBe(403);
    const actions = (await t.db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.entityId, String(productId)))).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['product_document.created', 'product_document.updated', 'product_document.deleted']));
  });
});

describe('product import', () => {
  it('offers a template and imports valid rows, refusing bad approval numbers and barcodes row by row', async () => {
    const tpl = await office.get('/api/imports/products/template.xlsx');
    expect(tpl.statusCode).toBe(200);
    const csv = [
      '产品编码,通用名,商品名,剂型,规格,包装单位,包装数量,批准文号,生产企业,储存条件,处方分类,医保类别,条形码,产品线',
      'T-IMP-1,布洛芬缓释胶囊,芬必得,胶囊剂,0.3g*20粒,盒,20,国药准字H10900089,导入测试药业,常温,乙类OTC,医保乙类,,',
      'T-IMP-2,头孢克肟片,,片剂,0.1g*6片,盒,6,国药准字H123,导入测试药业,阴凉,处方药,,6901234567891,',
    ].join('\n');
    const up = await office.upload('/api/imports/products', 'products.csv', Buffer.from(csv, 'utf8'));
    expect(up.statusCode, up.body).toBe(200);
    const batch = up.json();
    expect(batch.valid, JSON.stringify(batch.errors)).toBe(1);
    expect(batch.errors.map((e: { column: string }) => e.column)).toEqual(["批准文号", "条形码"]);
    const commit = await office.post(`/api/imports/batches/${batch.batchId}/commit`, { mode: 'valid_only' });
    expect(commit.statusCode, commit.body).toBe(200);
    const list = (await office.get('/api/products?q=T-IMP')).json();
    expect(list.items.map((p: { code: string }) => p.code)).toEqual(['T-IMP-1']);
    expect(list.items[0]).toMatchObject({ dosageForm: 'capsule', prescriptionClass: 'otc_b', reimbursementClass: 'class_b', unitsPerPackage: 20 });
  });
});

describe('demo catalogue', () => {
  it('loads once, with valid identifiers, cold-chain products, and an expired and an expiring document', async () => {
    const { loadDemoCatalogue, DEMO_PRODUCTS } = await import('../src/demo/demo-catalogue.js');
    expect(await loadDemoCatalogue(t.db)).toBe(false);
    for (const p of DEMO_PRODUCTS) expect(isApprovalNumber(p.approval), p.approval).toBe(true);
    const list = (await rep.get('/api/products?q=HK&pageSize=100')).json();
    expect(list.total).toBe(DEMO_PRODUCTS.length);
    for (const p of list.items) if (p.barcode) expect(isEan13(p.barcode), p.barcode).toBe(true);
    expect((await rep.get('/api/products?storageCondition=cold_chain')).json().total).toBeGreaterThanOrEqual(2);
    const states = list.items.map((p: { documentsState: string }) => p.documentsState);
    expect(states).toContain('expired');
    expect(states).toContain('expiring');
    const tenders = (await rep.get('/api/prices?kind=tender&pageSize=1')).json();
    expect(tenders.total).toBeGreaterThan(20);
  });
});
