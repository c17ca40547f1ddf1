import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSignedInUser } from '../../../test/support/auth.js';
import { setupTestContext, uniqueId } from '../../../test/support/context.js';
import { deliverPendingMail } from '../../../test/support/mail.js';
import { DEVICE_COOKIE } from './devices.js';
import { cleanUpAuth } from './jobs.js';
import { ACCOUNT_LOCK_AFTER, SOURCE_LOCK_AFTER } from './lockout.js';
import { hashPassword } from './passwords.js';
import { SIGN_IN_FAILURES_PER_IP } from './throttle.js';

const ctx = setupTestContext();
let app: FastifyInstance;

beforeAll(async () => {
  app = await ctx.buildApp({ AUTH_AUTO_VERIFY: 'true' });
});

let lastIp = 0;
/** A fresh client address (unique within this file). */
const ip = () => {
  lastIp++;
  return `10.77.${Math.floor(lastIp / 250)}.${lastIp % 250}`;
};

function signIn(
  email: string,
  password: string,
  clientIp: string,
  cookies: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: '/api/auth/sign-in',
    headers: { 'x-forwarded-for': clientIp },
    cookies,
    payload: { email, password, refreshTokenIn: 'body' },
  });
}

/** What a client can observe of an answer, minus what differs on every request. */
function observable(response: LightMyRequestResponse) {
  const { date: _date, 'x-request-id': _id, ...headers } = response.headers;
  const { requestId: _requestId, instance: _instance, ...body } = response.json();
  return { status: response.statusCode, headers, body };
}

const deviceCookieOf = (response: LightMyRequestResponse) =>
  response.cookies.find((cookie) => cookie.name === DEVICE_COOKIE);

