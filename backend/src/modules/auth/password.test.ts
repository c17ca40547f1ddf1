import type { FastifyInstance } from 'fastify';
import PgBoss from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignedInUser, readCode, testPassword } from '../../../test/support/auth.js';
import { setupTestContext, uniqueId } from '../../../test/support/context.js';
import { deliverPendingMail } from '../../../test/support/mail.js';
import { LIMITS } from './throttle.js';

const ctx = setupTestContext();
let app: FastifyInstance;
let boss: PgBoss;
const DELETED_QUEUE = 'test.user-deleted';

beforeAll(async () => {
  app = await ctx.buildApp({ AUTH_AUTO_VERIFY: 'true', AUTH_RATE_LIMIT_WINDOW_SECONDS: '3' });
  boss = new PgBoss({ connectionString: ctx.config.DATABASE_URL, schema: 'pgboss' });
  await boss.start();
  await boss.createQueue(DELETED_QUEUE);
  await boss.subscribe('user.deleted', DELETED_QUEUE);
});

afterAll(async () => {
  await boss?.stop({ graceful: false, wait: true });
});

const ip = () => `10.2.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

function post(url: string, payload: object, headers: Record<string, string> = {}) {
  return app.inject({
    method: 'POST',
    url,
    payload,
    headers: { 'x-forwarded-for': ip(), ...headers },
  });
}

/** Forgot-password writes the code just after answering: wait for its outbox row. */
async function waitForOutbox(to: string, template: string) {
  for (let attempt = 0; attempt < 250; attempt++) {
    if ((await ctx.deps.db.mailOutbox.count({ where: { to, template } })) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no ${template} email queued for ${to}`);
}

const sessions = (authorization: string) =>
  app.inject({ method: 'GET', url: '/api/auth/sessions', headers: { authorization } });

describe('forgot and reset password', () => {
  it('emails a code; the reset signs out everywhere, lifts a lockout and sends a notice', async () => {
    const user = await createSignedInUser(app, ctx);
    const clientIp = ip();
    for (let attempt = 0; attempt < 5; attempt++) {
      const failed = await post(
        '/api/auth/sign-in',
        { email: user.email, password: 'wrong-password-1' },
        { 'x-forwarded-for': clientIp },
      );
      expect(failed.statusCode).toBe(401);
    }
    const locked = await post(
      '/api/auth/sign-in',
      { email: user.email, password: user.password },
      { 'x-forwarded-for': clientIp },
    );
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);

    expect((await post('/api/auth/forgot-password', { email: user.email })).statusCode).toBe(202);
    await waitForOutbox(user.email, 'password-reset-code');
    const code = await readCode(ctx, user.email, { subject: 'reset code' });
    const newPassword = testPassword();
    const weak = await post('/api/auth/reset-password', {
      email: user.email,
      code,
      newPassword: 'abc',
    });
    expect(weak.statusCode).toBe(400);
    const reset = await post('/api/auth/reset-password', { email: user.email, code, newPassword });
    expect(reset.statusCode).toBe(200);

    expect((await sessions(user.headers.authorization)).json().code).toBe('session_revoked');
    expect(
      (await post('/api/auth/sign-in', { email: user.email, password: user.password })).statusCode,
    ).toBe(401);
    // The reset lifted the lock of the address that tripped it too.
    expect(
      (
        await post(
          '/api/auth/sign-in',
          { email: user.email, password: newPassword },
          { 'x-forwarded-for': clientIp },
        )
      ).statusCode,
    ).toBe(200);
    await deliverPendingMail(ctx);
    await ctx.mailbox.waitFor(user.email, { subject: 'password was reset' });
    expect(
      (
        await post('/api/auth/reset-password', {
          email: user.email,
          code,
          newPassword: testPassword(),
        })
      ).statusCode,
    ).toBe(400);
  });

  it('answers an unknown email exactly like a known one', async () => {
    const user = await createSignedInUser(app, ctx);
    const known = await post('/api/auth/forgot-password', { email: user.email });
    const unknown = await post('/api/auth/forgot-password', {
      email: `${uniqueId('nobody')}@example.test`,
    });
    expect(unknown.statusCode).toBe(known.statusCode);
    expect(unknown.body).toBe(known.body);
    const unknownSignIn = await post('/api/auth/sign-in', {
      email: `${uniqueId('nobody')}@example.test`,
      password: 'whatever-password',
    });
    const wrongPassword = await post('/api/auth/sign-in', {
      email: user.email,
      password: 'whatever-password',
    });
    expect(unknownSignIn.statusCode).toBe(401);
    expect(unknownSignIn.json().code).toBe(wrongPassword.json().code);
    expect(unknownSignIn.json().detail).toBe(wrongPassword.json().detail);
  });
});

