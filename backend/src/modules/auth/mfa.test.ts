import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createSignedInUser,
  readCode,
  type SignedInUser,
  testPassword,
} from '../../../test/support/auth.js';
import { setupTestContext } from '../../../test/support/context.js';
import { deliverPendingMail } from '../../../test/support/mail.js';
import { cleanUpAuth } from './jobs.js';
import { resealTotpSecrets } from './mfa-service.js';
import { hashToken } from './secrets.js';
import { MFA_ATTEMPTS_PER_USER, MFA_CHALLENGE_ATTEMPTS } from './sessions-service.js';
import { deriveMfaKeys, openTotpSecret, TOTP_PERIOD_SECONDS, totpCode } from './totp.js';

const ctx = setupTestContext();
let app: FastifyInstance;
let replica: FastifyInstance;
const STEP_MS = TOTP_PERIOD_SECONDS * 1000;

beforeAll(async () => {
  const env = { AUTH_AUTO_VERIFY: 'true' };
  app = await ctx.buildApp(env);
  replica = await ctx.buildApp(env);
});

const ip = () => `10.7.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

function post(url: string, payload: object, headers: Record<string, string> = {}, on = app) {
  return on.inject({
    method: 'POST',
    url,
    payload,
    headers: { 'x-forwarded-for': ip(), ...headers },
  });
}

function claimsOf(accessToken: string): Record<string, unknown> {
  const payload = accessToken.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
}

/** Out of the last second of a time step, so a code computed now is checked in the same step. */
async function awayFromStepEnd() {
  const left = STEP_MS - (Date.now() % STEP_MS);
  if (left < 1500) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

/** The code of the step `offset` steps from now (the server accepts -1, 0 and +1). */
async function code(secret: string, offset: -1 | 0 | 1) {
  await awayFromStepEnd();
  return totpCode(secret, Date.now() + offset * STEP_MS);
}

interface Enrolled extends SignedInUser {
  secret: string;
  recoveryCodes: string[];
}

/** A user with an active authenticator; the activation used the previous step's code. */
async function enrolledUser(roles?: ('admin' | 'member')[]): Promise<Enrolled> {
  const user = await createSignedInUser(app, ctx, roles ? { roles } : {});
  const enrol = await post('/api/auth/mfa/totp', {}, user.headers);
  expect(enrol.statusCode).toBe(200);
  const { secret } = enrol.json() as { secret: string };
  const activate = await post(
    '/api/auth/mfa/totp/activate',
    { code: await code(secret, -1) },
    user.headers,
  );
  expect(activate.statusCode).toBe(200);
  return { ...user, secret, recoveryCodes: activate.json().recoveryCodes };
}

async function passwordStep(user: { email: string; password: string }, on = app) {
  const response = await post(
    '/api/auth/sign-in',
    { email: user.email, password: user.password, refreshTokenIn: 'body' },
    {},
    on,
  );
  expect(response.statusCode).toBe(200);
  return response;
}

async function challengeOf(user: { email: string; password: string }, on = app) {
  const body = (await passwordStep(user, on)).json();
  expect(body.mfaRequired).toBe(true);
  return body.challenge as string;
}

function secondStep(challenge: string, method: 'totp' | 'recovery_code', value: string, on = app) {
  return post(
    '/api/auth/sign-in/mfa',
    { challenge, method, code: value, refreshTokenIn: 'body' },
    {},
    on,
  );
}

describe('enrolment', () => {
  it('gives a 160-bit secret as an otpauth URI, stores it sealed, activates on a first valid code, emails and audits', async () => {
    const user = await createSignedInUser(app, ctx);
    const enrol = await post('/api/auth/mfa/totp', {}, user.headers);
    expect(enrol.statusCode).toBe(200);
    const { secret, otpauthUri } = enrol.json() as { secret: string; otpauthUri: string };
    expect(secret.length * 5).toBeGreaterThanOrEqual(160);
    const uri = new URL(otpauthUri);
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(uri.searchParams.get('issuer')).toBe('Homeport');
    const row = await ctx.deps.db.mfaTotpFactor.findUniqueOrThrow({ where: { userId: user.id } });
    expect(row.secretSealed).not.toContain(secret);
    expect(row.activatedAt).toBeNull();

    // Pending: sign-in is still one step.
    expect((await passwordStep(user)).json().accessToken).toBeTypeOf('string');

    const wrong = await post('/api/auth/mfa/totp/activate', { code: '000000' }, user.headers);
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().code).toBe('invalid_mfa_code');
    const activated = await post(
      '/api/auth/mfa/totp/activate',
      { code: await code(secret, 0) },
      user.headers,
    );
    expect(activated.statusCode).toBe(200);
    const codes = activated.json().recoveryCodes as string[];
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    const stored = await ctx.deps.db.mfaRecoveryCode.findMany({ where: { userId: user.id } });
    expect(stored).toHaveLength(10);
    for (const entry of stored) expect(codes).not.toContain(entry.codeHash);

    const again = await post('/api/auth/mfa/totp', {}, user.headers);
    expect(again.json().code).toBe('mfa_already_enabled');
    const status = await app.inject({ method: 'GET', url: '/api/auth/mfa', headers: user.headers });
    expect(status.json()).toMatchObject({ enabled: true, recoveryCodesLeft: 10, available: true });

    await deliverPendingMail(ctx);
    await ctx.mailbox.waitFor(user.email, { subject: 'Two-step sign-in was turned on' });
    expect(
      await ctx.deps.db.auditEvent.count({ where: { userId: user.id, type: 'mfa.enabled' } }),
    ).toBe(1);
  });

  it('the session that activates becomes aal2 from its next refresh; other sessions stay aal1', async () => {
    const user = await createSignedInUser(app, ctx, { roles: ['admin'] });
    const other = await passwordStep(user);
    const enrol = await post('/api/auth/mfa/totp', {}, user.headers);
    const { secret } = enrol.json() as { secret: string };
    const activated = await post(
      '/api/auth/mfa/totp/activate',
      { code: await code(secret, 0) },
      user.headers,
    );
    expect(activated.statusCode).toBe(200);
    // The token in hand was minted before: still aal1, so admin routes still refuse it.
    const before = await app.inject({
      method: 'GET',
      url: '/api/admin/users',
      headers: user.headers,
    });
    expect(before.json().code).toBe('mfa_required');

    const refreshed = await post('/api/auth/refresh', { refreshToken: user.refreshToken });
    expect(refreshed.statusCode).toBe(200);
    const claims = claimsOf(refreshed.json().accessToken);
    expect(claims.amr).toEqual(['pwd', 'otp', 'mfa']);
    expect(claims.acr).toBe('aal2');
    const after = await app.inject({
      method: 'GET',
      url: '/api/admin/users',
      headers: { authorization: `Bearer ${refreshed.json().accessToken}` },
    });
    expect(after.statusCode).toBe(200);

    // The account's other session did not prove the factor.
    const elsewhere = await post('/api/auth/refresh', { refreshToken: other.json().refreshToken });
    expect(claimsOf(elsewhere.json().accessToken).acr).toBe('aal1');
  });

  it('needs a recent sign-in or the password', async () => {
    const user = await createSignedInUser(app, ctx);
    const old = app.accessTokens.signUser(
      { id: user.id, roles: ['member'], sessionId: user.sessionId },
      { at: new Date(Date.now() - 3_600_000), methods: ['pwd'], level: 'aal1' },
    );
    const headers = { authorization: `Bearer ${old}` };
    const stale = await post('/api/auth/mfa/totp', {}, headers);
    expect(stale.statusCode).toBe(403);
    expect(stale.json().code).toBe('reauthentication_required');
    const wrong = await post('/api/auth/mfa/totp', { password: 'not-the-password-1' }, headers);
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().code).toBe('wrong_password');
    expect(
      (await post('/api/auth/mfa/totp', { password: user.password }, headers)).statusCode,
    ).toBe(200);
  });
});

describe('sign-in with MFA on', () => {
  it('the password step gives a challenge and no tokens; a TOTP code gives aal2 tokens that refresh as aal2; a code works once', async () => {
    const user = await enrolledUser();
    const first = await passwordStep(user);
    const body = first.json();
    expect(body).toMatchObject({ mfaRequired: true, methods: ['totp', 'recovery_code'] });
    expect(body.accessToken).toBeUndefined();
    expect(body.refreshToken).toBeUndefined();
    expect(String(first.headers['set-cookie'] ?? '')).not.toContain('hp_refresh');

    const now = await code(user.secret, 0);
    const signedIn = await secondStep(body.challenge, 'totp', now);
    expect(signedIn.statusCode).toBe(200);
    const claims = claimsOf(signedIn.json().accessToken);
    expect(claims.amr).toEqual(['pwd', 'otp', 'mfa']);
    expect(claims.acr).toBe('aal2');

    const refreshed = await post('/api/auth/refresh', {
      refreshToken: signedIn.json().refreshToken,
    });
    expect(refreshed.statusCode).toBe(200);
    expect(claimsOf(refreshed.json().accessToken).acr).toBe('aal2');

    // The challenge is spent, and the same code on a new challenge is a replay.
    expect((await secondStep(body.challenge, 'totp', now)).json().code).toBe(
      'invalid_mfa_challenge',
    );
    const replay = await secondStep(await challengeOf(user), 'totp', now);
    expect(replay.statusCode).toBe(400);
    expect(replay.json().code).toBe('invalid_mfa_code');
  });

  it('accepts one code once when two replicas receive it at the same moment', async () => {
    const user = await enrolledUser();
    const [one, two] = [await challengeOf(user, app), await challengeOf(user, replica)];
    const value = await code(user.secret, 0);
    const answers = await Promise.all([
      secondStep(one, 'totp', value, app),
      secondStep(two, 'totp', value, replica),
    ]);
    expect(answers.map((answer) => answer.statusCode).sort()).toEqual([200, 400]);
    // One new aal2 session (the enrolling one became aal2 when it activated the factor).
    expect(
      await ctx.deps.db.session.count({
        where: { userId: user.id, authLevel: 'aal2', id: { not: user.sessionId } },
      }),
    ).toBe(1);
  });

  it('limits tries per challenge and per account, with recovery codes counted apart', async () => {
    const user = await enrolledUser();
    const challenge = await challengeOf(user);
    for (let attempt = 0; attempt < MFA_CHALLENGE_ATTEMPTS; attempt++) {
      expect((await secondStep(challenge, 'totp', '000000')).json().code).toBe('invalid_mfa_code');
    }
    const exhausted = await secondStep(challenge, 'totp', await code(user.secret, 0));
    expect(exhausted.statusCode).toBe(401);
    expect(exhausted.json().code).toBe('mfa_attempts_exhausted');

    // Per account: the remaining TOTP tries on a fresh challenge, then 429 even for a right code.
    const next = await challengeOf(user);
    for (let attempt = MFA_CHALLENGE_ATTEMPTS; attempt < MFA_ATTEMPTS_PER_USER.totp; attempt++) {
      expect((await secondStep(next, 'totp', '000000')).statusCode).toBe(400);
    }
    const locked = await secondStep(await challengeOf(user), 'totp', await code(user.secret, 0));
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);

    // The TOTP lockout does not block recovery: a recovery code on the exhausted challenge works.
    const [recoveryCode] = user.recoveryCodes;
    const recovered = await secondStep(challenge, 'recovery_code', recoveryCode ?? '');
    expect(recovered.statusCode).toBe(200);
    const claims = claimsOf(recovered.json().accessToken);
    expect(claims.amr).toEqual(['pwd', 'recovery_code', 'mfa']);
    expect(claims.acr).toBe('aal2');
    // Single use.
    const reused = await secondStep(await challengeOf(user), 'recovery_code', recoveryCode ?? '');
    expect(reused.json().code).toBe('invalid_mfa_code');
    expect(
      await ctx.deps.db.auditEvent.count({
        where: { userId: user.id, type: 'mfa.recovery_code_used' },
      }),
    ).toBe(1);
    // The owner hears of it, with the codes left.
    await deliverPendingMail(ctx);
    const mail = await ctx.mailbox.waitFor(user.email, { subject: 'A recovery code was used' });
    expect(mail.Text).toContain('9 codes are left');
    // A refused recovery code sends nothing.
    expect(
      await ctx.deps.db.mailOutbox.count({
        where: { to: user.email, template: 'mfa-recovery-code-used' },
      }),
    ).toBe(1);
  });

  it('forgets challenges a day after they expired and spent provider states once expired, and keeps live ones', async () => {
    const user = await enrolledUser();
    const live = await challengeOf(user);
    await challengeOf(user);
    const { db } = ctx.deps;
    await db.mfaChallenge.updateMany({
      where: { userId: user.id, tokenHash: { not: hashToken(live) } },
      data: { expiresAt: new Date(Date.now() - 2 * 86_400_000) },
    });
    // Spent provider states past their round trip's expiry go too; live ones stay.
    const spent = { past: hashToken(`past-${live}`), live: hashToken(`live-${live}`) };
    await db.oidcSpentState.createMany({
      data: [
        { stateHash: spent.past, expiresAt: new Date(Date.now() - 1000) },
        { stateHash: spent.live, expiresAt: new Date(Date.now() + 600_000) },
      ],
    });
    await cleanUpAuth(db);
    const left = await db.mfaChallenge.findMany({ where: { userId: user.id } });
    expect(left.map((row) => row.tokenHash)).toEqual([hashToken(live)]);
    const states = await db.oidcSpentState.findMany({
      where: { stateHash: { in: [spent.past, spent.live] } },
    });
    expect(states.map((row) => row.stateHash)).toEqual([spent.live]);
  });

  it('a password reset does not bypass the second step', async () => {
    const user = await enrolledUser();
    expect((await post('/api/auth/forgot-password', { email: user.email })).statusCode).toBe(202);
    for (let attempt = 0; attempt < 250; attempt++) {
      const queued = await ctx.deps.db.mailOutbox.count({
        where: { to: user.email, template: 'password-reset-code' },
      });
      if (queued > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const resetCode = await readCode(ctx, user.email, { subject: 'reset code' });
    const newPassword = testPassword();
    const reset = await post('/api/auth/reset-password', {
      email: user.email,
      code: resetCode,
      newPassword,
    });
    expect(reset.statusCode).toBe(200);
    expect(reset.json().accessToken).toBeUndefined();
    const body = (await passwordStep({ email: user.email, password: newPassword })).json();
    expect(body.mfaRequired).toBe(true);
    expect(body.accessToken).toBeUndefined();
  });
});

describe('recovery codes and turning MFA off', () => {
  it('regenerating needs the password, kills the old batch and emails', async () => {
    const user = await enrolledUser();
    const wrong = await post(
      '/api/auth/mfa/recovery-codes',
      { password: 'nope-nope-1' },
      user.headers,
    );
    expect(wrong.json().code).toBe('wrong_password');
    const fresh = await post(
      '/api/auth/mfa/recovery-codes',
      { password: user.password },
      user.headers,
    );
    expect(fresh.statusCode).toBe(200);
    const codes = fresh.json().recoveryCodes as string[];
    expect(codes).toHaveLength(10);
    const old = await secondStep(
      await challengeOf(user),
      'recovery_code',
      user.recoveryCodes[0] ?? '',
    );
    expect(old.json().code).toBe('invalid_mfa_code');
    // Typed loosely: lower case, without dashes.
    const loose = (codes[0] ?? '').replace(/-/g, '').toLowerCase();
    expect((await secondStep(await challengeOf(user), 'recovery_code', loose)).statusCode).toBe(
      200,
    );
    await deliverPendingMail(ctx);
    await ctx.mailbox.waitFor(user.email, { subject: 'New recovery codes' });
    expect(
      await ctx.deps.db.auditEvent.count({
        where: { userId: user.id, type: 'mfa.recovery_codes_regenerated' },
      }),
    ).toBe(1);
  });

  it('turning off needs the password and a code; sign-in is one step again; emailed and audited', async () => {
    const user = await enrolledUser();
    const noCode = await post(
      '/api/auth/mfa/disable',
      { password: user.password, code: '000000' },
      user.headers,
    );
    expect(noCode.json().code).toBe('invalid_mfa_code');
    const noPassword = await post(
      '/api/auth/mfa/disable',
      { password: 'wrong-password-1', code: await code(user.secret, 0) },
      user.headers,
    );
    expect(noPassword.json().code).toBe('wrong_password');
    const off = await post(
      '/api/auth/mfa/disable',
      { password: user.password, code: await code(user.secret, 1) },
      user.headers,
    );
    expect(off.statusCode).toBe(204);
    expect(await ctx.deps.db.mfaRecoveryCode.count({ where: { userId: user.id } })).toBe(0);
    expect((await passwordStep(user)).json().accessToken).toBeTypeOf('string');
    await deliverPendingMail(ctx);
    await ctx.mailbox.waitFor(user.email, { subject: 'Two-step sign-in was turned off' });
    expect(
      await ctx.deps.db.auditEvent.count({ where: { userId: user.id, type: 'mfa.disabled' } }),
    ).toBe(1);
  });
});

describe('admins', () => {
  it('an enrolled admin needs an aal2 token for admin routes; unenrolled admins are not locked out', async () => {
    const admin = await enrolledUser(['admin']);
    // The token from before enrolment is aal1.
    const aal1 = await app.inject({
      method: 'GET',
      url: '/api/admin/users',
      headers: admin.headers,
    });
    expect(aal1.statusCode).toBe(403);
    expect(aal1.json().code).toBe('mfa_required');
    const signedIn = await secondStep(
      await challengeOf(admin),
      'totp',
      await code(admin.secret, 0),
    );
    const aal2 = await app.inject({
      method: 'GET',
      url: '/api/admin/users',
      headers: { authorization: `Bearer ${signedIn.json().accessToken}` },
    });
    expect(aal2.statusCode).toBe(200);

    const plainAdmin = await createSignedInUser(app, ctx, { roles: ['admin'] });
    expect(
      (await app.inject({ method: 'GET', url: '/api/admin/users', headers: plainAdmin.headers }))
        .statusCode,
    ).toBe(200);

    const relaxed = await ctx.buildApp({
      AUTH_AUTO_VERIFY: 'true',
      AUTH_ADMIN_MFA_REQUIRED: 'false',
    });
    expect(
      (await relaxed.inject({ method: 'GET', url: '/api/admin/users', headers: admin.headers }))
        .statusCode,
    ).toBe(200);
  });

  it("an admin's reset of a user's MFA is audited and emailed", async () => {
    const admin = await createSignedInUser(app, ctx, { roles: ['admin'] });
    const user = await enrolledUser();
    const member = await app.inject({
      method: 'DELETE',
      url: `/api/admin/users/${user.id}/mfa`,
      headers: user.headers,
    });
    expect(member.statusCode).toBe(403);
    const adminView = async () =>
      (
        await app.inject({
          method: 'GET',
          url: `/api/admin/users/${user.id}`,
          headers: admin.headers,
        })
      ).json().mfaEnabled;
    expect(await adminView()).toBe(true);
    const reset = await app.inject({
      method: 'DELETE',
      url: `/api/admin/users/${user.id}/mfa`,
      headers: { ...admin.headers, 'x-forwarded-for': ip() },
    });
    expect(reset.statusCode).toBe(204);
    const twice = await app.inject({
      method: 'DELETE',
      url: `/api/admin/users/${user.id}/mfa`,
      headers: admin.headers,
    });
    expect(twice.json().code).toBe('mfa_not_enabled');
    expect(await adminView()).toBe(false);
    expect((await passwordStep(user)).json().accessToken).toBeTypeOf('string');
    const audit = await ctx.deps.db.auditEvent.findFirstOrThrow({
      where: { userId: user.id, type: 'mfa.reset_by_admin' },
    });
    expect(audit.actorId).toBe(admin.id);
    await deliverPendingMail(ctx);
    const mail = await ctx.mailbox.waitFor(user.email, {
      subject: 'Two-step sign-in was turned off',
    });
    expect(mail.Text).toContain('An administrator');
  });
});

describe('rotating MFA_ENCRYPTION_KEY', () => {
  it('opens secrets under the previous key, seals them again on use or with resealTotpSecrets, and refuses them without it', async () => {
    const used = await enrolledUser();
    const idle = await enrolledUser();
    const oldKey = ctx.env.MFA_ENCRYPTION_KEY ?? '';
    const newKey = `rotated-${'k'.repeat(40)}`;
    const rotated = await ctx.buildApp({
      AUTH_AUTO_VERIFY: 'true',
      MFA_ENCRYPTION_KEY: newKey,
      MFA_ENCRYPTION_KEY_PREVIOUS: oldKey,
    });
    const { db } = ctx.deps;
    const sealedOf = async (userId: string) =>
      (await db.mfaTotpFactor.findUniqueOrThrow({ where: { userId } })).secretSealed;
    const before = await sealedOf(used.id);

    // A sign-in on the rotated server works and seals the secret under the new key.
    const signedIn = await secondStep(
      await challengeOf(used, rotated),
      'totp',
      await code(used.secret, 0),
      rotated,
    );
    expect(signedIn.statusCode).toBe(200);
    const after = await sealedOf(used.id);
    expect(after).not.toBe(before);
    expect(openTotpSecret(deriveMfaKeys(newKey), used.id, after)).toEqual({
      secret: used.secret,
      stale: false,
    });

    // The idle account is sealed again in bulk; a second run finds nothing left to do.
    const keys = deriveMfaKeys(newKey, oldKey);
    const first = await resealTotpSecrets(db, keys);
    expect(first.resealed).toBeGreaterThanOrEqual(1);
    expect(first.unreadable).toBe(0);
    expect(openTotpSecret(deriveMfaKeys(newKey), idle.id, await sealedOf(idle.id))?.stale).toBe(
      false,
    );
    expect((await resealTotpSecrets(db, keys)).resealed).toBe(0);

    // The old key alone no longer opens them: a server without the rotation refuses the code.
    const stale = await secondStep(
      await challengeOf(idle, app),
      'totp',
      await code(idle.secret, 1),
      app,
    );
    expect(stale.statusCode).toBe(400);
    expect(stale.json().code).toBe('invalid_mfa_code');
    // …and a recovery code still gets the owner in.
    const recovered = await secondStep(
      await challengeOf(idle, app),
      'recovery_code',
      idle.recoveryCodes[0] ?? '',
      app,
    );
    expect(recovered.statusCode).toBe(200);
  });
});
