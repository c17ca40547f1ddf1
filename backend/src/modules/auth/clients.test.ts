import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignedInUser, type SignedInUser } from '../../../test/support/auth.js';
import { setupTestContext } from '../../../test/support/context.js';

const ctx = setupTestContext();
let app: FastifyInstance;
let base: string;
let user: SignedInUser;

beforeAll(async () => {
  app = await ctx.buildApp({ AUTH_AUTO_VERIFY: 'true' });
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  user = await createSignedInUser(app, ctx);
});

afterAll(async () => {
  await app?.close();
});

const signInBody = () =>
  JSON.stringify({ email: user.email, password: user.password, refreshTokenIn: 'body' });

/** A raw HTTP/1.1 POST with exactly these headers (what curl or a plain HTTP library sends). */
function rawPost(path: string, headers: Record<string, string>, body: string) {
  return new Promise<{ status: number; json: Record<string, unknown> }>((resolve, reject) => {
    const url = new URL(path, base);
    const req = httpRequest(
      url,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('non-browser clients get their refresh token in the body', () => {
  it('Node fetch sends Sec-Fetch-Mode: cors, and still counts as a non-browser client', async () => {
    // The premise: undici's fetch adds Sec-Fetch-Mode on its own.
    const echo = createServer((req, res) => res.end(JSON.stringify(req.headers)));
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    const seen = (await (
      await fetch(`http://127.0.0.1:${(echo.address() as AddressInfo).port}/`, { method: 'POST' })
    ).json()) as Record<string, string>;
    echo.close();
    expect(seen['sec-fetch-mode']).toBe('cors');
    expect(seen['sec-fetch-site']).toBeUndefined();
    expect(seen.origin).toBeUndefined();

    const signIn = await fetch(`${base}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: signInBody(),
    });
    const tokens = (await signIn.json()) as { refreshToken?: string };
    expect(signIn.status, JSON.stringify(tokens)).toBe(200);
    expect(signIn.headers.get('cache-control')).toBe('no-store');
    expect(tokens.refreshToken).toEqual(expect.any(String));
    const refreshed = await fetch(`${base}/api/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: tokens.refreshToken }),
    });
    expect(refreshed.status).toBe(200);
    expect(((await refreshed.json()) as { refreshToken?: string }).refreshToken).toEqual(
      expect.any(String),
    );
  });

  it('a curl-like request (no Sec-Fetch-* headers) gets the body token', async () => {
    const curl = await rawPost(
      '/api/auth/sign-in',
      { 'user-agent': 'curl/8.5.0', accept: '*/*' },
      signInBody(),
    );
    expect(curl.status).toBe(200);
    expect(curl.json.refreshToken).toEqual(expect.any(String));
  });

  it('a browser is refused the body token, by Sec-Fetch-Site or by Origin', async () => {
    const chrome = {
      'user-agent':
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
      origin: 'http://localhost:8080',
      'sec-fetch-site': 'same-origin',
      'sec-fetch-mode': 'cors',
      'sec-fetch-dest': 'empty',
      'sec-ch-ua-mobile': '?0',
    };
    const browsers: Record<string, Record<string, string>> = {
      chromium: chrome,
      'Sec-Fetch-Site only': { 'sec-fetch-site': 'same-origin' },
      'older browser, Origin only': { origin: 'http://localhost:8080' },
      'cross-site page': { ...chrome, origin: 'https://evil.test', 'sec-fetch-site': 'cross-site' },
    };
    for (const [name, headers] of Object.entries(browsers)) {
      const answer = await rawPost('/api/auth/sign-in', headers, signInBody());
      expect(answer.status, name).toBe(400);
      expect(answer.json.code, name).toBe('body_tokens_not_for_browsers');
    }
  });
});
