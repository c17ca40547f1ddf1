import { readFileSync } from 'node:fs';

/** Reads KEY=value lines (the .run/*.env files the scripts write); every named key must be set. */
export function readEnvFile<Key extends string>(
  path: string,
  keys: readonly Key[],
): Record<Key, string> {
  const values = new Map(
    readFileSync(path, 'utf8')
      .split('\n')
      .filter((line) => /^[A-Z_][A-Z0-9_]*=/.test(line))
      .map((line) => {
        const index = line.indexOf('=');
        return [line.slice(0, index), line.slice(index + 1).replace(/^"(.*)"$/, '$1')] as const;
      }),
  );
  const result = {} as Record<Key, string>;
  for (const key of keys) {
    const value = values.get(key);
    if (value === undefined) throw new Error(`${path} does not set ${key}`);
    result[key] = value;
  }
  return result;
}
