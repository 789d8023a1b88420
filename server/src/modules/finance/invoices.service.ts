import { type SQL, and, count, desc, eq, sql } from 'drizzle-orm';
import type { Actor } from '../../kernel/access/actor.js';
import { audit } from '../../kernel/audit/audit.js';
import { type Db, type Queryable, type Tx, rowsOf } from '../../kernel/db/client.js';
import { containsPattern } from '../../kernel/db/like.js';
import { type DocumentTypeDef, recordEvent, registerDocumentType, transition } from '../../kernel/documents/lifecycle.js';
import { nextDocumentNumber } from '../../kernel/documents/numbering.js';
import { DomainError, notFound, versionConflict } from '../../kernel/errors.js';
import { type Page, type PageQuery, orderByOf } from '../../kernel/http/paging.js';
import { roundHalfUp, vatOfGross } from '../../kernel/money.js';
import { customerVisible } from '../customers/customers.scope.js';
import { lockOrderRow } from '../orders/order-fulfilment.js';
import { type InvoiceKind, type InvoiceStatus, type InvoiceType, invoiceLines, invoices } from './finance.tables.js';
import { assertPeriodOpen } from './periods.js';

/**
 * 开票 (DOMAIN.md flow 2 "order to cash", issue 6 "Invoicing"). Rules:
 * - 票货相符: a blue invoice line takes an order line's shipped goods: at most
 *   shipped − returned − invoiced − (quantities on other draft invoices) of it. The check runs with the
 *   order rows locked (lockOrderRow, in id order) when the draft is made and again when it is issued;
 *   sales_order_lines.invoiced_qty grows only on issue (the CHECK invoiced ≤ shipped backs it).
 * - Amount of a line = the order line's amount pro rata to the quantity, roundHalfUp(amount × q / quantity),
 *   except for the invoice that brings the order line to fully invoiced, which takes what is left of the
 *   order line's amount, so Σ invoice line amounts (net of reds) = the order line's amount (discount included).
 * - VAT per line = vatOfGross(amount, the order line's rate), rounded once per line; the invoice's tax is the sum.
 * - 专票 needs the customer's 开票信息: invoice title, tax number, bank and account, address and phone.
 * - Issue: the tax system's code/number and date; due_on = issued_on + the customer's 账期. The month
 *   must be open. The tax number is unique among invoices that are not cancelled.
 * - Red 红字发票 against an issued blue invoice: per line at most what that invoice invoiced net of earlier reds
 *   (issued or draft). Amount: pro rata of the blue line, the red that brings the blue line to zero takes
 *   its remainder. On issue invoiced_qty decreases, and the red is set against the blue's open amount
 *   (credited_fen on both); what cannot be set against it stays as the customer's credit.
 */
export type Invoice = typeof invoices.$inferSelect;
const DOC_TYPE = 'invoice';

const visible = (actor: Actor): SQL => customerVisible(actor, sql`${invoices.customerId}`);

async function loadInvoice(db: Queryable, id: number, actor?: Actor): Promise<Invoice | null> {
  const [row] = await db
    .select()
    .from(invoices)
    .where(and(eq(invoices.id, id), actor ? visible(actor) : undefined));
  return row ?? null;
}

export const invoiceType: DocumentTypeDef<Invoice> = registerDocumentType<Invoice>({
  type: DOC_TYPE,
  name: { 'zh-CN': '发票', 'en-US': 'Invoice' },
  numberPattern: 'KP{yyyy}{mm}-{seq:5}',
  table: invoices,
  states: {
    draft: { 'zh-CN': '待开', 'en-US': 'Draft' },
    issued: { 'zh-CN': '已开', 'en-US': 'Issued' },
    cancelled: { 'zh-CN': '作废', 'en-US': 'Cancelled' },
  },
  transitions: {
    issue: { from: ['draft'], to: 'issued', label: { 'zh-CN': '开具', 'en-US': 'Issue' } },
    cancel: { from: ['draft'], to: 'cancelled', label: { 'zh-CN': '作废', 'en-US': 'Cancel' } },
  },
  load: (db, id) => loadInvoice(db, id),
  loadVisible: (db, actor, id) => loadInvoice(db, id, actor),
  summaries: async (db, ids) =>
    ids.length === 0
      ? []
      : rowsOf<{ id: number; number: string; title: string }>(
          await db.execute(sql`select i.id, i.number, c.name as title from invoices i join customers c on c.id = i.customer_id where i.id in (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`),
        ),
  link: (id) => `/invoices/${id}`,
});

// ---- Worklists ----------------------------------------------------------------------------------

