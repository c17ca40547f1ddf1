import { createHmac } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { OAuth2Server } from 'oauth2-mock-server';
import { expect } from 'vitest';

export const OIDC_COOKIE = '__Host-hp_oidc';

export const randomIp = () =>
  `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

/** oauth2-mock-server on a free loopback port, with one RS256 key (hooks shape each answer). */
export async function startMockProvider(): Promise<OAuth2Server> {
  const server = new OAuth2Server();
  await server.issuer.keys.generate('RS256');
  await server.start(0, '127.0.0.1');
  return server;
}

export interface RoundTrip {
  /** The app's answer to the provider's redirect (a 303 into the SPA). */
  callback: Awaited<ReturnType<FastifyInstance['inject']>>;
  /** Where that answer sends the browser, and its fragment's values. */
  location: URL;
  fragment: URLSearchParams;
  cookie: string;
  providerAnswer: URL;
}

/**
 * The browser's steps: `start` (302 to the provider, the round-trip cookie), the provider's
 * authorization endpoint (answering with a redirect carrying the code), then the callback with
 * that cookie. The provider side is real HTTP (fetch, redirect: 'manual').
 */
export async function signInRoundTrip(
  app: FastifyInstance,
  provider: string,
  options: { ip?: string; query?: string; cookies?: Record<string, string> } = {},
): Promise<RoundTrip> {
  const ip = options.ip ?? randomIp();
  const start = await app.inject({
    method: 'GET',
    url: `/api/auth/oidc/${provider}/start${options.query ?? ''}`,
    headers: { 'x-forwarded-for': ip },
  });
  expect(start.statusCode, start.body).toBe(302);
  const cookie = start.cookies.find((entry) => entry.name === OIDC_COOKIE);
  expect(cookie?.sameSite).toBe('None');
  expect(cookie?.secure).toBe(true);
  expect(cookie?.httpOnly).toBe(true);
  const authorize = await fetch(String(start.headers.location), { redirect: 'manual' });
  expect(authorize.status).toBe(302);
  const providerAnswer = new URL(String(authorize.headers.get('location')));
  const callback = await app.inject({
    method: 'GET',
    url: providerAnswer.pathname + providerAnswer.search,
    headers: { 'x-forwarded-for': ip },
    cookies: { [OIDC_COOKIE]: cookie?.value ?? '', ...options.cookies },
  });
  return { ...parseAnswer(callback), cookie: cookie?.value ?? '', providerAnswer };
}

export function parseAnswer(callback: Awaited<ReturnType<FastifyInstance['inject']>>) {
  expect(callback.statusCode, callback.body).toBe(303);
  const location = new URL(String(callback.headers.location));
  return { callback, location, fragment: new URLSearchParams(location.hash.slice(1)) };
}

/** An unsigned (`alg: none`) or HS256 ID token with the given claims. */
export function forgedIdToken(
  alg: 'none' | 'HS256',
  claims: Record<string, unknown>,
  secret = 'homeport-web',
): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const body = `${encode({ alg, typ: 'JWT' })}.${encode(claims)}`;
  if (alg === 'none') return `${body}.`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

/** The people the strict provider knows, by subject; tests add theirs before signing in. */
export const strictAccounts = new Map<string, Record<string, unknown>>();

/**
 * `oidc-provider` in-process, as strict as a provider gets: PKCE required, form_post answers,
 * `iss` in the authorization response (RFC 9207). Its interaction step signs in the subject
 * named by the `login_hint` parameter (the test's person) and grants the scopes at once.
 */
export async function startStrictProvider(redirectUri: string) {
  const { default: Provider } = await import('oidc-provider');
  const http = await import('node:http');
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  const issuer = `http://127.0.0.1:${address.port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'homeport-strict',
        client_secret: 'strict-secret-value',
        redirect_uris: [redirectUri],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    pkce: { required: () => true },
    // The scopes' claims in the ID token itself, as Google and Apple send them.
    conformIdTokenClaims: false,
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    features: { devInteractions: { enabled: false } },
    responseModes: ['form_post', 'query'] as never,
    async findAccount(_ctx: unknown, sub: string) {
      const claims = strictAccounts.get(sub);
      if (!claims) return undefined;
      return { accountId: sub, claims: async () => ({ sub, ...claims }) };
    },
    interactions: {
      url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}`,
    },
  } as never);
  const callback = provider.callback();
  server.on('request', async (req, res) => {
    if (!req.url?.startsWith('/interaction/')) return callback(req, res);
    const details = await provider.interactionDetails(req, res);
    const accountId = String(details.params.login_hint);
    const grant = new provider.Grant({ accountId, clientId: String(details.params.client_id) });
    grant.addOIDCScope(String(details.params.scope));
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, {
      login: { accountId },
      consent: { grantId },
    });
  });
  return {
    issuer,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Follows the provider's redirects with its own cookies, up to its form_post page's fields. */
export async function authorizeAtStrictProvider(url: string): Promise<Record<string, string>> {
  const jar = new Map<string, string>();
  let next = url;
  for (let hop = 0; hop < 10; hop++) {
    const response = await fetch(next, {
      redirect: 'manual',
      headers: { cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; ') },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, ...value] = (pair ?? '').split('=');
      if (name) jar.set(name.trim(), value.join('='));
    }
    if (response.status >= 300 && response.status < 400) {
      next = new URL(String(response.headers.get('location')), next).href;
      continue;
    }
    const html = await response.text();
    expect(html).toContain('<form');
    const fields: Record<string, string> = {};
    for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
      if (match[1]) fields[match[1]] = decodeEntities(match[2] ?? '');
    }
    return fields;
  }
  throw new Error('too many redirects at the provider');
}

function decodeEntities(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
