import { sql } from 'drizzle-orm';
import { systemActor } from '../src/kernel/access/actor.js';
import { type Db, rowsOf } from '../src/kernel/db/client.js';
import { companyToday } from '../src/modules/customers/customers.scope.js';
import { ensureBatch, moveStock } from '../src/modules/stock/stock.ledger.js';
import { type Client, makeCustomer } from './support.js';

/** Fixtures of the order tests: qualified customers with named prices, products, stock in 合格品总仓. */
export const today = () => companyToday();

let productSeq = 0;
/** A fresh active product (a copy of a demo product under a new code and name): no price applies to it yet. */
export async function makeProduct(db: Db, name = '测试药'): Promise<number> {
  productSeq += 1;
  const [row] = rowsOf<{ id: number }>(
    await db.execute(sql`insert into products (code, generic_name, dosage_form, specification, package_unit, units_per_package, approval_number, manufacturer,
        storage_condition, prescription_class, reimbursement_class, status, vat_rate_bp, search_text)
      select ${`TORD${productSeq}${Date.now() % 100000}`}, ${`${name}${productSeq}`}, dosage_form, specification, package_unit, units_per_package, approval_number,
        manufacturer || ${` ${productSeq}`}, 'normal', prescription_class, reimbursement_class, 'active', 1300, ${`${name}${productSeq}`}
      from products order by id limit 1 returning id`),
  );
  return row!.id;
}

export async function priceFor(db: Db, productId: number, customerId: number, amountFen: number) {
  await db.execute(sql`insert into prices (product_id, kind, amount_fen, valid_from, customer_id) values (${productId}, 'supply', ${amountFen}, '2020-01-01', ${customerId})`);
}

export async function qualify(db: Db, customerId: number, expiresOn = '2035-12-31') {
  await db.execute(sql`insert into customer_qualifications (customer_id, kind, number, expires_on) values (${customerId}, 'medical_institution_licence', ${`PDY${customerId}`}, ${expiresOn})`);
}

/** A hospital owned by `owner`, qualified, with a credit limit (yuan). */
export async function makeQualifiedCustomer(db: Db, name: string, owner: string | null = 'rep', creditLimitYuan = 1_000_000) {
  const c = await makeCustomer(db, { name, owner, creditLimitFen: BigInt(creditLimitYuan) * 100n, paymentTermsDays: 30 });
  await qualify(db, c.id);
  return c.id;
}

export async function warehouseId(db: Db, code = 'ZC'): Promise<number> {
  const [w] = rowsOf<{ id: number }>(await db.execute(sql`select id from warehouses where code = ${code}`));
  return w!.id;
}

/** Receives `quantity` of a batch into 合格品总仓. */
export async function receiveStock(db: Db, productId: number, batchNo: string, expiresOn: string, quantity: number) {
  const w = await warehouseId(db);
  return db.transaction(async (tx) => {
    const batchId = await ensureBatch(tx, { productId, batchNo, expiresOn });
    await moveStock(tx, systemActor(), null, today(), [{ warehouseId: w, batchId, productId, kind: 'receipt', quantity }]);
    return batchId;
  });
}

export type OrderJson = {
  id: number;
  number: string;
  status: string;
  version: number;
  totalFen: string;
  problems: { code: string; lineNo?: number; message: string }[];
  abnormal: boolean;
  shortage: boolean;
  lines: { id: number; quantity: number; reservedQty: number; shippedQty: number; closedQty: number; backorderQty: number; amountFen: string; unitPriceFen: string; listPriceFen: string | null }[];
  reservations: { batchNo: string; quantity: number; expiresOn: string; warehouseName: string }[];
  approvals: { status: string; tasks: { stepName: string; status: string }[] }[];
};

export async function createOrder(client: Client, customerId: number, lines: Record<string, unknown>[], extra: Record<string, unknown> = {}): Promise<OrderJson> {
  const res = await client.post('/api/orders', { customerId, lines, ...extra });
  if (res.statusCode !== 200) throw new Error(`create order: ${res.statusCode} ${res.body}`);
  return res.json();
}

export async function submit(client: Client, order: { id: number; version: number }) {
  const res = await client.post(`/api/orders/${order.id}/submit`, { version: order.version });
  if (res.statusCode !== 200) throw new Error(`submit: ${res.statusCode} ${res.body}`);
  return res.json() as { order: OrderJson; approvalStarted: boolean };
}

export async function review(client: Client, order: { id: number; version: number }) {
  return client.post(`/api/orders/${order.id}/review`, { version: order.version });
}

/** The approver's pending task on this order, approved or rejected. */
export async function decideTask(client: Client, orderId: number, decision: 'approve' | 'reject', comment = '同意') {
  const tasks = (await client.get('/api/approvals/tasks')).json().items as { id: number; docType: string; docId: number }[];
  const task = tasks.find((t) => t.docType === 'sales_order' && t.docId === orderId);
  if (!task) throw new Error(`no pending task on order ${orderId}`);
  const res = await client.post(`/api/approvals/tasks/${task.id}/${decision}`, { comment });
  if (res.statusCode !== 200) throw new Error(`${decision}: ${res.statusCode} ${res.body}`);
}
