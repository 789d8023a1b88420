import { sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../kernel/db/client.js';
import { loadActor, systemActor } from '../kernel/access/actor.js';
import { formatNumber, periodOf } from '../kernel/documents/numbering.js';
import { invoiceType } from '../modules/finance/invoices.service.js';
import { RECEIPT_NUMBER_PATTERN } from '../modules/finance/receipts.service.js';
import { ORDER_NUMBER_PATTERN, submitOrder } from '../modules/orders/orders.service.js';
import { returnRequestType } from '../modules/returns/returns.service.js';
import { shipmentType } from '../modules/shipping/shipping.service.js';
import { vatOfGross } from '../kernel/money.js';
import { moveStock, reserveFefo, shipReserved, type StockMove } from '../modules/stock/stock.ledger.js';
import { type Rng, seededRng } from './customer-generator.js';

/**
 * The demo company's order to cash, so that every order, stock, shipping, invoicing, receivables and
 * closing page has something to show on the first start:
 * - stock of the whole catalogue received about 100 days ago: per product a long-dated batch, a
 *   near-expiry batch (about 4 months left, the one FEFO uses first) and for some an expired batch;
 *   2–8 °C products in the cold store LK, the rest in ZC;
 * - about 300 orders over the last ~90 days for the reps' customers, in every state: drafts and orders
 *   in approval (with their problems) or waiting for review in the last days, released orders with
 *   reservations, partially shipped and shipped ones, a few cancelled;
 * - shipments (four-eyes checked, cold chain with logger and temperatures) dispatched a day or two after
 *   the order, delivered after a few days; blue invoices for most shipped orders, two returns with their
 *   red invoices; receipts (bank transfer, acceptance bills) allocated to invoices, with some customers
 *   paying late or not at all (overdue receivables) and some unapplied cash.
 *
 * Stock moves only through the stock ledger (moveStock, reserveFefo, shipReserved), so on-hand is the
 * sum of movements and reserved the sum of reservations; documents are written with multi-row inserts
 * (no service calls: they are built in parallel and validate row by row) keeping every CHECK true.
 * Numbers have the real shapes (SO/FH/KP/TH + yyyymm-seq, receipts HK{yyyy}{mm}-{seq:5}); the counters
 * in document_sequences are set past them. Deterministic apart from "now". Skipped when orders exist.
 */

const SHANGHAI_OFFSET_H = 8;
const DAY_MS = 86_400_000;
const ORDER_COUNT = 300;
const DAYS_BACK = 90;

export type DemoO2cResult = { orders: number; shipments: number; invoices: number; receipts: number; ms: number };

type Product = { id: number; cold: boolean; vatRateBp: number; priceFen: number };
type Customer = { id: number; ownerId: number; departmentId: number | null; termsDays: number; payer: 'good' | 'slow' | 'none' };
type Intent = 'draft' | 'pending_approval' | 'pending_review' | 'released' | 'partially_shipped' | 'shipped' | 'cancelled';

function shanghaiDay(now: Date, offset = 0): string {
  return new Date(now.getTime() + SHANGHAI_OFFSET_H * 3_600_000 + offset * DAY_MS).toISOString().slice(0, 10);
}
function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}
/** The instant of hh:mm on a Shanghai day. */
function at(day: string, hour: number, minute = 0): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) + (hour - SHANGHAI_OFFSET_H) * 3_600_000 + minute * 60_000);
}
const minDay = (a: string, b: string) => (a < b ? a : b);

function weighted<T>(rnd: Rng, items: [T, number][]): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let r = rnd() * total;
  for (const [v, w] of items) if ((r -= w) < 0) return v;
  return items[items.length - 1]![0];
}

/** Document numbers in each type's own pattern (the numbering kernel's), counted per period like the real ones. */
const NUMBER_PATTERNS: Record<string, string> = {
  sales_order: ORDER_NUMBER_PATTERN,
  shipment: shipmentType.numberPattern,
  invoice: invoiceType.numberPattern,
  return_request: returnRequestType.numberPattern,
  receipt: RECEIPT_NUMBER_PATTERN,
};
class Numbers {
  readonly used = new Map<string, number>();
  next(docType: string, day: string): string {
    const pattern = NUMBER_PATTERNS[docType]!;
    const date = new Date(`${day}T12:00:00+08:00`);
    const k = `${docType}|${periodOf(pattern, date, DEMO_TIME_ZONE)}`;
    const n = (this.used.get(k) ?? 0) + 1;
    this.used.set(k, n);
    return formatNumber(pattern, date, DEMO_TIME_ZONE, n);
  }
}
const DEMO_TIME_ZONE = 'Asia/Shanghai';

export async function loadDemoO2c(db: Db, now = new Date()): Promise<DemoO2cResult | null> {
  const result = await writeDemoO2c(db, now);
  if (result) await submitDemoExceptions(db, result.toSubmit, shanghaiDay(now));
  return result;
}

