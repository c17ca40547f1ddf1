import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { compileMessageOrThrow } from '@lingui/message-utils/compileMessage';
import type { Plugin } from 'vite';

/** The languages of the app; every catalogue exists once per language. */
export const CATALOGUE_LOCALES = ['ko', 'en'] as const;

const PREFIX = 'virtual:catalogue/';

/** Every `locales/<locale>.json` under `root` (features, shared components, the app shell). */
export function findCatalogues(root: string, locale: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules') continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name === `${locale}.json` && dir.endsWith(`${'/'}locales`)) found.push(path);
    }
  };
  walk(root);
  return found.sort();
}

/** One language's messages from every catalogue under `root`, keyed by message id. */
export function readMessages(root: string, locale: string): Record<string, string> {
  const messages: Record<string, string> = {};
  for (const file of findCatalogues(root, locale)) {
    const catalogue = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    for (const [id, message] of Object.entries(catalogue)) {
      if (id in messages) throw new Error(`${relative(root, file)}: "${id}" is defined twice`);
      messages[id] = message;
    }
  }
  return messages;
}

/**
 * `import('virtual:catalogue/ko')` is one lazily loaded chunk holding every Korean message,
 * compiled from ICU MessageFormat at build time: the page ships Lingui's small runtime and no
 * message parser, and a malformed message fails the build instead of a page.
 */
export function cataloguePlugin(root: string): Plugin {
  return {
    name: 'homeport-catalogues',
    enforce: 'pre',
    resolveId(id) {
      return id.startsWith(PREFIX) ? `\0${id}` : undefined;
    },
    load(id) {
      if (!id.startsWith(`\0${PREFIX}`)) return undefined;
      const locale = id.slice(PREFIX.length + 1);
      if (!(CATALOGUE_LOCALES as readonly string[]).includes(locale)) {
        throw new Error(`no catalogues for "${locale}"`);
      }
      for (const file of findCatalogues(root, locale)) this.addWatchFile(file);
      const compiled = Object.fromEntries(
        Object.entries(readMessages(root, locale)).map(([key, message]) => {
          try {
            return [key, compileMessageOrThrow(message)];
          } catch (error) {
            throw new Error(`${locale} "${key}": ${(error as Error).message}`);
          }
        }),
      );
      return `export default ${JSON.stringify(compiled)};`;
    },
  };
}
