import type { FastifyInstance } from 'fastify';
import type { OAuth2Server } from 'oauth2-mock-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSignedInUser, readCode, testPassword } from '../../../test/support/auth.js';
import { setupTestContext, uniqueId } from '../../../test/support/context.js';
import {
  forgedIdToken,
  OIDC_COOKIE,
  parseAnswer,
  randomIp,
  signInRoundTrip,
  startMockProvider,
} from '../../../test/support/oidc.js';
import { TOTP_PERIOD_SECONDS, totpCode } from './totp.js';

const ctx = setupTestContext();
let app: FastifyInstance;
let mock: OAuth2Server;
/** Claims the mock provider puts in its next tokens (the test's user at the provider). */
let claims: Record<string, unknown> = {};

beforeAll(async () => {
  mock = await startMockProvider();
  mock.service.on('beforeTokenSigning', (token) => Object.assign(token.payload, claims));
  app = await ctx.buildApp({
    AUTH_AUTO_VERIFY: 'true',
    OIDC_MOCK_ISSUER: String(mock.issuer.url),
    OIDC_MOCK_CLIENT_ID: 'homeport-web',
    OIDC_MOCK_DISPLAY_NAME: 'Mock ID',
  });
});

afterAll(async () => {
  await mock.stop();
});

beforeEach(() => {
  claims = {};
});

function person(overrides: Record<string, unknown> = {}) {
  const email = `${uniqueId('fed')}@example.test`;
  claims = { sub: uniqueId('sub'), email, email_verified: true, ...overrides };
  return { email, sub: String(claims.sub) };
}

async function counts() {
  const { db } = ctx.deps;
  return {
    users: await db.user.count(),
    identities: await db.identity.count(),
    sessions: await db.session.count(),
    links: await db.identityLinkRequest.count(),
  };
}

function bearer(accessToken: string) {
  return { authorization: `Bearer ${accessToken}`, 'x-forwarded-for': randomIp() };
}

describe('the provider list and the start of a round trip', () => {
  it('lists only configured providers, and start sets a SameSite=None __Host- cookie', async () => {
    const list = await app.inject({ method: 'GET', url: '/api/auth/providers' });
    expect(list.statusCode).toBe(200);
    expect(list.json().providers).toEqual([{ id: 'mock', displayName: 'Mock ID' }]);

    const start = await app.inject({ method: 'GET', url: '/api/auth/oidc/mock/start' });
    expect(start.statusCode).toBe(302);
    const target = new URL(String(start.headers.location));
    expect(target.origin).toBe(new URL(String(mock.issuer.url)).origin);
    expect(target.searchParams.get('redirect_uri')).toBe(
      'http://localhost:8080/api/auth/oidc/mock/callback',
    );
    expect(target.searchParams.get('code_challenge_method')).toBe('S256');
    expect(target.searchParams.get('nonce')).toBeTruthy();
    expect(target.searchParams.get('state')).toBeTruthy();
    const cookie = start.cookies.find((entry) => entry.name === OIDC_COOKIE);
    expect(cookie).toMatchObject({ path: '/', sameSite: 'None', secure: true, httpOnly: true });
    expect(cookie?.maxAge).toBe(600);
  });

  it('answers 404 for a provider that is not configured', async () => {
    const start = await app.inject({ method: 'GET', url: '/api/auth/oidc/google/start' });
    expect(start.statusCode).toBe(404);
    expect(start.headers['content-type']).toContain('application/problem+json');
  });

  it('answers 503 provider_unavailable when discovery fails, without breaking the others', async () => {
    const broken = await ctx.buildApp({
      OIDC_DOWN_ISSUER: 'http://127.0.0.1:9/',
      OIDC_DOWN_CLIENT_ID: 'x',
    });
    const start = await broken.inject({ method: 'GET', url: '/api/auth/oidc/down/start' });
    expect(start.statusCode).toBe(503);
    expect(start.json().code).toBe('provider_unavailable');
  });
});