describe('lockout and enumeration', () => {
  it('answers the 6th wrong password alike for a real account and an unknown email', async () => {
    const user = await createSignedInUser(app, ctx);
    const unknown = `${uniqueId('nobody')}@example.test`;
    const attackerIp = ip();
    const tries = async (email: string) => {
      const answers: LightMyRequestResponse[] = [];
      for (let attempt = 0; attempt <= SOURCE_LOCK_AFTER; attempt++) {
        answers.push(await signIn(email, 'wrong-password-1', attackerIp));
      }
      return answers;
    };
    const real = await tries(user.email);
    const ghost = await tries(unknown);
    const statuses = [...Array(SOURCE_LOCK_AFTER).fill(401), 429];
    expect(real.map((response) => response.statusCode)).toEqual(statuses);
    expect(ghost.map((response) => response.statusCode)).toEqual(statuses);
    for (let attempt = 0; attempt <= SOURCE_LOCK_AFTER; attempt++) {
      expect(observable(ghost[attempt] as LightMyRequestResponse)).toEqual(
        observable(real[attempt] as LightMyRequestResponse),
      );
    }
    const locked = real[SOURCE_LOCK_AFTER] as LightMyRequestResponse;
    expect(locked.headers['retry-after']).toBe('60');
    expect(locked.headers['content-type']).toContain('application/problem+json');
    expect(locked.json()).toMatchObject({
      code: 'rate_limited',
      detail: 'Too many attempts; try again in 1 minute.',
    });
  });

  it('counts parallel guesses before checking them: a burst gets no more than the lock allows', async () => {
    const user = await createSignedInUser(app, ctx);
    const attackerIp = ip();
    const burst = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        signIn(user.email, `parallel-guess-${index}`, attackerIp),
      ),
    );
    const statuses = burst.map((response) => response.statusCode);
    expect(statuses.filter((status) => status === 401)).toHaveLength(SOURCE_LOCK_AFTER);
    expect(statuses.filter((status) => status === 429)).toHaveLength(20 - SOURCE_LOCK_AFTER);
    // The right password from that address waits too; from elsewhere it works.
    expect((await signIn(user.email, user.password, attackerIp)).statusCode).toBe(429);
    expect((await signIn(user.email, user.password, ip())).statusCode).toBe(200);
  });

  it('locks only the source of the failures: the owner elsewhere still signs in', async () => {
    const user = await createSignedInUser(app, ctx);
    const attackerIp = ip();
    for (let attempt = 0; attempt < SOURCE_LOCK_AFTER; attempt++) {
      expect((await signIn(user.email, 'wrong-password-1', attackerIp)).statusCode).toBe(401);
    }
    expect((await signIn(user.email, user.password, attackerIp)).statusCode).toBe(429);
    const owner = await signIn(user.email, user.password, ip());
    expect(owner.statusCode).toBe(200);
  });

  it('holds off new devices after many failures from many addresses; known devices and the unlock link still work', async () => {
    const user = await createSignedInUser(app, ctx);
    const other = await createSignedInUser(app, ctx);
    // The owner's browser signed in before: it holds a device cookie.
    const earlier = await signIn(user.email, user.password, ip());
    const device = deviceCookieOf(earlier);
    expect(device).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/' });
    expect(device?.maxAge).toBeGreaterThan(86_400);
    const otherDevice = deviceCookieOf(await signIn(other.email, other.password, ip()))?.value;

    // A botnet: a few guesses from each of many addresses, never enough to lock one of them.
    let failures = 0;
    while (failures < ACCOUNT_LOCK_AFTER) {
      const botIp = ip();
      for (
        let attempt = 0;
        attempt < SOURCE_LOCK_AFTER - 1 && failures < ACCOUNT_LOCK_AFTER;
        attempt++
      ) {
        expect((await signIn(user.email, `guess-${failures}-password`, botIp)).statusCode).toBe(
          401,
        );
        failures++;
      }
    }
    // Even the right password from a new device waits now …
    const newDevice = await signIn(user.email, user.password, ip());
    expect(newDevice.statusCode).toBe(429);
    expect(newDevice.json().code).toBe('rate_limited');
    expect(Number(newDevice.headers['retry-after'])).toBeGreaterThan(800);
    // … and so does a forged device cookie or another account's.
    const forged = `${device?.value.slice(0, -4)}AAAA`;
    expect(
      (await signIn(user.email, user.password, ip(), { [DEVICE_COOKIE]: forged })).statusCode,
    ).toBe(429);
    expect(
      (await signIn(user.email, user.password, ip(), { [DEVICE_COOKIE]: otherDevice ?? '' }))
        .statusCode,
    ).toBe(429);
    // The owner's known browser signs in from any address.
    const known = await signIn(user.email, user.password, ip(), {
      [DEVICE_COOKIE]: device?.value ?? '',
    });
    expect(known.statusCode).toBe(200);
    // A wrong password on the known device counts against that device only.
    expect(
      (await signIn(user.email, 'wrong-password-1', ip(), { [DEVICE_COOKIE]: device?.value ?? '' }))
        .statusCode,
    ).toBe(401);

    // The owner was emailed an unlock link (once for this lock).
    await deliverPendingMail(ctx);
    const mail = await ctx.mailbox.waitFor(user.email, { subject: 'paused' });
    const link = /https?:\/\/\S+unlock=[^\s"]+/.exec(mail.Text ?? '')?.[0] ?? '';
    const token = new URL(link).searchParams.get('unlock') ?? '';
    expect(new URL(link).pathname).toBe('/sign-in');
    expect(
      await ctx.deps.db.mailOutbox.count({ where: { to: user.email, template: 'account-unlock' } }),
    ).toBe(1);

    const bad = await app.inject({
      method: 'POST',
      url: '/api/auth/unlock',
      payload: { token: `${token.slice(0, -3)}abc` },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('invalid_unlock_token');
    const unlocked = await app.inject({
      method: 'POST',
      url: '/api/auth/unlock',
      headers: { 'x-forwarded-for': ip() },
      payload: { token },
    });
    expect(unlocked.statusCode).toBe(200);
    expect(unlocked.headers['cache-control']).toBe('no-store');
    expect(deviceCookieOf(unlocked)?.value).toBeTruthy();
    const again = await app.inject({ method: 'POST', url: '/api/auth/unlock', payload: { token } });
    expect(again.json().code).toBe('invalid_unlock_token');
    expect((await signIn(user.email, user.password, ip())).statusCode).toBe(200);
    expect(
      await ctx.deps.db.auditEvent.count({ where: { userId: user.id, type: 'account.unlocked' } }),
    ).toBe(1);
  });
});

describe('sign-in limits sized for real use', () => {
  it('count failures only: many successful sign-ins and a password change do not lock a typo out', async () => {
    const user = await createSignedInUser(app, ctx);
    const home = ip();
    for (let count = 0; count < 12; count++) {
      expect((await signIn(user.email, user.password, home)).statusCode).toBe(200);
    }
    const changed = await app.inject({
      method: 'POST',
      url: '/api/auth/change-password',
      headers: { ...user.headers, 'x-forwarded-for': home },
      payload: { currentPassword: user.password, newPassword: `${user.password}-2` },
    });
    expect(changed.statusCode).toBe(200);
    const typo = await signIn(user.email, `${user.password}-x`, home);
    expect(typo.statusCode).toBe(401);
    expect((await signIn(user.email, `${user.password}-2`, home)).statusCode).toBe(200);
  });

  it('let a class of 40 behind one NAT sign in, with typos, and ask for resets', async () => {
    const password = 'Classroom-password-2026';
    const passwordHash = await hashPassword(password);
    const emails = Array.from(
      { length: 40 },
      (_, index) => `${uniqueId(`student${index}`)}@example.test`,
    );
    await ctx.deps.db.user.createMany({
      data: emails.map((email) => ({ email, passwordHash, status: 'active' as const })),
    });
    const nat = ip();
    for (const email of emails) {
      expect((await signIn(email, 'wrong-password-1', nat)).statusCode).toBe(401);
      expect((await signIn(email, password, nat)).statusCode).toBe(200);
    }
    for (const email of emails) {
      const forgot = await app.inject({
        method: 'POST',
        url: '/api/auth/forgot-password',
        headers: { 'x-forwarded-for': nat },
        payload: { email },
      });
      expect(forgot.statusCode).toBe(202);
    }
  });

  it('still stop one address that fails too often, whatever the accounts', async () => {
    const busy = ip();
    await ctx.deps.db.authThrottle.create({
      data: {
        key: `sign-in-failures:ip:${busy}`,
        count: SIGN_IN_FAILURES_PER_IP,
        windowStart: new Date(),
      },
    });
    const user = await createSignedInUser(app, ctx);
    const limited = await signIn(user.email, user.password, busy);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().detail).toMatch(/^Too many attempts; try again in 1[45] minutes\.$/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(800);
  });
});

describe('auth-cleanup', () => {
  it('forgets idle lockout rows and empties sealed refresh successors after the grace window', async () => {
    const { db } = ctx.deps;
    const account = uniqueId('cleanup');
    const dayAgo = new Date(Date.now() - 2 * 86_400_000);
    await db.authSignInFailure.createMany({
      data: [
        { account, source: 'ip:10.0.0.1', failures: 3, updatedAt: dayAgo },
        {
          account,
          source: '*',
          failures: 60,
          updatedAt: dayAgo,
          lockedUntil: new Date(Date.now() + 60_000),
        },
        { account, source: 'ip:10.0.0.2', failures: 1 },
      ],
    });
    const user = await createSignedInUser(app, ctx);
    const refreshed = await app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      payload: { refreshToken: user.refreshToken },
    });
    expect(refreshed.statusCode).toBe(200);
    const used = await db.refreshToken.findFirstOrThrow({
      where: { sessionId: user.sessionId, usedAt: { not: null } },
    });
    expect(used.successorSealed).toBeTruthy();
    // The sealed pair holds neither token in the clear.
    expect(used.successorSealed).not.toContain(refreshed.json().refreshToken);
    await db.refreshToken.update({
      where: { tokenHash: used.tokenHash },
      data: { usedAt: new Date(Date.now() - 120_000) },
    });

    await cleanUpAuth(db);
    const left = await db.authSignInFailure.findMany({ where: { account } });
    expect(left.map((row) => row.source).sort()).toEqual(['*', 'ip:10.0.0.2']);
    expect(
      (await db.refreshToken.findUniqueOrThrow({ where: { tokenHash: used.tokenHash } }))
        .successorSealed,
    ).toBeNull();
  });
});
