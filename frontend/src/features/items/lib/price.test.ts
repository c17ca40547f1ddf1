import { describe, expect, it } from 'vitest';
import { formatMoney } from '../../../lib/format';
import { parsePrice, priceToInput } from './price';

describe('prices in the currency’s minor units', () => {
  it('reads won without decimals, grouping commas allowed', () => {
    expect(parsePrice('12000', 'KRW')).toBe(12000);
    expect(parsePrice(' 12,000 ', 'KRW')).toBe(12000);
    expect(parsePrice('1,234,567', 'KRW')).toBe(1234567);
    expect(parsePrice('12.5', 'KRW')).toBeUndefined();
    expect(parsePrice('12,00', 'KRW')).toBeUndefined();
    expect(parsePrice('-1', 'KRW')).toBeUndefined();
    expect(priceToInput(12000, 'KRW')).toBe('12000');
  });

  it('reads dollars with up to two decimals', () => {
    expect(parsePrice('12.5', 'USD')).toBe(1250);
    expect(parsePrice('12,50', 'USD')).toBe(1250);
    expect(parsePrice('12.505', 'USD')).toBeUndefined();
    expect(priceToInput(1990, 'USD')).toBe('19.90');
  });

  it('writes money as its users write it', () => {
    expect(formatMoney(12000, 'KRW', 'ko')).toBe('12,000원');
    expect(formatMoney(12000, 'KRW', 'en')).toBe('₩12,000');
    expect(formatMoney(1250, 'USD', 'en')).toBe('$12.50');
  });
});
