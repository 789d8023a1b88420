import { api, type Page, type Query } from '../../shared/api';

/** The stock API (server/src/modules/stock/stock.routes.ts). Quantities are integers in selling units. */
export const STOCK_KEY = ['stock'] as const;

export type WarehouseKind = 'normal' | 'quarantine';
export type Warehouse = {
  id: number;
  code: string;
  name: string;
  kind: WarehouseKind;
  coldChain: boolean;
  address: string | null;
  status: 'active' | 'inactive';
  version: number;
  onHand: number;
};
export type WarehouseInput = { code: string; name: string; kind: WarehouseKind; coldChain: boolean; address?: string | null };
export type StockSettings = { nearExpiryMonths: number; version: number };

export type StockDocument = { id: number; kind: 'receipt' | 'adjustment' | 'transfer'; number: string; businessDate: string; note: string | null; source: 'form' | 'import'; moves: number };
export type ReceiptLineInput = { warehouseId: number; productId: number; batchNo: string; manufacturedOn?: string | null; expiresOn: string; quantity: number };

export type BalanceRow = {
  productId: number;
  code: string;
  genericName: string;
  tradeName: string | null;
  specification: string;
  manufacturer: string;
  storageCondition: string;
  safetyStock: number;
  onHand: number;
  reserved: number;
  available: number;
  openDemand: number;
  nearExpiryQty: number;
  expiredQty: number;
  belowSafety: boolean;
  shortage: boolean;
};

export type BatchRow = {
  warehouseId: number;
  warehouseCode: string;
  warehouseName: string;
  warehouseKind: string;
  coldChain: boolean;
  batchId: number;
  batchNo: string;
  manufacturedOn: string | null;
  expiresOn: string;
  onHand: number;
  reserved: number;
  state: 'ok' | 'near_expiry' | 'expired';
};

export const MOVEMENT_KINDS = ['receipt', 'shipment', 'return', 'adjustment', 'transfer_out', 'transfer_in', 'destroy'] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

export type MovementRow = {
  id: number;
  at: string;
  businessDate: string;
  warehouseId: number;
  warehouseName: string;
  productId: number;
  productCode: string;
  productName: string;
  specification: string;
  batchId: number;
  batchNo: string;
  expiresOn: string;
  kind: MovementKind;
  quantity: number;
  docType: string | null;
  docId: number | null;
  docNumber: string | null;
  note: string | null;
  actorName: string | null;
};

export const listWarehouses = (active?: boolean, signal?: AbortSignal) => api.get<Warehouse[]>('/warehouses', active ? { active: true } : undefined, signal);
export const createWarehouse = (input: WarehouseInput) => api.post<Warehouse>('/warehouses', input);
export const updateWarehouse = (id: number, input: Partial<WarehouseInput> & { status?: 'active' | 'inactive'; version: number }) => api.patch<Warehouse>(`/warehouses/${id}`, input);
export const getStockSettings = (signal?: AbortSignal) => api.get<StockSettings>('/stock/settings', undefined, signal);
export const updateStockSettings = (input: StockSettings) => api.put<StockSettings>('/stock/settings', input);

export const receiveStock = (input: { businessDate?: string; note?: string | null; lines: ReceiptLineInput[] }) => api.post<StockDocument>('/stock/receipts', input);
export const adjustStock = (input: { warehouseId: number; batchId: number; quantity: number; reason: string }) => api.post<StockDocument>('/stock/adjustments', input);
export const transferStock = (input: { fromWarehouseId: number; toWarehouseId: number; note?: string | null; lines: { batchId: number; quantity: number }[] }) =>
  api.post<StockDocument>('/stock/transfers', input);

export const listBalances = (query: Query, signal?: AbortSignal) => api.get<Page<BalanceRow>>('/stock/balances', query, signal);
export const productBatches = (productId: number, warehouseId?: number, signal?: AbortSignal) =>
  api.get<BatchRow[]>(`/stock/products/${productId}/batches`, warehouseId ? { warehouseId } : undefined, signal);
export const listMovements = (query: Query, signal?: AbortSignal) => api.get<Page<MovementRow>>('/stock/movements', query, signal);
