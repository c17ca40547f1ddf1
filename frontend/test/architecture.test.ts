// @vitest-environment node
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { expect, it } from 'vitest';

/**
 * Imports flow one way: shared code (src/lib, src/components) → features → app. A feature never
 * imports another feature, and nothing but the app imports the app. Lint cannot express
 * "another feature" for relative paths, so this test reads every import.
 */
const srcDir = join(import.meta.dirname, '..', 'src');
const IMPORT =
  /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(entry.name) ? [path] : [];
  });
}

/** `app`, `lib`, `components`, or `features/<name>` for a path inside src. */
function layerOf(path: string): string {
  const [top = '', feature = ''] = relative(srcDir, path).split(sep);
  return top === 'features' ? `features/${feature}` : top;
}

function violation(from: string, to: string): string | undefined {
  if (to === from || to === '' || to.startsWith('..')) return undefined;
  if (from === 'lib' && to !== 'lib') return `shared lib may not import ${to}`;
  if (from === 'components' && !['lib', 'components'].includes(to)) {
    return `shared components may not import ${to}`;
  }
  if (from.startsWith('features/') && (to === 'app' || to.startsWith('features/'))) {
    return `${from} may not import ${to}`;
  }
  return undefined;
}

it('keeps imports flowing shared → features → app', () => {
  const problems: string[] = [];
  const files = sourceFiles(srcDir);
  expect(files.length).toBeGreaterThan(10);
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2] ?? '';
      if (!specifier.startsWith('.')) continue;
      const target = resolve(dirname(file), specifier);
      const problem = violation(layerOf(file), layerOf(target));
      if (problem) problems.push(`${relative(srcDir, file)}: ${problem} (${specifier})`);
    }
  }
  expect(problems).toEqual([]);
});
