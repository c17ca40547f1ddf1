// @vitest-environment node
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const frontendDir = join(import.meta.dirname, '..');

it('has generated API types that match the backend’s OpenAPI document', async () => {
  // The script renders the types from the backend's route schemas and compares with the file.
  const result = await promisify(execFile)(
    process.execPath,
    ['scripts/generate-api-types.mjs', '--check'],
    { cwd: frontendDir },
  ).catch((error: { stderr: string; code: number }) => error);
  expect('stderr' in result ? result.stderr : '').toBe('');
});