/**
 * The orders meant to wait in approval are written as drafts with a price below the list on their first
 * line, then submitted through the real orders service by whoever entered them: the checks find the
 * exception and the approval flow gives the office lead a real task (an order written straight into
 * pending_approval would have no approval request behind it).
 */
async function submitDemoExceptions(db: Db, orders: { id: number; enteredBy: number }[], today: string) {
  for (const o of orders) {
    const actor = await loadActor(db, o.enteredBy);
    if (actor) await submitOrder(db, actor, o.id, 1, today);
  }
}

async function writeDemoO2c(db: Db, now: Date): Promise<(DemoO2cResult & { toSubmit: { id: number; enteredBy: number }[] }) | null> {
  const started = Date.now();
  return db.transaction(async (tx) => {
    const [{ n }] = rowsOf<{ n: number }>(await tx.execute(sql`select count(*)::int as n from sales_orders`));
    if (Number(n) > 0) return null;
    const rnd = seededRng(20261126);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
    const today = shanghaiDay(now);
    const actor = systemActor();
    const numbers = new Numbers();

    const userId = async (username: string) => rowsOf<{ id: number }>(await tx.execute(sql`select id from users where username = ${username}`))[0]?.id;
    const office = await userId('office');
    const lead = await userId('office_lead');
    const logistics = await userId('logistics');
    const quality = await userId('quality');
    const finance = await userId('finance');
    if (!office || !lead || !logistics || !quality || !finance) return null;

    const warehouses = new Map(rowsOf<{ code: string; id: number }>(await tx.execute(sql`select code, id from warehouses`)).map((w) => [w.code, w.id]));
    const zc = warehouses.get('ZC');
    const lk = warehouses.get('LK');
    const bhg = warehouses.get('BHG');
    if (!zc || !lk || !bhg) return null;

    const products: Product[] = rowsOf<{ id: number; storage_condition: string; vat_rate_bp: number; price: string | null }>(
      await tx.execute(sql`select p.id, p.storage_condition, p.vat_rate_bp,
          (select max(pr.amount_fen) from prices pr where pr.product_id = p.id and pr.kind = 'ex_factory')::text as price
        from products p where p.status = 'active' order by p.id`),
    ).map((p) => ({ id: p.id, cold: p.storage_condition === 'cold_chain', vatRateBp: p.vat_rate_bp, priceFen: p.price ? Number(p.price) : int(10, 200) * 100 }));
    if (products.length === 0) return null;

    // The reps' customers, distributors first (they order most), about 120 of them.
    const customers: Customer[] = rowsOf<{ id: number; owner_id: number; department_id: number | null; payment_terms_days: number }>(
      await tx.execute(sql`select c.id, c.owner_id, u.department_id, c.payment_terms_days from customers c join users u on u.id = c.owner_id
        where c.status = 'active' order by (c.type = 'distributor') desc, (c.type = 'agent') desc, c.id limit 120`),
    ).map((c) => ({
      id: c.id,
      ownerId: c.owner_id,
      departmentId: c.department_id,
      termsDays: c.payment_terms_days,
      payer: weighted<Customer['payer']>(rnd, [['good', 70], ['slow', 20], ['none', 10]]),
    }));
    if (customers.length === 0) return null;

    // ---- Stock: three batches per product (long-dated, near-expiry, and for every third an expired one) --------
    const receivedOn = addDays(today, -(DAYS_BACK + 10));
    const batchRows: { productId: number; batchNo: string; made: string; expires: string; qty: number; warehouseId: number }[] = [];
    for (const [i, p] of products.entries()) {
      const w = p.cold ? lk : zc;
      const code = String(p.id).padStart(3, '0');
      batchRows.push({ productId: p.id, batchNo: `${receivedOn.slice(2, 4)}${code}A`, made: addDays(today, -120), expires: addDays(today, 730 + int(0, 300)), qty: int(3000, 6000), warehouseId: w });
      batchRows.push({ productId: p.id, batchNo: `${receivedOn.slice(2, 4)}${code}N`, made: addDays(today, -600), expires: addDays(today, int(100, 150)), qty: int(1500, 2500), warehouseId: w });
      if (i % 3 === 0) batchRows.push({ productId: p.id, batchNo: `${receivedOn.slice(2, 4)}${code}X`, made: addDays(today, -760), expires: addDays(today, -int(5, 40)), qty: int(20, 60), warehouseId: w });
    }
    const batchIds = rowsOf<{ id: number; product_id: number; batch_no: string }>(
      await tx.execute(sql`insert into stock_batches (product_id, batch_no, manufactured_on, expires_on)
        values ${sql.join(batchRows.map((b) => sql`(${b.productId}, ${b.batchNo}, ${b.made}::date, ${b.expires}::date)`), sql`, `)}
        returning id, product_id, batch_no`),
    );
    const batchIdOf = new Map(batchIds.map((b) => [`${b.product_id}|${b.batch_no}`, b.id]));
    const moves: StockMove[] = batchRows.map((b) => ({ warehouseId: b.warehouseId, batchId: batchIdOf.get(`${b.productId}|${b.batchNo}`)!, productId: b.productId, kind: 'receipt', quantity: b.qty }));
    await moveStock(tx, actor, { docType: 'stock_receipt', docId: 0, docNumber: `RK${receivedOn.replaceAll('-', '')}-001` }, receivedOn, moves);

    // ---- Orders ---------------------------------------------------------------------------------------------
    type OrderSpec = {
      number: string;
      intent: Intent;
      customer: Customer;
      day: string;
      channel: string;
      lines: { productId: number; qty: number; priceFen: number; unitPriceFen: number; vatRateBp: number }[];
      problems: unknown[];
    };
    const specs: OrderSpec[] = [];
    const days = Array.from({ length: ORDER_COUNT }, () => Math.floor(Math.pow(rnd(), 1.1) * DAYS_BACK)).sort((a, b) => b - a);
    for (const back of days) {
      const day = addDays(today, -back);
      const intent: Intent =
        back <= 2
          ? weighted<Intent>(rnd, [['draft', 15], ['pending_approval', 25], ['pending_review', 25], ['released', 35]])
          : back <= 10
            ? weighted<Intent>(rnd, [['pending_approval', 5], ['released', 15], ['partially_shipped', 20], ['shipped', 55], ['cancelled', 5]])
            : weighted<Intent>(rnd, [['partially_shipped', 4], ['shipped', 90], ['cancelled', 6]]);
      const chosen = new Set<number>();
      const lineCount = weighted(rnd, [[1, 45], [2, 35], [3, 20]] as [number, number][]);
      const lines: OrderSpec['lines'] = [];
      while (lines.length < lineCount) {
        const p = pick(products);
        if (chosen.has(p.id)) continue;
        chosen.add(p.id);
        // Orders meant for approval carry a real exception: a price below the list on their first line (see submitDemoExceptions).
        const unitPriceFen = intent === 'pending_approval' && lines.length === 0 ? Math.round(p.priceFen * 0.95) : p.priceFen;
        lines.push({ productId: p.id, qty: pick([5, 10, 10, 20, 20, 30, 50, 60]), priceFen: p.priceFen, unitPriceFen, vatRateBp: p.vatRateBp });
      }
      specs.push({
        number: numbers.next('sales_order', day),
        intent,
        customer: pick(customers),
        day,
        channel: weighted(rnd, [['phone', 45], ['fax', 10], ['email', 20], ['rep', 25]] as [string, number][]),
        lines,
        problems: [],
      });
    }
    const releasedIntents: Intent[] = ['released', 'partially_shipped', 'shipped'];
    const orderRows = rowsOf<{ id: number; number: string }>(
      await tx.execute(sql`insert into sales_orders (number, status, customer_id, channel, owner_id, owner_department_id, entered_by, order_date, urgency, total_fen, problems,
          submitted_by, submitted_at, reviewed_by, reviewed_at, released_at, cancel_reason, cancelled_by, cancelled_at, created_at, updated_at)
        values ${sql.join(
          specs.map((s) => {
            const total = s.lines.reduce((t, l) => t + l.qty * l.unitPriceFen, 0);
            const entered = s.channel === 'rep' ? s.customer.ownerId : office;
            const created = at(s.day, int(8, 16), int(0, 59));
            const submitted = s.intent === 'draft' || s.intent === 'pending_approval' ? null : new Date(created.getTime() + 20 * 60_000);
            const reviewed = releasedIntents.includes(s.intent) ? new Date(created.getTime() + 2 * 3_600_000) : null;
            const cancelled = s.intent === 'cancelled' ? new Date(created.getTime() + 26 * 3_600_000) : null;
            const status = releasedIntents.includes(s.intent) ? 'released' : s.intent === 'pending_approval' ? 'draft' : s.intent;
            return sql`(${s.number}, ${status}, ${s.customer.id}, ${s.channel}, ${s.customer.ownerId}, ${s.customer.departmentId}, ${entered}, ${s.day}::date,
              ${rnd() < 0.1 ? 'urgent' : 'normal'}, ${total}, ${JSON.stringify(s.problems)}::jsonb, ${submitted ? entered : null}, ${submitted}, ${reviewed ? lead : null}, ${reviewed}, ${reviewed},
              ${cancelled ? '客户取消采购计划' : null}, ${cancelled ? office : null}, ${cancelled}, ${created}, ${cancelled ?? reviewed ?? submitted ?? created})`;
          }),
          sql`, `,
        )} returning id, number`),
    );
    const orderIdOf = new Map(orderRows.map((o) => [o.number, o.id]));
    const lineValues = specs.flatMap((s) =>
      s.lines.map((l, i) => sql`(${orderIdOf.get(s.number)!}, ${i + 1}, ${l.productId}, ${l.qty}, ${l.unitPriceFen}, ${l.priceFen}, 'ex_factory', ${l.qty * l.unitPriceFen}, ${l.vatRateBp}, ${l.unitPriceFen === l.priceFen ? null : '老客户年度让利 5%'})`),
    );
    const lineRows = rowsOf<{ id: number; order_id: number; line_no: number }>(
      await tx.execute(sql`insert into sales_order_lines (order_id, line_no, product_id, quantity, unit_price_fen, list_price_fen, price_source, amount_fen, vat_rate_bp, price_override_reason)
        values ${sql.join(lineValues, sql`, `)} returning id, order_id, line_no`),
    );
    const lineIdOf = new Map(lineRows.map((l) => [`${l.order_id}|${l.line_no}`, l.id]));

    type Item = { order_id: number; order_line_id: number; line_no: number; warehouse_id: number; batch_id: number; product_id: number; quantity: number };
    type ShipmentSpec = { number: string; orderId: number; customerId: number; warehouseId: number; day: string; items: Item[] };
    const released = specs.filter((s) => releasedIntents.includes(s.intent));
    const toShip = released.filter((s) => s.intent !== 'released');
    const shipOrderIds = toShip.map((s) => orderIdOf.get(s.number)!);
    const dispatchDayOf = new Map<number, string>();
    const shipmentSpecs: ShipmentSpec[] = [];
    const shipmentIdOf = new Map<string, number>();
    const shipmentLineRows: { id: number; shipment_id: number; order_line_id: number; batch_id: number; quantity: number }[] = [];
    /** One shipment per warehouse of the order's items, dispatched a day or two after the order. */
    const planShipments = (s: OrderSpec, items: Item[]): ShipmentSpec[] => {
      const orderId = orderIdOf.get(s.number)!;
      const day = minDay(addDays(s.day, int(1, 2)), today);
      dispatchDayOf.set(orderId, day);
      return [...new Set(items.map((r) => r.warehouse_id))].map((w) => ({
        number: numbers.next('shipment', day),
        orderId,
        customerId: s.customer.id,
        warehouseId: w,
        day,
        items: items.filter((r) => r.warehouse_id === w),
      }));
    };
    const insertShipments = async (list: ShipmentSpec[]) => {
      if (list.length === 0) return;
      const rows = rowsOf<{ id: number; number: string }>(
        await tx.execute(sql`insert into shipments (number, status, order_id, customer_id, warehouse_id, carrier, tracking_no, cold_chain, temperature_logger_id, start_temp_tenths, end_temp_tenths,
            created_by, checked_by, checked_at, dispatched_by, dispatched_at, dispatched_on, delivered_at, created_at, updated_at)
          values ${sql.join(
            list.map((sh) => {
              const cold = sh.warehouseId === lk;
              const dispatched = at(sh.day, int(14, 17), int(0, 59));
              const delivered = addDays(sh.day, 3) <= today ? at(addDays(sh.day, int(1, 3)), int(9, 17)) : null;
              return sql`(${sh.number}, ${delivered ? 'delivered' : 'dispatched'}, ${sh.orderId}, ${sh.customerId}, ${sh.warehouseId}, ${pick(['顺丰速运', '京东物流', '九州通医药物流', '国药物流'])},
                ${`SF${String(int(100_000_000, 999_999_999))}${String(int(1000, 9999))}`}, ${cold}, ${cold ? `TL-${int(1000, 9999)}` : null}, ${cold ? int(30, 50) : null}, ${cold ? int(35, 65) : null},
                ${logistics}, ${quality}, ${new Date(dispatched.getTime() - 3_600_000)}, ${logistics}, ${dispatched}, ${sh.day}::date, ${delivered},
                ${new Date(dispatched.getTime() - 4 * 3_600_000)}, ${delivered ?? dispatched})`;
            }),
            sql`, `,
          )} returning id, number`),
      );
      for (const r of rows) shipmentIdOf.set(r.number, r.id);
      shipmentLineRows.push(
        ...rowsOf<{ id: number; shipment_id: number; order_line_id: number; batch_id: number; quantity: number }>(
          await tx.execute(sql`insert into shipment_lines (shipment_id, order_line_id, product_id, batch_id, warehouse_id, quantity)
            values ${sql.join(
              list.flatMap((sh) => sh.items.map((it) => sql`(${shipmentIdOf.get(sh.number)!}, ${it.order_line_id}, ${it.product_id}, ${it.batch_id}, ${it.warehouse_id}, ${it.quantity})`)),
              sql`, `,
            )} returning id, shipment_id, order_line_id, batch_id, quantity`),
        ),
      );
      shipmentSpecs.push(...list);
    };

    // Orders shipped whole, oldest first: the ledger's FEFO rule (batches expiring after today, earliest
    // expiry first) applied in memory, then written in bulk — shipment movements, balances and the lines'
    // shipped quantities in three statements instead of a reservation and a shipment call per line.
    const free = batchRows
      .filter((b) => b.expires > today)
      .map((b) => ({ warehouseId: b.warehouseId, batchId: batchIdOf.get(`${b.productId}|${b.batchNo}`)!, productId: b.productId, expires: b.expires, free: b.qty }))
      .sort((a, b) => (a.expires < b.expires ? -1 : a.expires > b.expires ? 1 : a.batchId - b.batchId || a.warehouseId - b.warehouseId));
    const whole: ShipmentSpec[] = [];
    for (const s of toShip.filter((x) => x.intent === 'shipped')) {
      const orderId = orderIdOf.get(s.number)!;
      const items: Item[] = [];
      for (const [i, l] of s.lines.entries()) {
        let left = l.qty;
        for (const b of free) {
          if (left === 0) break;
          if (b.productId !== l.productId || b.free === 0) continue;
          const take = Math.min(left, b.free);
          b.free -= take;
          left -= take;
          items.push({ order_id: orderId, order_line_id: lineIdOf.get(`${orderId}|${i + 1}`)!, line_no: i + 1, warehouse_id: b.warehouseId, batch_id: b.batchId, product_id: b.productId, quantity: take });
        }
      }
      whole.push(...planShipments(s, items));
    }
    await insertShipments(whole);
    const wholeItems = whole.flatMap((sh) => sh.items.map((it) => ({ ...it, sh })));
    if (wholeItems.length) {
      await tx.execute(sql`insert into stock_movements (at, business_date, warehouse_id, batch_id, product_id, kind, quantity, doc_type, doc_id, doc_number, actor_id)
        values ${sql.join(
          wholeItems.map((it) => sql`(${at(it.sh.day, 15)}, ${it.sh.day}::date, ${it.warehouse_id}, ${it.batch_id}, ${it.product_id}, 'shipment', ${-it.quantity}, 'shipment', ${shipmentIdOf.get(it.sh.number)!}, ${it.sh.number}, ${logistics})`),
          sql`, `,
        )}`);
      const byBalance = new Map<string, { w: number; b: number; q: number }>();
      const byLine = new Map<number, number>();
      for (const it of wholeItems) {
        const k = `${it.warehouse_id}|${it.batch_id}`;
        byBalance.set(k, { w: it.warehouse_id, b: it.batch_id, q: (byBalance.get(k)?.q ?? 0) + it.quantity });
        byLine.set(it.order_line_id, (byLine.get(it.order_line_id) ?? 0) + it.quantity);
      }
      await tx.execute(sql`update stock_balances s set on_hand = s.on_hand - v.q, updated_at = now()
        from (values ${sql.join([...byBalance.values()].map((x) => sql`(${x.w}::int, ${x.b}::int, ${x.q}::int)`), sql`, `)}) v(w, b, q)
        where s.warehouse_id = v.w and s.batch_id = v.b`);
      await tx.execute(sql`update sales_order_lines l set shipped_qty = l.shipped_qty + v.q
        from (values ${sql.join([...byLine.entries()].map(([id, q]) => sql`(${id}::int, ${q}::int)`), sql`, `)}) v(id, q) where l.id = v.id`);
    }

    // Released and partially shipped orders (the last days): reserved through the ledger, which keeps those reservations.
    const open = released.filter((s) => s.intent !== 'shipped');
    for (const s of open) {
      const orderId = orderIdOf.get(s.number)!;
      for (const [i, l] of s.lines.entries()) await reserveFefo(tx, { orderLineId: lineIdOf.get(`${orderId}|${i + 1}`)!, productId: l.productId, quantity: l.qty }, today);
    }
    // Partial shipments: about half of the first line's reservation leaves through the ledger.
    const partial = open.filter((s) => s.intent === 'partially_shipped');
    const partialIds = partial.map((s) => orderIdOf.get(s.number)!);
    const reservations = partialIds.length
      ? rowsOf<Item>(
          await tx.execute(sql`select l.order_id, r.order_line_id, l.line_no, r.warehouse_id, r.batch_id, r.product_id, r.quantity
            from stock_reservations r join sales_order_lines l on l.id = r.order_line_id
            where l.order_id in (${sql.join(partialIds.map((id) => sql`${id}`), sql`, `)}) and l.line_no = 1 order by r.order_line_id, r.batch_id`),
        )
      : [];
    const partialSpecs = partial.flatMap((s) => {
      const orderId = orderIdOf.get(s.number)!;
      const items = reservations.filter((r) => r.order_id === orderId).map((r) => ({ ...r, quantity: Math.max(1, Math.floor(r.quantity / 2)) }));
      return items.length ? planShipments(s, items) : [];
    });
    await insertShipments(partialSpecs);
    for (const sh of partialSpecs) {
      await shipReserved(
        tx,
        actor,
        { docType: 'shipment', docId: shipmentIdOf.get(sh.number)!, docNumber: sh.number },
        sh.day,
        sh.items.map((it) => ({ orderLineId: it.order_line_id, warehouseId: it.warehouse_id, batchId: it.batch_id, productId: it.product_id, quantity: it.quantity })),
      );
    }
    // Back-orders of fully shipped orders whose stock was short are closed (the customer accepted part delivery).
    if (shipOrderIds.length) {
      const fullIds = toShip.filter((s) => s.intent === 'shipped').map((s) => orderIdOf.get(s.number)!);
      if (fullIds.length) {
        await tx.execute(sql`update sales_order_lines set closed_qty = quantity - shipped_qty - reserved_qty
          where order_id in (${sql.join(fullIds.map((id) => sql`${id}`), sql`, `)}) and reserved_qty = 0 and shipped_qty < quantity`);
      }
      // released → partially_shipped → shipped, as refreshOrderStatus does, for all shipped orders at once.
      await tx.execute(sql`update sales_orders o set status = case when a.open = 0 then 'shipped' when a.moved > 0 then 'partially_shipped' else 'released' end,
          version = version + 1
        from (select order_id, count(*) filter (where shipped_qty - returned_qty + closed_qty < quantity) as open, count(*) filter (where shipped_qty > 0) as moved
              from sales_order_lines where order_id in (${sql.join(shipOrderIds.map((id) => sql`${id}`), sql`, `)}) group by order_id) a
        where o.id = a.order_id`);
    }

    // ---- Invoices: blue, per order, for shipped goods, a few days after dispatch ------------------------------
    const shippedLines = shipOrderIds.length
      ? rowsOf<{ id: number; order_id: number; product_id: number; shipped_qty: number; unit_price_fen: string; vat_rate_bp: number }>(
          await tx.execute(sql`select id, order_id, product_id, shipped_qty, unit_price_fen::text, vat_rate_bp from sales_order_lines
            where order_id in (${sql.join(shipOrderIds.map((id) => sql`${id}`), sql`, `)}) and shipped_qty > 0 order by order_id, line_no`),
        )
      : [];
    const linesOfOrder = new Map<number, typeof shippedLines>();
    for (const l of shippedLines) linesOfOrder.set(l.order_id, [...(linesOfOrder.get(l.order_id) ?? []), l]);
    type InvoiceSpec = { number: string; orderId: number; customer: Customer; issuedOn: string; dueOn: string; amount: bigint; tax: bigint; lines: { l: (typeof shippedLines)[number]; amount: bigint; tax: bigint }[] };
    const invoiceSpecs: InvoiceSpec[] = [];
    for (const s of toShip) {
      const orderId = orderIdOf.get(s.number)!;
      const dispatched = dispatchDayOf.get(orderId)!;
      const lines = linesOfOrder.get(orderId) ?? [];
      if (lines.length === 0 || addDays(dispatched, 3) > today || rnd() < 0.12) continue;
      const issuedOn = minDay(addDays(dispatched, int(1, 4)), today);
      const terms = s.customer.termsDays > 0 ? s.customer.termsDays : 30;
      const invLines = lines.map((l) => {
        const amount = BigInt(l.shipped_qty) * BigInt(l.unit_price_fen);
        return { l, amount, tax: vatOfGross(amount, l.vat_rate_bp) };
      });
      invoiceSpecs.push({
        number: numbers.next('invoice', issuedOn),
        orderId,
        customer: s.customer,
        issuedOn,
        dueOn: addDays(issuedOn, terms),
        amount: invLines.reduce((t, x) => t + x.amount, 0n),
        tax: invLines.reduce((t, x) => t + x.tax, 0n),
        lines: invLines,
      });
    }
    let taxNo = BigInt('25000000000000000000') + BigInt(int(1, 999_999)) * 1_000_000n;
    const nextTaxNo = () => String((taxNo += 1n));
    const invoiceRows = invoiceSpecs.length
      ? rowsOf<{ id: number; number: string }>(
          await tx.execute(sql`insert into invoices (number, kind, invoice_type, status, customer_id, order_id, tax_invoice_no, issued_on, due_on, amount_fen, tax_fen, created_by, issued_by, created_at, updated_at)
            values ${sql.join(
              invoiceSpecs.map(
                (i) => sql`(${i.number}, 'blue', ${rnd() < 0.8 ? 'special' : 'normal'}, 'issued', ${i.customer.id}, ${i.orderId}, ${nextTaxNo()}, ${i.issuedOn}::date, ${i.dueOn}::date,
                  ${i.amount}, ${i.tax}, ${finance}, ${finance}, ${at(i.issuedOn, 10)}, ${at(i.issuedOn, 11)})`,
              ),
              sql`, `,
            )} returning id, number`),
        )
      : [];
    const invoiceIdOf = new Map(invoiceRows.map((r) => [r.number, r.id]));
    if (invoiceSpecs.length) {
      await tx.execute(sql`insert into invoice_lines (invoice_id, order_line_id, product_id, quantity, unit_price_fen, amount_fen, vat_rate_bp, tax_fen)
        values ${sql.join(
          invoiceSpecs.flatMap((i) => i.lines.map((x) => sql`(${invoiceIdOf.get(i.number)!}, ${x.l.id}, ${x.l.product_id}, ${x.l.shipped_qty}, ${x.l.unit_price_fen}::bigint, ${x.amount}, ${x.l.vat_rate_bp}, ${x.tax})`)),
          sql`, `,
        )}`);
      await tx.execute(sql`update sales_order_lines set invoiced_qty = shipped_qty
        where id in (${sql.join(invoiceSpecs.flatMap((i) => i.lines.map((x) => sql`${x.l.id}`)), sql`, `)})`);
    }
    const credited = new Map<number, bigint>(); // invoice id → credited by red invoices

    // ---- Returns: two refunds of damaged / near-expiry goods, back into the quarantine store, red invoices -----
    const returnable = invoiceSpecs.filter((i) => i.issuedOn <= addDays(today, -20)).slice(0, 40);
    const returnSpecs = [returnable[3], returnable[17]].filter((x): x is InvoiceSpec => !!x);
    for (const [k, inv] of returnSpecs.entries()) {
      const x = inv.lines[0]!;
      const sl = shipmentLineRows.find((r) => r.order_line_id === x.l.id)!;
      const qty = Math.min(2, sl.quantity);
      const day = addDays(inv.issuedOn, 7);
      const number = numbers.next('return_request', day);
      const [ret] = rowsOf<{ id: number }>(
        await tx.execute(sql`insert into return_requests (number, status, order_id, customer_id, reason, resolution, description, created_by, received_warehouse_id, received_by, received_at,
            inspected_by, inspected_at, created_at, updated_at)
          values (${number}, 'completed', ${inv.orderId}, ${inv.customer.id}, ${k === 0 ? 'damage' : 'near_expiry'}, 'refund',
            ${k === 0 ? '运输途中外包装破损，药品受潮' : '客户收货时距效期不足六个月，要求退货'}, ${office}, ${bhg}, ${logistics}, ${at(day, 15)}, ${quality}, ${at(day, 17)}, ${at(day, 9)}, ${at(day, 17)})
          returning id`),
      );
      await tx.execute(sql`insert into return_lines (return_id, order_line_id, shipment_line_id, product_id, batch_id, quantity, inspection_result, inspection_note)
        values (${ret!.id}, ${x.l.id}, ${sl.id}, ${x.l.product_id}, ${sl.batch_id}, ${qty}, 'quarantine', '待厂家确认后销毁')`);
      await moveStock(tx, actor, { docType: 'return_request', docId: ret!.id, docNumber: number }, day, [
        { warehouseId: bhg, batchId: sl.batch_id, productId: x.l.product_id, kind: 'return', quantity: qty },
      ]);
      await tx.execute(sql`update sales_order_lines set returned_qty = returned_qty + ${qty}, closed_qty = closed_qty + ${qty}, invoiced_qty = invoiced_qty - ${qty} where id = ${x.l.id}`);
      const amount = -BigInt(qty) * BigInt(x.l.unit_price_fen);
      const tax = -vatOfGross(-amount, x.l.vat_rate_bp);
      const redNumber = numbers.next('invoice', day);
      const blueId = invoiceIdOf.get(inv.number)!;
      const [red] = rowsOf<{ id: number }>(
        await tx.execute(sql`insert into invoices (number, kind, invoice_type, status, customer_id, order_id, original_invoice_id, return_id, tax_invoice_no, issued_on, due_on,
            amount_fen, tax_fen, credited_fen, reason, created_by, issued_by, created_at, updated_at)
          values (${redNumber}, 'red', 'special', 'issued', ${inv.customer.id}, ${inv.orderId}, ${blueId}, ${ret!.id}, ${nextTaxNo()}, ${day}::date, ${day}::date,
            ${amount}, ${tax}, ${-amount}, ${`退货 ${number}`}, ${finance}, ${finance}, ${at(day, 16)}, ${at(day, 16)}) returning id`),
      );
      await tx.execute(sql`insert into invoice_lines (invoice_id, order_line_id, product_id, quantity, unit_price_fen, amount_fen, vat_rate_bp, tax_fen)
        values (${red!.id}, ${x.l.id}, ${x.l.product_id}, ${-qty}, ${x.l.unit_price_fen}::bigint, ${amount}, ${x.l.vat_rate_bp}, ${tax})`);
      credited.set(blueId, (credited.get(blueId) ?? 0n) - amount);
    }
    if (credited.size) {
      for (const [id, c] of credited) await tx.execute(sql`update invoices set credited_fen = ${c} where id = ${id}`);
    }

    // ---- Receipts: good payers pay around the due date, slow ones only their old invoices, a few never -------
    type ReceiptSpec = { number: string; customerId: number; method: 'bank_transfer' | 'acceptance_bill'; amount: bigint; allocated: bigint; day: string; invoiceId: number | null; billNo: string | null };
    const receiptSpecs: ReceiptSpec[] = [];
    for (const i of invoiceSpecs) {
      const open = i.amount - (credited.get(invoiceIdOf.get(i.number)!) ?? 0n);
      if (open <= 0n || i.customer.payer === 'none') continue;
      const payDay = i.customer.payer === 'good' ? addDays(i.dueOn, int(-10, 5)) : addDays(i.dueOn, int(20, 45));
      if (payDay > today || payDay < i.issuedOn) continue;
      const method = rnd() < 0.2 ? 'acceptance_bill' : 'bank_transfer';
      // Now and then a customer pays a round sum above the invoice: the rest is unapplied cash.
      const extra = rnd() < 0.06 ? BigInt(int(1, 10)) * 10_000n : 0n;
      receiptSpecs.push({
        number: numbers.next('receipt', payDay),
        customerId: i.customer.id,
        method,
        amount: open + extra,
        allocated: open,
        day: payDay,
        invoiceId: invoiceIdOf.get(i.number)!,
        billNo: method === 'acceptance_bill' ? `BILL${payDay.replaceAll('-', '')}${String(int(100_000, 999_999))}${receiptSpecs.length}` : null,
      });
    }
    // A couple of advance payments not yet matched to any invoice.
    for (const c of customers.slice(0, 3)) {
      const day = addDays(today, -int(1, 10));
      receiptSpecs.push({ number: numbers.next('receipt', day), customerId: c.id, method: 'bank_transfer', amount: BigInt(int(5, 50)) * 10_000n, allocated: 0n, day, invoiceId: null, billNo: null });
    }
    receiptSpecs.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
    // Numbers follow the dates within each month.
    for (const k of [...numbers.used.keys()]) if (k.startsWith('receipt|')) numbers.used.delete(k);
    for (const r of receiptSpecs) r.number = numbers.next('receipt', r.day);
    const receiptRows = receiptSpecs.length
      ? rowsOf<{ id: number; number: string }>(
          await tx.execute(sql`insert into receipts (number, customer_id, method, amount_fen, allocated_fen, received_on, reference, payer_name, bill_no, bill_due_on, created_by, created_at, updated_at)
            values ${sql.join(
              receiptSpecs.map(
                (r) => sql`(${r.number}, ${r.customerId}, ${r.method}, ${r.amount}, ${r.allocated}, ${r.day}::date, ${r.method === 'bank_transfer' ? `${r.day.replaceAll('-', '')}${String(int(10_000_000, 99_999_999))}` : null},
                  (select name from customers where id = ${r.customerId}), ${r.billNo}, ${r.billNo ? addDays(r.day, 180) : null}, ${finance}, ${at(r.day, 14)}, ${at(r.day, 14)})`,
              ),
              sql`, `,
            )} returning id, number`),
        )
      : [];
    const receiptIdOf = new Map(receiptRows.map((r) => [r.number, r.id]));
    const allocations = receiptSpecs.filter((r) => r.invoiceId && r.allocated > 0n);
    if (allocations.length) {
      await tx.execute(sql`insert into receipt_allocations (receipt_id, invoice_id, amount_fen, allocated_by, allocated_at)
        values ${sql.join(allocations.map((r) => sql`(${receiptIdOf.get(r.number)!}, ${r.invoiceId}, ${r.allocated}, ${finance}, ${at(r.day, 15)})`), sql`, `)}`);
      await tx.execute(sql`update invoices i set paid_fen = a.paid from (select invoice_id, sum(amount_fen) as paid from receipt_allocations group by invoice_id) a where i.id = a.invoice_id`);
    }

    // ---- Timeline lines and number counters --------------------------------------------------------------
    const events = [
      ...specs.map((s) => sql`('sales_order', ${String(orderIdOf.get(s.number)!)}, ${at(s.day, 8)}, 'created', ${office}, '李娜')`),
      ...shipmentSpecs.map((s) => sql`('shipment', ${String(shipmentIdOf.get(s.number)!)}, ${at(s.day, 10)}, 'created', ${logistics}, '马超')`),
      ...invoiceSpecs.map((i) => sql`('invoice', ${String(invoiceIdOf.get(i.number)!)}, ${at(i.issuedOn, 10)}, 'created', ${finance}, '钱芳')`),
    ];
    for (let k = 0; k < events.length; k += 500) {
      await tx.execute(sql`insert into document_events (doc_type, doc_id, at, kind, actor_id, actor_name) values ${sql.join(events.slice(k, k + 500), sql`, `)}`);
    }
    const counters = [...numbers.used.entries()].map(([k, v]) => {
      const [docType, period] = k.split('|');
      return sql`(${docType}, ${period}, ${v})`;
    });
    await tx.execute(sql`insert into document_sequences (doc_type, period, last_value) values ${sql.join(counters, sql`, `)}
      on conflict (doc_type, period) do update set last_value = greatest(document_sequences.last_value, excluded.last_value)`);

    const toSubmit = specs
      .filter((s) => s.intent === 'pending_approval')
      .map((s) => ({ id: orderIdOf.get(s.number)!, enteredBy: s.channel === 'rep' ? s.customer.ownerId : office }));
    return { toSubmit, orders: specs.length, shipments: shipmentSpecs.length, invoices: invoiceSpecs.length + returnSpecs.length, receipts: receiptSpecs.length, ms: Date.now() - started };
  });
}

