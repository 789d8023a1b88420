import type { Query } from '../../shared/api';
import { readInt, readPage } from '../../shared/urlState';

/** The stock list's filters as they live in the URL (q, warehouseId, warnings=1, nearExpiry=1, page, sort). */
export function stockListQuery(params: URLSearchParams): Query {
  const { page, pageSize } = readPage(params);
  return {
    q: params.get('q')?.trim() || undefined,
    warehouseId: readInt(params, 'warehouseId'),
    warnings: params.get('warnings') === '1' || undefined,
    nearExpiry: params.get('nearExpiry') === '1' || undefined,
    page,
    pageSize,
    sort: params.get('sort') ?? undefined,
  };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The ledger's filters from the URL; malformed numbers and dates are dropped rather than sent. */
export function movementListQuery(params: URLSearchParams): Query {
  const { page, pageSize } = readPage(params);
  const date = (name: string) => {
    const v = params.get(name);
    return v && DATE.test(v) ? v : undefined;
  };
  return {
    productId: readInt(params, 'productId'),
    batchId: readInt(params, 'batchId'),
    batchNo: params.get('batchNo')?.trim() || undefined,
    warehouseId: readInt(params, 'warehouseId'),
    kind: params.get('kind') || undefined,
    docNumber: params.get('docNumber')?.trim() || undefined,
    from: date('from'),
    to: date('to'),
    page,
    pageSize,
    sort: params.get('sort') ?? undefined,
  };
}
