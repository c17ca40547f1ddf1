import { createHmac, createSign, generateKeyPairSync } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSignedInUser } from '../../../test/support/auth.js';
import { setupTestContext, testSigningKeys } from '../../../test/support/context.js';

const ctx = setupTestContext();
let app: FastifyInstance;
const ORIGIN = 'http://localhost:8080';

beforeAll(async () => {
  // A one-second refresh grace window, so reuse after the window is quick to test.
  app = await ctx.buildApp({ AUTH_AUTO_VERIFY: 'true', AUTH_REFRESH_GRACE_SECONDS: '1' });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function claimsOf(token: string) {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());
}

function headerOf(token: string) {
  return JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString());
}

/** Signs ES256 with any P-256 key, producing the JOSE (r||s) signature. */
function signEs256(header: object, claims: object, privateKey: string): string {
  const input = `${b64(header)}.${b64(claims)}`;
  const signature = createSign('SHA256')
    .update(input)
    .sign({ key: privateKey, dsaEncoding: 'ieee-p1363' })
    .toString('base64url');
  return `${input}.${signature}`;
}

function me(token: string) {
  return app.inject({
    method: 'GET',
    url: '/api/auth/sessions',
    headers: { authorization: `Bearer ${token}` },
  });
}

describe('access tokens', () => {
  it('are RFC 9068 ES256 JWTs with kid, typ, the standard claims and at most 15 minutes of life', async () => {
    const before = Math.floor(Date.now() / 1000);
    const user = await createSignedInUser(app, ctx);
    const header = headerOf(user.accessToken);
    const claims = claimsOf(user.accessToken);
    expect(header).toEqual({ alg: 'ES256', typ: 'at+jwt', kid: app.accessTokens.kid });
    expect(claims).toMatchObject({
      sub: user.id,
      sid: user.sessionId,
      roles: ['member'],
      iss: 'http://localhost:8080',
      aud: 'homeport',
      client_id: 'homeport-web',
      amr: ['pwd'],
      acr: 'aal1',
    });
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(claims.auth_time).toBeGreaterThanOrEqual(before - 1);
    expect(claims.auth_time).toBeLessThanOrEqual(claims.iat);
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(900);
    expect((await me(user.accessToken)).statusCode).toBe(200);

    const jwks = await app.inject({ method: 'GET', url: '/api/auth/jwks.json' });
    expect(jwks.statusCode).toBe(200);
    expect(jwks.json().keys).toEqual([
      expect.objectContaining({ kty: 'EC', crv: 'P-256', alg: 'ES256', kid: header.kid }),
    ]);
  });

  it('refuses tampered and foreign tokens', async () => {
    const user = await createSignedInUser(app, ctx);
    const claims = claimsOf(user.accessToken);
    const header = headerOf(user.accessToken);
    const now = Math.floor(Date.now() / 1000);
    const other = generateKeyPairSync('ec', {
      namedCurve: 'P-256',
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const [, , signature] = user.accessToken.split('.');
    const hsInput = `${b64({ alg: 'HS256', typ: 'JWT', kid: header.kid })}.${b64(claims)}`;
    const hsSignature = createHmac('sha256', testSigningKeys().publicKey)
      .update(hsInput)
      .digest('base64url');
    const cases: Record<string, string> = {
      'alg none': `${b64({ alg: 'none', typ: 'JWT', kid: header.kid })}.${b64(claims)}.`,
      'HS256 with the public key as secret': `${hsInput}.${hsSignature}`,
      'signed by another key': signEs256(header, claims, other.privateKey),
      'signed by another key, its own kid': signEs256(
        { ...header, kid: 'attacker' },
        claims,
        other.privateKey,
      ),
      expired: signEs256(
        header,
        { ...claims, iat: now - 2000, exp: now - 1000 },
        testSigningKeys().privateKey,
      ),
      'wrong kid': signEs256({ ...header, kid: 'not-ours' }, claims, testSigningKeys().privateKey),
      'roles raised in the payload': `${user.accessToken.split('.')[0]}.${b64({ ...claims, roles: ['admin'] })}.${signature}`,
      'another issuer': signEs256(
        header,
        { ...claims, iss: 'https://evil.test' },
        testSigningKeys().privateKey,
      ),
      'typ missing (minted before RFC 9068 claims)': signEs256(
        { alg: 'ES256', kid: header.kid },
        claims,
        testSigningKeys().privateKey,
      ),
      'typ JWT (an ID token)': signEs256(
        { ...header, typ: 'JWT' },
        claims,
        testSigningKeys().privateKey,
      ),
      'another audience': signEs256(
        header,
        { ...claims, aud: 'reports' },
        testSigningKeys().privateKey,
      ),
      garbage: 'abc.def.ghi',
    };
    for (const [name, token] of Object.entries(cases)) {
      const response = await me(token);
      expect(response.statusCode, name).toBe(401);
      expect(response.headers['content-type'], name).toContain('application/problem+json');
      expect(response.json().code, name).toBe(
        name === 'expired' ? 'token_expired' : 'invalid_token',
      );
    }
    const noBearer = await app.inject({
      method: 'GET',
      url: '/api/auth/sessions',
      headers: { authorization: `Basic ${user.accessToken}` },
    });
    expect(noBearer.json().code).toBe('invalid_token');
    expect((await app.inject({ method: 'GET', url: '/api/auth/sessions' })).json().code).toBe(
      'missing_token',
    );
  });
});

describe('refresh tokens', () => {
  it('rotate, and a reused token signs the whole session family out', async () => {
    const user = await createSignedInUser(app, ctx);
    const refresh = (refreshToken: string) =>
      app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken } });

    const first = await refresh(user.refreshToken);
    expect(first.statusCode).toBe(200);
    const rotated = first.json();
    expect(rotated.refreshToken).not.toBe(user.refreshToken);
    expect(rotated.sessionId).toBe(user.sessionId);
    expect((await me(rotated.accessToken)).statusCode).toBe(200);
    // auth_time stays the sign-in's: a refresh is not a new authentication.
    expect(claimsOf(rotated.accessToken).auth_time).toBe(claimsOf(user.accessToken).auth_time);
    expect(claimsOf(rotated.accessToken).jti).not.toBe(claimsOf(user.accessToken).jti);

    await sleep(1100); // past the grace window
    const reused = await refresh(user.refreshToken);
    expect(reused.statusCode).toBe(401);
    expect(reused.json().code).toBe('refresh_token_reused');
    // The thief's and the owner's copies are both dead now, and so is every access token.
    expect((await refresh(rotated.refreshToken)).statusCode).toBe(401);
    expect((await me(rotated.accessToken)).json().code).toBe('session_revoked');
    expect((await me(user.accessToken)).json().code).toBe('session_revoked');
    const session = await ctx.deps.db.session.findUniqueOrThrow({ where: { id: user.sessionId } });
    expect(session.revokedReason).toBe('refresh_reuse');
    const audit = await ctx.deps.db.auditEvent.count({
      where: { userId: user.id, type: 'session.refresh_reused' },
    });
    expect(audit).toBe(1);
    // Only the hash is stored.
    expect(await ctx.deps.db.refreshToken.count({ where: { tokenHash: user.refreshToken } })).toBe(
      0,
    );
  });

  it('answer a repeat within the grace window with the same pair, concurrent ones too', async () => {
    const graceful = await ctx.buildApp({ AUTH_AUTO_VERIFY: 'true' });
    const user = await createSignedInUser(graceful, ctx);
    const refresh = (refreshToken: string) =>
      graceful.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken } });

    // Two workers of one CLI refresh with the same token at once: both succeed, with one pair.
    const [first, second] = await Promise.all([
      refresh(user.refreshToken),
      refresh(user.refreshToken),
    ]);
    expect([first.statusCode, second.statusCode]).toEqual([200, 200]);
    expect(second.json().refreshToken).toBe(first.json().refreshToken);
    expect(second.json().accessToken).toBe(first.json().accessToken);
    expect(first.json().refreshToken).not.toBe(user.refreshToken);
    expect(first.headers['cache-control']).toBe('no-store');
    expect(second.headers['cache-control']).toBe('no-store');

    // A retry after a dropped response, a moment later: the same pair again, and it works.
    const retried = await refresh(user.refreshToken);
    expect(retried.statusCode).toBe(200);
    expect(retried.json().refreshToken).toBe(first.json().refreshToken);
    expect((await me(retried.json().accessToken)).statusCode).toBe(200);
    const next = await refresh(first.json().refreshToken);
    expect(next.statusCode).toBe(200);
    expect(next.json().refreshToken).not.toBe(first.json().refreshToken);
    expect(
      await ctx.deps.db.session.count({ where: { id: user.sessionId, revokedAt: null } }),
    ).toBe(1);
    expect(
      await ctx.deps.db.auditEvent.count({
        where: { userId: user.id, type: 'session.refresh_reused' },
      }),
    ).toBe(0);

    // Two browser tabs refreshing with one cookie get the same new cookie.
    const signIn = await graceful.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      headers: { origin: ORIGIN },
      payload: { email: user.email, password: user.password },
    });
    const cookie = signIn.cookies.find((c) => c.name === 'hp_refresh')?.value ?? '';
    const tab = () =>
      graceful.inject({
        method: 'POST',
        url: '/api/auth/refresh',
        headers: { origin: ORIGIN },
        cookies: { hp_refresh: cookie },
      });
    const tabs = await Promise.all([tab(), tab()]);
    expect(tabs.map((response) => response.statusCode)).toEqual([200, 200]);
    const cookies = tabs.map((response) => response.cookies.find((c) => c.name === 'hp_refresh'));
    expect(cookies[0]?.value).toBeTruthy();
    expect(cookies[1]?.value).toBe(cookies[0]?.value);
    expect(tabs[1]?.json().accessToken).toBe(tabs[0]?.json().accessToken);
  });

  it('are answered with Cache-Control: no-store by every route that returns one', async () => {
    const user = await createSignedInUser(app, ctx);
    const signIn = await app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email: user.email, password: user.password, refreshTokenIn: 'body' },
    });
    expect(signIn.statusCode).toBe(200);
    expect(signIn.headers['cache-control']).toBe('no-store');
    const refreshed = await app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      payload: { refreshToken: signIn.json().refreshToken },
    });
    expect(refreshed.statusCode).toBe(200);
    expect(refreshed.headers['cache-control']).toBe('no-store');
    const failed = await app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      payload: { refreshToken: 'x'.repeat(43) },
    });
    expect(failed.statusCode).toBe(401);
    expect(failed.headers['cache-control']).toBe('no-store');
    const jwks = await app.inject({ method: 'GET', url: '/api/auth/jwks.json' });
    expect(jwks.headers['cache-control']).toBe('public, max-age=300');
  });

  it('outlive a rotation of the signing key: old access tokens are refused, a refresh mends it', async () => {
    const user = await createSignedInUser(app, ctx);
    const next = generateKeyPairSync('ec', {
      namedCurve: 'P-256',
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const rotated = await ctx.buildApp({
      AUTH_AUTO_VERIFY: 'true',
      JWT_PRIVATE_KEY: next.privateKey,
      JWT_PUBLIC_KEY: next.publicKey,
    });
    expect(rotated.accessTokens.kid).not.toBe(app.accessTokens.kid);
    const sessions = (token: string) =>
      rotated.inject({
        method: 'GET',
        url: '/api/auth/sessions',
        headers: { authorization: `Bearer ${token}` },
      });

    const stale = await sessions(user.accessToken);
    expect(stale.statusCode).toBe(401);
    expect(stale.json().code).toBe('invalid_token');

    const refreshed = await rotated.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      payload: { refreshToken: user.refreshToken },
    });
    expect(refreshed.statusCode).toBe(200);
    const { accessToken, sessionId } = refreshed.json();
    expect(sessionId).toBe(user.sessionId);
    expect(headerOf(accessToken).kid).toBe(rotated.accessTokens.kid);
    expect((await sessions(accessToken)).statusCode).toBe(200);
    const jwks = await rotated.inject({ method: 'GET', url: '/api/auth/jwks.json' });
    expect(jwks.json().keys.map((key: { kid: string }) => key.kid)).toEqual([
      rotated.accessTokens.kid,
    ]);
  });

  it('come as an httpOnly Secure SameSite=Strict cookie for browsers, with a CSRF check', async () => {
    const user = await createSignedInUser(app, ctx);
    const signIn = await app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      headers: { origin: ORIGIN, 'sec-fetch-site': 'same-origin' },
      payload: { email: user.email, password: user.password, keepSignedIn: true },
    });
    expect(signIn.statusCode).toBe(200);
    expect(signIn.json().refreshToken).toBeUndefined();
    const cookie = signIn.cookies.find((c) => c.name === 'hp_refresh');
    expect(cookie).toMatchObject({
      httpOnly: true,
      secure: true,
      sameSite: 'Strict',
      path: '/api/auth',
    });
    expect(cookie?.expires).toBeInstanceOf(Date);
    const value = cookie?.value ?? '';

    const bodyFromBrowser = await app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      headers: { origin: ORIGIN },
      payload: { email: user.email, password: user.password, refreshTokenIn: 'body' },
    });
    expect(bodyFromBrowser.statusCode).toBe(400);
    expect(bodyFromBrowser.json().code).toBe('body_tokens_not_for_browsers');

    const crossSite = [
      { origin: 'https://evil.test' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      {},
    ];
    for (const headers of crossSite) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/auth/refresh',
        headers,
        cookies: { hp_refresh: value },
      });
      expect(response.statusCode, JSON.stringify(headers)).toBe(403);
      expect(response.json().code).toBe('csrf_rejected');
    }
    const sameOrigin = await app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      headers: { origin: ORIGIN },
      cookies: { hp_refresh: value },
    });
    expect(sameOrigin.statusCode).toBe(200);
    expect(sameOrigin.cookies.find((c) => c.name === 'hp_refresh')?.value).not.toBe(value);
  });

  it('stop working for a disabled user, whose sessions end at once', async () => {
    const user = await createSignedInUser(app, ctx);
    const admin = await createSignedInUser(app, ctx, { roles: ['admin', 'member'] });
    const disabled = await app.inject({
      method: 'POST',
      url: `/api/admin/users/${user.id}/disable`,
      headers: admin.headers,
    });
    expect(disabled.statusCode).toBe(200);
    expect((await me(user.accessToken)).json().code).toBe('session_revoked');
    const refresh = await app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      payload: { refreshToken: user.refreshToken },
    });
    expect(refresh.statusCode).toBe(401);
    const signIn = await app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email: user.email, password: user.password, refreshTokenIn: 'body' },
    });
    expect(signIn.statusCode).toBe(403);
    expect(signIn.json().code).toBe('account_disabled');
  });
});

