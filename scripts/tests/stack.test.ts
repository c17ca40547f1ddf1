import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'minio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEnvFile } from './support/env-file.js';
import { request } from './support/http.js';
import { root, sh } from './support/nginx.js';
import { expectSpaSecurityHeaders } from './support/security-headers.js';
import { forgedTokens, signAccessToken } from './support/tokens.js';

// The whole native stack (scripts/stack.sh): nginx with the rendered templates in front of two
// backend processes, the worker, Postgres, s3rver and the SMTP capture.
const stackKeys = ['STACK_URL', 'STACK_STATE', 'STACK_BUCKET', 'STACK_BACKEND_LOGS'] as const;
const serviceKeys = ['S3_ENDPOINT', 'S3_ACCESS_KEY', 'S3_SECRET_KEY'] as const;
let stack: Record<(typeof stackKeys)[number], string>;
let services: Record<(typeof serviceKeys)[number], string>;
let startedHere = false;

function backendLogs(): string {
  return stack.STACK_BACKEND_LOGS.trim()
    .split(/\s+/)
    .map((file) => readFileSync(file, 'utf8'))
    .join('\n');
}

/** Backend logs are written asynchronously; give them a moment before asserting absence. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

beforeAll(async () => {
  const running = await sh('bash', [join(root, 'scripts/stack.sh'), 'status']).then(
    () => true,
    () => false,
  );
  if (!running) {
    await sh('bash', [join(root, 'scripts/stack.sh'), 'start']);
    startedHere = true;
  }
  stack = readEnvFile(join(root, '.run/stack/stack.env'), stackKeys);
  services = readEnvFile(join(root, '.run/test-services.env'), serviceKeys);
});

afterAll(async () => {
  if (startedHere) await sh('bash', [join(root, 'scripts/stack.sh'), 'stop']);
});

describe('native stack through nginx', () => {
  it('serves the built SPA with the security headers', async () => {
    const reply = await request(`${stack.STACK_URL}/`);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatch(/<div id="root">|<script type="module"/);
    expectSpaSecurityHeaders(reply.headers);
  });

  it('caches the hashed bundles for a year and index.html not at all', async () => {
    const index = await request(`${stack.STACK_URL}/index.html`);
    expect(index.headers['cache-control']).toBe('no-cache');
    const asset = /\/assets\/[^"']+\.js/.exec(index.body)?.[0];
    expect(asset, 'index.html references a hashed bundle').toBeDefined();
    const bundle = await request(`${stack.STACK_URL}${asset}`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const clientRoute = await request(`${stack.STACK_URL}/account/sessions`);
    expect(clientRoute.status).toBe(200);
    expect(clientRoute.body).toBe(index.body);
  });

  it('answers unauthenticated and forged requests with 401 at nginx; no backend logs them', async () => {
    const marker = randomUUID();
    const publicKey = readFileSync(join(stack.STACK_STATE, 'secrets/jwt_public_key.pem'), 'utf8');
    const attempts: Record<string, string | undefined> = {
      none: undefined,
      ...forgedTokens(publicKey),
    };
    const requestIds: string[] = [];
    for (const [kind, token] of Object.entries(attempts)) {
      const reply = await request(`${stack.STACK_URL}/api/items?probe=${marker}`, {
        headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      });
      expect(reply.status, kind).toBe(401);
      expect(reply.headers['content-type'], kind).toBe('application/problem+json');
      requestIds.push(String(reply.headers['x-request-id']));
    }
    await settle();
    const logs = backendLogs();
    expect(logs).not.toContain(marker);
    for (const id of requestIds) expect(logs).not.toContain(id);
  });

  it('passes a validly signed token on to a backend', async () => {
    const privateKey = readFileSync(join(stack.STACK_STATE, 'secrets/jwt_private_key.pem'), 'utf8');
    const reply = await request(`${stack.STACK_URL}/api/items?probe=${randomUUID()}`, {
      headers: { authorization: `Bearer ${signAccessToken(privateKey)}` },
    });
    // The backend decides (the token names no real session); what matters is that it was asked.
    await settle();
    expect(backendLogs()).toContain(String(reply.headers['x-request-id']));
  });

  it('proxies presigned uploads and downloads on the public origin to the S3 server', async () => {
    const publicOrigin = new URL(stack.STACK_URL);
    const credentials = {
      accessKey: services.S3_ACCESS_KEY,
      secretKey: services.S3_SECRET_KEY,
      region: 'us-east-1',
      pathStyle: true,
    };
    const presigner = new Client({
      endPoint: publicOrigin.hostname,
      port: Number(publicOrigin.port),
      useSSL: true,
      ...credentials,
    });
    const internal = new URL(services.S3_ENDPOINT);
    const direct = new Client({
      endPoint: internal.hostname,
      port: Number(internal.port),
      useSSL: false,
      ...credentials,
    });
    const key = `stack-test/${randomUUID()}.bin`;
    const body = randomBytes(256 * 1024);
    const putUrl = await presigner.presignedPutObject(stack.STACK_BUCKET, key, 60);
    expect(new URL(putUrl).host).toBe(publicOrigin.host);
    const put = await request(putUrl, { method: 'PUT', body });
    expect(put.status).toBe(200);
    try {
      const stored = await direct.statObject(stack.STACK_BUCKET, key);
      expect(stored.size).toBe(body.length);
      const getUrl = await presigner.presignedGetObject(stack.STACK_BUCKET, key, 60);
      const download = await new Promise<Buffer>((resolve, reject) => {
        import('node:https').then(({ get }) =>
          get(getUrl, { rejectUnauthorized: false, agent: false }, (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () => resolve(Buffer.concat(chunks)));
          }).on('error', reject),
        );
      });
      expect(download.equals(body)).toBe(true);
    } finally {
      await direct.removeObject(stack.STACK_BUCKET, key);
    }
  });

  it('reports every process up', async () => {
    const { stdout } = await sh('bash', [join(root, 'scripts/stack.sh'), 'status']);
    for (const name of ['backend-1', 'backend-2', 'worker', 'nginx', 'cert-watch']) {
      expect(stdout).toContain(`${name} up`);
    }
    expect(stdout).toContain('healthy');
  });

  it('writes the backend and worker logs as JSON lines only', () => {
    const files = [
      ...stack.STACK_BACKEND_LOGS.trim().split(/\s+/),
      join(stack.STACK_STATE, 'worker.log'),
    ];
    for (const file of files) {
      const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
      expect(lines.length, file).toBeGreaterThan(0);
      for (const line of lines) {
        expect(() => JSON.parse(line), `${file}: ${line}`).not.toThrow();
      }
    }
  });
});