export type InvoiceableLine = {
  orderLineId: number;
  orderId: number;
  orderNumber: string;
  orderDate: string;
  customerId: number;
  customerName: string;
  lineNo: number;
  productId: number;
  productName: string;
  spec: string | null;
  quantity: number;
  shippedQty: number;
  returnedQty: number;
  invoicedQty: number;
  draftQty: number;
  invoiceableQty: number;
  unitPriceFen: bigint;
  amountFen: bigint;
  vatRateBp: number;
};

type LineRow = {
  order_line_id: number;
  order_id: number;
  order_number: string;
  order_date: string;
  customer_id: number;
  customer_name: string;
  line_no: number;
  product_id: number;
  product_name: string;
  spec: string | null;
  quantity: number;
  shipped_qty: number;
  returned_qty: number;
  invoiced_qty: number;
  draft_qty: number;
  unit_price_fen: string;
  amount_fen: string;
  vat_rate_bp: number;
};

/** Quantity of an order line on draft blue invoices — held for them, not yet in invoiced_qty. */
const draftQtySql = sql`coalesce((select sum(il.quantity) from invoice_lines il join invoices di on di.id = il.invoice_id
  where il.order_line_id = l.id and di.status = 'draft' and di.kind = 'blue'), 0)::int`;
/** Quantity of an order line on draft red invoices (negative). */
const redDraftQtySql = sql`coalesce((select sum(il.quantity) from invoice_lines il join invoices di on di.id = il.invoice_id
  where il.order_line_id = l.id and di.status = 'draft' and di.kind = 'red'), 0)::int`;

function toLine(r: LineRow): InvoiceableLine {
  return {
    orderLineId: r.order_line_id,
    orderId: r.order_id,
    orderNumber: r.order_number,
    orderDate: r.order_date,
    customerId: r.customer_id,
    customerName: r.customer_name,
    lineNo: r.line_no,
    productId: r.product_id,
    productName: r.product_name,
    spec: r.spec,
    quantity: r.quantity,
    shippedQty: r.shipped_qty,
    returnedQty: r.returned_qty,
    invoicedQty: r.invoiced_qty,
    draftQty: r.draft_qty,
    invoiceableQty: r.shipped_qty - r.returned_qty - r.invoiced_qty - r.draft_qty,
    unitPriceFen: BigInt(r.unit_price_fen),
    amountFen: BigInt(r.amount_fen),
    vatRateBp: r.vat_rate_bp,
  };
}

const lineSelect = sql`select l.id as order_line_id, o.id as order_id, o.number as order_number, o.order_date::text as order_date,
    o.customer_id, c.name as customer_name, l.line_no, l.product_id, p.generic_name as product_name, p.specification as spec,
    l.quantity, l.shipped_qty, l.returned_qty, l.invoiced_qty, ${draftQtySql} as draft_qty, ${redDraftQtySql} as red_draft_qty,
    l.unit_price_fen::text, l.amount_fen::text, l.vat_rate_bp
  from sales_order_lines l join sales_orders o on o.id = l.order_id join customers c on c.id = o.customer_id join products p on p.id = l.product_id`;

/** 待开票: order lines with goods shipped and not yet invoiced (nor on a draft), oldest order first. */
export async function invoiceableLines(db: Queryable, actor: Actor, filter: { customerId?: number }): Promise<InvoiceableLine[]> {
  const rows = rowsOf<LineRow>(
    await db.execute(sql`${lineSelect}
      where o.status not in ('draft', 'cancelled') and l.shipped_qty - l.returned_qty - l.invoiced_qty > 0
        ${filter.customerId ? sql`and o.customer_id = ${filter.customerId}` : sql``}
        and ${customerVisible(actor, sql`o.customer_id`)}
      order by o.order_date, o.id, l.line_no limit 1000`),
  );
  return rows.map(toLine).filter((l) => l.invoiceableQty > 0);
}

export type RedPendingLine = InvoiceableLine & { excessQty: number; returnId: number | null; returnNumber: string | null };

/** 待红冲: order lines invoiced beyond what the customer kept (goods came back after invoicing). */
export async function redPendingLines(db: Queryable, actor: Actor, filter: { customerId?: number }): Promise<RedPendingLine[]> {
  const rows = rowsOf<LineRow & { red_draft_qty: number; return_id: number | null; return_number: string | null }>(
    await db.execute(sql`select x.*, rr.id as return_id, rr.number as return_number from (${lineSelect}
      where l.invoiced_qty > l.shipped_qty - l.returned_qty
        ${filter.customerId ? sql`and o.customer_id = ${filter.customerId}` : sql``}
        and ${customerVisible(actor, sql`o.customer_id`)}) x
      left join lateral (select r.id, r.number from return_requests r join return_lines rl on rl.return_id = r.id
        where rl.order_line_id = x.order_line_id order by r.id desc limit 1) rr on true
      order by x.order_date, x.order_id, x.line_no limit 1000`),
  );
  return rows.map((r) => ({
    ...toLine(r),
    invoiceableQty: 0,
    excessQty: r.invoiced_qty + r.red_draft_qty - (r.shipped_qty - r.returned_qty),
    returnId: r.return_id,
    returnNumber: r.return_number,
  })).filter((l) => l.excessQty > 0);
}