describe('signing in with a provider', () => {
  it('two callbacks for one new person at once (two tabs) make one user and two sessions', async () => {
    const { email } = person();
    const ip = randomIp();
    const prepared = await Promise.all(
      [0, 1].map(async () => {
        const start = await app.inject({
          method: 'GET',
          url: '/api/auth/oidc/mock/start',
          headers: { 'x-forwarded-for': ip },
        });
        const cookie = start.cookies.find((entry) => entry.name === OIDC_COOKIE)?.value ?? '';
        const authorize = await fetch(String(start.headers.location), { redirect: 'manual' });
        return { cookie, answer: new URL(String(authorize.headers.get('location'))) };
      }),
    );
    const callbacks = await Promise.all(
      prepared.map(({ cookie, answer }) =>
        app.inject({
          method: 'GET',
          url: answer.pathname + answer.search,
          headers: { 'x-forwarded-for': ip },
          cookies: { [OIDC_COOKIE]: cookie },
        }),
      ),
    );
    for (const callback of callbacks) expect(parseAnswer(callback).location.pathname).toBe('/');
    const users = await ctx.deps.db.user.findMany({ where: { email } });
    expect(users).toHaveLength(1);
    const userId = users[0]?.id ?? '';
    expect(await ctx.deps.db.identity.count({ where: { userId } })).toBe(1);
    expect(await ctx.deps.db.session.count({ where: { userId } })).toBe(2);
  });

  it('creates a passwordless user and signs it in; the same identity signs in again', async () => {
    const { email, sub } = person();
    const before = await counts();
    const first = await signInRoundTrip(app, 'mock');
    expect(first.location.pathname).toBe('/');
    const refresh = first.callback.cookies.find((entry) => entry.name === 'hp_refresh');
    expect(refresh?.sameSite).toBe('Strict');
    expect(first.callback.cookies.some((entry) => entry.name === '__Host-hp_device')).toBe(true);
    const cleared = first.callback.cookies.find((entry) => entry.name === OIDC_COOKIE);
    expect(cleared?.value).toBe('');

    const user = await ctx.deps.db.user.findUniqueOrThrow({ where: { email } });
    expect(user.passwordHash).toBeNull();
    expect(user.status).toBe('active');
    const identity = await ctx.deps.db.identity.findFirstOrThrow({ where: { userId: user.id } });
    expect(identity).toMatchObject({ subject: sub, provider: 'mock', emailVerified: true });
    const session = await ctx.deps.db.session.findFirstOrThrow({ where: { userId: user.id } });
    expect(session.authMethods).toEqual(['fed']);
    expect(session.authLevel).toBe('aal1');

    claims = { sub, email, email_verified: true };
    const second = await signInRoundTrip(app, 'mock');
    expect(second.location.pathname).toBe('/');
    const after = await counts();
    expect(after.users - before.users).toBe(1);
    expect(after.identities - before.identities).toBe(1);
    expect(after.sessions - before.sessions).toBe(2);

    // No password: a password sign-in is the ordinary invalid_credentials.
    const signIn = await app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      headers: { 'x-forwarded-for': randomIp() },
      payload: { email, password: 'anything-at-all-1' },
    });
    expect(signIn.statusCode).toBe(401);
    expect(signIn.json().code).toBe('invalid_credentials');
  });

  it('accepts email_verified as the string "true" and refuses the string "false"', async () => {
    const { email } = person({ email_verified: 'true' });
    const yes = await signInRoundTrip(app, 'mock');
    expect(yes.location.pathname).toBe('/');
    expect(await ctx.deps.db.user.count({ where: { email } })).toBe(1);

    const other = person({ email_verified: 'false' });
    const before = await counts();
    const no = await signInRoundTrip(app, 'mock');
    expect(no.location.pathname).toBe('/sign-in');
    expect(no.fragment.get('error')).toBe('email_not_verified');
    expect(await counts()).toEqual(before);
    expect(await ctx.deps.db.user.count({ where: { email: other.email } })).toBe(0);
  });

  it('opens the second step, not a session, for an account with MFA on', async () => {
    const local = await createSignedInUser(app, ctx);
    const enrol = await app.inject({
      method: 'POST',
      url: '/api/auth/mfa/totp',
      headers: local.headers,
      payload: { password: local.password },
    });
    expect(enrol.statusCode, enrol.body).toBe(200);
    const { secret } = enrol.json() as { secret: string };
    const activate = await app.inject({
      method: 'POST',
      url: '/api/auth/mfa/totp/activate',
      headers: local.headers,
      payload: { code: totpCode(secret, Date.now() - TOTP_PERIOD_SECONDS * 1000) },
    });
    expect(activate.statusCode, activate.body).toBe(200);
    const sub = uniqueId('sub');
    await ctx.deps.db.identity.create({
      data: { userId: local.id, provider: 'mock', issuer: String(mock.issuer.url), subject: sub },
    });
    claims = { sub, email: local.email, email_verified: true };
    const sessionsBefore = await ctx.deps.db.session.count({ where: { userId: local.id } });
    const trip = await signInRoundTrip(app, 'mock');
    expect(trip.location.pathname).toBe('/sign-in/second-step');
    expect(trip.location.search).toBe('');
    const challenge = trip.fragment.get('challenge');
    expect(challenge).toBeTruthy();
    expect(trip.callback.cookies.some((entry) => entry.name === 'hp_refresh')).toBe(false);
    expect(await ctx.deps.db.session.count({ where: { userId: local.id } })).toBe(sessionsBefore);

    const second = await app.inject({
      method: 'POST',
      url: '/api/auth/sign-in/mfa',
      headers: { 'x-forwarded-for': randomIp() },
      payload: { challenge, method: 'totp', code: totpCode(secret), refreshTokenIn: 'body' },
    });
    expect(second.statusCode, second.body).toBe(200);
    const payload = JSON.parse(
      Buffer.from(String(second.json().accessToken).split('.')[1] ?? '', 'base64url').toString(),
    );
    expect(payload.amr).toEqual(expect.arrayContaining(['fed', 'otp', 'mfa']));
    expect(payload.acr).toBe('aal2');
  });
});

