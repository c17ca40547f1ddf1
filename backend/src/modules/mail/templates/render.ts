import { Value } from 'typebox/value';
import { TEMPLATES, type TemplateData, type TemplateName } from './catalog.js';
import { LOCALES, type Locale, type RenderedEmail, renderCopy } from './layout.js';

/** A caller passed a template, locale or data that cannot be rendered: a bug, hence a 500. */
export class MailTemplateError extends Error {
  override name = 'MailTemplateError';
}

export interface RenderInput<Name extends TemplateName> {
  template: Name;
  locale: Locale;
  to: string;
  data: TemplateData<Name>;
}

/** Builds `<PUBLIC_URL><path>?<query>`; nothing else may produce a link in an email. */
export function linkBuilder(publicUrl: string) {
  const origin = new URL(publicUrl).origin;
  return (path: string, query: Record<string, string> = {}): string => {
    if (!path.startsWith('/') || path.startsWith('//')) {
      throw new Error(`email links are paths on PUBLIC_URL, not "${path}"`);
    }
    const url = new URL(path, origin);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    return url.toString();
  };
}

/**
 * Renders a template after checking its data against the template's schema, so a caller's bug
 * fails inside its own transaction instead of producing a broken email later.
 */
export function renderTemplate<Name extends TemplateName>(
  publicUrl: string,
  { template, locale, to, data }: RenderInput<Name>,
): RenderedEmail {
  const definition = TEMPLATES[template];
  if (!definition) {
    throw new MailTemplateError(`there is no email template "${template}"`);
  }
  if (!LOCALES.includes(locale)) {
    throw new MailTemplateError(`emails are not written in "${locale}"`);
  }
  if (!Value.Check(definition.schema, data)) {
    const problems = [...Value.Errors(definition.schema, data)]
      .map((error) => `${error.instancePath || '/'} ${error.message}`)
      .join('; ');
    throw new MailTemplateError(`data for "${template}" is not valid: ${problems}`);
  }
  const copy = definition.copy[locale] as (context: {
    data: unknown;
    to: string;
    link: ReturnType<typeof linkBuilder>;
  }) => Parameters<typeof renderCopy>[0];
  return renderCopy(copy({ data, to, link: linkBuilder(publicUrl) }), locale);
}
