// @vitest-environment node
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { compileMessageOrThrow } from '@lingui/message-utils/compileMessage';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { CATALOGUE_LOCALES, findCatalogues } from '../scripts/catalogue-plugin';

const src = join(import.meta.dirname, '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'locales' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.(test|d)\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

function read(path: string): Record<string, string> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>;
}

/** Every catalogue directory (`features/items/locales`, `components/locales`, …). */
const directories = [...new Set(findCatalogues(src, 'en').map((file) => dirname(file)))];
const code = sourceFiles(src).map((file) => ({ file, text: readFileSync(file, 'utf8') }));

/** The namespace a catalogue's keys start with: the feature's name, `common` or `app`. */
function namespaceOf(directory: string): string {
  const owner = relative(src, dirname(directory));
  if (owner === 'components') return 'common';
  if (owner === 'app') return 'app';
  // A feature's nested folder (features/auth/providers) shares the feature's namespace.
  return owner.replace(/^features\//, '').split('/')[0] ?? owner;
}

/** The placeholders a message uses, `{name}` and `{count, plural, …}`, by argument name. */
function argumentsOf(message: string): string[] {
  const names = new Set<string>();
  const walk = (tokens: unknown) => {
    if (!Array.isArray(tokens)) return;
    for (const token of tokens) {
      if (!Array.isArray(token)) continue;
      const [name, , choices] = token as [string, string?, Record<string, unknown>?];
      names.add(name);
      if (choices && typeof choices === 'object') {
        for (const [key, choice] of Object.entries(choices)) if (key !== 'offset') walk(choice);
      }
    }
  };
  walk(compileMessageOrThrow(message));
  return [...names].sort();
}

describe('message catalogues', () => {
  it('exist in every language for every catalogue directory', () => {
    for (const directory of directories) {
      for (const locale of CATALOGUE_LOCALES) {
        expect(
          findCatalogues(directory, locale),
          `${relative(src, directory)}/${locale}.json`,
        ).toHaveLength(1);
      }
    }
  });

  it('hold the same keys, with the same placeholders, in every language', () => {
    for (const directory of directories) {
      const english = read(join(directory, 'en.json'));
      for (const locale of CATALOGUE_LOCALES) {
        const other = read(join(directory, `${locale}.json`));
        const where = `${relative(src, directory)}/${locale}.json`;
        expect(Object.keys(other).sort(), `${where}: keys`).toEqual(Object.keys(english).sort());
        for (const [key, message] of Object.entries(english)) {
          expect(argumentsOf(other[key] ?? ''), `${where}: ${key}`).toEqual(argumentsOf(message));
        }
      }
    }
  });

  it('keep each catalogue’s keys in its own namespace, and every message non-empty', () => {
    for (const directory of directories) {
      const namespace = namespaceOf(directory);
      for (const locale of CATALOGUE_LOCALES) {
        for (const [key, message] of Object.entries(read(join(directory, `${locale}.json`)))) {
          expect(key.startsWith(`${namespace}.`), `${key} in ${namespace}`).toBe(true);
          expect(message.trim(), key).not.toBe('');
        }
      }
    }
  });

  it('have no unused key: each appears as a string literal in the code', () => {
    const everything = code.map(({ text }) => text).join('\n');
    const unused = directories.flatMap((directory) =>
      Object.keys(read(join(directory, 'en.json'))).filter(
        (key) => !everything.includes(`'${key}'`),
      ),
    );
    expect(unused).toEqual([]);
  });

  it('define every key the code translates', () => {
    const known = new Set(
      directories.flatMap((directory) => Object.keys(read(join(directory, 'en.json')))),
    );
    // `t('x')`, `t(flag ? 'x' : 'y')`, and the values of `*_KEYS` tables of message ids.
    const CALL = /\bt\(\s*(?:[\w.]+\s*\?\s*)?'([^']+)'(?:\s*:\s*'([^']+)')?/g;
    const TABLE = /const [A-Z_]+_KEYS\b[^=]*=\s*\{([^}]*)\}/g;
    const missing = code.flatMap(({ file, text }) => {
      const used = [
        ...[...text.matchAll(CALL)].flatMap((match) => [match[1], match[2]]),
        ...[...text.matchAll(TABLE)].flatMap((match) =>
          [...(match[1] ?? '').matchAll(/'([^']+)'/g)].map((value) => value[1]),
        ),
      ].filter((key): key is string => typeof key === 'string' && key.includes('.'));
      return used.filter((key) => !known.has(key)).map((key) => `${relative(src, file)}: ${key}`);
    });
    expect(missing).toEqual([]);
  });
});

/** Props whose string value a person reads or hears. */
const TEXT_PROPS = new Set([
  'aria-label',
  'aria-valuetext',
  'title',
  'alt',
  'placeholder',
  'label',
  'hint',
  'busyLabel',
  'confirmLabel',
  'cancelLabel',
  'errorTitle',
  'loadingLabel',
  'searchLabel',
  'caption',
  'message',
]);

/** Text in markup that is not a word in any language: symbols, punctuation, numbers. */
const NOT_WORDS = /^[\s\p{P}\p{S}\d]*$/u;

describe('no user-facing text outside the catalogues', () => {
  it('has no literal words in JSX text or in text props', () => {
    const findings: string[] = [];
    for (const { file, text } of code.filter(({ file }) => file.endsWith('.tsx'))) {
      const source = ts.createSourceFile(
        file,
        text,
        ts.ScriptTarget.Latest,
        true,
        ts.ScriptKind.TSX,
      );
      const report = (node: ts.Node, value: string) => {
        const { line } = source.getLineAndCharacterOfPosition(node.getStart());
        findings.push(`${relative(src, file)}:${line + 1}: ${value.trim()}`);
      };
      const visit = (node: ts.Node) => {
        if (ts.isJsxText(node) && !NOT_WORDS.test(node.text)) report(node, node.text);
        if (ts.isJsxAttribute(node) && TEXT_PROPS.has(node.name.getText())) {
          const value = node.initializer;
          const literal =
            value && ts.isStringLiteral(value)
              ? value.text
              : value &&
                  ts.isJsxExpression(value) &&
                  value.expression &&
                  (ts.isStringLiteral(value.expression) ||
                    ts.isNoSubstitutionTemplateLiteral(value.expression))
                ? value.expression.text
                : value &&
                    ts.isJsxExpression(value) &&
                    value.expression &&
                    ts.isTemplateExpression(value.expression)
                  ? value.expression.getText()
                  : undefined;
          if (literal !== undefined && !NOT_WORDS.test(literal.replace(/\$\{[^}]*\}/g, ''))) {
            report(node, literal);
          }
        }
        // `{ label: 'Name' }` for columns and fields, and `message: 'Saved'` for router state.
        if (
          ts.isPropertyAssignment(node) &&
          TEXT_PROPS.has(node.name.getText()) &&
          (ts.isStringLiteral(node.initializer) || ts.isTemplateExpression(node.initializer))
        ) {
          const value = node.initializer
            .getText()
            .slice(1, -1)
            .replace(/\$\{[^}]*\}/g, '');
          if (!NOT_WORDS.test(value)) report(node, value);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(findings).toEqual([]);
  });
});
