import type { FastifyRequest } from 'fastify';

/**
 * The languages people read the API's messages in. Problem `title`, `detail` and field messages
 * follow the request's `Accept-Language` (the web app sends its page language on every call),
 * else the signed-in user's profile language, else English; `code` never changes, so clients
 * branch on it whatever the language.
 */
export type Locale = 'en' | 'ko';
export const LOCALES: readonly Locale[] = ['en', 'ko'];
export const DEFAULT_LOCALE: Locale = 'en';

/**
 * The best supported language of an Accept-Language header (RFC 9110 §12.5.4), by q-value and
 * then order; `ko-KR` counts as `ko`. Undefined when it names none of ours (or is absent).
 */
export function localeFromAcceptLanguage(header: string | undefined): Locale | undefined {
  if (!header) return undefined;
  let best: { locale: Locale; q: number } | undefined;
  for (const part of header.split(',').slice(0, 20)) {
    const [tag = '', ...parameters] = part.trim().split(';');
    const q = Number(
      parameters
        .map((parameter) => parameter.trim())
        .find((parameter) => parameter.startsWith('q='))
        ?.slice(2) ?? '1',
    );
    const primary = tag.trim().toLowerCase().split('-')[0];
    const locale = LOCALES.find((candidate) => candidate === primary);
    if (!locale || !Number.isFinite(q) || q <= 0) continue;
    if (!best || q > best.q) best = { locale, q };
  }
  return best?.locale;
}

export type UserLocaleLookup = (userId: string) => Promise<string | undefined>;

/** The request's language: Accept-Language, else the signed-in user's, else English. */
export async function requestLocale(
  request: FastifyRequest,
  userLocale?: UserLocaleLookup,
): Promise<Locale> {
  const accepted = localeFromAcceptLanguage(request.headers['accept-language']);
  if (accepted) return accepted;
  const userId = (request as { user?: { id?: string } }).user?.id;
  if (userId && userLocale) {
    const stored = await userLocale(userId).catch(() => undefined);
    if (stored && (LOCALES as readonly string[]).includes(stored)) return stored as Locale;
  }
  return DEFAULT_LOCALE;
}

/** `{name}` placeholders filled from `params`; a missing value leaves the placeholder. */
export function interpolate(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}
