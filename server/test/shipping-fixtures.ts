import { sql } from 'drizzle-orm';
import { systemActor } from '../src/kernel/access/actor.js';
import { type Db, rowsOf } from '../src/kernel/db/client.js';
import { companyToday } from '../src/modules/customers/customers.scope.js';
import { insertQualification } from '../src/modules/customers/qualifications.js';
import { ensureBatch, moveStock, reserveFefo } from '../src/modules/stock/stock.ledger.js';
import { makeCustomer } from './support.js';

/**
 * Fixtures for shipping and returns tests: orders are built by another module, so these put a
 * released order with FEFO reservations straight into the database, after receiving stock through
 * the ledger (as a stock receipt would).
 */
export async function warehouseId(db: Db, code: string): Promise<number> {
  const [w] = rowsOf<{ id: number }>(await db.execute(sql`select id from warehouses where code = ${code}`));
  if (!w) throw new Error(`no warehouse ${code}`);
  return w.id;
}

let productSeq = 0;
/** A product of its own per test (so stock and reservations of one test do not meet another's). */
export async function makeProduct(db: Db, input: { coldChain?: boolean; name?: string } = {}): Promise<number> {
  productSeq += 1;
  const [template] = rowsOf<{ id: number }>(await db.execute(sql`select id from products order by id limit 1`));
  const code = `SHP${String(productSeq).padStart(4, '0')}${Math.random().toString(36).slice(2, 6)}`;
  const [p] = rowsOf<{ id: number }>(
    await db.execute(sql`insert into products (code, generic_name, trade_name, dosage_form, specification, package_unit, units_per_package, approval_number,
        manufacturer, storage_condition, prescription_class, reimbursement_class, search_text, product_line_id)
      select ${code}, ${input.name ?? `测试药品${productSeq}`}, null, dosage_form, '10mg×24片', 'box', 1, ${`国药准字H2026${String(productSeq).padStart(4, '0')}`},
        '上海测试制药有限公司', ${input.coldChain ? 'cold_chain' : 'normal'}, prescription_class, reimbursement_class, ${code}, product_line_id
      from products where id = ${template!.id} returning id`),
  );
  return p!.id;
}

/** Receives stock of a batch into a warehouse through the ledger. */
export async function receiveStock(db: Db, input: { productId: number; batchNo: string; expiresOn: string; quantity: number; warehouse?: string }): Promise<number> {
  const wid = await warehouseId(db, input.warehouse ?? 'ZC');
  return db.transaction(async (tx) => {
    const batchId = await ensureBatch(tx, { productId: input.productId, batchNo: input.batchNo, manufacturedOn: '2026-01-01', expiresOn: input.expiresOn });
    await moveStock(tx, systemActor(), { docType: 'test_receipt', docId: 1, docNumber: 'RK-TEST' }, companyToday(), [
      { warehouseId: wid, batchId, productId: input.productId, kind: 'receipt', quantity: input.quantity },
    ]);
    return batchId;
  });
}

/** A hospital customer with a valid (or expired) medical institution licence. */
export async function makeQualifiedCustomer(db: Db, input: { name: string; owner?: string; expiresOn?: string }): Promise<number> {
  const c = await makeCustomer(db, { name: input.name, owner: input.owner ?? 'rep', territoryId: '310101' });
  await db.transaction((tx) => insertQualification(tx, systemActor(), c.id, { kind: 'medical_institution_licence', number: `PDY${c.id}`, issuedOn: '2020-01-01', expiresOn: input.expiresOn ?? '2030-12-31' }));
  return c.id;
}

let orderSeq = 0;
/** A released order with its lines reserved first-expiry-first-out. */
export async function releasedOrder(db: Db, customerId: number, lines: { productId: number; quantity: number }[], shipTo = '上海市黄浦区测试路1号') {
  orderSeq += 1;
  const number = `SO-SHP-${orderSeq}-${Math.random().toString(36).slice(2, 6)}`;
  return db.transaction(async (tx) => {
    const [o] = rowsOf<{ id: number }>(
      await tx.execute(sql`insert into sales_orders (number, status, customer_id, entered_by, order_date, ship_to_address, ship_to_contact, ship_to_phone, released_at)
        values (${number}, 'released', ${customerId}, (select id from users where username = 'office'), ${companyToday()},
          ${shipTo}, '药剂科 王主任', '021-12345678', now()) returning id`),
    );
    const lineIds: number[] = [];
    for (const [i, l] of lines.entries()) {
      const [row] = rowsOf<{ id: number }>(
        await tx.execute(sql`insert into sales_order_lines (order_id, line_no, product_id, quantity, unit_price_fen, amount_fen)
          values (${o!.id}, ${i + 1}, ${l.productId}, ${l.quantity}, 1000, ${l.quantity * 1000}) returning id`),
      );
      await reserveFefo(tx, { orderLineId: row!.id, productId: l.productId, quantity: l.quantity }, companyToday());
      lineIds.push(row!.id);
    }
    return { orderId: o!.id, lineIds, number };
  });
}

export async function balance(db: Db, code: string, batchId: number) {
  const wid = await warehouseId(db, code);
  const [b] = rowsOf<{ on_hand: number; reserved: number }>(await db.execute(sql`select on_hand, reserved from stock_balances where warehouse_id = ${wid} and batch_id = ${batchId}`));
  return b ?? { on_hand: 0, reserved: 0 };
}

export async function orderLine(db: Db, id: number) {
  const [l] = rowsOf<{ reserved_qty: number; shipped_qty: number; returned_qty: number; closed_qty: number }>(
    await db.execute(sql`select reserved_qty, shipped_qty, returned_qty, closed_qty from sales_order_lines where id = ${id}`),
  );
  return l!;
}

export async function orderStatus(db: Db, id: number): Promise<string> {
  const [o] = rowsOf<{ status: string }>(await db.execute(sql`select status from sales_orders where id = ${id}`));
  return o!.status;
}

/** Far enough ahead for FEFO tests, whatever today is. */
export const EXPIRY_EARLY = '2029-03-31';
export const EXPIRY_LATE = '2030-06-30';
