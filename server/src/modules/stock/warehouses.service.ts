import { asc, eq, sql } from 'drizzle-orm';
import type { Actor } from '../../kernel/access/actor.js';
import { audit } from '../../kernel/audit/audit.js';
import { type Db, type Queryable, rowsOf } from '../../kernel/db/client.js';
import { DomainError, notFound, versionConflict } from '../../kernel/errors.js';
import { stockSettings, type WarehouseKind, warehouses } from './stock.tables.js';

/**
 * 仓库 (warehouses) and the stock settings. Rules owned here:
 * - a warehouse code is unique; the kind says whether its goods may be sold (normal) or are held
 *   back (quarantine: returns awaiting a decision, rejected goods; never allocated);
 * - cold_chain marks a 冷库 (2–8 °C): only such a warehouse may hold cold-chain products;
 * - a warehouse still holding stock cannot be deactivated (move or adjust its stock first), nor can
 *   it lose its cold-chain flag while it holds cold-chain products;
 * - near-expiry (近效期) is a batch expiring within stock_settings.near_expiry_months.
 */
export type WarehouseRow = typeof warehouses.$inferSelect & { onHand: number };
export type WarehouseInput = { code: string; name: string; kind: WarehouseKind; coldChain: boolean; address?: string | null };
export type WarehouseUpdate = Partial<WarehouseInput> & { status?: 'active' | 'inactive'; version: number };

export async function listWarehouses(db: Queryable, options: { activeOnly?: boolean } = {}): Promise<WarehouseRow[]> {
  const rows = await db
    .select({ w: warehouses, onHand: sql<number>`coalesce((select sum(on_hand)::int from stock_balances s where s.warehouse_id = ${warehouses.id}), 0)` })
    .from(warehouses)
    .where(options.activeOnly ? eq(warehouses.status, 'active') : undefined)
    .orderBy(asc(warehouses.code));
  return rows.map((r) => ({ ...r.w, onHand: Number(r.onHand) }));
}

async function getWarehouse(db: Queryable, id: number): Promise<WarehouseRow> {
  const row = (await listWarehouses(db)).find((w) => w.id === id);
  if (!row) throw notFound();
  return row;
}

async function assertCodeFree(db: Queryable, code: string, exceptId?: number) {
  const [hit] = await db.select({ id: warehouses.id }).from(warehouses).where(eq(warehouses.code, code));
  if (hit && hit.id !== exceptId) throw new DomainError('WAREHOUSE_CODE_TAKEN', { code }, 409, [{ path: 'code', code: 'WAREHOUSE_CODE_TAKEN', params: { code } }]);
}

export async function createWarehouse(db: Db, actor: Actor, input: WarehouseInput): Promise<WarehouseRow> {
  return db.transaction(async (tx) => {
    await assertCodeFree(tx, input.code);
    const [row] = await tx
      .insert(warehouses)
      .values({ code: input.code, name: input.name, kind: input.kind, coldChain: input.coldChain, address: input.address ?? null })
      .returning();
    await audit(tx, actor, { action: 'warehouse.created', entity: 'warehouse', entityId: row.id, after: row });
    return { ...row, onHand: 0 };
  });
}

export async function updateWarehouse(db: Db, actor: Actor, id: number, input: WarehouseUpdate): Promise<WarehouseRow> {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(warehouses).where(eq(warehouses.id, id)).for('update');
    if (!before) throw notFound();
    if (before.version !== input.version) throw versionConflict();
    if (input.code !== undefined && input.code !== before.code) await assertCodeFree(tx, input.code, id);
    const [held] = rowsOf<{ on_hand: number; cold: number }>(
      await tx.execute(sql`select coalesce(sum(s.on_hand), 0)::int as on_hand,
        coalesce(sum(s.on_hand) filter (where p.storage_condition = 'cold_chain'), 0)::int as cold
        from stock_balances s join products p on p.id = s.product_id where s.warehouse_id = ${id}`),
    );
    if (input.status === 'inactive' && before.status === 'active' && Number(held!.on_hand) > 0) {
      throw new DomainError('WAREHOUSE_HOLDS_STOCK', { name: before.name, onHand: Number(held!.on_hand) }, 409);
    }
    if (input.coldChain === false && before.coldChain && Number(held!.cold) > 0) {
      throw new DomainError('WAREHOUSE_HOLDS_COLD_CHAIN', { name: before.name }, 409);
    }
    const [after] = await tx
      .update(warehouses)
      .set({
        code: input.code ?? before.code,
        name: input.name ?? before.name,
        kind: input.kind ?? before.kind,
        coldChain: input.coldChain ?? before.coldChain,
        address: input.address !== undefined ? input.address : before.address,
        status: input.status ?? before.status,
        version: before.version + 1,
        updatedAt: new Date(),
      })
      .where(eq(warehouses.id, id))
      .returning();
    const action = input.status && input.status !== before.status ? (input.status === 'inactive' ? 'warehouse.deactivated' : 'warehouse.activated') : 'warehouse.updated';
    await audit(tx, actor, { action, entity: 'warehouse', entityId: id, before, after });
    return getWarehouse(tx, after.id);
  });
}

export type StockSettingsRow = { nearExpiryMonths: number; version: number };

export async function getStockSettings(db: Queryable): Promise<StockSettingsRow> {
  const [row] = await db.select({ nearExpiryMonths: stockSettings.nearExpiryMonths, version: stockSettings.version }).from(stockSettings).where(eq(stockSettings.id, 1));
  return row ?? { nearExpiryMonths: 6, version: 0 };
}

export async function updateStockSettings(db: Db, actor: Actor, input: { nearExpiryMonths: number; version: number }): Promise<StockSettingsRow> {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(stockSettings).where(eq(stockSettings.id, 1)).for('update');
    if ((before?.version ?? 0) !== input.version) throw versionConflict();
    const [after] = before
      ? await tx
          .update(stockSettings)
          .set({ nearExpiryMonths: input.nearExpiryMonths, updatedBy: actor.id || null, version: before.version + 1, updatedAt: new Date() })
          .where(eq(stockSettings.id, 1))
          .returning()
      : await tx.insert(stockSettings).values({ id: 1, nearExpiryMonths: input.nearExpiryMonths, updatedBy: actor.id || null }).returning();
    await audit(tx, actor, { action: 'stock_settings.updated', entity: 'stock_settings', entityId: 1, before: before ?? null, after });
    return { nearExpiryMonths: after.nearExpiryMonths, version: after.version };
  });
}
