import { currencyDigits } from '../../../lib/format';

/** Prices travel as integer minor units of the item's currency (won, cents); people type amounts. */
export const MAX_PRICE_MINOR_UNITS = 2_147_483_647;

/**
 * `"19.9"` USD → 1990, `"12,000"` KRW → 12000; undefined when the text is not a non-negative
 * amount with at most the currency's decimals. A currency without decimals takes "," and spaces
 * as digit grouping; one with decimals takes "," as the decimal mark too.
 */
export function parsePrice(text: string, currency: string): number | undefined {
  const digits = currencyDigits(currency);
  const trimmed = text.trim().replace(/\s/g, '');
  if (digits === 0) {
    const whole = trimmed.replace(/,(?=\d{3}(?:,|$))/g, '');
    return /^\d{1,15}$/.test(whole) ? Number(whole) : undefined;
  }
  const pattern = new RegExp(`^\\d{1,15}(?:[.,]\\d{1,${digits}})?$`);
  if (!pattern.test(trimmed)) return undefined;
  const [whole = '0', fraction = ''] = trimmed.replace(',', '.').split('.');
  return Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0'));
}

/** 1990 USD → `"19.90"`, 12000 KRW → `"12000"`: the form's editable text for a stored price. */
export function priceToInput(minorUnits: number, currency: string): string {
  const digits = currencyDigits(currency);
  if (digits === 0) return String(minorUnits);
  const unit = 10 ** digits;
  return `${Math.floor(minorUnits / unit)}.${String(minorUnits % unit).padStart(digits, '0')}`;
}

/** An example amount for the hint: "12,000" in won, "12.50" in dollars. */
export function examplePrice(currency: string): string {
  return currencyDigits(currency) === 0
    ? '12000'
    : `12.${'5'.padEnd(currencyDigits(currency), '0')}`;
}
