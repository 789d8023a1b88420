import type { Query } from '../../shared/api';
import { readInt, readPage } from '../../shared/urlState';
import { PRESCRIPTION_CLASSES, PRICE_KINDS, PRODUCT_STATUSES, REIMBURSEMENT_CLASSES, STORAGE_CONDITIONS, type PriceKind } from './products.api';
import { CUSTOMER_TYPES, type CustomerType } from '../customers/customers.api';

const oneOf = <T extends string>(values: readonly T[], raw: string | null): T | undefined => (raw !== null && (values as readonly string[]).includes(raw) ? (raw as T) : undefined);
const sortOf = (fields: readonly string[], raw: string | null) => (raw && fields.includes(raw.replace(/^-/, '')) ? raw : undefined);

export const PRODUCT_SORT_FIELDS = ['code', 'genericName', 'manufacturer', 'updatedAt'] as const;

/** The catalogue list's filters from the URL (malformed values are ignored, not fatal). */
export function readProductFilters(params: URLSearchParams) {
  return {
    q: params.get('q')?.trim() || undefined,
    productLineId: readInt(params, 'productLineId'),
    status: oneOf(PRODUCT_STATUSES, params.get('status')),
    storageCondition: oneOf(STORAGE_CONDITIONS, params.get('storageCondition')),
    prescriptionClass: oneOf(PRESCRIPTION_CLASSES, params.get('prescriptionClass')),
    reimbursementClass: oneOf(REIMBURSEMENT_CLASSES, params.get('reimbursementClass')),
    sort: sortOf(PRODUCT_SORT_FIELDS, params.get('sort')),
  };
}
export type ProductFilters = ReturnType<typeof readProductFilters>;

export const productListQuery = (params: URLSearchParams): Query => ({ ...readProductFilters(params), ...readPage(params) });

export const PRICE_SORT_FIELDS = ['validFrom', 'amountFen', 'kind', 'product'] as const;

export function readPriceFilters(params: URLSearchParams) {
  const validOn = params.get('validOn');
  const territoryId = params.get('territoryId');
  return {
    q: params.get('q')?.trim() || undefined,
    productId: readInt(params, 'productId'),
    kind: oneOf<PriceKind>(PRICE_KINDS, params.get('kind')),
    customerId: readInt(params, 'customerId'),
    customerType: oneOf<CustomerType>(CUSTOMER_TYPES, params.get('customerType')),
    territoryId: territoryId && /^\d{6}$/.test(territoryId) ? territoryId : undefined,
    validOn: validOn && /^\d{4}-\d{2}-\d{2}$/.test(validOn) ? validOn : undefined,
    sort: sortOf(PRICE_SORT_FIELDS, params.get('sort')),
  };
}
export type PriceFilters = ReturnType<typeof readPriceFilters>;

export const priceListQuery = (params: URLSearchParams): Query => ({ ...readPriceFilters(params), ...readPage(params) });