describe('change password and delete account', () => {
  it('change needs the current password and signs out the other sessions', async () => {
    const user = await createSignedInUser(app, ctx);
    const other = await post('/api/auth/sign-in', {
      email: user.email,
      password: user.password,
      refreshTokenIn: 'body',
    });
    const wrong = await post(
      '/api/auth/change-password',
      { currentPassword: 'not-my-password', newPassword: testPassword() },
      user.headers,
    );
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().code).toBe('wrong_password');
    const newPassword = testPassword();
    const changed = await post(
      '/api/auth/change-password',
      { currentPassword: user.password, newPassword },
      user.headers,
    );
    expect(changed.statusCode).toBe(200);
    expect((await sessions(user.headers.authorization)).statusCode).toBe(200);
    expect((await sessions(`Bearer ${other.json().accessToken}`)).json().code).toBe(
      'session_revoked',
    );
    await deliverPendingMail(ctx);
    await ctx.mailbox.waitFor(user.email, { subject: 'password was changed' });
    const audit = await ctx.deps.db.auditEvent.findFirstOrThrow({
      where: { userId: user.id, type: 'password.changed' },
    });
    expect(audit.details).toMatchObject({ sessionsRevoked: 1 });
  });

  it('delete needs the password, removes the data, publishes user.deleted and says goodbye', async () => {
    const user = await createSignedInUser(app, ctx);
    await app.inject({
      method: 'PUT',
      url: '/api/items',
      headers: user.headers,
      payload: { id: 'keep', name: 'x', price: 1 },
    });
    const wrong = await post(
      '/api/auth/delete-account',
      { password: 'not-my-password' },
      user.headers,
    );
    expect(wrong.statusCode).toBe(400);
    expect(await ctx.deps.db.user.count({ where: { id: user.id } })).toBe(1);

    const deleted = await post(
      '/api/auth/delete-account',
      { password: user.password },
      user.headers,
    );
    expect(deleted.statusCode).toBe(204);
    expect(await ctx.deps.db.user.count({ where: { id: user.id } })).toBe(0);
    expect(await ctx.deps.db.item.count({ where: { ownerId: user.id } })).toBe(0);
    expect(await ctx.deps.db.session.count({ where: { userId: user.id } })).toBe(0);
    expect((await sessions(user.headers.authorization)).statusCode).toBe(401);
    const jobs = await ctx.deps.db.$queryRaw<{ data: { userId: string } }[]>`
      SELECT data FROM pgboss.job WHERE name = ${DELETED_QUEUE}`;
    expect(jobs.map((job) => job.data.userId)).toContain(user.id);
    expect(await ctx.deps.db.auditEvent.count({ where: { userId: user.id } })).toBe(0);
    const anonymous = await ctx.deps.db.auditEvent.findFirstOrThrow({
      where: { type: 'account.deleted' },
      orderBy: { id: 'desc' },
    });
    expect(anonymous).toMatchObject({ userId: null, actorId: null, ip: null });
    expect(JSON.stringify({ ...anonymous, id: String(anonymous.id) })).not.toContain(user.email);
    await deliverPendingMail(ctx);
    await ctx.mailbox.waitFor(user.email, { subject: 'account was deleted' });
  });
});

describe('brute-force limits', () => {
  it('trip per IP and per account with 429 problem+json and Retry-After, then reset', async () => {
    const clientIp = ip();
    const email = `${uniqueId('limited')}@example.test`;
    const attempt = () =>
      post('/api/auth/forgot-password', { email }, { 'x-forwarded-for': clientIp });
    for (let count = 0; count < 3; count++) expect((await attempt()).statusCode).toBe(202);
    const limited = await attempt();
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toContain('application/problem+json');
    expect(limited.json().code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Per account: another IP is limited for the same email too.
    expect((await post('/api/auth/forgot-password', { email })).statusCode).toBe(429);

    const perIp = ip();
    let last = 0;
    for (let count = 0; count <= LIMITS.forgot.perIp; count++) {
      last = (
        await post(
          '/api/auth/forgot-password',
          { email: `${uniqueId('ip')}@example.test` },
          { 'x-forwarded-for': perIp },
        )
      ).statusCode;
    }
    expect(last).toBe(429);

    await new Promise((resolve) => setTimeout(resolve, 3100));
    expect((await attempt()).statusCode).toBe(202);
  });
});
