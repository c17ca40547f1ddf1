import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignedInUser } from '../../../test/support/auth.js';
import { setupTestContext, uniqueId } from '../../../test/support/context.js';
import {
  authorizeAtStrictProvider,
  OIDC_COOKIE,
  parseAnswer,
  randomIp,
  startStrictProvider,
  strictAccounts,
} from '../../../test/support/oidc.js';

const ctx = setupTestContext();
let app: FastifyInstance;
let strict: Awaited<ReturnType<typeof startStrictProvider>>;

beforeAll(async () => {
  strict = await startStrictProvider('http://localhost:8080/api/auth/oidc/strict/callback');
  app = await ctx.buildApp({
    AUTH_AUTO_VERIFY: 'true',
    OIDC_STRICT_ISSUER: strict.issuer,
    OIDC_STRICT_CLIENT_ID: 'homeport-strict',
    OIDC_STRICT_CLIENT_SECRET: 'strict-secret-value',
  });
});

afterAll(async () => {
  await strict?.close();
});

/** start → the provider (its interaction, then its auto-submitting form) → POST callback. */
async function roundTrip(sub: string) {
  const ip = randomIp();
  const start = await app.inject({
    method: 'GET',
    url: '/api/auth/oidc/strict/start',
    headers: { 'x-forwarded-for': ip },
  });
  expect(start.statusCode, start.body).toBe(302);
  const target = new URL(String(start.headers.location));
  expect(target.searchParams.get('response_mode')).toBe('form_post');
  expect(target.searchParams.get('code_challenge_method')).toBe('S256');
  target.searchParams.set('login_hint', sub);
  const cookie = start.cookies.find((entry) => entry.name === OIDC_COOKIE)?.value ?? '';
  const fields = await authorizeAtStrictProvider(target.href);
  expect(fields.iss).toBe(strict.issuer);
  const callback = await app.inject({
    method: 'POST',
    url: '/api/auth/oidc/strict/callback',
    headers: { 'x-forwarded-for': ip, 'content-type': 'application/x-www-form-urlencoded' },
    cookies: { [OIDC_COOKIE]: cookie },
    payload: new URLSearchParams(fields).toString(),
  });
  return parseAnswer(callback);
}

describe('a strict provider (oidc-provider: PKCE required, form_post, iss in the response)', () => {
  it('signs a new person up and in through a form_post answer', async () => {
    const sub = uniqueId('strict');
    const email = `${sub}@example.test`;
    strictAccounts.set(sub, { email, email_verified: true, name: 'Strict Person' });
    const answer = await roundTrip(sub);
    expect(answer.location.pathname).toBe('/');
    const user = await ctx.deps.db.user.findUniqueOrThrow({ where: { email } });
    expect(user.passwordHash).toBeNull();
    const identity = await ctx.deps.db.identity.findFirstOrThrow({ where: { userId: user.id } });
    expect(identity).toMatchObject({ issuer: strict.issuer, subject: sub });
    const again = await roundTrip(sub);
    expect(again.location.pathname).toBe('/');
    expect(await ctx.deps.db.identity.count({ where: { subject: sub } })).toBe(1);
  });

  it('asks for proof before linking a verified account with the same email', async () => {
    const local = await createSignedInUser(app, ctx);
    const sub = uniqueId('strict');
    strictAccounts.set(sub, { email: local.email, email_verified: 'true' });
    const answer = await roundTrip(sub);
    expect(answer.location.pathname).toBe('/sign-in/link');
    expect(await ctx.deps.db.identity.count({ where: { subject: sub } })).toBe(0);
    const proof = await app.inject({
      method: 'POST',
      url: '/api/auth/oidc/link',
      headers: { 'x-forwarded-for': randomIp() },
      payload: {
        token: answer.fragment.get('token'),
        method: 'password',
        password: local.password,
      },
    });
    expect(proof.statusCode, proof.body).toBe(200);
    expect(await ctx.deps.db.identity.count({ where: { subject: sub, userId: local.id } })).toBe(1);
  });

  it('refuses a provider email marked "false"', async () => {
    const sub = uniqueId('strict');
    strictAccounts.set(sub, { email: `${sub}@example.test`, email_verified: 'false' });
    const before = await ctx.deps.db.user.count();
    const answer = await roundTrip(sub);
    expect(answer.fragment.get('error')).toBe('email_not_verified');
    expect(await ctx.deps.db.user.count()).toBe(before);
  });
});
