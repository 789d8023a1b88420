import { z } from 'zod';
import { pageQuery } from '../../kernel/http/paging.js';
import { CUSTOMER_TYPES } from '../customers/customers.tables.js';
import { isApprovalNumber, isEan13, normaliseApprovalNumber } from './products.rules.js';
import {
  DOSAGE_FORMS,
  PACKAGE_UNITS,
  PRESCRIPTION_CLASSES,
  PRICE_KINDS,
  PRODUCT_DOCUMENT_KINDS,
  PRODUCT_STATUSES,
  REIMBURSEMENT_CLASSES,
  STORAGE_CONDITIONS,
} from './products.tables.js';

const optionalText = (max: number) => z.string().trim().max(max).nullable().optional().transform((v) => (v === '' || v === undefined ? null : v));
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'date.format' });

/** Field rules shared by the form, the API and the Excel import. */
export const approvalNumberSchema = z
  .string()
  .trim()
  .min(1)
  .max(30)
  .refine(isApprovalNumber, { message: 'product.approval_number' })
  .transform(normaliseApprovalNumber);
export const barcodeSchema = z.string().trim().refine(isEan13, { message: 'product.barcode' });
export const productCodeSchema = z.string().trim().min(1).max(30).regex(/^[A-Za-z0-9_.-]+$/, { message: 'product.code_format' });

export const expiryState = z.enum(['valid', 'expiring', 'expired']);

