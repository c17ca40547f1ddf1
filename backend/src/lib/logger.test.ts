import { PassThrough } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { setupTestContext } from '../../test/support/context.js';
import { loggerOptions, redactSecrets, routeConsoleTo } from './logger.js';

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
    expect(redactSecrets('/x?code=123456&keep=1&X-Amz-Signature=abc')).toBe(
      '/x?code=[redacted]&keep=1&X-Amz-Signature=[redacted]',
    );
  });

  it('carry what libraries print on the console as JSON entries with a level', async () => {
    const stream = new PassThrough();
    const lines: string[] = [];
    stream.on('data', (chunk: Buffer) =>
      lines.push(...chunk.toString().split('\n').filter(Boolean)),
    );
    const log = pino(loggerOptions('debug'), stream);
    const consoleWarn = console.warn;
    const restore = routeConsoleTo(log);
    try {
      console.warn('Retrying request (attempt %d/%d) due to: %s', 1, 3, 'HTTP 500');
      console.error(new Error('socket hang up'));
      console.log('plain', { n: 1 });
      console.warn(
        'connect postgres://app:pa55-word@db:5432/homeport failed; sent Bearer eyJ.abc.def to /x?token=t0k3n&keep=1',
      );
      console.error(new Error('login to smtp://mailer:hunter2@relay:587 refused'));
    } finally {
      restore();
    }
    expect(console.warn).toBe(consoleWarn);
    await new Promise((resolve) => setImmediate(resolve));

    const entries = lines.map((line) => JSON.parse(line));
    expect(entries).toHaveLength(5);
    expect(entries[0]).toMatchObject({
      level: 40,
      source: 'console',
      service: 'homeport',
      msg: 'Retrying request (attempt 1/3) due to: HTTP 500',
    });
    expect(entries[1]).toMatchObject({ level: 50, msg: 'socket hang up' });
    expect(entries[1].err).toMatchObject({ type: 'Error', message: 'socket hang up' });
    expect(entries[2]).toMatchObject({ level: 30, msg: 'plain { n: 1 }' });
    expect(entries[3].msg).toBe(
      'connect postgres://app:[redacted]@db:5432/homeport failed; sent Bearer [redacted] to /x?token=[redacted]&keep=1',
    );
    expect(entries[4].msg).toBe('login to smtp://mailer:[redacted]@relay:587 refused');
    const text = lines.join('\n');
    for (const secret of ['pa55-word', 'eyJ.abc.def', 't0k3n', 'hunter2']) {
      expect(text).not.toContain(secret);
    }
  });
});