describe('sessions', () => {
  it('lists my devices, revokes one, signs out here and everywhere', async () => {
    const user = await createSignedInUser(app, ctx);
    const second = await app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      headers: { 'user-agent': 'second-device/1.0' },
      payload: { email: user.email, password: user.password, refreshTokenIn: 'body' },
    });
    const third = await app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email: user.email, password: user.password, refreshTokenIn: 'body' },
    });
    const list = (await me(user.accessToken)).json().items as {
      id: string;
      current: boolean;
      userAgent: string | null;
    }[];
    expect(list).toHaveLength(3);
    expect(list.find((s) => s.current)?.id).toBe(user.sessionId);
    expect(list.find((s) => s.userAgent === 'second-device/1.0')?.id).toBe(second.json().sessionId);

    const other = await createSignedInUser(app, ctx);
    const foreign = await app.inject({
      method: 'DELETE',
      url: `/api/auth/sessions/${user.sessionId}`,
      headers: other.headers,
    });
    expect(foreign.statusCode).toBe(404);
    expect((await me(user.accessToken)).statusCode).toBe(200);

    const revoke = await app.inject({
      method: 'DELETE',
      url: `/api/auth/sessions/${second.json().sessionId}`,
      headers: user.headers,
    });
    expect(revoke.statusCode).toBe(204);
    expect((await me(second.json().accessToken)).json().code).toBe('session_revoked');

    const signOut = await app.inject({
      method: 'POST',
      url: '/api/auth/sign-out',
      headers: { authorization: `Bearer ${third.json().accessToken}` },
    });
    expect(signOut.statusCode).toBe(200);
    expect((await me(third.json().accessToken)).statusCode).toBe(401);
    expect((await me(user.accessToken)).statusCode).toBe(200);

    const everywhere = await app.inject({
      method: 'POST',
      url: '/api/auth/sign-out-everywhere',
      headers: user.headers,
    });
    expect(everywhere.json()).toEqual({ status: 'ok', sessionsRevoked: 1 });
    expect((await me(user.accessToken)).statusCode).toBe(401);
    expect((await me(other.accessToken)).statusCode).toBe(200);
  });

  it('revoked on one backend instance are refused by another at once (LISTEN/NOTIFY)', async () => {
    const second = await ctx.buildApp({ AUTH_AUTO_VERIFY: 'true' });
    const user = await createSignedInUser(app, ctx);
    const onSecond = () =>
      second.inject({ method: 'GET', url: '/api/auth/sessions', headers: user.headers });
    expect((await onSecond()).statusCode).toBe(200);
    expect(second.revocations.listening).toBe(true);

    await app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: user.headers });
    let status = 200;
    for (let attempt = 0; attempt < 250 && status === 200; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      status = (await onSecond()).statusCode;
    }
    expect(status).toBe(401);
    expect((await onSecond()).json().code).toBe('session_revoked');
  });
});
