import { type SQL, and, count, desc, eq, sql } from 'drizzle-orm';
import type { Actor } from '../../kernel/access/actor.js';
import { audit } from '../../kernel/audit/audit.js';
import { type Db, type Queryable, type Tx, rowsOf } from '../../kernel/db/client.js';
import { containsPattern } from '../../kernel/db/like.js';
import { nextDocumentNumber } from '../../kernel/documents/numbering.js';
import { DomainError, notFound, versionConflict } from '../../kernel/errors.js';
import { type Page, type PageQuery, orderByOf } from '../../kernel/http/paging.js';
import { customerVisible } from '../customers/customers.scope.js';
import { type ReceiptMethod, type ReceiptStatus, receiptAllocations, receipts } from './finance.tables.js';
import { type AllocationRow, allocationsOf } from './invoices.service.js';
import { assertPeriodOpen } from './periods.js';

/**
 * 回款 (issue 6 "Payment collection"). Rules:
 * - A receipt is money from one customer: bank transfer, 承兑汇票 (bill number and due date required, the
 *   bill number unique among posted receipts), cash or other. Its date must be in an open month.
 * - Allocation sets receipt money against the customer's issued, open blue invoices: automatically
 *   oldest first (due date, then issue date, then id) or by hand. What is not allocated is unapplied cash.
 * - Locks: the receipt row first, then the invoices (FOR UPDATE, in id order), so two allocations of the
 *   same receipt or to the same invoice queue and never over-allocate (CHECKs allocated ≤ amount and
 *   paid + credited ≤ amount back this).
 * - Unallocating removes an allocation (audited); a receipt can be voided only when nothing of it is allocated.
 */
export type Receipt = typeof receipts.$inferSelect;
export const RECEIPT_NUMBER_PATTERN = 'SK{yyyy}{mm}-{seq:5}';

const visible = (actor: Actor): SQL => customerVisible(actor, sql`${receipts.customerId}`);
const invalid = (path: string, code: string, params: Record<string, unknown> = {}) => new DomainError(code, params, 422, [{ path, code, params }]);

export type ReceiptRow = Receipt & { customerName: string; createdByName: string; unappliedFen: bigint };
export type ReceiptDetail = ReceiptRow & { allocations: AllocationRow[] };

const rowColumns = {
  r: receipts,
  customerName: sql<string>`(select c.name from customers c where c.id = ${receipts.customerId})`,
  createdByName: sql<string>`(select u.display_name from users u where u.id = ${receipts.createdBy})`,
};
const flatten = (x: { r: Receipt; customerName: string; createdByName: string }): ReceiptRow => ({
  ...x.r,
  customerName: x.customerName,
  createdByName: x.createdByName,
  unappliedFen: x.r.status === 'posted' ? x.r.amountFen - x.r.allocatedFen : 0n,
});

export type ReceiptFilter = { status?: ReceiptStatus; method?: ReceiptMethod; customerId?: number; from?: string; to?: string; unapplied?: boolean; q?: string };

export async function listReceipts(db: Queryable, actor: Actor, filter: ReceiptFilter, page: PageQuery): Promise<Page<ReceiptRow>> {
  const where = and(
    visible(actor),
    filter.status ? eq(receipts.status, filter.status) : undefined,
    filter.method ? eq(receipts.method, filter.method) : undefined,
    filter.customerId ? eq(receipts.customerId, filter.customerId) : undefined,
    filter.from ? sql`${receipts.receivedOn} >= ${filter.from}::date` : undefined,
    filter.to ? sql`${receipts.receivedOn} <= ${filter.to}::date` : undefined,
    filter.unapplied ? sql`${receipts.status} = 'posted' and ${receipts.allocatedFen} < ${receipts.amountFen}` : undefined,
    filter.q
      ? sql`(${receipts.number} ilike ${containsPattern(filter.q)} or ${receipts.reference} ilike ${containsPattern(filter.q)} or ${receipts.billNo} ilike ${containsPattern(filter.q)} or ${receipts.payerName} ilike ${containsPattern(filter.q)})`
      : undefined,
  );
  const order = orderByOf(page.sort, { number: receipts.number, receivedOn: receipts.receivedOn, amountFen: receipts.amountFen, createdAt: receipts.createdAt }, [desc(receipts.id)]);
  const [[{ n }], rows] = await Promise.all([
    db.select({ n: count() }).from(receipts).where(where),
    db.select(rowColumns).from(receipts).where(where).orderBy(...order).limit(page.pageSize).offset((page.page - 1) * page.pageSize),
  ]);
  return { items: rows.map(flatten), total: Number(n), page: page.page, pageSize: page.pageSize };
}

export async function getReceipt(db: Queryable, actor: Actor, id: number): Promise<ReceiptDetail> {
  const [row] = await db.select(rowColumns).from(receipts).where(and(eq(receipts.id, id), visible(actor)));
  if (!row) throw notFound();
  return { ...flatten(row), allocations: await allocationsOf(db, sql`a.receipt_id = ${id}`) };
}