// ---- Reading ------------------------------------------------------------------------------------

export type InvoiceRow = Invoice & { customerName: string; orderNumber: string | null; originalNumber: string | null; openFen: bigint };
export type InvoiceLineRow = typeof invoiceLines.$inferSelect & { productName: string; spec: string | null; orderNumber: string; lineNo: number; redQty: number };
export type AllocationRow = { id: number; receiptId: number; receiptNumber: string; invoiceId: number; invoiceNumber: string; amountFen: bigint; receivedOn: string; allocatedAt: Date; allocatedByName: string };
export type InvoiceDetail = InvoiceRow & {
  lines: InvoiceLineRow[];
  allocations: AllocationRow[];
  reds: { id: number; number: string; status: InvoiceStatus; amountFen: bigint; issuedOn: string | null }[];
  customerInvoiceInfo: { invoiceTitle: string | null; taxNumber: string | null; bankName: string | null; bankAccount: string | null; invoiceAddress: string | null; invoicePhone: string | null };
};

const rowColumns = {
  i: invoices,
  customerName: sql<string>`(select c.name from customers c where c.id = ${invoices.customerId})`,
  orderNumber: sql<string | null>`(select o.number from sales_orders o where o.id = ${invoices.orderId})`,
  originalNumber: sql<string | null>`(select b.number from invoices b where b.id = ${invoices.originalInvoiceId})`,
};
type Selected = { i: Invoice; customerName: string; orderNumber: string | null; originalNumber: string | null };
const flatten = (r: Selected): InvoiceRow => ({
  ...r.i,
  customerName: r.customerName,
  orderNumber: r.orderNumber,
  originalNumber: r.originalNumber,
  openFen: r.i.status !== 'issued' ? 0n : r.i.kind === 'blue' ? r.i.amountFen - r.i.paidFen - r.i.creditedFen : r.i.amountFen + r.i.creditedFen,
});

export type InvoiceFilter = {
  status?: InvoiceStatus;
  kind?: InvoiceKind;
  invoiceType?: InvoiceType;
  customerId?: number;
  orderId?: number;
  from?: string;
  to?: string;
  open?: boolean;
  q?: string;
};

export async function listInvoices(db: Queryable, actor: Actor, filter: InvoiceFilter, page: PageQuery): Promise<Page<InvoiceRow>> {
  const where = and(
    visible(actor),
    filter.status ? eq(invoices.status, filter.status) : undefined,
    filter.kind ? eq(invoices.kind, filter.kind) : undefined,
    filter.invoiceType ? eq(invoices.invoiceType, filter.invoiceType) : undefined,
    filter.customerId ? eq(invoices.customerId, filter.customerId) : undefined,
    filter.orderId ? sql`(${invoices.orderId} = ${filter.orderId} or exists (select 1 from invoice_lines il join sales_order_lines ol on ol.id = il.order_line_id where il.invoice_id = invoices.id and ol.order_id = ${filter.orderId}))` : undefined,
    // Drafts have no issue date yet: the date range reads the creation date for them.
    filter.from ? sql`coalesce(${invoices.issuedOn}, ${invoices.createdAt}::date) >= ${filter.from}::date` : undefined,
    filter.to ? sql`coalesce(${invoices.issuedOn}, ${invoices.createdAt}::date) <= ${filter.to}::date` : undefined,
    filter.open ? sql`${invoices.status} = 'issued' and ${invoices.kind} = 'blue' and ${invoices.amountFen} > ${invoices.paidFen} + ${invoices.creditedFen}` : undefined,
    filter.q ? sql`(${invoices.number} ilike ${containsPattern(filter.q)} or ${invoices.taxInvoiceNo} ilike ${containsPattern(filter.q)})` : undefined,
  );
  const order = orderByOf(
    page.sort,
    { number: invoices.number, issuedOn: invoices.issuedOn, dueOn: invoices.dueOn, amountFen: invoices.amountFen, status: invoices.status, createdAt: invoices.createdAt },
    [desc(invoices.id)],
  );
  const [[{ n }], rows] = await Promise.all([
    db.select({ n: count() }).from(invoices).where(where),
    db.select(rowColumns).from(invoices).where(where).orderBy(...order).limit(page.pageSize).offset((page.page - 1) * page.pageSize),
  ]);
  return { items: rows.map(flatten), total: Number(n), page: page.page, pageSize: page.pageSize };
}

