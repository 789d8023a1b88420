import { sql } from 'drizzle-orm';
import { type Actor, loadActor } from '../src/kernel/access/actor.js';
import { type Db, rowsOf } from '../src/kernel/db/client.js';
import { makeCustomer, userIdOf } from './support.js';

/**
 * Finance tests need shipped goods without running orders and shipping (built by other modules):
 * a sales order straight in the database, status shipped, its lines with shipped/returned quantities.
 */
export type ShippedLineInput = { quantity: number; shipped?: number; returned?: number; unitPriceFen: bigint; discountFen?: bigint; vatRateBp?: number };

let orderSeq = 0;
export async function shippedOrder(db: Db, customerId: number, lines: ShippedLineInput[], orderDate = '2026-11-01'): Promise<{ orderId: number; lineIds: number[] }> {
  orderSeq += 1;
  const [p] = rowsOf<{ id: number }>(await db.execute(sql`select id from products order by id limit 1`));
  const total = lines.reduce((s, l) => s + BigInt(l.quantity) * l.unitPriceFen - (l.discountFen ?? 0n), 0n);
  const [o] = rowsOf<{ id: number }>(
    await db.execute(sql`insert into sales_orders (number, status, customer_id, entered_by, order_date, total_fen)
      values (${`SO-FT-${process.pid}-${orderSeq}`}, 'shipped', ${customerId}, (select id from users where username = 'office'), ${orderDate}, ${total}) returning id`),
  );
  const lineIds: number[] = [];
  let no = 0;
  for (const l of lines) {
    no += 1;
    const amount = BigInt(l.quantity) * l.unitPriceFen - (l.discountFen ?? 0n);
    const [row] = rowsOf<{ id: number }>(
      await db.execute(sql`insert into sales_order_lines (order_id, line_no, product_id, quantity, unit_price_fen, discount_fen, amount_fen, vat_rate_bp, shipped_qty, returned_qty)
        values (${o!.id}, ${no}, ${p!.id}, ${l.quantity}, ${l.unitPriceFen}, ${l.discountFen ?? 0n}, ${amount}, ${l.vatRateBp ?? 1300}, ${l.shipped ?? l.quantity}, ${l.returned ?? 0}) returning id`),
    );
    lineIds.push(row!.id);
  }
  return { orderId: o!.id, lineIds };
}

let customerSeq = 0;
/** A customer of `owner` with full 开票信息 (so 专票 can be issued) and the given payment terms. */
export async function billableCustomer(db: Db, owner: string | null, options: { paymentTermsDays?: number; creditLimitFen?: bigint; invoiceData?: boolean; name?: string } = {}) {
  customerSeq += 1;
  const data = options.invoiceData === false
    ? {}
    : { invoiceTitle: `开票抬头${customerSeq}`, taxNumber: `91310000MA1FL${String(customerSeq).padStart(5, '0')}`, bankName: '工商银行', bankAccount: `6222${customerSeq}`, invoiceAddress: '上海市', invoicePhone: '021-1234567' };
  return makeCustomer(db, { name: options.name ?? `财务测试医院${process.pid}-${customerSeq}`, owner, paymentTermsDays: options.paymentTermsDays ?? 30, creditLimitFen: options.creditLimitFen ?? 0n, ...data });
}

export async function actorOfUser(db: Db, username: string): Promise<Actor> {
  const actor = await loadActor(db, await userIdOf(db, username));
  if (!actor) throw new Error(`no actor ${username}`);
  return actor;
}

export async function orderLine(db: Db, id: number) {
  const [l] = rowsOf<{ shipped_qty: number; returned_qty: number; invoiced_qty: number; amount_fen: string }>(
    await db.execute(sql`select shipped_qty, returned_qty, invoiced_qty, amount_fen::text from sales_order_lines where id = ${id}`),
  );
  return l!;
}

export async function closePeriod(db: Db, period: string) {
  await db.execute(sql`insert into period_closings (period, closed_by) values (${period}, (select id from users where username = 'finance')) on conflict do nothing`);
}