export type ReceiptInput = {
  customerId: number;
  method: ReceiptMethod;
  amountFen: bigint;
  receivedOn: string;
  reference?: string | null;
  payerName?: string | null;
  billNo?: string | null;
  billDueOn?: string | null;
  notes?: string | null;
  /** Allocate oldest first right away. */
  autoAllocate?: boolean;
};

export async function recordReceipt(db: Db, actor: Actor, input: ReceiptInput, timeZone: string): Promise<ReceiptDetail> {
  const id = await db.transaction(async (tx) => {
    const [c] = rowsOf<{ id: number }>(await tx.execute(sql`select id from customers where id = ${input.customerId} and ${customerVisible(actor, sql`${input.customerId}::int`)}`));
    if (!c) throw notFound();
    if (input.amountFen <= 0n) throw invalid('amountFen', 'RECEIPT_AMOUNT_POSITIVE');
    const billNo = input.billNo?.trim() || null;
    if (input.method === 'acceptance_bill') {
      if (!billNo) throw invalid('billNo', 'RECEIPT_BILL_REQUIRED');
      if (!input.billDueOn) throw invalid('billDueOn', 'RECEIPT_BILL_REQUIRED');
      if (input.billDueOn < input.receivedOn) throw invalid('billDueOn', 'RECEIPT_BILL_DUE_BEFORE_RECEIVED');
      const [twin] = rowsOf<{ number: string }>(await tx.execute(sql`select number from receipts where bill_no = ${billNo} and status = 'posted'`));
      if (twin) throw new DomainError('RECEIPT_BILL_TAKEN', { number: twin.number }, 409, [{ path: 'billNo', code: 'RECEIPT_BILL_TAKEN', params: { number: twin.number } }]);
    }
    await assertPeriodOpen(tx, input.receivedOn);
    const number = await nextDocumentNumber(tx, 'receipt', RECEIPT_NUMBER_PATTERN, new Date(), timeZone);
    const [row] = await tx
      .insert(receipts)
      .values({
        number,
        customerId: input.customerId,
        method: input.method,
        amountFen: input.amountFen,
        receivedOn: input.receivedOn,
        reference: input.reference?.trim() || null,
        payerName: input.payerName?.trim() || null,
        billNo: input.method === 'acceptance_bill' ? billNo : null,
        billDueOn: input.method === 'acceptance_bill' ? input.billDueOn : null,
        createdBy: actor.id,
        notes: input.notes?.trim() || null,
      })
      .returning();
    await audit(tx, actor, { action: 'receipt.recorded', entity: 'receipt', entityId: row!.id, after: row });
    if (input.autoAllocate) await allocateInTx(tx, actor, row!.id, null);
    return row!.id;
  });
  return getReceipt(db, actor, id);
}

async function lockReceipt(tx: Tx, actor: Actor, id: number): Promise<Receipt> {
  const [row] = await tx.select().from(receipts).where(and(eq(receipts.id, id), visible(actor))).for('update');
  if (!row) throw notFound();
  return row;
}

type OpenInvoice = { id: number; number: string; amount_fen: string; paid_fen: string; credited_fen: string; due_on: string; issued_on: string };

/**
 * Allocates a receipt: `manual` null = oldest first over all open blue invoices of the customer;
 * otherwise the named invoices and amounts. Returns the allocations made.
 */