export async function allocationsOf(db: Queryable, where: SQL): Promise<AllocationRow[]> {
  return rowsOf<{ id: number; receipt_id: number; receipt_number: string; invoice_id: number; invoice_number: string; amount_fen: string; received_on: string; allocated_at: Date; allocated_by_name: string }>(
    await db.execute(sql`select a.id, a.receipt_id, r.number as receipt_number, a.invoice_id, i.number as invoice_number, a.amount_fen::text, r.received_on::text,
        a.allocated_at, u.display_name as allocated_by_name
      from receipt_allocations a join receipts r on r.id = a.receipt_id join invoices i on i.id = a.invoice_id join users u on u.id = a.allocated_by
      where ${where} order by a.id`),
  ).map((a) => ({
    id: a.id,
    receiptId: a.receipt_id,
    receiptNumber: a.receipt_number,
    invoiceId: a.invoice_id,
    invoiceNumber: a.invoice_number,
    amountFen: BigInt(a.amount_fen),
    receivedOn: a.received_on,
    allocatedAt: new Date(a.allocated_at),
    allocatedByName: a.allocated_by_name,
  }));
}

export async function getInvoice(db: Queryable, actor: Actor, id: number): Promise<InvoiceDetail> {
  const [row] = await db.select(rowColumns).from(invoices).where(and(eq(invoices.id, id), visible(actor)));
  if (!row) throw notFound();
  const lines = rowsOf<{
    id: number; invoice_id: number; order_line_id: number; product_id: number; quantity: number; unit_price_fen: string; amount_fen: string; vat_rate_bp: number; tax_fen: string;
    product_name: string; spec: string | null; order_number: string; line_no: number; red_qty: number;
  }>(
    await db.execute(sql`select il.id, il.invoice_id, il.order_line_id, il.product_id, il.quantity, il.unit_price_fen::text, il.amount_fen::text, il.vat_rate_bp, il.tax_fen::text,
        p.generic_name as product_name, p.specification as spec, o.number as order_number, ol.line_no,
        coalesce((select -sum(rl.quantity) from invoice_lines rl join invoices r on r.id = rl.invoice_id
                  where r.original_invoice_id = il.invoice_id and r.status <> 'cancelled' and rl.order_line_id = il.order_line_id), 0)::int as red_qty
      from invoice_lines il join products p on p.id = il.product_id join sales_order_lines ol on ol.id = il.order_line_id join sales_orders o on o.id = ol.order_id
      where il.invoice_id = ${id} order by il.id`),
  ).map((l) => ({
    id: l.id,
    invoiceId: l.invoice_id,
    orderLineId: l.order_line_id,
    productId: l.product_id,
    quantity: l.quantity,
    unitPriceFen: BigInt(l.unit_price_fen),
    amountFen: BigInt(l.amount_fen),
    vatRateBp: l.vat_rate_bp,
    taxFen: BigInt(l.tax_fen),
    productName: l.product_name,
    spec: l.spec,
    orderNumber: l.order_number,
    lineNo: l.line_no,
    redQty: l.red_qty,
  }));
  const allocations = await allocationsOf(db, sql`a.invoice_id = ${id}`);
  const reds = await db
    .select({ id: invoices.id, number: invoices.number, status: invoices.status, amountFen: invoices.amountFen, issuedOn: invoices.issuedOn })
    .from(invoices)
    .where(eq(invoices.originalInvoiceId, id))
    .orderBy(invoices.id);
  const [info] = rowsOf<{ invoice_title: string | null; tax_number: string | null; bank_name: string | null; bank_account: string | null; invoice_address: string | null; invoice_phone: string | null }>(
    await db.execute(sql`select invoice_title, tax_number, bank_name, bank_account, invoice_address, invoice_phone from customers where id = ${row.i.customerId}`),
  );
  return {
    ...flatten(row),
    lines,
    allocations,
    reds,
    customerInvoiceInfo: {
      invoiceTitle: info?.invoice_title ?? null,
      taxNumber: info?.tax_number ?? null,
      bankName: info?.bank_name ?? null,
      bankAccount: info?.bank_account ?? null,
      invoiceAddress: info?.invoice_address ?? null,
      invoicePhone: info?.invoice_phone ?? null,
    },
  };
}

// ---- Drafting a blue invoice ---------------------------------------------------------------------

export type DraftInvoiceInput = {
  customerId: number;
  invoiceType: InvoiceType;
  lines: { orderLineId: number; quantity: number }[];
  notes?: string | null;
};

type LockedLine = { id: number; order_id: number; customer_id: number; product_id: number; quantity: number; shipped_qty: number; returned_qty: number; invoiced_qty: number; draft_qty: number; on_invoices_fen: string; unit_price_fen: string; amount_fen: string; vat_rate_bp: number };

