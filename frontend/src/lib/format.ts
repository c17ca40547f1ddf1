import { type Locale, useLocale } from './i18n';

/**
 * Dates, numbers, bytes and money through Intl in the active language. Times are shown in the
 * user's own time zone (the browser's), which is what Intl uses unless told otherwise.
 */
export type DatePrecision = 'day' | 'minute' | 'second';

const DATE_OPTIONS: Record<DatePrecision, Intl.DateTimeFormatOptions> = {
  day: { dateStyle: 'medium' },
  minute: { dateStyle: 'medium', timeStyle: 'short' },
  second: { dateStyle: 'medium', timeStyle: 'medium' },
};

export function formatDateTime(value: string | Date, locale: Locale, precision: DatePrecision) {
  return new Intl.DateTimeFormat(locale, DATE_OPTIONS[precision]).format(new Date(value));
}

const RELATIVE_STEPS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 30],
  ['month', 12],
  ['year', Number.POSITIVE_INFINITY],
];

/** "3 minutes ago", "3분 전", "어제": the largest unit that fits. */
export function formatRelative(value: string | Date, locale: Locale, now = Date.now()) {
  let amount = (new Date(value).getTime() - now) / 1000;
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  for (const [unit, size] of RELATIVE_STEPS) {
    if (Math.abs(amount) < size) return format.format(Math.round(amount), unit);
    amount /= size;
  }
  return format.format(Math.round(amount), 'year');
}

export function formatNumber(value: number, locale: Locale) {
  return new Intl.NumberFormat(locale).format(value);
}

const BYTE_UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;

/** 1536 → "1.5 kB" (binary multiples, as file managers show them). */
export function formatBytes(bytes: number, locale: Locale) {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: BYTE_UNITS[unit],
    unitDisplay: unit === 0 ? 'long' : 'short',
    maximumFractionDigits: unit === 0 || value >= 10 ? 0 : 1,
  }).format(value);
}

/** How many decimals the currency's minor unit has: KRW 0, USD 2, BHD 3. */
export function currencyDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
    .maximumFractionDigits as number;
}

/**
 * An amount in the currency's minor units, as its users write it: 12000 KRW → "12,000원" in
 * Korean and "₩12,000" in English; 1250 USD → "$12.50".
 */
export function formatMoney(minorUnits: number, currency: string, locale: Locale) {
  const digits = currencyDigits(currency);
  const amount = minorUnits / 10 ** digits;
  if (locale === 'ko' && currency === 'KRW') return `${formatNumber(amount, locale)}원`;
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount);
}

/** The formatters bound to the active language; components re-render when it changes. */
export function useFormat() {
  const locale = useLocale();
  return {
    locale,
    dateTime: (value: string | Date, precision: DatePrecision = 'minute') =>
      formatDateTime(value, locale, precision),
    relative: (value: string | Date) => formatRelative(value, locale),
    number: (value: number) => formatNumber(value, locale),
    bytes: (value: number) => formatBytes(value, locale),
    money: (minorUnits: number, currency: string) => formatMoney(minorUnits, currency, locale),
    /** "PNG, JPEG or Word" / "PNG, JPEG 또는 Word". */
    list: (values: readonly string[], type: 'conjunction' | 'disjunction' = 'disjunction') =>
      new Intl.ListFormat(locale, { type }).format(values),
  };
}