export const productRow = z.object({
  id: z.number().int(),
  code: z.string(),
  genericName: z.string(),
  tradeName: z.string().nullable(),
  dosageForm: z.enum(DOSAGE_FORMS),
  specification: z.string(),
  packageUnit: z.enum(PACKAGE_UNITS),
  unitsPerPackage: z.number().int(),
  /** VAT rate in basis points (1300 = 13 %). */
  vatRateBp: z.number().int(),
  /** 安全库存 in the selling unit. */
  safetyStock: z.number().int(),
  approvalNumber: z.string(),
  manufacturer: z.string(),
  storageCondition: z.enum(STORAGE_CONDITIONS),
  prescriptionClass: z.enum(PRESCRIPTION_CLASSES),
  reimbursementClass: z.enum(REIMBURSEMENT_CLASSES),
  barcode: z.string().nullable(),
  status: z.enum(PRODUCT_STATUSES),
  productLine: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  notes: z.string().nullable(),
  /** The worst state among the product's documents (null: none on file). */
  documentsState: expiryState.nullable(),
  version: z.number().int(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

export const productFilter = z.object({
  q: z.string().trim().max(60).optional(),
  productLineId: z.coerce.number().int().positive().optional(),
  status: z.enum(PRODUCT_STATUSES).optional(),
  storageCondition: z.enum(STORAGE_CONDITIONS).optional(),
  prescriptionClass: z.enum(PRESCRIPTION_CLASSES).optional(),
  reimbursementClass: z.enum(REIMBURSEMENT_CLASSES).optional(),
  dosageForm: z.enum(DOSAGE_FORMS).optional(),
});
export const productListQuery = pageQuery.extend(productFilter.shape);

const productFields = {
  code: productCodeSchema,
  genericName: z.string().trim().min(1).max(100),
  tradeName: optionalText(100),
  dosageForm: z.enum(DOSAGE_FORMS),
  specification: z.string().trim().min(1).max(100),
  packageUnit: z.enum(PACKAGE_UNITS),
  unitsPerPackage: z.number().int().min(1).max(100000),
  vatRateBp: z.number().int().min(0).max(10000).optional(),
  safetyStock: z.number().int().min(0).max(100_000_000).optional(),
  approvalNumber: approvalNumberSchema,
  manufacturer: z.string().trim().min(1).max(100),
  storageCondition: z.enum(STORAGE_CONDITIONS),
  prescriptionClass: z.enum(PRESCRIPTION_CLASSES),
  reimbursementClass: z.enum(REIMBURSEMENT_CLASSES),
  barcode: z.union([barcodeSchema, z.literal(''), z.null()]).optional().transform((v) => (v ? v : null)),
  productLineId: z.number().int().positive().nullable().optional().transform((v) => v ?? null),
  notes: optionalText(500),
};
export const createProductBody = z.object({ ...productFields, status: z.enum(PRODUCT_STATUSES).default('active') });
export type CreateProductInput = z.infer<typeof createProductBody>;
export const updateProductBody = z.object({ ...productFields, status: z.enum(PRODUCT_STATUSES), version: z.number().int() });
export type UpdateProductInput = z.infer<typeof updateProductBody>;

export const productLineRow = z.object({ id: z.number().int(), name: z.string(), sort: z.number().int(), parentId: z.number().int().nullable(), productCount: z.number().int() });
export const productLineBody = z.object({ name: z.string().trim().min(1).max(40), sort: z.number().int().min(0).max(9999).default(0), parentId: z.number().int().positive().nullable().default(null) });

export const productDocumentRow = z.object({
  id: z.number().int(),
  productId: z.number().int(),
  kind: z.enum(PRODUCT_DOCUMENT_KINDS),
  number: z.string().nullable(),
  issuedOn: z.string().nullable(),
  expiresOn: z.string().nullable(),
  notes: z.string().nullable(),
  expiryState: expiryState,
  attachmentCount: z.number().int(),
  version: z.number().int(),
  createdAt: z.date(),
});
export const productDocumentBody = z.object({
  kind: z.enum(PRODUCT_DOCUMENT_KINDS),
  number: optionalText(60),
  issuedOn: isoDate.nullable().optional().transform((v) => v ?? null),
  expiresOn: isoDate.nullable().optional().transform((v) => v ?? null),
  notes: optionalText(500),
});
export type ProductDocumentInput = z.infer<typeof productDocumentBody>;
export const updateProductDocumentBody = productDocumentBody.extend({ version: z.number().int() });

// ---- Prices -------------------------------------------------------------------------------------

/** Money crosses the API as a string of whole fen (a bigint does not fit a JSON number safely). */
export const fenString = z.string().regex(/^[1-9]\d{0,13}$/, { message: 'price.amount_fen' });

export const priceRow = z.object({
  id: z.number().int(),
  product: z.object({ id: z.number().int(), code: z.string(), genericName: z.string(), specification: z.string(), manufacturer: z.string() }),
  kind: z.enum(PRICE_KINDS),
  amountFen: z.string(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
  customerType: z.enum(CUSTOMER_TYPES).nullable(),
  territory: z.object({ id: z.string(), name: z.string(), level: z.string() }).nullable(),
  customer: z.object({ id: z.number().int(), code: z.string(), name: z.string() }).nullable(),
  tenderName: z.string().nullable(),
  notes: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.date(),
});

export const priceFilter = z.object({
  productId: z.coerce.number().int().positive().optional(),
  kind: z.enum(PRICE_KINDS).optional(),
  customerId: z.coerce.number().int().positive().optional(),
  customerType: z.enum(CUSTOMER_TYPES).optional(),
  territoryId: z.string().regex(/^\d{6}$/).optional(),
  validOn: isoDate.optional(),
  q: z.string().trim().max(60).optional(),
});
export const priceListQuery = pageQuery.extend(priceFilter.shape);

const priceFields = {
  productId: z.number().int().positive(),
  kind: z.enum(PRICE_KINDS),
  amountFen: fenString,
  validFrom: isoDate,
  validTo: isoDate.nullable().optional().transform((v) => v ?? null),
  customerType: z.enum(CUSTOMER_TYPES).nullable().optional().transform((v) => v ?? null),
  territoryId: z.string().regex(/^\d{6}$/).nullable().optional().transform((v) => v ?? null),
  customerId: z.number().int().positive().nullable().optional().transform((v) => v ?? null),
  tenderName: optionalText(100),
  notes: optionalText(500),
};
export const createPriceBody = z.object(priceFields);
export type PriceInput = z.infer<typeof createPriceBody>;
export const updatePriceBody = z.object({ ...priceFields, version: z.number().int() });

export const PRICE_RULES = ['named_customer', 'region_and_type', 'region', 'customer_type', 'tender', 'ex_factory'] as const;
export const resolveQuery = z.object({
  customerId: z.coerce.number().int().positive(),
  productId: z.coerce.number().int().positive(),
  on: isoDate,
});
const resolvedCandidate = z.object({
  priceId: z.number().int(),
  kind: z.enum(PRICE_KINDS),
  rule: z.enum(PRICE_RULES),
  amountFen: z.string(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
  territory: z.object({ id: z.string(), name: z.string(), level: z.string() }).nullable(),
  customerType: z.string().nullable(),
  tenderName: z.string().nullable(),
});
export const resolveResponse = z.object({
  found: z.boolean(),
  amountFen: z.string().nullable(),
  source: resolvedCandidate.nullable(),
  candidates: z.array(resolvedCandidate),
  customer: z.object({ id: z.number().int(), name: z.string(), type: z.string(), territoryPath: z.string() }),
});
