import { sql } from 'drizzle-orm';
import type { Actor } from '../../kernel/access/actor.js';
import { type Db, type Queryable, rowsOf } from '../../kernel/db/client.js';
import { DomainError, notFound } from '../../kernel/errors.js';
import { notify } from '../../kernel/notify/notify.js';
import { customerVisible } from '../customers/customers.scope.js';
import { type CreditStatus, creditStatus } from './credit.js';

/**
 * 应收 (issue 6 "Payment collection"): aging, overdue per rep, the weekly reminder, statements (对账单).
 * - Aging reads the open amount of issued blue invoices by days past due_on on the given day:
 *   ≤ 0 not yet due (未到期), 1–30, 31–60, 61–90, over 90. Credits (open red invoices, unapplied cash)
 *   are shown beside them and netted in the balance, exactly as creditStatus's receivable.
 * - A statement for a date range: opening balance = Σ issued invoices (blue and red, by issue date)
 *   − Σ posted receipts (by receipt date) before the start; then every invoice and receipt in the range
 *   by date; closing balance = opening + Σ movements. Voided receipts and draft/cancelled invoices never count.
 */

export type AgingFilter = { ownerId?: number; territoryId?: string; customerId?: number; asOf: string };
export type AgingRow = {
  customerId: number;
  customerCode: string;
  customerName: string;
  ownerId: number | null;
  ownerName: string | null;
  paymentTermsDays: number;
  notDueFen: bigint;
  d1to30Fen: bigint;
  d31to60Fen: bigint;
  d61to90Fen: bigint;
  over90Fen: bigint;
  openBlueFen: bigint;
  creditFen: bigint;
  balanceFen: bigint;
  overdueFen: bigint;
};

export async function agingReport(db: Queryable, actor: Actor, filter: AgingFilter): Promise<{ rows: AgingRow[]; totals: Omit<AgingRow, 'customerId' | 'customerCode' | 'customerName' | 'ownerId' | 'ownerName' | 'paymentTermsDays'> }> {
  const rows = rowsOf<{
    customer_id: number; code: string; name: string; owner_id: number | null; owner_name: string | null; payment_terms_days: number;
    not_due: string; d30: string; d60: string; d90: string; over90: string; open_red: string; unapplied: string;
  }>(
    await db.execute(sql`
      with open_blue as (
        select i.customer_id, (${filter.asOf}::date - i.due_on) as days, i.amount_fen - i.paid_fen - i.credited_fen as open
        from invoices i where i.status = 'issued' and i.kind = 'blue' and i.amount_fen > i.paid_fen + i.credited_fen
      ), credits as (
        select customer_id, sum(-(amount_fen + credited_fen)) as open_red, 0::bigint as unapplied from invoices
          where status = 'issued' and kind = 'red' and -amount_fen > credited_fen group by customer_id
        union all
        select customer_id, 0, sum(amount_fen - allocated_fen) from receipts where status = 'posted' and allocated_fen < amount_fen group by customer_id
      ), per as (
        select customer_id,
          sum(open) filter (where days <= 0) as not_due, sum(open) filter (where days between 1 and 30) as d30,
          sum(open) filter (where days between 31 and 60) as d60, sum(open) filter (where days between 61 and 90) as d90,
          sum(open) filter (where days > 90) as over90, 0::bigint as open_red, 0::bigint as unapplied
        from open_blue group by customer_id
        union all select customer_id, 0, 0, 0, 0, 0, open_red, unapplied from credits
      )
      select c.id as customer_id, c.code, c.name, c.owner_id, u.display_name as owner_name, c.payment_terms_days,
        coalesce(sum(p.not_due), 0)::text as not_due, coalesce(sum(p.d30), 0)::text as d30, coalesce(sum(p.d60), 0)::text as d60,
        coalesce(sum(p.d90), 0)::text as d90, coalesce(sum(p.over90), 0)::text as over90,
        coalesce(sum(p.open_red), 0)::text as open_red, coalesce(sum(p.unapplied), 0)::text as unapplied
      from per p join customers c on c.id = p.customer_id left join users u on u.id = c.owner_id
      where ${customerVisible(actor, sql`c.id`)}
        ${filter.customerId ? sql`and c.id = ${filter.customerId}` : sql``}
        ${filter.ownerId ? sql`and c.owner_id = ${filter.ownerId}` : sql``}
        ${filter.territoryId ? sql`and c.territory_path like ${`%/${filter.territoryId}/%`}` : sql``}
      group by c.id, u.display_name
      order by coalesce(sum(p.over90), 0) + coalesce(sum(p.d90), 0) + coalesce(sum(p.d60), 0) + coalesce(sum(p.d30), 0) desc, c.name
      limit 5000`),
  );
  const out: AgingRow[] = rows.map((r) => {
    const [notDue, d30, d60, d90, over90] = [r.not_due, r.d30, r.d60, r.d90, r.over90].map((v) => BigInt(v)) as [bigint, bigint, bigint, bigint, bigint];
    const openBlue = notDue + d30 + d60 + d90 + over90;
    const credit = BigInt(r.open_red) + BigInt(r.unapplied);
    return {
      customerId: r.customer_id,
      customerCode: r.code,
      customerName: r.name,
      ownerId: r.owner_id,
      ownerName: r.owner_name,
      paymentTermsDays: r.payment_terms_days,
      notDueFen: notDue,
      d1to30Fen: d30,
      d31to60Fen: d60,
      d61to90Fen: d90,
      over90Fen: over90,
      openBlueFen: openBlue,
      creditFen: credit,
      balanceFen: openBlue - credit,
      overdueFen: d30 + d60 + d90 + over90,
    };
  });
  const sum = (k: keyof AgingRow) => out.reduce((s, r) => s + (r[k] as bigint), 0n);
  return {
    rows: out,
    totals: {
      notDueFen: sum('notDueFen'),
      d1to30Fen: sum('d1to30Fen'),
      d31to60Fen: sum('d31to60Fen'),
      d61to90Fen: sum('d61to90Fen'),
      over90Fen: sum('over90Fen'),
      openBlueFen: sum('openBlueFen'),
      creditFen: sum('creditFen'),
      balanceFen: sum('balanceFen'),
      overdueFen: sum('overdueFen'),
    },
  };
}

