import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  type Recorded,
  rawTlsRequest,
  recordingServer,
  request,
} from './support/http.js';
import {
  gatewayFiles,
  gatewayWorkspace,
  root,
  sh,
  startGateway,
  writeFileDeep,
} from './support/nginx.js';
import { expectSpaSecurityHeaders } from './support/security-headers.js';
import { forgedTokens, signAccessToken, signServiceToken } from './support/tokens.js';

// The gateway alone: the rendered templates on Debian's nginx (njs 0.7.9) in front of recording
// upstreams, so every assertion can say exactly what reached the backend or the storage server.
const bucket = 'homeport-gateway-test';
let work: string;
let base: string;
let httpBase: string;
let privateKey: string;
let publicKey: string;
let backend: Awaited<ReturnType<typeof recordingServer>>;
let storage: Awaited<ReturnType<typeof recordingServer>>;
let gateway: Awaited<ReturnType<typeof startGateway>>;

type Operations = Record<string, Record<string, { security?: unknown[] }>>;
let openApiPaths: Promise<Operations> | undefined;

/** The backend's OpenAPI paths (printed once per run: it builds the whole app). */
function operations(): Promise<Operations> {
  openApiPaths ??= sh('npx', ['tsx', join(root, 'backend/scripts/print-openapi.ts')]).then(
    ({ stdout }) => (JSON.parse(stdout) as { paths: Operations }).paths,
  );
  return openApiPaths;
}

const SAMPLE_ID = 'f3b1c1de-0000-4000-8000-000000000000';

/**
 * A request that waits out the rate limit: a 429 says nothing about the route (the limit is
 * checked before the token), so it is asked again once the budget refilled.
 */
async function askPatiently(url: string, options: Parameters<typeof request>[1] = {}) {
  for (let attempt = 0; ; attempt++) {
    const reply = await request(url, options);
    if (reply.status !== 429 || attempt === 20) return reply;
    await new Promise((resolve) => setTimeout(resolve, 1100));
  }
}

function reached(upstream: { requests: Recorded[] }, marker: string) {
  return upstream.requests.filter((seen) => seen.url.includes(marker));
}

/** The one request carrying `marker` that reached the upstream. */
function reachedOnce(upstream: { requests: Recorded[] }, marker: string): Recorded {
  const seen = reached(upstream, marker);
  expect(seen).toHaveLength(1);
  return seen[0] as Recorded;
}

beforeAll(async () => {
  work = await gatewayWorkspace('homeport-gateway-test-');
  privateKey = readFileSync(join(work, 'secrets/jwt_private_key.pem'), 'utf8');
  publicKey = readFileSync(join(work, 'secrets/jwt_public_key.pem'), 'utf8');
  writeFileDeep(join(work, 'spa/assets/index-AbC123.js'), 'console.log("app");'.repeat(200));
  writeFileDeep(join(work, 'acme/.well-known/acme-challenge/token-1'), 'token-1.thumbprint');
  backend = await recordingServer();
  storage = await recordingServer();
  const [httpPort, httpsPort] = [await freePort(), await freePort()];
  gateway = await startGateway({
    httpPort,
    httpsPort,
    backendServers: `server 127.0.0.1:${backend.port};`,
    storageServers: `server 127.0.0.1:${storage.port};`,
    bucket,
    ...gatewayFiles(work),
  });
  base = `https://localhost:${httpsPort}`;
  httpBase = `http://localhost:${httpPort}`;
});

