/** What every bench shares: the test services, a fresh database, ports and a backend's settings. */

import type { ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestDatabase, prepareTemplate } from '../test/support/database.js';

export const backendDir = join(import.meta.dirname, '..');

/** Settings of the native test services (scripts/test-services.sh), unless the environment has them. */
export function serviceEnv(): Record<string, string | undefined> {
  const file = join(backendDir, '..', '.run', 'test-services.env');
  const fromFile: Record<string, string> = {};
  if (existsSync(file)) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const at = line.indexOf('=');
      if (at > 0) fromFile[line.slice(0, at)] = line.slice(at + 1);
    }
  }
  return { ...fromFile, ...process.env };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** The value below which `p` per cent of `sorted` (ascending) lie. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

export interface BenchBackend {
  database: { name: string; url: string; drop(): Promise<unknown> };
  /** The environment of a production backend on `port`, with its own database and bucket. */
  serverEnv: Record<string, string>;
  port: number;
}

/** A migrated database of its own and the settings of a backend that uses it on a free port. */
export async function prepareBenchBackend(): Promise<BenchBackend> {
  const env = serviceEnv();
  const adminUrl = env.TEST_DATABASE_URL ?? env.DATABASE_URL;
  if (!adminUrl || !env.S3_ENDPOINT || !env.S3_ACCESS_KEY || !env.S3_SECRET_KEY || !env.SMTP_URL) {
    throw new Error('No services: run `bash scripts/test-services.sh start` first.');
  }
  const database = await createTestDatabase(adminUrl, await prepareTemplate(adminUrl));
  const keys = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const port = await freePort();
  const serverEnv: Record<string, string> = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: String(port),
    METRICS_PORT: String(await freePort()),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: '4',
    S3_ENDPOINT: env.S3_ENDPOINT,
    S3_REGION: env.S3_REGION ?? 'us-east-1',
    S3_BUCKET: `hp-bench-${randomBytes(4).toString('hex')}`,
    S3_ACCESS_KEY: env.S3_ACCESS_KEY,
    S3_SECRET_KEY: env.S3_SECRET_KEY,
    SMTP_URL: env.SMTP_URL,
    JWT_PRIVATE_KEY: keys.privateKey,
    JWT_PUBLIC_KEY: keys.publicKey,
    AUTH_AUTO_VERIFY: 'true',
  };
  return { database, serverEnv, port };
}

/** A JSON call to a server on loopback `port`, failing on anything but 2xx. */
export async function api(
  port: number,
  method: string,
  path: string,
  body?: object,
  token?: string,
): Promise<Record<string, unknown>> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: {
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/** Waits until `path` on loopback `port` answers at all; fails if `child` exits first or 30 s pass. */
export async function waitForHealth(port: number, child: ChildProcess, path = '/api/health') {
  for (let attempt = 0; ; attempt++) {
    const ready = await fetch(`http://127.0.0.1:${port}${path}`).catch(() => undefined);
    if (ready) return;
    if (attempt > 300 || child.exitCode !== null)
      throw new Error(`server on ${port} did not start`);
    await sleep(100);
  }
}
