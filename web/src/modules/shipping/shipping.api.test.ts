import { describe, expect, it } from 'vitest';
import { celsiusToTenths, readShipmentFilters, tenthsToCelsius } from './shipping.api';

describe('shipping web helpers', () => {
  it('turns typed °C into tenths and refuses what is not a temperature', () => {
    expect(celsiusToTenths('5.2')).toBe(52);
    expect(celsiusToTenths(' 8 ')).toBe(80);
    expect(celsiusToTenths('-1.5')).toBe(-15);
    expect(celsiusToTenths('5.25')).toBeNull();
    expect(celsiusToTenths('abc')).toBeNull();
    expect(tenthsToCelsius(42)).toBe('4.2');
    expect(tenthsToCelsius(null)).toBe('');
  });

  it('reads only known statuses and booleans from the URL', () => {
    const f = readShipmentFilters(new URLSearchParams('status=bogus&coldChain=true&orderId=7'));
    expect(f.status).toBeUndefined();
    expect(f.coldChain).toBe('true');
    expect(f.orderId).toBe('7');
    expect(readShipmentFilters(new URLSearchParams('status=checked')).status).toBe('checked');
  });
});