export type OverdueInvoice = {
  invoiceId: number;
  number: string;
  taxInvoiceNo: string | null;
  customerId: number;
  customerName: string;
  ownerId: number | null;
  ownerName: string | null;
  issuedOn: string;
  dueOn: string;
  daysOverdue: number;
  openFen: bigint;
};

/** 逾期清单: every overdue open blue invoice, grouped by the customer's owner (rep) then oldest first. */
export async function overdueInvoices(db: Queryable, actor: Actor | null, filter: { ownerId?: number; asOf: string }): Promise<OverdueInvoice[]> {
  const rows = rowsOf<{ id: number; number: string; tax_invoice_no: string | null; customer_id: number; customer_name: string; owner_id: number | null; owner_name: string | null; issued_on: string; due_on: string; days: number; open: string }>(
    await db.execute(sql`select i.id, i.number, i.tax_invoice_no, i.customer_id, c.name as customer_name, c.owner_id, u.display_name as owner_name,
        i.issued_on::text, i.due_on::text, (${filter.asOf}::date - i.due_on)::int as days, (i.amount_fen - i.paid_fen - i.credited_fen)::text as open
      from invoices i join customers c on c.id = i.customer_id left join users u on u.id = c.owner_id
      where i.status = 'issued' and i.kind = 'blue' and i.amount_fen > i.paid_fen + i.credited_fen and i.due_on < ${filter.asOf}::date
        ${actor ? sql`and ${customerVisible(actor, sql`i.customer_id`)}` : sql``}
        ${filter.ownerId ? sql`and c.owner_id = ${filter.ownerId}` : sql``}
      order by u.display_name nulls last, i.due_on, i.id limit 10000`),
  );
  return rows.map((r) => ({
    invoiceId: r.id,
    number: r.number,
    taxInvoiceNo: r.tax_invoice_no,
    customerId: r.customer_id,
    customerName: r.customer_name,
    ownerId: r.owner_id,
    ownerName: r.owner_name,
    issuedOn: r.issued_on,
    dueOn: r.due_on,
    daysOverdue: r.days,
    openFen: BigInt(r.open),
  }));
}

/** The weekly job: each rep hears of their customers' overdue invoices (one notice per rep). */
export async function remindOverdue(db: Db, asOf: string): Promise<number> {
  const list = await overdueInvoices(db, null, { asOf });
  const byOwner = new Map<number, OverdueInvoice[]>();
  for (const o of list) if (o.ownerId) byOwner.set(o.ownerId, [...(byOwner.get(o.ownerId) ?? []), o]);
  if (byOwner.size === 0) return 0;
  await db.transaction(async (tx) => {
    for (const [ownerId, items] of byOwner) {
      const total = items.reduce((s, i) => s + i.openFen, 0n);
      const yuan = `${total / 100n}.${(total % 100n).toString().padStart(2, '0')}`;
      const customers = new Set(items.map((i) => i.customerId)).size;
      await notify(tx, {
        userIds: [ownerId],
        event: 'receivables.overdue',
        title: { 'zh-CN': `逾期应收：${customers} 个客户 ${items.length} 张发票，合计 ¥${yuan}`, 'en-US': `Overdue receivables: ${items.length} invoices of ${customers} customers, ¥${yuan} in total` },
        body: {
          'zh-CN': items.slice(0, 10).map((i) => `${i.customerName} ${i.number} 逾期 ${i.daysOverdue} 天`).join('\n'),
          'en-US': items.slice(0, 10).map((i) => `${i.customerName} ${i.number} ${i.daysOverdue} days overdue`).join('\n'),
        },
        link: `/receivables?ownerId=${ownerId}`,
      });
    }
  });
  return byOwner.size;
}