afterAll(async () => {
  await gateway?.stop();
  await backend?.close();
  await storage?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('gateway token check', () => {
  it('answers 401 problem+json itself when the token is missing; the backend sees nothing', async () => {
    const marker = randomUUID();
    const reply = await request(`${base}/api/items?probe=${marker}`);
    expect(reply.status).toBe(401);
    expect(reply.headers['content-type']).toBe('application/problem+json');
    expect(reply.headers['www-authenticate']).toBe('Bearer');
    const problem = JSON.parse(reply.body);
    expect(problem).toMatchObject({ status: 401, code: 'unauthorized', instance: '/api/items' });
    expect(problem.requestId).toBe(reply.headers['x-request-id']);
    expect(reached(backend, marker)).toEqual([]);
  });

  it.each(Object.keys(forgedTokens('x')))('refuses a forged token: %s', async (kind) => {
    const marker = randomUUID();
    const token = forgedTokens(publicKey)[kind];
    const reply = await request(`${base}/api/items?probe=${marker}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(reply.status).toBe(401);
    expect(reply.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    expect(JSON.parse(reply.body).code).toBe('unauthorized');
    expect(reached(backend, marker)).toEqual([]);
  });

  it.each([
    ['expired', { exp: Math.floor(Date.now() / 1000) - 60 }, 'expired'],
    ['not yet valid', { nbf: Math.floor(Date.now() / 1000) + 600 }, 'not valid yet'],
    ['without expiry', { exp: undefined }, 'no expiry'],
  ])('refuses a correctly signed token that is %s', async (_name, claims, detail) => {
    const marker = randomUUID();
    const token = signAccessToken(privateKey, { claims });
    const reply = await request(`${base}/api/items?probe=${marker}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(reply.status).toBe(401);
    expect(JSON.parse(reply.body).detail).toContain(detail);
    expect(reached(backend, marker)).toEqual([]);
  });

  it('passes a valid token with the forwarding headers the backend trusts', async () => {
    const marker = randomUUID();
    const token = signAccessToken(privateKey);
    const reply = await request(`${base}/api/items?probe=${marker}`, {
      headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': '203.0.113.9' },
    });
    expect(reply.status).toBe(200);
    const seen = reachedOnce(backend, marker);
    expect(seen.headers.authorization).toBe(`Bearer ${token}`);
    expect(seen.headers['x-request-id']).toBe(reply.headers['x-request-id']);
    expect(seen.headers['x-forwarded-proto']).toBe('https');
    // nginx is the first hop: a client's own X-Forwarded-For is replaced, not trusted.
    expect(seen.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(seen.headers.host).toBe(new URL(base).host);
  });

  it.each([
    ['without typ', { header: { typ: undefined } }, 'typ must be at+jwt'],
    ['with typ JWT (an ID token, or minted before RFC 9068)', { header: { typ: 'JWT' } }, 'typ'],
    ['for another audience', { claims: { aud: 'reports' } }, 'another audience'],
    ['without an audience', { claims: { aud: undefined } }, 'another audience'],
  ])('refuses a correctly signed token %s', async (_name, options, detail) => {
    const marker = randomUUID();
    const token = signAccessToken(privateKey, options);
    const reply = await request(`${base}/api/items?probe=${marker}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(reply.status).toBe(401);
    expect(reply.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    expect(JSON.parse(reply.body).detail).toContain(detail);
    expect(reached(backend, marker)).toEqual([]);
  });

  it('accepts typ in its media-type spelling and an audience list containing ours', async () => {
    const marker = randomUUID();
    const token = signAccessToken(privateKey, {
      header: { typ: 'application/AT+JWT' },
      claims: { aud: ['reports', 'homeport'] },
    });
    const reply = await request(`${base}/api/items?probe=${marker}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(reply.status).toBe(200);
    expect(reached(backend, marker)).toHaveLength(1);
  });

  it('lets a service token reach the Items API only; user routes refuse it', async () => {
    const token = { authorization: `Bearer ${signServiceToken(privateKey)}` };
    for (const path of ['/api/items', `/api/items/${SAMPLE_ID}`, '/api/settings/items']) {
      const marker = randomUUID();
      const reply = await request(`${base}${path}?probe=${marker}`, { headers: token });
      expect(reply.status, path).toBe(200);
      expect(reached(backend, marker), path).toHaveLength(1);
    }
    for (const path of [
      '/api/users/me',
      '/api/auth/sessions',
      '/api/admin/users',
      '/api/files',
      `/api/items/${SAMPLE_ID}/x`,
    ]) {
      const marker = randomUUID();
      const reply = await request(`${base}${path}?probe=${marker}`, { headers: token });
      expect(reply.status, path).toBe(401);
      expect(JSON.parse(reply.body).detail, path).toContain(
        'does not accept service client tokens',
      );
      expect(reached(backend, marker), path).toEqual([]);
    }
  });

  it('passes a form-encoded token request and the metadata without a token', async () => {
    const marker = randomUUID();
    const form = `grant_type=client_credentials&scope=items%3Aread&probe=${marker}`;
    const reply = await request(`${base}/api/oauth/token?probe=${marker}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from('id:secret').toString('base64')}`,
      },
      body: form,
    });
    expect(reply.status).toBe(200);
    const seen = reachedOnce(backend, marker);
    expect(seen.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(seen.headers.authorization).toBe(`Basic ${Buffer.from('id:secret').toString('base64')}`);
    expect(seen.bodyBytes).toBe(Buffer.byteLength(form));

    const metadataMarker = randomUUID();
    const metadata = await request(
      `${base}/.well-known/oauth-authorization-server?probe=${metadataMarker}`,
    );
    expect(metadata.status).toBe(200);
    expect(reached(backend, metadataMarker)).toHaveLength(1);
  });

  it.each([
    ['POST', '/api/auth/sign-in'],
    ['POST', '/api/auth/sign-up'],
    ['POST', '/api/auth/refresh'],
    ['GET', '/api/auth/jwks.json'],
    ['GET', '/api/auth/providers'],
    ['GET', '/api/auth/oidc/google/start'],
    ['GET', '/api/auth/oidc/google/callback'],
    ['POST', '/api/auth/oidc/apple/callback'],
    ['POST', '/api/auth/oidc/link'],
    ['POST', '/api/auth/oidc/link/code'],
    ['POST', '/api/auth/sign-in/passkey/options'],
    ['POST', '/api/auth/sign-in/passkey'],
    ['POST', '/api/auth/sign-in/mfa/passkey/options'],
    ['POST', '/api/auth/sign-in/mfa/passkey'],
    ['GET', '/api/health'],
    ['GET', '/api/ready'],
    ['GET', '/api/docs/'],
    ['GET', '/api/openapi.json'],
    ['POST', '/api/internal/storage-events'],
    ['POST', '/api/mail/events'],
  ])('lets %s %s through without a token (public list)', async (method, path) => {
    const marker = randomUUID();
    const reply = await request(`${base}${path}?probe=${marker}`, { method });
    expect(reply.status).toBe(200);
    expect(reached(backend, marker)).toHaveLength(1);
  });

  it.each([
    ['GET', '/api/auth/sessions'],
    ['DELETE', '/api/auth/sessions/0b7c3e0f'],
    ['POST', '/api/auth/sign-out'],
    ['POST', '/api/auth/sign-out-everywhere'],
    ['POST', '/api/auth/change-password'],
    ['POST', '/api/auth/delete-account'],
    ['GET', '/api/auth/identities'],
    ['POST', '/api/auth/identities/google/link'],
    ['DELETE', '/api/auth/identities/0b7c3e0f'],
    ['GET', '/api/auth/oidc/google/other'],
    ['GET', '/api/auth/passkeys'],
    ['POST', '/api/auth/passkeys/options'],
    ['POST', '/api/auth/passkeys'],
    ['DELETE', '/api/auth/passkeys/0b7c3e0f'],
    ['POST', '/api/auth/Passkeys'],
    ['POST', '/api/auth/sign-in/passkey/other'],
    ['GET', '/api/boards/0b7c3e0f/events'],
    ['GET', '/api/me/events'],
    ['GET', '/api/admin/users'],
    ['GET', '/api/healthz'],
  ])('protects %s %s', async (method, path) => {
    const marker = randomUUID();
    const reply = await request(`${base}${path}?probe=${marker}`, { method });
    expect(reply.status).toBe(401);
    expect(reached(backend, marker)).toEqual([]);
  });

  it.each(['/api/boards/0b7c3e0f/events', '/api/me/events'])(
    'streams %s unbuffered and uncompressed: the first event arrives while the upstream holds on',
    async (path) => {
      const startedAt = performance.now();
      const first = await new Promise<{
        status: number;
        headers: IncomingHttpHeaders;
        chunk: string;
      }>((resolve, reject) => {
        const outgoing = httpsRequest(
          `${base}${path}?sse-probe=${randomUUID()}`,
          {
            headers: {
              authorization: `Bearer ${signAccessToken(privateKey)}`,
              'accept-encoding': 'gzip',
            },
            rejectUnauthorized: false,
            agent: false,
          },
          (response) => {
            response.once('data', (chunk: Buffer) => {
              resolve({
                status: response.statusCode ?? 0,
                headers: response.headers,
                chunk: chunk.toString('utf8'),
              });
              response.destroy();
            });
          },
        );
        outgoing.on('error', reject);
        outgoing.end();
      });
      const elapsed = performance.now() - startedAt;
      expect(first.status).toBe(200);
      expect(first.headers['content-type']).toMatch(/^text\/event-stream/);
      expect(first.headers['content-encoding']).toBeUndefined();
      expect(first.chunk).toContain('event: probe');
      // The upstream ends the stream after 3 s; a buffered reply would arrive only then.
      expect(elapsed).toBeLessThan(1500);
    },
  );

  it('never exposes metrics', async () => {
    for (const path of ['/metrics', '/api/metrics']) {
      const reply = await request(`${base}${path}`, {
        headers: { authorization: `Bearer ${signAccessToken(privateKey)}` },
      });
      expect(reply.status, path).toBe(404);
    }
    expect(backend.requests.filter((seen) => seen.url.includes('metrics'))).toEqual([]);
  });
});

describe('gateway and OpenAPI agree', () => {
  it('protects exactly the operations the backend documents as needing a bearer token', async () => {
    const mismatches: string[] = [];
    for (const [path, methods] of Object.entries(await operations())) {
      for (const [method, operation] of Object.entries(methods)) {
        const marker = randomUUID();
        const concrete = path.replace(/\{[^}]+\}/g, SAMPLE_ID);
        const reply = await askPatiently(`${base}${concrete}?probe=${marker}`, {
          method: method.toUpperCase(),
        });
        const secured = (operation.security ?? []).length > 0;
        const blocked = reply.status === 401 && reached(backend, marker).length === 0;
        if (secured !== blocked) {
          mismatches.push(
            `${method.toUpperCase()} ${path}: documented ${secured ? 'protected' : 'public'}, gateway ${blocked ? 'blocks' : 'passes'}`,
          );
        }
      }
    }
    expect(mismatches).toEqual([]);
  });
});

/** Spellings of `path` that nginx and a router might resolve differently. */
function pathTricks(path: string): string[] {
  const segments = path.split('/').filter(Boolean); // ['api', 'items', '<id>']
  const last = segments.at(-1) ?? '';
  const head = `/${segments.slice(0, -1).join('/')}`;
  const rest = `/${segments.slice(1).join('/')}`; // without /api
  const variants = [
    `${head}%2F${last}`,
    `${head}%2f${last}`,
    `${head}/./${last}`,
    `${head}/%2e/${last}`,
    `${head}/%2E/${last}`,
    `${head}/x/../${last}`,
    `${head}/x/%2e%2e/${last}`,
    `${head}/x/.%2e/${last}`,
    `${head}/x%2F..%2F${last}`,
    `${head}//${last}`,
    `/api/${rest.slice(1).replace('/', '//')}`,
    `/${path.slice(1).replace('api/', 'api//')}`,
    `${head}\\${last}`,
    `${head}%5C${last}`,
    `${path}/.`,
    `${path}/..`,
    `${path}.`,
    `${path}..`,
    `${path}/`,
    `${path};`,
    `${path};x=1`,
    `${path}%00`,
    `${path}%252F`,
    path.toUpperCase(),
    `${head}/${last.charAt(0).toUpperCase()}${last.slice(1)}`,
    path.replace('/api/', '/API/'),
    path.replace('/api/', '/%61pi/'),
    `${head}/%${last.charCodeAt(0).toString(16)}${last.slice(1)}`,
    // From a public route back into this one.
    `/api/auth/jwks.json/../..${rest}`,
    `/api/auth/jwks.json/..%2F..${rest.replace(/\//g, '%2F')}`,
    `/api/auth/sign-in/%2e%2e/%2e%2e${rest}`,
    `/api/health/..${rest}`,
    `/api/docs/..%2F..${rest}`,
    `/api/docs/..;/..${rest}`,
    `/x/../api${rest}`,
  ];
  return [...new Set(variants)];
}

describe('the path rule', () => {
  it('lets no path trick reach a protected operation of the OpenAPI document without a token', async () => {
    const leaks: string[] = [];
    let tried = 0;
    for (const [path, methods] of Object.entries(await operations())) {
      for (const [method, operation] of Object.entries(methods)) {
        if ((operation.security ?? []).length === 0) continue;
        const concrete = path.replace(/\{[^}]+\}/g, SAMPLE_ID);
        for (const trick of pathTricks(concrete)) {
          const marker = randomUUID();
          const reply = await askPatiently(base, {
            method: method.toUpperCase(),
            path: `${trick}?probe=${marker}`,
          });
          tried++;
          if (reply.status === 429) leaks.push(`${method} ${trick}: still rate-limited`);
          if (reached(backend, marker).length > 0) {
            leaks.push(`${method.toUpperCase()} ${trick} reached the backend (${reply.status})`);
          }
          // Whatever answered, an /api/ answer from nginx is a problem document.
          if (reply.status >= 400 && !reply.headers['content-type']?.includes('problem+json')) {
            if (trick.startsWith('/api/'))
              leaks.push(`${method} ${trick}: ${reply.status} not problem+json`);
          }
        }
      }
    }
    expect(tried).toBeGreaterThan(500);
    expect(leaks).toEqual([]);
  });

  it.each([
    '/api/items/..%2Fauth%2Fjwks.json',
    '/api/items/%2e%2e/auth/jwks.json',
    '/api//auth/jwks.json',
    '/api/auth\\jwks.json',
    '/api/health;x',
    '/api/x/../health',
    '/x/../api/health',
  ])('refuses %s with 400 problem+json before any token check', async (path) => {
    const marker = randomUUID();
    const reply = await request(base, { path: `${path}?probe=${marker}` });
    expect(reply.status).toBe(400);
    expect(reply.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(reply.body)).toMatchObject({ status: 400, code: 'invalid_path' });
    expect(reached(backend, marker)).toEqual([]);
  });

  it('decides on the raw path of an absolute-form request target too', async () => {
    const host = new URL(base).host;
    const reply = await rawTlsRequest(
      Number(new URL(base).port),
      `GET https://${host}/api/items/..%2Fauth%2Fjwks.json HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
    );
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body).code).toBe('invalid_path');
  });

  it('keeps percent-encoded characters a client needs (an email address in a path)', async () => {
    const marker = randomUUID();
    const reply = await request(base, {
      method: 'DELETE',
      path: `/api/admin/mail/suppressions/a%2Bb%40example.com?probe=${marker}`,
      headers: { authorization: `Bearer ${signAccessToken(privateKey)}` },
    });
    expect(reply.status).toBe(200);
    expect(reachedOnce(backend, marker).url).toContain('/a%2Bb%40example.com?');
  });
});

describe('the token check and the backend agree', () => {
  it('accepts the Bearer scheme in any case', async () => {
    for (const scheme of ['bearer', 'BEARER']) {
      const marker = randomUUID();
      const reply = await request(`${base}/api/items?probe=${marker}`, {
        headers: { authorization: `${scheme} ${signAccessToken(privateKey)}` },
      });
      expect(reply.status, scheme).toBe(200);
      expect(reached(backend, marker)).toHaveLength(1);
    }
  });

  it.each([
    ['an unknown kid', { kid: 'another-key' }],
    ['no kid', { kid: undefined }],
  ])('refuses a token signed with the real key but %s', async (_name, header) => {
    const marker = randomUUID();
    const reply = await request(`${base}/api/items?probe=${marker}`, {
      headers: { authorization: `Bearer ${signAccessToken(privateKey, { header })}` },
    });
    expect(reply.status).toBe(401);
    expect(JSON.parse(reply.body)).toMatchObject({ code: 'unauthorized', instance: '/api/items' });
    expect(JSON.parse(reply.body).detail).toContain('key');
    expect(reached(backend, marker)).toEqual([]);
  });
});

describe("nginx's own errors", () => {
  const port = () => Number(new URL(base).port);
  const host = () => new URL(base).host;

  function expectProblem(
    reply: { status: number; headers: Record<string, unknown>; body: string },
    status: number,
    code: string,
  ) {
    expect(reply.status).toBe(status);
    expect(reply.headers['content-type']).toBe('application/problem+json');
    const problem = JSON.parse(reply.body);
    expect(problem).toMatchObject({ status, code, type: `urn:homeport:problem:${code}` });
    expect(problem.requestId).toMatch(/^[0-9a-f]{32}$/);
  }

  it('answers a NUL byte in a header with 400 problem+json', async () => {
    const reply = await rawTlsRequest(
      port(),
      Buffer.from(
        `GET /api/health HTTP/1.1\r\nHost: ${host()}\r\nX-Probe: a\0b\r\nConnection: close\r\n\r\n`,
      ),
    );
    expectProblem(reply, 400, 'bad_request');
  });

  it('answers a duplicate Authorization header with 400 problem+json', async () => {
    const reply = await rawTlsRequest(
      port(),
      `GET /api/items HTTP/1.1\r\nHost: ${host()}\r\nAuthorization: Bearer a\r\nAuthorization: Bearer b\r\nConnection: close\r\n\r\n`,
    );
    expectProblem(reply, 400, 'bad_request');
  });

  it('answers a malformed request line with 400 problem+json', async () => {
    expectProblem(await rawTlsRequest(port(), 'GARBAGE\r\n\r\n'), 400, 'bad_request');
  });

  it('answers an oversized header with 431 problem+json', async () => {
    const reply = await request(`${base}/api/health`, { headers: { 'x-big': 'a'.repeat(20000) } });
    expectProblem(reply, 431, 'headers_too_large');
  });

  it('answers an over-long URI with 414 problem+json', async () => {
    expectProblem(await request(`${base}/api/items?${'a'.repeat(9000)}`), 414, 'uri_too_long');
  });

  it('answers 404 and 405 with problem+json', async () => {
    expectProblem(await request(`${base}/api/metrics`), 404, 'not_found');
    expectProblem(await request(`${base}/assets/missing-1.js`), 404, 'not_found');
    const notAllowed = await request(`${base}/index.html`, { method: 'POST', body: '{}' });
    expectProblem(notAllowed, 405, 'method_not_allowed');
    expect(notAllowed.headers.allow).toBe('GET, HEAD');
  });

  it('answers 413 with problem+json', async () => {
    const reply = await request(`${base}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: Buffer.alloc(1024 * 1024 + 1, 0x20),
    });
    expectProblem(reply, 413, 'payload_too_large');
  });
});

describe('storage proxy', () => {
  it('forwards an upload form to the bucket root with the public Host and streams large bodies', async () => {
    const marker = randomUUID();
    const boundary = `----homeport${marker}`;
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="key"\r\n\r\nusers/u1/${marker}.bin\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\n\r\n`,
      ),
      Buffer.alloc(3 * 1024 * 1024, 7),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const reply = await request(`${base}/${bucket}/`, {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      body,
    });
    expect(reply.status).toBe(200);
    const seen = reachedOnce(storage, `/${bucket}/`);
    expect(seen.headers.host).toBe(new URL(base).host);
    expect(seen.bodyBytes).toBe(body.length);
    expect(reply.headers['content-security-policy']).toContain('sandbox');
    expect(reached(backend, marker)).toEqual([]);
  });
});

describe('SPA', () => {
  it('serves index.html uncached with the security headers', async () => {
    const reply = await request(`${base}/`);
    expect(reply.status).toBe(200);
    expect(reply.headers['cache-control']).toBe('no-cache');
    expectSpaSecurityHeaders(reply.headers);
    // Self-signed certificate: no HSTS, so a browser is not locked out of a test install.
    expect(reply.headers['strict-transport-security']).toBeUndefined();
  });

  it('caches hashed assets for a year and compresses them', async () => {
    const reply = await request(`${base}/assets/index-AbC123.js`, {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(reply.status).toBe(200);
    expect(reply.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(reply.headers['content-encoding']).toBe('gzip');
  });

  it('falls back to index.html for client routes but not for missing assets', async () => {
    const route = await request(`${base}/boards/42`);
    expect(route.status).toBe(200);
    expect(route.body).toContain('<title>Homeport</title>');
    expect(route.headers['cache-control']).toBe('no-cache');
    expect((await request(`${base}/assets/missing-123.js`)).status).toBe(404);
  });
});

describe('plain HTTP', () => {
  it('redirects to HTTPS, keeping the path', async () => {
    const reply = await request(`${httpBase}/boards/1?x=2`);
    expect(reply.status).toBe(301);
    expect(reply.headers.location).toBe(`${base}/boards/1?x=2`);
  });

  it('serves ACME challenges from the webroot without redirecting', async () => {
    const reply = await request(`${httpBase}/.well-known/acme-challenge/token-1`);
    expect(reply.status).toBe(200);
    expect(reply.body).toBe('token-1.thumbprint');
  });
});

describe('HSTS', () => {
  it('is sent once a publicly trusted certificate is installed', async () => {
    // Install the same key pair as if certbot had issued it (deploy hook, trusted CA).
    await sh('python3', [join(root, 'certbot/tls.py'), 'deploy-hook'], {
      ...process.env,
      RENEWED_LINEAGE: join(work, 'certs'),
      TLS_DIR: join(work, 'certs'),
      LETSENCRYPT_STAGING: 'false',
      ACME_UNTRUSTED: 'false',
    });
    await gateway.reload();
    let header: string | string[] | undefined;
    for (let attempt = 0; attempt < 50 && !header; attempt++) {
      header = (await request(`${base}/`)).headers['strict-transport-security'];
      if (!header) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(header).toBe('max-age=63072000');
  });
});

// Last: it exhausts the per-address /api/auth/ budget for a moment.
describe('rate limits', () => {
  it('limits the rate of /api/auth/ requests per address with a 429 problem', async () => {
    const replies = await Promise.all(
      Array.from({ length: 120 }, () => request(`${base}/api/auth/jwks.json`)),
    );
    const limited = replies.find((reply) => reply.status === 429);
    if (!limited) throw new Error('no request was limited');
    expect(limited.headers['content-type']).toBe('application/problem+json');
    expect(limited.headers['retry-after']).toBe('1');
    expect(JSON.parse(limited.body).code).toBe('rate_limited');
  });
});