/** Locks the orders of these lines in id order (the order row is the lock of its lines), then reads the lines. */
async function lockLines(tx: Tx, orderLineIds: number[]): Promise<Map<number, LockedLine>> {
  const ids = [...new Set(orderLineIds)];
  const orders = rowsOf<{ order_id: number }>(
    await tx.execute(sql`select distinct order_id from sales_order_lines where id in (${sql.join(ids.map((id) => sql`${id}`), sql`, `)}) order by order_id`),
  );
  for (const o of orders) await lockOrderRow(tx, o.order_id);
  const rows = rowsOf<LockedLine>(
    await tx.execute(sql`select l.id, l.order_id, o.customer_id, l.product_id, l.quantity, l.shipped_qty, l.returned_qty, l.invoiced_qty, ${draftQtySql} as draft_qty,
        coalesce((select sum(il.amount_fen) from invoice_lines il join invoices ii on ii.id = il.invoice_id where il.order_line_id = l.id and ii.status <> 'cancelled'), 0)::text as on_invoices_fen,
        l.unit_price_fen::text, l.amount_fen::text, l.vat_rate_bp
      from sales_order_lines l join sales_orders o on o.id = l.order_id
      where l.id in (${sql.join(ids.map((id) => sql`${id}`), sql`, `)}) and o.status not in ('draft', 'cancelled')`),
  );
  return new Map(rows.map((r) => [r.id, r]));
}

const invalid = (path: string, code: string, params: Record<string, unknown> = {}) => new DomainError(code, params, 422, [{ path, code, params }]);

async function assertInvoiceData(tx: Queryable, customerId: number, type: InvoiceType) {
  if (type !== 'special') return;
  const [c] = rowsOf<{ invoice_title: string | null; tax_number: string | null; bank_name: string | null; bank_account: string | null; invoice_address: string | null; invoice_phone: string | null }>(
    await tx.execute(sql`select invoice_title, tax_number, bank_name, bank_account, invoice_address, invoice_phone from customers where id = ${customerId}`),
  );
  const missing = Object.entries(c ?? {}).filter(([, v]) => !v || !String(v).trim()).map(([k]) => k);
  if (!c || missing.length > 0) throw new DomainError('INVOICE_SPECIAL_DATA_MISSING', { fields: missing.join(', ') }, 422, [{ path: 'invoiceType', code: 'INVOICE_SPECIAL_DATA_MISSING', params: { fields: missing.join(', ') } }]);
}

async function assertCustomerVisible(tx: Queryable, actor: Actor, customerId: number) {
  const [c] = rowsOf<{ id: number }>(await tx.execute(sql`select id from customers where id = ${customerId} and ${customerVisible(actor, sql`${customerId}::int`)}`));
  if (!c) throw notFound();
}

export async function createDraftInvoice(db: Db, actor: Actor, input: DraftInvoiceInput, timeZone: string): Promise<InvoiceDetail> {
  const id = await db.transaction(async (tx) => {
    await assertCustomerVisible(tx, actor, input.customerId);
    if (input.lines.length === 0) throw invalid('lines', 'INVOICE_NO_LINES');
    const seen = new Set<number>();
    input.lines.forEach((l, i) => {
      if (seen.has(l.orderLineId)) throw invalid(`lines.${i}.orderLineId`, 'INVOICE_LINE_TWICE');
      seen.add(l.orderLineId);
    });
    await assertInvoiceData(tx, input.customerId, input.invoiceType);
    const locked = await lockLines(tx, input.lines.map((l) => l.orderLineId));
    const values: (typeof invoiceLines.$inferInsert)[] = [];
    input.lines.forEach((l, i) => {
      const line = locked.get(l.orderLineId);
      if (!line || line.customer_id !== input.customerId) throw invalid(`lines.${i}.orderLineId`, 'INVOICE_LINE_NOT_OF_CUSTOMER');
      const available = line.shipped_qty - line.returned_qty - line.invoiced_qty - line.draft_qty;
      if (l.quantity > available) throw invalid(`lines.${i}.quantity`, 'INVOICE_EXCEEDS_SHIPPED', { available: Math.max(available, 0) });
      const onInvoicesQty = line.invoiced_qty + line.draft_qty;
      const amount =
        onInvoicesQty + l.quantity === line.quantity
          ? BigInt(line.amount_fen) - BigInt(line.on_invoices_fen)
          : roundHalfUp(BigInt(line.amount_fen) * BigInt(l.quantity), BigInt(line.quantity));
      values.push({
        invoiceId: 0,
        orderLineId: line.id,
        productId: line.product_id,
        quantity: l.quantity,
        unitPriceFen: BigInt(line.unit_price_fen),
        amountFen: amount,
        vatRateBp: line.vat_rate_bp,
        taxFen: vatOfGross(amount, line.vat_rate_bp),
      });
    });
    const amount = values.reduce((s, v) => s + (v.amountFen as bigint), 0n);
    const tax = values.reduce((s, v) => s + (v.taxFen as bigint), 0n);
    if (amount <= 0n) throw invalid('lines', 'INVOICE_AMOUNT_ZERO');
    const orderIds = new Set([...locked.values()].map((l) => l.order_id));
    const number = await nextDocumentNumber(tx, DOC_TYPE, invoiceType.numberPattern, new Date(), timeZone);
    const [inv] = await tx
      .insert(invoices)
      .values({
        number,
        kind: 'blue',
        invoiceType: input.invoiceType,
        customerId: input.customerId,
        orderId: orderIds.size === 1 ? [...orderIds][0]! : null,
        amountFen: amount,
        taxFen: tax,
        createdBy: actor.id,
        notes: input.notes?.trim() || null,
      })
      .returning();
    await tx.insert(invoiceLines).values(values.map((v) => ({ ...v, invoiceId: inv!.id })));
    await recordEvent(tx, actor, DOC_TYPE, inv!.id, { kind: 'created' });
    await audit(tx, actor, { action: 'invoice.drafted', entity: DOC_TYPE, entityId: inv!.id, after: { ...inv, lines: values } });
    return inv!.id;
  });
  return getInvoice(db, actor, id);
}

