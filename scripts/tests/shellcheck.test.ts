import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const folders = [
  'scripts',
  'scripts/lib',
  'certbot',
  'nginx',
  'nginx/docker-entrypoint.d',
  'jenkins',
];
const scripts = folders.flatMap((folder) => {
  try {
    return readdirSync(join(root, folder))
      .filter((name) => name.endsWith('.sh'))
      .map((name) => `${folder}/${name}`);
  } catch {
    return [];
  }
});

describe('shell scripts', () => {
  it('finds the scripts', () => {
    expect(scripts).toContain('scripts/stack.sh');
    expect(scripts).toContain('scripts/lib/image-tag.sh');
    expect(scripts).toContain('certbot/entrypoint.sh');
  });

  it.each(scripts)('%s is shellcheck-clean', async (script) => {
    const result = await promisify(execFile)('shellcheck', ['--external-sources', script], {
      cwd: root,
    }).catch((error: { stdout: string; code: number }) => error);
    expect('stdout' in result ? result.stdout : '').toBe('');
  });
});