// ---- Statement 对账单 ---------------------------------------------------------------------------

export type StatementEntry = {
  date: string;
  kind: 'invoice' | 'red_invoice' | 'receipt';
  id: number;
  number: string;
  reference: string | null;
  debitFen: bigint;
  creditFen: bigint;
  balanceFen: bigint;
};
export type Statement = {
  customer: { id: number; code: string; name: string; invoiceTitle: string | null; paymentTermsDays: number };
  from: string;
  to: string;
  openingFen: bigint;
  entries: StatementEntry[];
  invoicedFen: bigint;
  redFen: bigint;
  receivedFen: bigint;
  closingFen: bigint;
};

export async function customerStatement(db: Queryable, actor: Actor, customerId: number, from: string, to: string): Promise<Statement> {
  if (to < from) throw new DomainError('VALIDATION_FAILED', {}, 422, [{ path: 'to', code: 'STATEMENT_RANGE_INVALID' }]);
  const [c] = rowsOf<{ id: number; code: string; name: string; invoice_title: string | null; payment_terms_days: number }>(
    await db.execute(sql`select id, code, name, invoice_title, payment_terms_days from customers where id = ${customerId} and ${customerVisible(actor, sql`${customerId}::int`)}`),
  );
  if (!c) throw notFound();
  const [opening] = rowsOf<{ inv: string; rec: string }>(
    await db.execute(sql`select
      coalesce((select sum(amount_fen) from invoices where customer_id = ${customerId} and status = 'issued' and issued_on < ${from}::date), 0)::text as inv,
      coalesce((select sum(amount_fen) from receipts where customer_id = ${customerId} and status = 'posted' and received_on < ${from}::date), 0)::text as rec`),
  );
  const moves = rowsOf<{ date: string; kind: 'invoice' | 'red_invoice' | 'receipt'; id: number; number: string; reference: string | null; amount: string }>(
    await db.execute(sql`select * from (
        select issued_on::text as date, case when kind = 'blue' then 'invoice' else 'red_invoice' end as kind, id, number, tax_invoice_no as reference, amount_fen::text as amount
          from invoices where customer_id = ${customerId} and status = 'issued' and issued_on between ${from}::date and ${to}::date
        union all
        select received_on::text, 'receipt', id, number, coalesce(bill_no, reference), (-amount_fen)::text
          from receipts where customer_id = ${customerId} and status = 'posted' and received_on between ${from}::date and ${to}::date
      ) m order by date, case kind when 'invoice' then 0 when 'red_invoice' then 1 else 2 end, id`),
  );
  const openingFen = BigInt(opening!.inv) - BigInt(opening!.rec);
  let balance = openingFen;
  let invoiced = 0n;
  let red = 0n;
  let received = 0n;
  const entries = moves.map((m) => {
    const amount = BigInt(m.amount);
    balance += amount;
    if (m.kind === 'invoice') invoiced += amount;
    else if (m.kind === 'red_invoice') red += amount;
    else received -= amount;
    return { date: m.date, kind: m.kind, id: m.id, number: m.number, reference: m.reference, debitFen: amount > 0n ? amount : 0n, creditFen: amount < 0n ? -amount : 0n, balanceFen: balance };
  });
  return {
    customer: { id: c.id, code: c.code, name: c.name, invoiceTitle: c.invoice_title, paymentTermsDays: c.payment_terms_days },
    from,
    to,
    openingFen,
    entries,
    invoicedFen: invoiced,
    redFen: red,
    receivedFen: received,
    closingFen: balance,
  };
}

/** GET /api/customers/:id/credit: the customer must be visible to the actor. */
export async function customerCredit(db: Queryable, actor: Actor, customerId: number, today: string): Promise<CreditStatus> {
  const [c] = rowsOf<{ id: number }>(await db.execute(sql`select id from customers where id = ${customerId} and ${customerVisible(actor, sql`${customerId}::int`)}`));
  if (!c) throw notFound();
  const status = (await creditStatus(db, [customerId], today)).get(customerId);
  if (!status) throw notFound();
  return status;
}