// ---- Red-letter invoices ---------------------------------------------------------------------------

export type RedInvoiceInput = {
  originalInvoiceId: number;
  reason: string;
  returnId?: number | null;
  lines: { orderLineId: number; quantity: number }[];
};

async function lockInvoice(tx: Tx, actor: Actor, id: number): Promise<Invoice> {
  const [row] = await tx.select().from(invoices).where(and(eq(invoices.id, id), visible(actor))).for('update');
  if (!row) throw notFound();
  return row;
}

export async function createRedInvoice(db: Db, actor: Actor, input: RedInvoiceInput, timeZone: string): Promise<InvoiceDetail> {
  const id = await db.transaction(async (tx) => {
    const [peek] = await tx.select({ id: invoices.id }).from(invoices).where(and(eq(invoices.id, input.originalInvoiceId), visible(actor)));
    if (!peek) throw notFound();
    if (input.lines.length === 0) throw invalid('lines', 'INVOICE_NO_LINES');
    // Orders first (the same lock order as blue invoices and shipping), then the blue invoice.
    const blueLines = await tx.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, input.originalInvoiceId)).orderBy(invoiceLines.id);
    await lockLines(tx, blueLines.map((l) => l.orderLineId).concat(input.lines.map((l) => l.orderLineId)).filter((x) => blueLines.some((b) => b.orderLineId === x)));
    const blue = await lockInvoice(tx, actor, input.originalInvoiceId);
    if (blue.kind !== 'blue' || blue.status !== 'issued') throw new DomainError('INVOICE_RED_NEEDS_ISSUED_BLUE', {}, 409);
    const credited = rowsOf<{ order_line_id: number; qty: number; amount: string }>(
      await tx.execute(sql`select rl.order_line_id, -sum(rl.quantity)::int as qty, (-sum(rl.amount_fen))::text as amount
        from invoice_lines rl join invoices r on r.id = rl.invoice_id
        where r.original_invoice_id = ${blue.id} and r.status <> 'cancelled' group by rl.order_line_id`),
    );
    const seen = new Set<number>();
    const values: (typeof invoiceLines.$inferInsert)[] = [];
    input.lines.forEach((l, i) => {
      if (seen.has(l.orderLineId)) throw invalid(`lines.${i}.orderLineId`, 'INVOICE_LINE_TWICE');
      seen.add(l.orderLineId);
      const b = blueLines.find((x) => x.orderLineId === l.orderLineId);
      if (!b) throw invalid(`lines.${i}.orderLineId`, 'INVOICE_RED_LINE_NOT_ON_BLUE');
      const before = credited.find((c) => c.order_line_id === l.orderLineId);
      const left = b.quantity - (before?.qty ?? 0);
      if (l.quantity > left) throw invalid(`lines.${i}.quantity`, 'INVOICE_RED_EXCEEDS', { available: left });
      const amountLeft = b.amountFen - BigInt(before?.amount ?? '0');
      const amount = l.quantity === left ? amountLeft : roundHalfUp(b.amountFen * BigInt(l.quantity), BigInt(b.quantity));
      values.push({
        invoiceId: 0,
        orderLineId: b.orderLineId,
        productId: b.productId,
        quantity: -l.quantity,
        unitPriceFen: b.unitPriceFen,
        amountFen: -amount,
        vatRateBp: b.vatRateBp,
        taxFen: vatOfGross(-amount, b.vatRateBp),
      });
    });
    const amount = values.reduce((s, v) => s + (v.amountFen as bigint), 0n);
    const tax = values.reduce((s, v) => s + (v.taxFen as bigint), 0n);
    if (amount >= 0n) throw invalid('lines', 'INVOICE_AMOUNT_ZERO');
    if (input.returnId) {
      const [ret] = rowsOf<{ id: number }>(await tx.execute(sql`select id from return_requests where id = ${input.returnId} and customer_id = ${blue.customerId}`));
      if (!ret) throw invalid('returnId', 'INVOICE_RETURN_NOT_OF_CUSTOMER');
    }
    const number = await nextDocumentNumber(tx, DOC_TYPE, invoiceType.numberPattern, new Date(), timeZone);
    const [inv] = await tx
      .insert(invoices)
      .values({
        number,
        kind: 'red',
        invoiceType: blue.invoiceType,
        customerId: blue.customerId,
        orderId: blue.orderId,
        originalInvoiceId: blue.id,
        returnId: input.returnId ?? null,
        amountFen: amount,
        taxFen: tax,
        reason: input.reason.trim(),
        createdBy: actor.id,
      })
      .returning();
    await tx.insert(invoiceLines).values(values.map((v) => ({ ...v, invoiceId: inv!.id })));
    await recordEvent(tx, actor, DOC_TYPE, inv!.id, { kind: 'created', comment: input.reason });
    await recordEvent(tx, actor, DOC_TYPE, blue.id, { kind: 'edit', comment: `红字发票 ${number}` });
    await audit(tx, actor, { action: 'invoice.red_drafted', entity: DOC_TYPE, entityId: inv!.id, after: { ...inv, lines: values } });
    return inv!.id;
  });
  return getInvoice(db, actor, id);
}

