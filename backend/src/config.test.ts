import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_NAMES, ConfigError, loadConfig, SECRET_NAMES } from './config.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('names every missing and malformed variable at once', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      PUBLIC_URL: 'localhost',
      S3_BUCKET: 'Bad_Bucket',
    });
    expect(problems).toContain('DATABASE_URL is required');
    expect(problems).toContain('SMTP_URL is required');
    expect(problems.some((problem) => problem.startsWith('PORT:'))).toBe(true);
    expect(problems.some((problem) => problem.startsWith('PUBLIC_URL:'))).toBe(true);
    expect(problems.some((problem) => problem.startsWith('S3_BUCKET:'))).toBe(true);
  });

  it('reads secrets from *_FILE and never echoes their values', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hp-config-'));
    writeFileSync(join(dir, 'db'), 'postgres://app:file-secret@db:5432/app\n');
    const problems = problemsOf({
      DATABASE_URL_FILE: join(dir, 'db'),
      S3_SECRET_KEY_FILE: join(dir, 'missing'),
    });
    expect(problems).toContain(`S3_SECRET_KEY_FILE: cannot read ${join(dir, 'missing')} (ENOENT)`);
    expect(problems).not.toContain('DATABASE_URL is required');
    expect(problems.join('\n')).not.toContain('file-secret');
  });

  it('refuses a variable given both directly and as a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hp-config-'));
    writeFileSync(join(dir, 'smtp'), 'smtp://relay:25');
    expect(problemsOf({ SMTP_URL: 'smtp://a:25', SMTP_URL_FILE: join(dir, 'smtp') })).toContain(
      'SMTP_URL and SMTP_URL_FILE are both set; set only one',
    );
  });
});

describe('.env.example', () => {
  it('documents every variable the backend reads, each with a comment', () => {
    const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8').split(
      '\n',
    );
    // Each variable sits in a block of lines (up to a blank line) that starts with a comment.
    const undocumented = CONFIG_NAMES.filter((name) => {
      let line = example.findIndex((text) => text.startsWith(`${name}=`));
      if (line < 0) return true;
      while (line > 0 && example[line - 1]?.trim() !== '') line--;
      return !example[line]?.startsWith('#');
    });
    expect(undocumented).toEqual([]);
  });

  it('holds no secret values', () => {
    const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    for (const name of SECRET_NAMES) {
      const value = new RegExp(`^${name}=(.*)$`, 'm').exec(example)?.[1] ?? '';
      expect(value.replace(/^smtp:\/\/mailpit:1025$/, ''), name).toBe('');
    }
  });
});
