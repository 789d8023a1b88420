import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../src/kernel/access/actor.js';
import { rowsOf } from '../src/kernel/db/client.js';
import { vatOfGross } from '../src/kernel/money.js';
import { cancelInvoice, createDraftInvoice, createRedInvoice, invoiceableLines, issueInvoice, redPendingLines } from '../src/modules/finance/invoices.service.js';
import { actorOfUser, billableCustomer, closePeriod, orderLine, shippedOrder } from './finance-fixtures.js';
import { Client, setupTest } from './support.js';

describe('invoices 开票', () => {
  let t: Awaited<ReturnType<typeof setupTest>>;
  let finance: Actor;
  const tz = 'Asia/Shanghai';
  let taxSeq = 1000;
  const nextTaxNo = () => `2431200000000${taxSeq++}`;

  beforeAll(async () => {
    t = await setupTest({ demo: true, demoCustomers: false });
    finance = await actorOfUser(t.db, 'finance');
  });
  afterAll(async () => t.close());

  const draft = (customerId: number, lines: { orderLineId: number; quantity: number }[], invoiceType: 'special' | 'normal' = 'special') =>
    createDraftInvoice(t.db, finance, { customerId, invoiceType, lines }, tz);
  const issue = (id: number, version: number, issuedOn = '2026-11-20') => issueInvoice(t.db, finance, id, { version, taxInvoiceNo: nextTaxNo(), issuedOn });

  it('invoices shipped goods from the worklist, counts them as invoiced on issue and sets the due date from the payment terms', async () => {
    const c = await billableCustomer(t.db, 'rep', { paymentTermsDays: 45 });
    const { lineIds } = await shippedOrder(t.db, c.id, [{ quantity: 10, shipped: 6, unitPriceFen: 1000n }]);
    const before = await invoiceableLines(t.db, finance, { customerId: c.id });
    expect(before.map((l) => [l.orderLineId, l.invoiceableQty])).toEqual([[lineIds[0], 6]]);

    const inv = await draft(c.id, [{ orderLineId: lineIds[0]!, quantity: 4 }]);
    expect(inv).toMatchObject({ kind: 'blue', status: 'draft', amountFen: 4000n, taxFen: vatOfGross(4000n, 1300) });
    expect(inv.number).toMatch(/^KP\d{6}-\d{5}$/);
    // A draft holds its quantity: the worklist shows only what is left, invoiced_qty not yet moved.
    expect((await invoiceableLines(t.db, finance, { customerId: c.id }))[0]!.invoiceableQty).toBe(2);
    expect((await orderLine(t.db, lineIds[0]!)).invoiced_qty).toBe(0);

    const issued = await issue(inv.id, inv.version, '2026-11-20');
    expect(issued).toMatchObject({ status: 'issued', issuedOn: '2026-11-20', dueOn: '2027-01-04', openFen: 4000n });
    expect((await orderLine(t.db, lineIds[0]!)).invoiced_qty).toBe(4);
  });

  it('never invoices more than was shipped and not yet invoiced, counting drafts', async () => {
    const c = await billableCustomer(t.db, 'rep');
    const { lineIds } = await shippedOrder(t.db, c.id, [{ quantity: 10, shipped: 5, returned: 1, unitPriceFen: 1000n }]);
    await expect(draft(c.id, [{ orderLineId: lineIds[0]!, quantity: 5 }])).rejects.toMatchObject({ code: 'INVOICE_EXCEEDS_SHIPPED', params: { available: 4 } });
    await draft(c.id, [{ orderLineId: lineIds[0]!, quantity: 3 }]);
    await expect(draft(c.id, [{ orderLineId: lineIds[0]!, quantity: 2 }])).rejects.toMatchObject({ code: 'INVOICE_EXCEEDS_SHIPPED', params: { available: 1 } });
    // Another customer's line cannot be put on this customer's invoice.
    const other = await billableCustomer(t.db, 'rep');
    await expect(draft(other.id, [{ orderLineId: lineIds[0]!, quantity: 1 }])).rejects.toMatchObject({ code: 'INVOICE_LINE_NOT_OF_CUSTOMER' });
  });

  it('never over-invoices when two clerks invoice the same lines at once', async () => {
    const c = await billableCustomer(t.db, 'rep');
    const { lineIds } = await shippedOrder(t.db, c.id, [{ quantity: 8, unitPriceFen: 500n }, { quantity: 3, unitPriceFen: 700n }]);
    const lines = [{ orderLineId: lineIds[1]!, quantity: 3 }, { orderLineId: lineIds[0]!, quantity: 8 }];
    const results = await Promise.allSettled([draft(c.id, lines), draft(c.id, [...lines].reverse()), draft(c.id, lines)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'INVOICE_EXCEEDS_SHIPPED' });
    const inv = (results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<Awaited<ReturnType<typeof draft>>>).value;
    await Promise.allSettled([issue(inv.id, inv.version), issue(inv.id, inv.version)]);
    expect((await orderLine(t.db, lineIds[0]!)).invoiced_qty).toBe(8);
    expect((await orderLine(t.db, lineIds[1]!)).invoiced_qty).toBe(3);
  });

  it('rounds VAT once per line and, invoiced in parts, adds up to the discounted order line exactly', async () => {
    const c = await billableCustomer(t.db, 'rep');
    // 7 × ¥3.33 − ¥0.05 discount = ¥23.26; VAT 13 % and 9 % lines.
    const { lineIds } = await shippedOrder(t.db, c.id, [
      { quantity: 7, unitPriceFen: 333n, discountFen: 5n, vatRateBp: 1300 },
      { quantity: 3, unitPriceFen: 101n, vatRateBp: 900 },
    ]);
    const parts = [2, 2, 3];
    let sum = 0n;
    for (const q of parts) {
      const inv = await draft(c.id, [{ orderLineId: lineIds[0]!, quantity: q }]);
      const line = inv.lines[0]!;
      expect(line.taxFen).toBe(vatOfGross(line.amountFen, 1300));
      sum += line.amountFen;
      await issue(inv.id, inv.version);
    }
    expect(sum).toBe(2326n);
    const two = await draft(c.id, [{ orderLineId: lineIds[1]!, quantity: 3 }]);
    expect(two.lines[0]).toMatchObject({ amountFen: 303n, taxFen: 25n }); // 303 × 900 / 10900 = 25.02 → 25
    expect(two.taxFen).toBe(two.lines.reduce((s, l) => s + l.taxFen, 0n));
  });

  it('refuses a special VAT invoice (专票) for a customer without invoicing data, but allows a normal one', async () => {
    const c = await billableCustomer(t.db, 'rep', { invoiceData: false });
    const { lineIds } = await shippedOrder(t.db, c.id, [{ quantity: 2, unitPriceFen: 1000n }]);
    await expect(draft(c.id, [{ orderLineId: lineIds[0]!, quantity: 2 }], 'special')).rejects.toMatchObject({ code: 'INVOICE_SPECIAL_DATA_MISSING', status: 422 });
    await expect(draft(c.id, [{ orderLineId: lineIds[0]!, quantity: 2 }], 'normal')).resolves.toMatchObject({ invoiceType: 'normal' });
  });

  it('keeps tax numbers unique, cancels drafts and refuses issuing into a closed month', async () => {
    const c = await billableCustomer(t.db, 'rep');
    const { lineIds } = await shippedOrder(t.db, c.id, [{ quantity: 3, unitPriceFen: 1000n }]);
    const a = await draft(c.id, [{ orderLineId: lineIds[0]!, quantity: 1 }]);
    const b = await draft(c.id, [{ orderLineId: lineIds[0]!, quantity: 1 }]);
    await issueInvoice(t.db, finance, a.id, { version: a.version, taxInvoiceNo: '88880001', issuedOn: '2026-11-20' });
    await expect(issueInvoice(t.db, finance, b.id, { version: b.version, taxInvoiceNo: '88880001', issuedOn: '2026-11-20' })).rejects.toMatchObject({ code: 'INVOICE_TAX_NUMBER_TAKEN' });
    await closePeriod(t.db, '2025-06');
    await expect(issueInvoice(t.db, finance, b.id, { version: b.version, taxInvoiceNo: '88880002', issuedOn: '2025-06-30' })).rejects.toMatchObject({ code: 'PERIOD_CLOSED' });
    await expect(issueInvoice(t.db, finance, b.id, { version: b.version + 5, taxInvoiceNo: '88880002', issuedOn: '2026-11-20' })).rejects.toMatchObject({ code: 'CONFLICT_VERSION' });
    const cancelled = await cancelInvoice(t.db, finance, b.id, b.version, '开错了');
    expect(cancelled.status).toBe('cancelled');
    // The cancelled draft gives its quantity back.
    expect((await invoiceableLines(t.db, finance, { customerId: c.id }))[0]!.invoiceableQty).toBe(2);
    // An issued invoice is not cancelled: it is corrected by a red invoice.
    await expect(cancelInvoice(t.db, finance, a.id, a.version + 1, null)).rejects.toMatchObject({ code: 'TRANSITION_NOT_ALLOWED', status: 409 });
  });

  it('writes red invoices only within what the blue invoice invoiced, lowers invoiced_qty and credits the open amount', async () => {
    const c = await billableCustomer(t.db, 'rep');
    const { lineIds } = await shippedOrder(t.db, c.id, [{ quantity: 10, unitPriceFen: 1000n }, { quantity: 5, unitPriceFen: 200n }]);
    const blue0 = await draft(c.id, [{ orderLineId: lineIds[0]!, quantity: 10 }, { orderLineId: lineIds[1]!, quantity: 5 }]);
    const blue = await issue(blue0.id, blue0.version);
    expect(blue.amountFen).toBe(11000n);
    // Goods came back after invoicing: 3 of line 1.
    await t.db.execute(sql`update sales_order_lines set returned_qty = 3 where id = ${lineIds[0]}`);
    const pending = await redPendingLines(t.db, finance, { customerId: c.id });
    expect(pending.map((p) => [p.orderLineId, p.excessQty])).toEqual([[lineIds[0], 3]]);

    await expect(createRedInvoice(t.db, finance, { originalInvoiceId: blue.id, reason: '退货', lines: [{ orderLineId: lineIds[0]!, quantity: 11 }] }, tz)).rejects.toMatchObject({ code: 'INVOICE_RED_EXCEEDS' });
    const red0 = await createRedInvoice(t.db, finance, { originalInvoiceId: blue.id, reason: '退货', lines: [{ orderLineId: lineIds[0]!, quantity: 3 }] }, tz);
    expect(red0).toMatchObject({ kind: 'red', amountFen: -3000n, taxFen: vatOfGross(-3000n, 1300), originalInvoiceId: blue.id });
    // A second red cannot take more than is left (10 − 3 on the draft).
    await expect(createRedInvoice(t.db, finance, { originalInvoiceId: blue.id, reason: '更正', lines: [{ orderLineId: lineIds[0]!, quantity: 8 }] }, tz)).rejects.toMatchObject({ code: 'INVOICE_RED_EXCEEDS', params: { available: 7 } });
    const red = await issue(red0.id, red0.version);
    expect(red).toMatchObject({ status: 'issued', creditedFen: 3000n, openFen: 0n });
    expect((await orderLine(t.db, lineIds[0]!)).invoiced_qty).toBe(7);
    expect(await redPendingLines(t.db, finance, { customerId: c.id })).toEqual([]);
    const after = await (await import('../src/modules/finance/invoices.service.js')).getInvoice(t.db, finance, blue.id);
    expect(after).toMatchObject({ creditedFen: 3000n, openFen: 8000n });
    expect(after.lines.find((l) => l.orderLineId === lineIds[0])!.redQty).toBe(3);
    // A red for the rest of line 2 when the blue is already paid: it becomes the customer's credit.
    await t.db.execute(sql`update invoices set paid_fen = 8000 where id = ${blue.id}`);
    const red2 = await createRedInvoice(t.db, finance, { originalInvoiceId: blue.id, reason: '折让', lines: [{ orderLineId: lineIds[1]!, quantity: 5 }] }, tz);
    const red2i = await issue(red2.id, red2.version);
    expect(red2i).toMatchObject({ amountFen: -1000n, creditedFen: 0n, openFen: -1000n });
    // Red against a red, or against a draft, is refused.
    await expect(createRedInvoice(t.db, finance, { originalInvoiceId: red.id, reason: 'x x', lines: [{ orderLineId: lineIds[0]!, quantity: 1 }] }, tz)).rejects.toMatchObject({ code: 'INVOICE_RED_NEEDS_ISSUED_BLUE' });
  });

  it('shows a rep only the invoices of their own customers and lets only finance write', async () => {
    const mine = await billableCustomer(t.db, 'rep');
    const theirs = await billableCustomer(t.db, 'rep2');
    const a = await shippedOrder(t.db, mine.id, [{ quantity: 2, unitPriceFen: 1000n }]);
    const b = await shippedOrder(t.db, theirs.id, [{ quantity: 2, unitPriceFen: 1000n }]);
    const fin = await Client.as(t.app, 'finance');
    const invA = (await fin.post('/api/invoices', { customerId: mine.id, invoiceType: 'special', lines: [{ orderLineId: a.lineIds[0], quantity: 2 }] })).json();
    expect(invA.amountFen).toBe('2000');
    const resB = await fin.post('/api/invoices', { customerId: theirs.id, invoiceType: 'normal', lines: [{ orderLineId: b.lineIds[0], quantity: 2 }] });
    expect(resB.statusCode).toBe(200);
    const issued = await fin.post(`/api/invoices/${invA.id}/issue`, { version: invA.version, taxInvoiceNo: nextTaxNo(), issuedOn: '2026-11-21' });
    expect(issued.json()).toMatchObject({ status: 'issued', dueOn: '2026-12-21' });

    const rep = await Client.as(t.app, 'rep');
    const list = (await rep.get('/api/invoices?pageSize=200')).json();
    expect(list.items.map((i: { customerId: number }) => i.customerId)).toContain(mine.id);
    expect(list.items.map((i: { customerId: number }) => i.customerId)).not.toContain(theirs.id);
    expect((await rep.get(`/api/invoices/${resB.json().id}`)).statusCode).toBe(404);
    expect((await rep.post('/api/invoices', { customerId: mine.id, invoiceType: 'special', lines: [{ orderLineId: a.lineIds[0], quantity: 1 }] })).statusCode).toBe(403);
    const worklist = (await rep.get('/api/invoices/invoiceable')).json();
    expect(worklist.items.every((l: { customerId: number }) => l.customerId !== theirs.id)).toBe(true);
    const bad = await fin.post(`/api/invoices/${invA.id}/issue`, { version: 1, taxInvoiceNo: '', issuedOn: '2026-13-01' });
    expect(bad.statusCode).toBe(400);
    const [{ n }] = rowsOf<{ n: number }>(await t.db.execute(sql`select count(*)::int as n from audit_log where entity = 'invoice' and entity_id = ${String(invA.id)}`));
    expect(n).toBeGreaterThanOrEqual(2);
  });
  it('issues drafts from the tax system’s Excel export, matched by our number or by customer and amount', async () => {
    const c = await billableCustomer(t.db, 'rep', { name: '导入测试医院' });
    const { lineIds } = await shippedOrder(t.db, c.id, [{ quantity: 5, unitPriceFen: 1000n }, { quantity: 5, unitPriceFen: 1000n }]);
    const byNumber = await draft(c.id, [{ orderLineId: lineIds[0]!, quantity: 1 }]);
    const byAmount = await draft(c.id, [{ orderLineId: lineIds[0]!, quantity: 3 }]);
    await draft(c.id, [{ orderLineId: lineIds[1]!, quantity: 2 }]);
    await draft(c.id, [{ orderLineId: lineIds[1]!, quantity: 2 }]); // two drafts of ¥20.00: ambiguous by amount
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('发票');
    sheet.addRow(['发票代码', '发票号码', '开票日期', '购方名称', '价税合计', '备注']);
    sheet.addRow(['', '26310000000000000001', '2026-11-24', '随便', '99.00', `订单 ${byNumber.number}`]);
    sheet.addRow(['', '26310000000000000002', '2026-11-24', '导入测试医院', '30.00', '']);
    sheet.addRow(['', '26310000000000000003', '2026-11-24', '导入测试医院', '20.00', '']);
    sheet.addRow(['', '26310000000000000004', '2026-11-24', '别的医院', '30.00', '']);
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    const fin = await Client.as(t.app, 'finance');
    const res = await fin.upload('/api/invoices/import-tax', 'tax.xlsx', file);
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((r: { row: number; ok: boolean; code: string | null; invoiceId: number | null }) => [r.row, r.ok, r.code, r.invoiceId])).toEqual([
      [2, true, null, byNumber.id],
      [3, true, null, byAmount.id],
      [4, false, 'INVOICE_IMPORT_AMBIGUOUS', null],
      [5, false, 'INVOICE_IMPORT_NO_MATCH', null],
    ]);
    expect((await orderLine(t.db, lineIds[0]!)).invoiced_qty).toBe(4);
    expect((await (await Client.as(t.app, 'rep')).upload('/api/invoices/import-tax', 'tax.xlsx', file)).statusCode).toBe(403);
    expect((await fin.upload('/api/invoices/import-tax', 'x.xlsx', 'not a workbook')).json().error.code).toBe('INVOICE_IMPORT_FILE_INVALID');
  });
});
