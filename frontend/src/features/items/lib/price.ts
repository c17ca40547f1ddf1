/** Prices travel as integer minor units (cents); people read and type decimals. */
const PRICE_INPUT = /^\d{1,12}(?:[.,]\d{1,2})?$/;

export function formatPrice(minorUnits: number, locale?: string): string {
  return new Intl.NumberFormat(locale, {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(minorUnits / 100);
}

/** `"19.9"` → 1990; undefined when the text is not a non-negative amount with ≤ 2 decimals. */
export function parsePrice(text: string): number | undefined {
  const trimmed = text.trim();
  if (!PRICE_INPUT.test(trimmed)) return undefined;
  const [whole = '0', fraction = ''] = trimmed.replace(',', '.').split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

/** 1990 → `"19.90"`, the form's editable text for a stored price. */
export function priceToInput(minorUnits: number): string {
  return `${Math.floor(minorUnits / 100)}.${String(minorUnits % 100).padStart(2, '0')}`;
}
