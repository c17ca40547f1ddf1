import { type Messages, setupI18n } from '@lingui/core';
import { useLingui } from '@lingui/react';

/**
 * The app's one i18n layer (Lingui). Messages are ICU MessageFormat in per-feature catalogues,
 * `src/**\/locales/{ko,en}.json`, compiled at build time into one lazily loaded chunk per
 * language (scripts/catalogue-plugin.ts). Components translate with `useT()`:
 * `t('items.deleted', { name })`. Values are inserted as text, never as HTML.
 */
export type Locale = 'ko' | 'en';
export const LOCALES: readonly Locale[] = ['ko', 'en'];
export const DEFAULT_LOCALE: Locale = 'en';

/** Each language's name in itself, for the language switcher. */
export const LOCALE_NAMES: Record<Locale, string> = { ko: '한국어', en: 'English' };

const loaders: Record<Locale, () => Promise<{ default: Messages }>> = {
  ko: () => import('virtual:catalogue/ko'),
  en: () => import('virtual:catalogue/en'),
};

export const i18n = setupI18n();
const loaded = new Set<Locale>();

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** `ko` for any Korean (`ko`, `ko-KR`, …), else English. */
export function localeOf(language: string | undefined): Locale {
  return language?.toLowerCase().startsWith('ko') ? 'ko' : 'en';
}

const STORAGE_KEY = 'homeport.locale';

/** A signed-out visitor's language: the one they picked here before, else the browser's. */
export function visitorLocale(): Locale {
  try {
    const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (isLocale(stored)) return stored;
  } catch {
    // Storage may be disabled; the browser's language is the answer then.
  }
  return localeOf(typeof navigator === 'undefined' ? undefined : navigator.language);
}

/** Remembers a visitor's choice on this device (the profile keeps a signed-in user's). */
export function rememberVisitorLocale(locale: Locale) {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, locale);
  } catch {
    // Not remembered; the choice still applies to this tab.
  }
}

/** Loads the language's catalogue if needed and switches every mounted component to it. */
export async function activateLocale(locale: Locale): Promise<void> {
  if (!loaded.has(locale)) {
    const { default: messages } = await loaders[locale]();
    i18n.load(locale, messages);
    loaded.add(locale);
  }
  if (i18n.locale !== locale) i18n.activate(locale);
  if (typeof document !== 'undefined') document.documentElement.lang = locale;
}

/** The language in effect (English until a catalogue is active). */
export function currentLocale(): Locale {
  return isLocale(i18n.locale) ? i18n.locale : DEFAULT_LOCALE;
}

export type MessageValues = Record<string, string | number | Date | null | undefined>;
export type Translate = (id: string, values?: MessageValues) => string;

/** Translates outside components (e.g. error sentences built in plain functions). */
export const t: Translate = (id, values) => i18n._(id, values);

/** The translate function; components using it render again when the language changes. */
export function useT(): Translate {
  const { _ } = useLingui();
  return _ as Translate;
}

/** The active language, re-rendering on change. */
export function useLocale(): Locale {
  const { i18n: active } = useLingui();
  return isLocale(active.locale) ? active.locale : DEFAULT_LOCALE;
}
