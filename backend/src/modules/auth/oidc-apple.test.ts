import { generateKeyPairSync, verify } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { OAuth2Server } from 'oauth2-mock-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupTestContext, uniqueId } from '../../../test/support/context.js';
import {
  OIDC_COOKIE,
  parseAnswer,
  randomIp,
  startMockProvider,
} from '../../../test/support/oidc.js';
import { APPLE_CLIENT_SECRET_TTL_SECONDS } from './oidc-providers.js';

// An Apple-like provider: the client secret must be an ES256 JWT from the team's key, the answer
// comes back as a cross-site form POST (response_mode=form_post) carrying the `user` JSON only on
// the first authorization, `email_verified` and `is_private_email` are strings.
const ctx = setupTestContext();
let app: FastifyInstance;
let apple: OAuth2Server;
const TEAM_ID = 'TEAM123456';
const KEY_ID = 'KEY7654321';
const SERVICES_ID = 'com.example.homeport.web';
const teamKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
/** Claims of the next ID token, and the client secrets the token endpoint received. */
let claims: Record<string, unknown> = {};
const secretsSeen: string[] = [];

beforeAll(async () => {
  apple = await startMockProvider();
  apple.service.on('beforeTokenSigning', (token) => Object.assign(token.payload, claims));
  apple.service.on('beforeResponse', (_response, req: IncomingMessage & { body?: unknown }) => {
    const body = req.body as Record<string, string> | undefined;
    if (body?.client_secret) secretsSeen.push(body.client_secret);
  });
  app = await ctx.buildApp({
    AUTH_AUTO_VERIFY: 'true',
    OIDC_APPLE_ISSUER: String(apple.issuer.url),
    OIDC_APPLE_CLIENT_ID: SERVICES_ID,
    OIDC_APPLE_TEAM_ID: TEAM_ID,
    OIDC_APPLE_KEY_ID: KEY_ID,
    OIDC_APPLE_PRIVATE_KEY: teamKey.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
  });
});

afterAll(async () => {
  await apple.stop();
});

/** Start, the provider's authorization, then its answer POSTed as Apple's auto-submitted form. */
async function formPostRoundTrip(user?: object) {
  const ip = randomIp();
  const start = await app.inject({
    method: 'GET',
    url: '/api/auth/oidc/apple/start',
    headers: { 'x-forwarded-for': ip },
  });
  expect(start.statusCode).toBe(302);
  const cookie = start.cookies.find((entry) => entry.name === OIDC_COOKIE);
  // A cross-site POST carries only a SameSite=None cookie.
  expect(cookie?.sameSite).toBe('None');
  const authorize = await fetch(String(start.headers.location), { redirect: 'manual' });
  const answer = new URL(String(authorize.headers.get('location')));
  const form = new URLSearchParams({
    code: answer.searchParams.get('code') ?? '',
    state: answer.searchParams.get('state') ?? '',
    ...(user ? { user: JSON.stringify(user) } : {}),
  });
  const callback = await app.inject({
    method: 'POST',
    url: answer.pathname,
    headers: {
      'x-forwarded-for': ip,
      'content-type': 'application/x-www-form-urlencoded',
      origin: 'https://appleid.apple.com',
    },
    cookies: { [OIDC_COOKIE]: cookie?.value ?? '' },
    payload: form.toString(),
  });
  return { start: new URL(String(start.headers.location)), ...parseAnswer(callback) };
}

function decode(part: string | undefined): Record<string, unknown> {
  return JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8'));
}

describe('Sign in with Apple', () => {
  it('asks for form_post, sends a fresh short-lived ES256 client secret, takes the name from the first `user` field only, and flags a private relay address', async () => {
    const email = `${uniqueId('relay')}@privaterelay.appleid.com`;
    const sub = uniqueId('apple');
    claims = { sub, email, email_verified: 'true', is_private_email: 'true' };
    const first = await formPostRoundTrip({ name: { firstName: 'Mina', lastName: 'Kim' }, email });
    expect(first.start.searchParams.get('response_mode')).toBe('form_post');
    expect(first.location.pathname).toBe('/');

    // The client secret: ES256 under the team's key, iss = team, sub = Services ID, aud = Apple.
    const secret = secretsSeen.at(-1) ?? '';
    const [header, payload, signature] = secret.split('.');
    expect(decode(header)).toMatchObject({ alg: 'ES256', kid: KEY_ID });
    const body = decode(payload) as {
      iss: string;
      sub: string;
      aud: string;
      iat: number;
      exp: number;
    };
    expect(body).toMatchObject({ iss: TEAM_ID, sub: SERVICES_ID, aud: String(apple.issuer.url) });
    expect(body.exp - body.iat).toBe(APPLE_CLIENT_SECRET_TTL_SECONDS);
    expect(Math.abs(body.iat - Date.now() / 1000)).toBeLessThan(60);
    const valid = verify(
      'sha256',
      Buffer.from(`${header}.${payload}`),
      { key: teamKey.publicKey, dsaEncoding: 'ieee-p1363' },
      Buffer.from(signature ?? '', 'base64url'),
    );
    expect(valid).toBe(true);

    const user = await ctx.deps.db.user.findUniqueOrThrow({
      where: { email },
      include: { profile: true },
    });
    expect(user.profile?.displayName).toBe('Mina Kim');
    const identity = await ctx.deps.db.identity.findFirstOrThrow({ where: { userId: user.id } });
    expect(identity).toMatchObject({ provider: 'apple', emailVerified: true, privateRelay: true });

    // The second authorization has no `user` field: the name stays; a new secret was minted.
    const second = await formPostRoundTrip();
    expect(second.location.pathname).toBe('/');
    expect(secretsSeen.at(-1)).not.toBe(secret);
    const again = await ctx.deps.db.profile.findUniqueOrThrow({ where: { userId: user.id } });
    expect(again.displayName).toBe('Mina Kim');
    expect(await ctx.deps.db.user.count({ where: { email } })).toBe(1);
  });

  it('refuses email_verified "false" as a string, and creates nothing', async () => {
    const email = `${uniqueId('unverified')}@example.test`;
    claims = { sub: uniqueId('apple'), email, email_verified: 'false' };
    const users = await ctx.deps.db.user.count();
    const answer = await formPostRoundTrip();
    expect(answer.location.pathname).toBe('/sign-in');
    expect(answer.fragment.get('error')).toBe('email_not_verified');
    expect(await ctx.deps.db.user.count()).toBe(users);
  });
});
