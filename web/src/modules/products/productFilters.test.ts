import { describe, expect, it } from 'vitest';
import { priceListQuery, productListQuery } from './productFilters';

describe('catalogue and price list URLs', () => {
  it('reads the filters it knows and drops malformed ones', () => {
    const q = productListQuery(new URLSearchParams('q=amx&status=discontinued&storageCondition=hot&sort=-code&page=2'));
    expect(q).toMatchObject({ q: 'amx', status: 'discontinued', storageCondition: undefined, sort: '-code', page: 2, pageSize: 20 });
    expect(productListQuery(new URLSearchParams('sort=-password')).sort).toBeUndefined();
  });

  it('keeps a validity date and a territory only when well-formed', () => {
    expect(priceListQuery(new URLSearchParams('validOn=2026-03-15&territoryId=440000&kind=tender'))).toMatchObject({ validOn: '2026-03-15', territoryId: '440000', kind: 'tender' });
    expect(priceListQuery(new URLSearchParams('validOn=yesterday&territoryId=44&kind=free'))).toMatchObject({ validOn: undefined, territoryId: undefined, kind: undefined });
  });
});
