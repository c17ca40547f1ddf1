import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { setupTestContext } from '../../test/support/context.js';
import { redactUrl } from './logger.js';

const ctx = setupTestContext();

describe('logs', () => {
  it('are JSON lines with the request id and never carry secrets', async () => {
    const stream = new PassThrough();
    const lines: string[] = [];
    stream.on('data', (chunk: Buffer) =>
      lines.push(...chunk.toString().split('\n').filter(Boolean)),
    );
    const app = await ctx.buildApp({ LOG_LEVEL: 'info' }, { logStream: stream });

    const secrets = [
      's3cr3t-bearer-token',
      'cookie-session-value',
      'hunter2-password',
      'query-token-value',
    ];
    await app.inject({
      method: 'PUT',
      url: `/api/items?token=${secrets[3]}`,
      headers: {
        authorization: `Bearer ${secrets[0]}`,
        cookie: `refresh=${secrets[1]}`,
        'x-request-id': 'log-test-1',
      },
      payload: { id: 'log-test', name: 'Lamp', price: 1, password: secrets[2] },
    });
    await new Promise((resolve) => setImmediate(resolve));

    const entries = lines.map((line) => JSON.parse(line));
    const mine = entries.filter((entry) => entry.reqId === 'log-test-1');
    expect(mine.length).toBeGreaterThanOrEqual(2);
    expect(mine.some((entry) => entry.req?.url?.startsWith('/api/items?token=[redacted]'))).toBe(
      true,
    );
    const text = lines.join('\n');
    for (const secret of secrets) expect(text).not.toContain(secret);
  });

  it('redacts credentials in query strings', () => {
    expect(redactUrl('/x?code=123456&keep=1&X-Amz-Signature=abc')).toBe(
      '/x?code=[redacted]&keep=1&X-Amz-Signature=[redacted]',
    );
  });
});
