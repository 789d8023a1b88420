import { api, type Page, type Query } from '../../shared/api';
import type { CustomerType } from '../customers/customers.api';

export const DOSAGE_FORMS = ['tablet', 'capsule', 'injection', 'powder_injection', 'granule', 'oral_solution', 'syrup', 'ointment', 'eye_drops', 'aerosol', 'suppository', 'pill', 'patch', 'other'] as const;
export const PACKAGE_UNITS = ['box', 'bottle', 'vial', 'bag', 'tube', 'piece'] as const;
export const STORAGE_CONDITIONS = ['normal', 'cool', 'cold_chain'] as const;
export const PRESCRIPTION_CLASSES = ['rx', 'otc_a', 'otc_b'] as const;
export const REIMBURSEMENT_CLASSES = ['class_a', 'class_b', 'none'] as const;
export const PRODUCT_STATUSES = ['active', 'discontinued'] as const;
export const DOCUMENT_KINDS = ['registration', 'inspection_report', 'package_insert', 'gmp', 'price_approval', 'other'] as const;
export const PRICE_KINDS = ['ex_factory', 'supply', 'tender', 'retail_guide'] as const;

export type DosageForm = (typeof DOSAGE_FORMS)[number];
export type PackageUnit = (typeof PACKAGE_UNITS)[number];
export type StorageCondition = (typeof STORAGE_CONDITIONS)[number];
export type PrescriptionClass = (typeof PRESCRIPTION_CLASSES)[number];
export type ReimbursementClass = (typeof REIMBURSEMENT_CLASSES)[number];
export type ProductStatus = (typeof PRODUCT_STATUSES)[number];
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];
export type PriceKind = (typeof PRICE_KINDS)[number];
export type ExpiryState = 'valid' | 'expiring' | 'expired';