describe('a provider email that matches a local account', () => {
  it('needs proof of a verified account: nothing is linked until its password is given', async () => {
    const local = await createSignedInUser(app, ctx);
    const { sub } = person({ email: local.email });
    const before = await counts();
    const trip = await signInRoundTrip(app, 'mock');
    expect(trip.location.pathname).toBe('/sign-in/link');
    expect(trip.fragment.get('email')).toBe(local.email);
    const token = String(trip.fragment.get('token'));
    const after = await counts();
    expect(after.identities).toBe(before.identities);
    expect(after.sessions).toBe(before.sessions);
    expect(trip.callback.cookies.some((entry) => entry.name === 'hp_refresh')).toBe(false);

    const wrong = await app.inject({
      method: 'POST',
      url: '/api/auth/oidc/link',
      headers: { 'x-forwarded-for': randomIp() },
      payload: { token, method: 'password', password: 'not-the-password-1' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(await ctx.deps.db.identity.count()).toBe(before.identities);

    const right = await app.inject({
      method: 'POST',
      url: '/api/auth/oidc/link',
      headers: { 'x-forwarded-for': randomIp() },
      payload: { token, method: 'password', password: local.password },
    });
    expect(right.statusCode, right.body).toBe(200);
    expect(right.json().accessToken).toBeTruthy();
    const identity = await ctx.deps.db.identity.findFirstOrThrow({ where: { subject: sub } });
    expect(identity.userId).toBe(local.id);

    const again = await app.inject({
      method: 'POST',
      url: '/api/auth/oidc/link',
      headers: { 'x-forwarded-for': randomIp() },
      payload: { token, method: 'password', password: local.password },
    });
    expect(again.statusCode).toBe(400);
    expect(again.json().code).toBe('invalid_link_request');
  });

  it('links a verified account with the code emailed to it', async () => {
    const local = await createSignedInUser(app, ctx);
    const { sub } = person({ email: local.email });
    const trip = await signInRoundTrip(app, 'mock');
    const token = String(trip.fragment.get('token'));
    const send = await app.inject({
      method: 'POST',
      url: '/api/auth/oidc/link/code',
      headers: { 'x-forwarded-for': randomIp() },
      payload: { token },
    });
    expect(send.statusCode, send.body).toBe(204);
    const code = await readCode(ctx, local.email, { subject: 'link' });
    const bad = await app.inject({
      method: 'POST',
      url: '/api/auth/oidc/link',
      headers: { 'x-forwarded-for': randomIp() },
      payload: { token, method: 'code', code: code === '000000' ? '111111' : '000000' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('invalid_code');
    expect(await ctx.deps.db.identity.count({ where: { subject: sub } })).toBe(0);
    const good = await app.inject({
      method: 'POST',
      url: '/api/auth/oidc/link',
      headers: { 'x-forwarded-for': randomIp() },
      payload: { token, method: 'code', code },
    });
    expect(good.statusCode, good.body).toBe(200);
    expect(await ctx.deps.db.identity.count({ where: { subject: sub, userId: local.id } })).toBe(1);
  });

  it('wipes an unverified account (password, sessions) before linking it', async () => {
    const email = `${uniqueId('pending')}@example.test`;
    const manual = await ctx.buildApp({
      AUTH_AUTO_VERIFY: 'false',
      OIDC_MOCK_ISSUER: String(mock.issuer.url),
      OIDC_MOCK_CLIENT_ID: 'homeport-web',
    });
    const signUp = await manual.inject({
      method: 'POST',
      url: '/api/auth/sign-up',
      headers: { 'x-forwarded-for': randomIp() },
      payload: { email, password: testPassword() },
    });
    expect(signUp.statusCode).toBe(202);
    const pending = await ctx.deps.db.user.findUniqueOrThrow({ where: { email } });
    expect(pending.status).toBe('pending');
    expect(pending.passwordHash).not.toBeNull();

    const { sub } = person({ email });
    const trip = await signInRoundTrip(manual, 'mock');
    expect(trip.location.pathname).toBe('/');
    const claimed = await ctx.deps.db.user.findUniqueOrThrow({ where: { email } });
    expect(claimed.id).toBe(pending.id);
    expect(claimed.passwordHash).toBeNull();
    expect(claimed.status).toBe('active');
    expect(await ctx.deps.db.identity.count({ where: { subject: sub, userId: pending.id } })).toBe(
      1,
    );
  });
});

describe('refused answers: nothing is created', () => {
  async function refused(expected: string, prepare: () => void) {
    person();
    prepare();
    const before = await counts();
    const trip = await signInRoundTrip(app, 'mock');
    expect(trip.location.pathname).toBe('/sign-in');
    expect(trip.fragment.get('error')).toBe(expected);
    expect(await counts()).toEqual(before);
  }

  it('a wrong issuer', async () => {
    await refused('id_token_rejected', () => {
      claims.iss = 'https://evil.example';
    });
  });

  it('a wrong audience', async () => {
    await refused('id_token_rejected', () => {
      claims.aud = 'someone-else';
    });
  });

  it('a wrong nonce', async () => {
    await refused('id_token_rejected', () => {
      claims.nonce = 'replayed-nonce';
    });
  });

  it('an expired ID token', async () => {
    await refused('id_token_rejected', () => {
      claims.exp = Math.floor(Date.now() / 1000) - 3600;
      claims.iat = Math.floor(Date.now() / 1000) - 7200;
    });
  });

  it('an unexpected azp', async () => {
    await refused('id_token_rejected', () => {
      claims.aud = ['homeport-web', 'other-client'];
      claims.azp = 'other-client';
    });
  });

  for (const alg of ['none', 'HS256'] as const) {
    it(`an ID token with alg ${alg}`, async () => {
      person();
      const payload = { ...claims };
      mock.service.once('beforeResponse', (response) => {
        const body = response.body as Record<string, unknown>;
        const original = JSON.parse(
          Buffer.from(String(body.id_token).split('.')[1] ?? '', 'base64url').toString(),
        );
        body.id_token = forgedIdToken(alg, { ...original, ...payload });
      });
      const before = await counts();
      const trip = await signInRoundTrip(app, 'mock');
      expect(trip.fragment.get('error')).toBe('id_token_rejected');
      expect(await counts()).toEqual(before);
    });
  }

  it('email_verified false', async () => {
    await refused('email_not_verified', () => {
      claims.email_verified = false;
    });
  });

  it('a reused state (the same cookie and answer twice)', async () => {
    person();
    const first = await signInRoundTrip(app, 'mock');
    expect(first.location.pathname).toBe('/');
    const before = await counts();
    const replay = await app.inject({
      method: 'GET',
      url: first.providerAnswer.pathname + first.providerAnswer.search,
      headers: { 'x-forwarded-for': randomIp() },
      cookies: { [OIDC_COOKIE]: first.cookie },
    });
    const answer = parseAnswer(replay);
    expect(answer.fragment.get('error')).toBe('invalid_state');
    expect(await counts()).toEqual(before);
  });

  it('a callback without the round-trip cookie, or with another round trip state', async () => {
    person();
    const start = await app.inject({ method: 'GET', url: '/api/auth/oidc/mock/start' });
    const authorize = await fetch(String(start.headers.location), { redirect: 'manual' });
    const answer = new URL(String(authorize.headers.get('location')));
    const before = await counts();
    const noCookie = parseAnswer(
      await app.inject({ method: 'GET', url: answer.pathname + answer.search }),
    );
    expect(noCookie.fragment.get('error')).toBe('invalid_state');
    const other = await app.inject({ method: 'GET', url: '/api/auth/oidc/mock/start' });
    const otherCookie = other.cookies.find((entry) => entry.name === OIDC_COOKIE)?.value ?? '';
    const crossed = parseAnswer(
      await app.inject({
        method: 'GET',
        url: answer.pathname + answer.search,
        cookies: { [OIDC_COOKIE]: otherCookie },
      }),
    );
    expect(crossed.fragment.get('error')).toBe('invalid_state');
    expect(await counts()).toEqual(before);
  });
});

describe('linked identities on the account', () => {
  it('links another provider sign-in, lists it and unlinks it', async () => {
    const local = await createSignedInUser(app, ctx);
    const link = await app.inject({
      method: 'POST',
      url: '/api/auth/identities/mock/link',
      headers: bearer(local.accessToken),
    });
    expect(link.statusCode, link.body).toBe(200);
    const url = new URL(link.json().url);
    const { sub } = person({ email: `${uniqueId('other')}@example.test` });
    const trip = await signInRoundTrip(app, 'mock', { query: url.search });
    expect(trip.location.pathname).toBe('/account');
    expect(trip.fragment.get('linked')).toBe('mock');

    const list = await app.inject({
      method: 'GET',
      url: '/api/auth/identities',
      headers: bearer(local.accessToken),
    });
    expect(list.statusCode).toBe(200);
    const [identity] = list.json().identities;
    expect(identity).toMatchObject({ provider: 'mock', displayName: 'Mock ID' });
    expect((await ctx.deps.db.identity.findFirstOrThrow({ where: { subject: sub } })).userId).toBe(
      local.id,
    );

    // The ticket is single use.
    const reuse = await app.inject({ method: 'GET', url: url.pathname + url.search });
    expect(reuse.statusCode).toBe(400);
    expect(reuse.json().code).toBe('invalid_link_ticket');

    const unlink = await app.inject({
      method: 'DELETE',
      url: `/api/auth/identities/${identity.id}`,
      headers: bearer(local.accessToken),
    });
    expect(unlink.statusCode).toBe(204);
    expect(await ctx.deps.db.identity.count({ where: { userId: local.id } })).toBe(0);
  });

  it('refuses to link a subject already linked to another user', async () => {
    const owner = await createSignedInUser(app, ctx);
    const sub = uniqueId('sub');
    await ctx.deps.db.identity.create({
      data: { userId: owner.id, provider: 'mock', issuer: String(mock.issuer.url), subject: sub },
    });
    const other = await createSignedInUser(app, ctx);
    const link = await app.inject({
      method: 'POST',
      url: '/api/auth/identities/mock/link',
      headers: bearer(other.accessToken),
    });
    claims = { sub, email: other.email, email_verified: true };
    const before = await counts();
    const trip = await signInRoundTrip(app, 'mock', { query: new URL(link.json().url).search });
    expect(trip.location.pathname).toBe('/account');
    expect(trip.fragment.get('link_error')).toBe('identity_already_linked');
    expect(await counts()).toEqual(before);
  });

  it('refuses to unlink the last way to sign in (409 last_sign_in_method)', async () => {
    person();
    const trip = await signInRoundTrip(app, 'mock');
    const refresh = trip.callback.cookies.find((entry) => entry.name === 'hp_refresh');
    const refreshed = await app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      headers: { origin: 'http://localhost:8080', 'x-forwarded-for': randomIp() },
      cookies: { hp_refresh: refresh?.value ?? '' },
      payload: {},
    });
    expect(refreshed.statusCode, refreshed.body).toBe(200);
    const headers = bearer(refreshed.json().accessToken);
    const [identity] = (
      await app.inject({ method: 'GET', url: '/api/auth/identities', headers })
    ).json().identities;
    const unlink = await app.inject({
      method: 'DELETE',
      url: `/api/auth/identities/${identity.id}`,
      headers,
    });
    expect(unlink.statusCode).toBe(409);
    expect(unlink.json().code).toBe('last_sign_in_method');
    expect(await ctx.deps.db.identity.count({ where: { id: identity.id } })).toBe(1);
  });

  it('needs a signed-in user for the identity routes', async () => {
    const list = await app.inject({ method: 'GET', url: '/api/auth/identities' });
    expect(list.statusCode).toBe(401);
  });
});