async function allocateInTx(tx: Tx, actor: Actor, receiptId: number, manual: { invoiceId: number; amountFen: bigint }[] | null, version?: number) {
  const receipt = await lockReceipt(tx, actor, receiptId);
  if (version !== undefined && receipt.version !== version) throw versionConflict();
  if (receipt.status !== 'posted') throw new DomainError('RECEIPT_VOIDED', {}, 409);
  const ids = manual ? [...new Set(manual.map((m) => m.invoiceId))] : null;
  // Lock the candidates in id order, then read them in the order money goes to them.
  const open = rowsOf<OpenInvoice>(
    await tx.execute(sql`select id, number, amount_fen::text, paid_fen::text, credited_fen::text, due_on::text, issued_on::text from invoices
      where customer_id = ${receipt.customerId} and status = 'issued' and kind = 'blue' and amount_fen > paid_fen + credited_fen
        ${ids ? sql`and id in (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})` : sql``}
      order by id for update`),
  ).sort((a, b) => (a.due_on < b.due_on ? -1 : a.due_on > b.due_on ? 1 : a.issued_on < b.issued_on ? -1 : a.issued_on > b.issued_on ? 1 : a.id - b.id));
  let left = receipt.amountFen - receipt.allocatedFen;
  const plan: { invoiceId: number; number: string; amountFen: bigint }[] = [];
  if (manual) {
    manual.forEach((m, i) => {
      const inv = open.find((o) => o.id === m.invoiceId);
      if (!inv) throw invalid(`allocations.${i}.invoiceId`, 'RECEIPT_INVOICE_NOT_OPEN');
      const invOpen = BigInt(inv.amount_fen) - BigInt(inv.paid_fen) - BigInt(inv.credited_fen) - plan.filter((p) => p.invoiceId === inv.id).reduce((s, p) => s + p.amountFen, 0n);
      if (m.amountFen <= 0n) throw invalid(`allocations.${i}.amountFen`, 'RECEIPT_AMOUNT_POSITIVE');
      if (m.amountFen > invOpen) throw invalid(`allocations.${i}.amountFen`, 'RECEIPT_ALLOCATION_EXCEEDS_INVOICE', { open: invOpen.toString() });
      if (m.amountFen > left) throw invalid(`allocations.${i}.amountFen`, 'RECEIPT_ALLOCATION_EXCEEDS_RECEIPT', { left: left.toString() });
      left -= m.amountFen;
      plan.push({ invoiceId: inv.id, number: inv.number, amountFen: m.amountFen });
    });
  } else {
    for (const inv of open) {
      if (left <= 0n) break;
      const invOpen = BigInt(inv.amount_fen) - BigInt(inv.paid_fen) - BigInt(inv.credited_fen);
      const amount = invOpen < left ? invOpen : left;
      left -= amount;
      plan.push({ invoiceId: inv.id, number: inv.number, amountFen: amount });
    }
  }
  if (plan.length === 0) return [];
  const total = plan.reduce((s, p) => s + p.amountFen, 0n);
  await tx.insert(receiptAllocations).values(plan.map((p) => ({ receiptId, invoiceId: p.invoiceId, amountFen: p.amountFen, allocatedBy: actor.id })));
  for (const p of plan) {
    await tx.execute(sql`update invoices set paid_fen = paid_fen + ${p.amountFen}, updated_at = now() where id = ${p.invoiceId}`);
  }
  await tx.update(receipts).set({ allocatedFen: sql`${receipts.allocatedFen} + ${total}`, version: sql`${receipts.version} + 1`, updatedAt: new Date() }).where(eq(receipts.id, receiptId));
  await audit(tx, actor, {
    action: manual ? 'receipt.allocated' : 'receipt.auto_allocated',
    entity: 'receipt',
    entityId: receiptId,
    before: { allocatedFen: receipt.allocatedFen },
    after: { allocatedFen: receipt.allocatedFen + total, allocations: plan },
  });
  return plan;
}

export async function autoAllocate(db: Db, actor: Actor, receiptId: number): Promise<ReceiptDetail> {
  await db.transaction((tx) => allocateInTx(tx, actor, receiptId, null));
  return getReceipt(db, actor, receiptId);
}

export async function allocateByHand(db: Db, actor: Actor, receiptId: number, version: number, allocations: { invoiceId: number; amountFen: bigint }[]): Promise<ReceiptDetail> {
  if (allocations.length === 0) throw invalid('allocations', 'RECEIPT_NO_ALLOCATIONS');
  await db.transaction((tx) => allocateInTx(tx, actor, receiptId, allocations, version));
  return getReceipt(db, actor, receiptId);
}

export async function unallocate(db: Db, actor: Actor, receiptId: number, allocationId: number, reason: string | null): Promise<ReceiptDetail> {
  await db.transaction(async (tx) => {
    const receipt = await lockReceipt(tx, actor, receiptId);
    const [a] = await tx.select().from(receiptAllocations).where(and(eq(receiptAllocations.id, allocationId), eq(receiptAllocations.receiptId, receiptId)));
    if (!a) throw notFound();
    await tx.execute(sql`select id from invoices where id = ${a.invoiceId} for update`);
    await tx.delete(receiptAllocations).where(eq(receiptAllocations.id, a.id));
    await tx.execute(sql`update invoices set paid_fen = paid_fen - ${a.amountFen}, updated_at = now() where id = ${a.invoiceId}`);
    await tx.update(receipts).set({ allocatedFen: sql`${receipts.allocatedFen} - ${a.amountFen}`, version: sql`${receipts.version} + 1`, updatedAt: new Date() }).where(eq(receipts.id, receiptId));
    await audit(tx, actor, { action: 'receipt.unallocated', entity: 'receipt', entityId: receiptId, before: { allocation: a, allocatedFen: receipt.allocatedFen }, after: { allocatedFen: receipt.allocatedFen - a.amountFen, reason } });
  });
  return getReceipt(db, actor, receiptId);
}

export async function voidReceipt(db: Db, actor: Actor, receiptId: number, version: number, reason: string): Promise<ReceiptDetail> {
  await db.transaction(async (tx) => {
    const receipt = await lockReceipt(tx, actor, receiptId);
    if (receipt.version !== version) throw versionConflict();
    if (receipt.status !== 'posted') throw new DomainError('RECEIPT_VOIDED', {}, 409);
    if (receipt.allocatedFen > 0n) throw new DomainError('RECEIPT_VOID_ALLOCATED', {}, 409);
    await assertPeriodOpen(tx, receipt.receivedOn);
    await tx.update(receipts).set({ status: 'voided', voidReason: reason.trim(), version: sql`${receipts.version} + 1`, updatedAt: new Date() }).where(eq(receipts.id, receiptId));
    await audit(tx, actor, { action: 'receipt.voided', entity: 'receipt', entityId: receiptId, before: { status: receipt.status }, after: { status: 'voided', reason } });
  });
  return getReceipt(db, actor, receiptId);
}