export interface ProductRow {
  id: number;
  code: string;
  genericName: string;
  tradeName: string | null;
  dosageForm: DosageForm;
  specification: string;
  packageUnit: PackageUnit;
  unitsPerPackage: number;
  approvalNumber: string;
  manufacturer: string;
  storageCondition: StorageCondition;
  prescriptionClass: PrescriptionClass;
  reimbursementClass: ReimbursementClass;
  barcode: string | null;
  status: ProductStatus;
  productLine: { id: number; name: string } | null;
  notes: string | null;
  documentsState: ExpiryState | null;
  /** VAT rate in basis points (1300 = 13 %) and the safety stock the stock warnings use. */
  vatRateBp: number;
  safetyStock: number;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface ProductInput {
  code: string;
  genericName: string;
  tradeName: string | null;
  dosageForm: DosageForm;
  specification: string;
  packageUnit: PackageUnit;
  unitsPerPackage: number;
  approvalNumber: string;
  manufacturer: string;
  storageCondition: StorageCondition;
  prescriptionClass: PrescriptionClass;
  reimbursementClass: ReimbursementClass;
  barcode: string | null;
  productLineId: number | null;
  notes: string | null;
  status: ProductStatus;
  vatRateBp?: number;
  safetyStock?: number;
}

export interface ProductLine {
  id: number;
  name: string;
  sort: number;
  parentId: number | null;
  productCount: number;
}

export interface ProductOption {
  id: number;
  code: string;
  genericName: string;
  tradeName: string | null;
  specification: string;
  manufacturer: string;
  status: string;
}

export interface ProductDocument {
  id: number;
  productId: number;
  kind: DocumentKind;
  number: string | null;
  issuedOn: string | null;
  expiresOn: string | null;
  notes: string | null;
  expiryState: ExpiryState;
  attachmentCount: number;
  version: number;
  createdAt: string;
}

export interface ProductDocumentInput {
  kind: DocumentKind;
  number: string | null;
  issuedOn: string | null;
  expiresOn: string | null;
  notes: string | null;
}

export interface PriceRow {
  id: number;
  product: { id: number; code: string; genericName: string; specification: string; manufacturer: string };
  kind: PriceKind;
  amountFen: string;
  validFrom: string;
  validTo: string | null;
  customerType: CustomerType | null;
  territory: { id: string; name: string; level: string } | null;
  customer: { id: number; code: string; name: string } | null;
  tenderName: string | null;
  notes: string | null;
  version: number;
  createdAt: string;
}

export interface PriceInput {
  productId: number;
  kind: PriceKind;
  amountFen: string;
  validFrom: string;
  validTo: string | null;
  customerType: CustomerType | null;
  territoryId: string | null;
  customerId: number | null;
  tenderName: string | null;
  notes: string | null;
}

export const PRICE_RULES = ['named_customer', 'region_and_type', 'region', 'customer_type', 'tender', 'ex_factory'] as const;
export type PriceRule = (typeof PRICE_RULES)[number];

export interface PriceCandidate {
  priceId: number;
  kind: PriceKind;
  rule: PriceRule;
  amountFen: string;
  validFrom: string;
  validTo: string | null;
  territory: { id: string; name: string; level: string } | null;
  customerType: string | null;
  tenderName: string | null;
}

export interface ResolvedPrice {
  found: boolean;
  amountFen: string | null;
  source: PriceCandidate | null;
  candidates: PriceCandidate[];
  customer: { id: number; name: string; type: string; territoryPath: string };
}

export const PRODUCTS_KEY = ['products'] as const;
export const PRICES_KEY = ['prices'] as const;

export const listProducts = (query: Query, signal?: AbortSignal) => api.get<Page<ProductRow>>('/products', query, signal);
export const getProduct = (id: number, signal?: AbortSignal) => api.get<ProductRow>(`/products/${id}`, undefined, signal);
export const createProduct = (input: ProductInput) => api.post<ProductRow>('/products', input);
export const updateProduct = (id: number, input: ProductInput & { version: number }) => api.patch<ProductRow>(`/products/${id}`, input);
export const productOptions = (query: { q?: string; ids?: string }, signal?: AbortSignal) =>
  api.get<{ items: ProductOption[] }>('/products/options', query, signal).then((r) => r.items);

export const listProductLines = (signal?: AbortSignal) => api.get<{ items: ProductLine[] }>('/product-lines', undefined, signal).then((r) => r.items);
export const createProductLine = (input: { name: string; sort: number; parentId: number | null }) => api.post<{ id: number }>('/product-lines', input);

export const listProductDocuments = (productId: number, signal?: AbortSignal) =>
  api.get<{ items: ProductDocument[] }>(`/products/${productId}/documents`, undefined, signal).then((r) => r.items);
export const addProductDocument = (productId: number, input: ProductDocumentInput) => api.post<ProductDocument>(`/products/${productId}/documents`, input);
export const updateProductDocument = (id: number, input: ProductDocumentInput & { version: number }) => api.patch<ProductDocument>(`/product-documents/${id}`, input);
export const deleteProductDocument = (id: number) => api.delete<void>(`/product-documents/${id}`);

export const listPrices = (query: Query, signal?: AbortSignal) => api.get<Page<PriceRow>>('/prices', query, signal);
export const getPrice = (id: number, signal?: AbortSignal) => api.get<PriceRow>(`/prices/${id}`, undefined, signal);
export const createPrice = (input: PriceInput) => api.post<PriceRow>('/prices', input);
export const updatePrice = (id: number, input: PriceInput & { version: number }) => api.patch<PriceRow>(`/prices/${id}`, input);
export const deletePrice = (id: number) => api.delete<void>(`/prices/${id}`);
export const resolvePrice = (query: { customerId: number; productId: number; on: string }, signal?: AbortSignal) => api.get<ResolvedPrice>('/prices/resolve', query, signal);

export const productLabel = (p: { code: string; genericName: string; specification: string }) => `${p.genericName} ${p.specification}（${p.code}）`;