// ---- Issue and cancel ------------------------------------------------------------------------------

export type IssueInput = { version: number; taxInvoiceCode?: string | null; taxInvoiceNo: string; issuedOn: string };

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Inside a transaction: issue one draft (used by the form and by the tax-system import). */
async function issueInTx(tx: Tx, actor: Actor, id: number, input: IssueInput): Promise<void> {
  const [peek] = await tx.select({ id: invoices.id }).from(invoices).where(and(eq(invoices.id, id), visible(actor)));
  if (!peek) throw notFound();
  await assertPeriodOpen(tx, input.issuedOn);
  const lines = await tx.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, id)).orderBy(invoiceLines.id);
  const locked = await lockLines(tx, lines.map((l) => l.orderLineId));
  const doc = await lockInvoice(tx, actor, id);
  if (doc.version !== input.version) throw versionConflict();
  if (doc.status !== 'draft') throw new DomainError('TRANSITION_NOT_ALLOWED', { transition: actor.locale === 'zh-CN' ? '开具' : 'Issue', state: doc.status }, 409);
  const code = input.taxInvoiceCode?.trim() || null;
  const no = input.taxInvoiceNo.trim();
  const [twin] = rowsOf<{ number: string }>(
    await tx.execute(sql`select number from invoices where coalesce(tax_invoice_code, '') = ${code ?? ''} and tax_invoice_no = ${no} and status <> 'cancelled' and id <> ${id}`),
  );
  if (twin) throw new DomainError('INVOICE_TAX_NUMBER_TAKEN', { number: twin.number }, 409, [{ path: 'taxInvoiceNo', code: 'INVOICE_TAX_NUMBER_TAKEN', params: { number: twin.number } }]);
  for (const l of lines) {
    const line = locked.get(l.orderLineId);
    if (!line) throw new DomainError('INVOICE_EXCEEDS_SHIPPED', { available: 0 }, 409);
    // 票货相符 once more under the lock: goods may have come back since the draft was made.
    if (l.quantity > 0 && line.invoiced_qty + l.quantity > line.shipped_qty - line.returned_qty) {
      throw new DomainError('INVOICE_EXCEEDS_SHIPPED', { available: Math.max(line.shipped_qty - line.returned_qty - line.invoiced_qty, 0) }, 409);
    }
    if (line.invoiced_qty + l.quantity < 0) throw new DomainError('INVOICE_RED_EXCEEDS', { available: line.invoiced_qty }, 409);
  }
  for (const l of lines) {
    await tx.execute(sql`update sales_order_lines set invoiced_qty = invoiced_qty + ${l.quantity} where id = ${l.orderLineId}`);
  }
  const [customer] = rowsOf<{ payment_terms_days: number }>(await tx.execute(sql`select payment_terms_days from customers where id = ${doc.customerId}`));
  const dueOn = addDays(input.issuedOn, customer?.payment_terms_days ?? 0);
  await tx
    .update(invoices)
    .set({ taxInvoiceCode: code, taxInvoiceNo: no, issuedOn: input.issuedOn, dueOn, issuedBy: actor.id })
    .where(eq(invoices.id, id));
  await transition(tx, actor, invoiceType, doc, 'issue', { data: { taxInvoiceCode: code, taxInvoiceNo: no, issuedOn: input.issuedOn, dueOn } });
  if (doc.kind === 'red') await applyRedCredit(tx, actor, doc);
}

