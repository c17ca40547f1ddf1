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
