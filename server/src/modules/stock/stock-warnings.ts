import { and, eq, notInArray, sql } from 'drizzle-orm';
import { type Db, rowsOf, type Tx } from '../../kernel/db/client.js';
import { notify } from '../../kernel/notify/notify.js';
import { allBalances, nearExpiryLimit } from './stock-views.js';
import { stockAlertsSent } from './stock.tables.js';
import { getStockSettings } from './warehouses.service.js';

/**
 * 库存预警 (the daily 'stock.warnings' job): tells the warehouse (active holders of stock.write) about
 * products below safety stock, products whose open demand exceeds what is available (缺货), batches
 * that became near-expiry and batches that expired while holding stock. Each warning reaches them once
 * per episode: stock_alerts_sent keeps one row per (kind, subject) while the condition lasts; the job
 * claims new rows first and notifies only what it claimed, and forgets the subjects whose condition
 * ended — so a second run (or a second server) sends nothing, and a recurrence is told again.
 */
export type StockWarningKind = 'below_safety' | 'shortage' | 'near_expiry' | 'expired';

export type StockWarning = { kind: StockWarningKind; subjectKey: string; label: string };

const LIST_NAMES = 20;
const namesOf = (names: string[]) => names.slice(0, LIST_NAMES).join('、') + (names.length > LIST_NAMES ? ' …' : '');

/** Every warning that holds today (one query per kind, whole catalogue). */
export async function currentStockWarnings(tx: Tx, today: string, nearMonths: number): Promise<StockWarning[]> {
  const warnings: StockWarning[] = [];
  for (const b of await allBalances(tx, { onlyWarnings: true }, 'code', today, nearMonths, 100000)) {
    const name = `${b.genericName} ${b.specification}`;
    if (b.belowSafety) warnings.push({ kind: 'below_safety', subjectKey: `p${b.productId}`, label: `${name}（可用 ${b.available} / 安全库存 ${b.safetyStock}）` });
    if (b.shortage) warnings.push({ kind: 'shortage', subjectKey: `p${b.productId}`, label: `${name}（需求 ${b.openDemand} / 可用 ${b.available}）` });
  }
  const batches = rowsOf<{ warehouse_id: number; batch_id: number; name: string; batch_no: string; expires_on: string; warehouse: string; on_hand: number; expired: boolean }>(
    await tx.execute(sql`select s.warehouse_id, s.batch_id, p.generic_name || ' ' || p.specification as name, b.batch_no, b.expires_on::text, w.name as warehouse,
        s.on_hand, b.expires_on <= ${today}::date as expired
      from stock_balances s join stock_batches b on b.id = s.batch_id join warehouses w on w.id = s.warehouse_id join products p on p.id = s.product_id
      where s.on_hand > 0 and b.expires_on <= ${nearExpiryLimit(today, nearMonths)}
      order by b.expires_on, p.code`),
  );
  for (const b of batches) {
    warnings.push({
      kind: b.expired ? 'expired' : 'near_expiry',
      subjectKey: `w${b.warehouse_id}b${b.batch_id}`,
      label: `${b.name} 批号 ${b.batch_no}（${b.warehouse}，${b.on_hand}，有效期至 ${b.expires_on}）`,
    });
  }
  return warnings;
}

const TITLES: Record<StockWarningKind, (n: number) => { 'zh-CN': string; 'en-US': string }> = {
  below_safety: (n) => ({ 'zh-CN': `${n} 个药品低于安全库存`, 'en-US': `${n} products are below safety stock` }),
  shortage: (n) => ({ 'zh-CN': `${n} 个药品缺货（订单需求超过可用库存）`, 'en-US': `${n} products are short: open orders exceed available stock` }),
  near_expiry: (n) => ({ 'zh-CN': `${n} 个批次进入近效期`, 'en-US': `${n} batches are now near expiry` }),
  expired: (n) => ({ 'zh-CN': `${n} 个批次已过期，库存已冻结`, 'en-US': `${n} batches have expired; their stock is blocked` }),
};

const LINKS: Record<StockWarningKind, string> = {
  below_safety: '/stock?warnings=1',
  shortage: '/stock?warnings=1',
  near_expiry: '/stock?nearExpiry=1',
  expired: '/stock?warnings=1',
};

/** The daily job: returns how many notifications it wrote. */
export async function runStockWarnings(db: Db, today: string): Promise<number> {
  const settings = await getStockSettings(db);
  return db.transaction(async (tx) => {
    const warnings = await currentStockWarnings(tx, today, settings.nearExpiryMonths);
    const recipients = rowsOf<{ id: number }>(
      await tx.execute(sql`select distinct u.id from users u join user_roles ur on ur.user_id = u.id join roles r on r.id = ur.role_id
        where u.status = 'active' and 'stock.write' = any(r.permissions) order by u.id`),
    ).map((r) => r.id);
    let sent = 0;
    for (const kind of Object.keys(TITLES) as StockWarningKind[]) {
      const now = warnings.filter((w) => w.kind === kind);
      const keys = new Set(now.map((w) => w.subjectKey));
      // The episode of a subject no longer in this condition has ended.
      await tx
        .delete(stockAlertsSent)
        .where(and(eq(stockAlertsSent.kind, kind), keys.size ? notInArray(stockAlertsSent.subjectKey, [...keys]) : undefined));
      if (now.length === 0) continue;
      const claimed = new Set<string>();
      for (let i = 0; i < now.length; i += 1000) {
        const inserted = await tx
          .insert(stockAlertsSent)
          .values(now.slice(i, i + 1000).map((w) => ({ kind, subjectKey: w.subjectKey, sentOn: today })))
          .onConflictDoNothing()
          .returning({ key: stockAlertsSent.subjectKey });
        for (const r of inserted) claimed.add(r.key);
      }
      const fresh = now.filter((w) => claimed.has(w.subjectKey));
      if (fresh.length === 0 || recipients.length === 0) continue;
      const names = namesOf(fresh.map((w) => w.label));
      sent += await notify(tx, {
        userIds: recipients,
        event: `stock.${kind}`,
        title: TITLES[kind](fresh.length),
        body: { 'zh-CN': names, 'en-US': names },
        link: LINKS[kind],
      });
    }
    return sent;
  });
}
