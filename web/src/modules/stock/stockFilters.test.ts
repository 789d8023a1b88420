import { describe, expect, it } from 'vitest';
import { movementListQuery, stockListQuery } from './stockFilters';

describe('stock filters in the URL', () => {
  it('reads the stock list filters and leaves unset ones out', () => {
    expect(stockListQuery(new URLSearchParams('q=amxl&warehouseId=3&warnings=1&page=2&sort=-onHand'))).toEqual({
      q: 'amxl',
      warehouseId: 3,
      warnings: true,
      nearExpiry: undefined,
      page: 2,
      pageSize: 20,
      sort: '-onHand',
    });
    expect(stockListQuery(new URLSearchParams('warnings=0&warehouseId=x'))).toMatchObject({ warnings: undefined, warehouseId: undefined, page: 1 });
  });

  it('drops malformed dates and ids from the ledger filters', () => {
    expect(movementListQuery(new URLSearchParams('productId=7&from=2026-11-01&to=2026-13&kind=receipt&docNumber=%20RK-202611-0001%20'))).toMatchObject({
      productId: 7,
      from: '2026-11-01',
      to: undefined,
      kind: 'receipt',
      docNumber: 'RK-202611-0001',
    });
    expect(movementListQuery(new URLSearchParams('batchId=abc'))).toMatchObject({ batchId: undefined });
  });
});
