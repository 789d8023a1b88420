import { z } from 'zod';
import { pageOf, pageQuery, queryBoolean } from '../../kernel/http/paging.js';
import { MOVEMENT_KINDS, STOCK_DOCUMENT_KINDS, WAREHOUSE_KINDS } from './stock.tables.js';

/** The stock API's shapes (routes and, by OpenAPI, the web). Quantities are integers in selling units. */
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'date.format' });
const id = z.number().int().positive();

export const warehouseRow = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  kind: z.enum(WAREHOUSE_KINDS),
  coldChain: z.boolean(),
  address: z.string().nullable(),
  status: z.enum(['active', 'inactive']),
  version: z.number().int(),
  onHand: z.number().int(),
});

const warehouseFields = {
  code: z.string().trim().min(1).max(20).regex(/^[A-Za-z0-9_.-]+$/, { message: 'code.format' }),
  name: z.string().trim().min(1).max(60),
  kind: z.enum(WAREHOUSE_KINDS),
  coldChain: z.boolean(),
  address: z.string().trim().max(200).nullable().optional(),
};
export const warehouseCreateBody = z.object(warehouseFields);
export const warehouseUpdateBody = z.object({
  code: warehouseFields.code.optional(),
  name: warehouseFields.name.optional(),
  kind: warehouseFields.kind.optional(),
  coldChain: warehouseFields.coldChain.optional(),
  address: warehouseFields.address,
  status: z.enum(['active', 'inactive']).optional(),
  version: z.number().int(),
});
export const warehouseListQuery = z.object({ active: queryBoolean.optional() });

export const stockSettingsRow = z.object({ nearExpiryMonths: z.number().int(), version: z.number().int() });
export const stockSettingsBody = z.object({ nearExpiryMonths: z.number().int().min(0).max(36), version: z.number().int() });

export const stockDocumentRow = z.object({
  id: z.number().int(),
  kind: z.enum(STOCK_DOCUMENT_KINDS),
  number: z.string(),
  businessDate: z.string(),
  note: z.string().nullable(),
  source: z.enum(['form', 'import']),
  moves: z.number().int(),
});

export const receiptBody = z.object({
  businessDate: isoDate.optional(),
  note: z.string().trim().max(200).nullable().optional(),
  lines: z
    .array(
      z.object({
        warehouseId: id,
        productId: id,
        batchNo: z.string().trim().min(1).max(40),
        manufacturedOn: isoDate.nullable().optional(),
        expiresOn: isoDate,
        quantity: z.number().int().min(1).max(10_000_000),
      }),
    )
    .min(1)
    .max(200),
});

export const adjustmentBody = z.object({
  businessDate: isoDate.optional(),
  warehouseId: id,
  batchId: id,
  quantity: z.number().int().min(-10_000_000).max(10_000_000).refine((q) => q !== 0, { message: 'quantity.nonzero' }),
  reason: z.string().trim().min(1).max(200),
});

export const transferBody = z.object({
  businessDate: isoDate.optional(),
  fromWarehouseId: id,
  toWarehouseId: id,
  note: z.string().trim().max(200).nullable().optional(),
  lines: z.array(z.object({ batchId: id, quantity: z.number().int().min(1).max(10_000_000) })).min(1).max(200),
});

export const balanceFilterQuery = z.object({
  q: z.string().trim().max(60).optional(),
  warehouseId: z.coerce.number().int().positive().optional(),
  warnings: queryBoolean.optional(),
  nearExpiry: queryBoolean.optional(),
});
export const balanceListQuery = pageQuery.extend(balanceFilterQuery.shape);

export const balanceRow = z.object({
  productId: z.number().int(),
  code: z.string(),
  genericName: z.string(),
  tradeName: z.string().nullable(),
  specification: z.string(),
  manufacturer: z.string(),
  storageCondition: z.string(),
  safetyStock: z.number().int(),
  onHand: z.number().int(),
  reserved: z.number().int(),
  available: z.number().int(),
  openDemand: z.number().int(),
  nearExpiryQty: z.number().int(),
  expiredQty: z.number().int(),
  belowSafety: z.boolean(),
  shortage: z.boolean(),
});
export const balancePage = pageOf(balanceRow);

export const batchRow = z.object({
  warehouseId: z.number().int(),
  warehouseCode: z.string(),
  warehouseName: z.string(),
  warehouseKind: z.string(),
  coldChain: z.boolean(),
  batchId: z.number().int(),
  batchNo: z.string(),
  manufacturedOn: z.string().nullable(),
  expiresOn: z.string(),
  onHand: z.number().int(),
  reserved: z.number().int(),
  state: z.enum(['ok', 'near_expiry', 'expired']),
});
export const batchQuery = z.object({ warehouseId: z.coerce.number().int().positive().optional() });

export const movementFilterQuery = z.object({
  productId: z.coerce.number().int().positive().optional(),
  batchId: z.coerce.number().int().positive().optional(),
  batchNo: z.string().trim().max(40).optional(),
  warehouseId: z.coerce.number().int().positive().optional(),
  kind: z.enum(MOVEMENT_KINDS).optional(),
  docNumber: z.string().trim().max(40).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
});
export const movementListQuery = pageQuery.extend(movementFilterQuery.shape);

export const movementRow = z.object({
  id: z.number().int(),
  at: z.string(),
  businessDate: z.string(),
  warehouseId: z.number().int(),
  warehouseName: z.string(),
  productId: z.number().int(),
  productCode: z.string(),
  productName: z.string(),
  specification: z.string(),
  batchId: z.number().int(),
  batchNo: z.string(),
  expiresOn: z.string(),
  kind: z.enum(MOVEMENT_KINDS),
  quantity: z.number().int(),
  docType: z.string().nullable(),
  docId: z.number().int().nullable(),
  docNumber: z.string().nullable(),
  note: z.string().nullable(),
  actorName: z.string().nullable(),
});
export const movementPage = pageOf(movementRow);

export const availabilityQuery = z.object({
  productIds: z
    .string()
    .regex(/^\d+(,\d+)*$/)
    .transform((s) => [...new Set(s.split(',').map(Number))])
    .refine((ids) => ids.length <= 500, { message: 'too_many' }),
});
export const availabilityRow = z.object({ productId: z.number().int(), available: z.number().int() });