/** A red invoice just issued: set it against its blue invoice's open amount; the rest is the customer's credit. */
async function applyRedCredit(tx: Tx, actor: Actor, red: Invoice) {
  const [blue] = await tx.select().from(invoices).where(eq(invoices.id, red.originalInvoiceId!)).for('update');
  if (!blue) return;
  const open = blue.amountFen - blue.paidFen - blue.creditedFen;
  const applied = open < -red.amountFen ? open : -red.amountFen;
  if (applied <= 0n) return;
  await tx.update(invoices).set({ creditedFen: sql`${invoices.creditedFen} + ${applied}`, updatedAt: new Date() }).where(eq(invoices.id, blue.id));
  await tx.update(invoices).set({ creditedFen: sql`${invoices.creditedFen} + ${applied}` }).where(eq(invoices.id, red.id));
  await audit(tx, actor, { action: 'invoice.red_applied', entity: DOC_TYPE, entityId: blue.id, before: { creditedFen: blue.creditedFen }, after: { creditedFen: blue.creditedFen + applied, red: red.number } });
}

export async function issueInvoice(db: Db, actor: Actor, id: number, input: IssueInput): Promise<InvoiceDetail> {
  try {
    await db.transaction((tx) => issueInTx(tx, actor, id, input));
  } catch (e) {
    // The unique index catches a twin issued concurrently with the same tax number.
    if ((e as { code?: string; cause?: { code?: string } }).code === '23505' || (e as { cause?: { code?: string } }).cause?.code === '23505') {
      throw new DomainError('INVOICE_TAX_NUMBER_TAKEN', { number: input.taxInvoiceNo }, 409, [{ path: 'taxInvoiceNo', code: 'INVOICE_TAX_NUMBER_TAKEN', params: { number: input.taxInvoiceNo } }]);
    }
    throw e;
  }
  return getInvoice(db, actor, id);
}

export async function cancelInvoice(db: Db, actor: Actor, id: number, version: number, reason: string | null): Promise<InvoiceDetail> {
  await db.transaction(async (tx) => {
    const doc = await lockInvoice(tx, actor, id);
    if (doc.version !== version) throw versionConflict();
    await transition(tx, actor, invoiceType, doc, 'cancel', { comment: reason });
  });
  return getInvoice(db, actor, id);
}

// ---- Import from the tax system ------------------------------------------------------------------

export type TaxImportRow = { row: number; ourNumber?: string | null; customerName?: string | null; amountFen?: bigint | null; taxInvoiceCode?: string | null; taxInvoiceNo: string; issuedOn: string };
export type TaxImportResult = { row: number; invoiceId: number | null; number: string | null; ok: boolean; code: string | null };

/**
 * Rows of the tax system's Excel export. Each row is matched to a draft: by our number (备注 column) when
 * given, else by customer name + amount (tax included) when exactly one visible draft fits. Each row is
 * issued in its own transaction, so one bad row does not hold back the others.
 */
export async function importTaxNumbers(db: Db, actor: Actor, rows: TaxImportRow[]): Promise<TaxImportResult[]> {
  const results: TaxImportResult[] = [];
  for (const r of rows) {
    const candidates = rowsOf<{ id: number; number: string; version: number }>(
      await db.execute(sql`select i.id, i.number, i.version from invoices i join customers c on c.id = i.customer_id
        where i.status = 'draft' and ${customerVisible(actor, sql`i.customer_id`)}
          and ${r.ourNumber ? sql`i.number = ${r.ourNumber.trim()}` : sql`c.name = ${r.customerName?.trim() ?? ''} and i.amount_fen = ${r.amountFen ?? -1n}`}
        limit 2`),
    );
    if (candidates.length !== 1) {
      results.push({ row: r.row, invoiceId: null, number: null, ok: false, code: candidates.length === 0 ? 'INVOICE_IMPORT_NO_MATCH' : 'INVOICE_IMPORT_AMBIGUOUS' });
      continue;
    }
    const c = candidates[0]!;
    try {
      await issueInvoice(db, actor, c.id, { version: c.version, taxInvoiceCode: r.taxInvoiceCode, taxInvoiceNo: r.taxInvoiceNo, issuedOn: r.issuedOn });
      results.push({ row: r.row, invoiceId: c.id, number: c.number, ok: true, code: null });
    } catch (e) {
      results.push({ row: r.row, invoiceId: c.id, number: c.number, ok: false, code: e instanceof DomainError ? e.code : 'INTERNAL' });
    }
  }
  return results;
}


