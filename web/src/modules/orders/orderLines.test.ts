import { describe, expect, it } from 'vitest';
import { emptyLine, lineAmount, linesToInput, needsReason, unitPriceOf } from './orderLines';
import { readOrderFilters } from './orders.api';

describe('order entry lines', () => {
  it('prices an untyped line at the list price and a typed one at what was typed, in fen', () => {
    const line = { ...emptyLine(), productId: 1, quantity: 3 };
    expect(unitPriceOf(line, '1250')).toBe(1250n);
    expect(lineAmount(line, '1250')).toBe(3750n);
    expect(lineAmount({ ...line, priceYuan: '0.07', discountYuan: '0.01' }, '1250')).toBe(20n);
    expect(lineAmount({ ...line, quantity: null }, '1250')).toBeNull();
  });

  it('asks for a reason only when the typed price differs from the list price or none applies', () => {
    const line = { ...emptyLine(), productId: 1, quantity: 1 };
    expect(needsReason(line, '1000')).toBe(false);
    expect(needsReason({ ...line, priceYuan: '10.00' }, '1000')).toBe(false);
    expect(needsReason({ ...line, priceYuan: '9.5' }, '1000')).toBe(true);
    expect(needsReason(line, null)).toBe(true);
    expect(needsReason(line, undefined)).toBe(false);
  });

  it('sends only lines with a product, leaving empty prices to the server', () => {
    const lines = [
      { ...emptyLine(), productId: 7, quantity: 2 },
      { ...emptyLine() },
      { ...emptyLine(), productId: 8, quantity: 1, priceYuan: '12.3', reason: ' 协议价 ' },
    ];
    expect(linesToInput(lines)).toEqual([
      { productId: 7, quantity: 2, unitPriceFen: undefined, discountFen: undefined, priceOverrideReason: undefined },
      { productId: 8, quantity: 1, unitPriceFen: '1230', discountFen: undefined, priceOverrideReason: '协议价' },
    ]);
  });

  it('reads the list filters from the URL and ignores what is malformed', () => {
    const f = readOrderFilters(new URLSearchParams('status=released,bogus,draft&customerId=12&from=2026-11-01&to=nope&abnormal=true&urgency=urgent&sort=-totalFen'));
    expect(f).toMatchObject({ status: 'released,draft', customerId: 12, from: '2026-11-01', to: undefined, abnormal: true, urgency: 'urgent', sort: '-totalFen' });
    expect(readOrderFilters(new URLSearchParams('sort=-password')).sort).toBeUndefined();
  });
});
