import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSignedInUser, type SignedInUser } from '../../../test/support/auth.js';
import { setupTestContext } from '../../../test/support/context.js';
import { deliverPendingMail } from '../../../test/support/mail.js';
import { SoftwareAuthenticator } from '../../../test/support/webauthn.js';
import { cleanUpAuth } from './jobs.js';
import { MAX_PASSKEYS_PER_USER } from './passkeys-service.js';
import { hashToken } from './secrets.js';
import { TOTP_PERIOD_SECONDS, totpCode } from './totp.js';
import { createWebauthn, relyingPartyOf } from './webauthn.js';

const ctx = setupTestContext();
let app: FastifyInstance;
const ORIGIN = 'http://localhost:8080';
const RP_ID = 'localhost';

beforeAll(async () => {
  app = await ctx.buildApp({ AUTH_AUTO_VERIFY: 'true' });
});

const ip = () => `10.9.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

function post(url: string, payload: object, headers: Record<string, string> = {}) {
  return app.inject({
    method: 'POST',
    url,
    payload,
    headers: { 'x-forwarded-for': ip(), ...headers },
  });
}

function claimsOf(accessToken: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString('utf8'));
}

function authenticator(
  options: { userVerified?: boolean; synced?: boolean; counting?: boolean } = {},
) {
  return new SoftwareAuthenticator({ origin: ORIGIN, rpId: RP_ID, ...options });
}

async function registrationOptions(user: SignedInUser) {
  const response = await post(
    '/api/auth/passkeys/options',
    { password: user.password },
    user.headers,
  );
  expect(response.statusCode).toBe(200);
  return response.json() as PublicKeyCredentialCreationOptionsJSON;
}

/** A user with this authenticator's passkey registered through the API. */
async function withPasskey(key = authenticator(), user?: SignedInUser) {
  const owner = user ?? (await createSignedInUser(app, ctx));
  const credential = key.create(await registrationOptions(owner));
  const created = await post('/api/auth/passkeys', { credential, name: 'Laptop' }, owner.headers);
  expect(created.statusCode).toBe(201);
  return { user: owner, key, passkeyId: created.json().id as string };
}

async function signInOptions() {
  const response = await post('/api/auth/sign-in/passkey/options', {});
  expect(response.statusCode).toBe(200);
  return response.json() as PublicKeyCredentialRequestOptionsJSON;
}

function passkeySignIn(credential: object) {
  return post('/api/auth/sign-in/passkey', { credential, refreshTokenIn: 'body' });
}

async function countPasskeys(userId: string) {
  return ctx.deps.db.passkey.count({ where: { userId } });
}

/** Turns TOTP MFA on for the user; returns the secret. */
async function enrolTotp(user: SignedInUser): Promise<string> {
  const enrol = await post('/api/auth/mfa/totp', {}, user.headers);
  expect(enrol.statusCode).toBe(200);
  const { secret } = enrol.json() as { secret: string };
  const activate = await post(
    '/api/auth/mfa/totp/activate',
    { code: totpCode(secret, Date.now() - TOTP_PERIOD_SECONDS * 1000) },
    user.headers,
  );
  expect(activate.statusCode).toBe(200);
  return secret;
}

describe('registration', () => {
  it('needs the password on an aal1 session, then stores the verified credential, emails and audits', async () => {
    const user = await createSignedInUser(app, ctx);
    const bare = await post('/api/auth/passkeys/options', {}, user.headers);
    expect(bare.statusCode).toBe(403);
    expect(bare.json().code).toBe('reauthentication_required');
    const wrong = await post(
      '/api/auth/passkeys/options',
      { password: 'not-it-at-all' },
      user.headers,
    );
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().code).toBe('wrong_password');

    const options = await registrationOptions(user);
    expect(options.rp).toEqual({ name: 'Homeport', id: RP_ID });
    expect(options.user.name).toBe(user.email);
    expect(options.attestation).toBe('none');
    expect(options.authenticatorSelection?.residentKey).toBe('required');
    const key = authenticator();
    const created = await post(
      '/api/auth/passkeys',
      { credential: key.create(options), name: '  MacBook  ' },
      user.headers,
    );
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ name: 'MacBook', synced: false, lastUsedAt: null });

    const row = await ctx.deps.db.passkey.findFirstOrThrow({ where: { userId: user.id } });
    expect(row.credentialId).toBe(key.id);
    expect(row.counter).toBe(1n);
    expect(row.deviceType).toBe('singleDevice');
    const list = await app.inject({
      method: 'GET',
      url: '/api/auth/passkeys',
      headers: user.headers,
    });
    expect(list.json().items).toHaveLength(1);
    expect(
      await ctx.deps.db.auditEvent.count({ where: { userId: user.id, type: 'passkey.added' } }),
    ).toBe(1);
    await deliverPendingMail(ctx);
    const mail = await ctx.mailbox.waitFor(user.email, { subject: 'A passkey was added' });
    expect(mail.Text).toContain('"MacBook"');

    // The next options exclude it, so the browser will not register it twice.
    const again = await registrationOptions(user);
    expect(again.excludeCredentials?.map((item) => item.id)).toEqual([key.id]);
  });

  it('an aal2 session needs no password', async () => {
    const user = await createSignedInUser(app, ctx);
    const secret = await enrolTotp(user);
    const challenge = (
      await post('/api/auth/sign-in', {
        email: user.email,
        password: user.password,
        refreshTokenIn: 'body',
      })
    ).json().challenge as string;
    const signedIn = await post('/api/auth/sign-in/mfa', {
      challenge,
      method: 'totp',
      code: totpCode(secret, Date.now()),
      refreshTokenIn: 'body',
    });
    expect(signedIn.statusCode).toBe(200);
    const headers = { authorization: `Bearer ${signedIn.json().accessToken}` };
    const options = await post('/api/auth/passkeys/options', {}, headers);
    expect(options.statusCode).toBe(200);
  });

  it('with MFA on, only a session that used the second factor adds one: an older session and the password do not', async () => {
    const user = await createSignedInUser(app, ctx);
    // A second session, from before two-step sign-in was turned on (another device).
    const older = (
      await post('/api/auth/sign-in', {
        email: user.email,
        password: user.password,
        refreshTokenIn: 'body',
      })
    ).json();
    await enrolTotp(user);
    const olderHeaders = { authorization: `Bearer ${older.accessToken}` };
    const refused = await post(
      '/api/auth/passkeys/options',
      { password: user.password },
      olderHeaders,
    );
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('second_factor_required');
    // Nor can it mint recovery codes, which would sign in at aal2.
    const codes = await post(
      '/api/auth/mfa/recovery-codes',
      { password: user.password },
      olderHeaders,
    );
    expect(codes.statusCode).toBe(403);
    expect(codes.json().code).toBe('second_factor_required');
    // The enrolling session became aal2 (its row; the token says so from its next refresh).
    expect((await post('/api/auth/passkeys/options', {}, user.headers)).statusCode).toBe(200);
  });

  it('refuses a replayed, foreign, forged-origin or wrong-RP answer and stores nothing', async () => {
    const user = await createSignedInUser(app, ctx);
    const other = await createSignedInUser(app, ctx);
    const key = authenticator();

    const forged = async (
      ceremony: Parameters<SoftwareAuthenticator['create']>[1],
      expected: string,
    ) => {
      const credential = key.create(await registrationOptions(user), ceremony);
      const response = await post('/api/auth/passkeys', { credential }, user.headers);
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe(expected);
    };
    await forged({ origin: 'https://evil.example' }, 'passkey_not_verified');
    await forged({ rpId: 'evil.example' }, 'passkey_not_verified');
    await forged({ challenge: 'bm90LWEtY2hhbGxlbmdlLXdlLWlzc3VlZA' }, 'passkey_challenge_invalid');

    // A challenge given to another account does not register a key on this one.
    const theirs = key.create(await registrationOptions(other));
    const crossed = await post('/api/auth/passkeys', { credential: theirs }, user.headers);
    expect(crossed.statusCode).toBe(400);
    expect(crossed.json().code).toBe('passkey_challenge_invalid');

    // A good answer works once; the same answer again finds its challenge spent.
    const credential = key.create(await registrationOptions(user));
    expect((await post('/api/auth/passkeys', { credential }, user.headers)).statusCode).toBe(201);
    const replay = await post('/api/auth/passkeys', { credential }, user.headers);
    expect(replay.statusCode).toBe(400);
    expect(replay.json().code).toBe('passkey_challenge_invalid');
    expect(await countPasskeys(user.id)).toBe(1);
    expect(await countPasskeys(other.id)).toBe(0);

    // The same authenticator registered again (a browser that ignored excludeCredentials).
    const twice = await post(
      '/api/auth/passkeys',
      { credential: key.create(await registrationOptions(user)) },
      user.headers,
    );
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('passkey_already_registered');
    expect(await countPasskeys(user.id)).toBe(1);
  });

  it('refuses malformed bodies by schema with a clear 400', async () => {
    const user = await createSignedInUser(app, ctx);
    const options = await registrationOptions(user);
    const good = authenticator().create(options);
    const cases: object[] = [
      {},
      { credential: { ...good, type: 'password' } },
      { credential: { ...good, response: { clientDataJSON: 'not base64url!' } } },
      { credential: good, name: '' },
      { credential: good, name: 'x'.repeat(65) },
      { credential: good, extra: true },
    ];
    for (const payload of cases) {
      const response = await post('/api/auth/passkeys', payload, user.headers);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
    // Client data that is not JSON at all.
    const garbage = {
      ...good,
      response: { ...good.response, clientDataJSON: Buffer.from('{nope').toString('base64url') },
    };
    const bad = await post('/api/auth/passkeys', { credential: garbage }, user.headers);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('passkey_not_verified');
    for (const name of ['nul\u0000name', 'tab\there', '   ']) {
      const named = await post('/api/auth/passkeys', { credential: good, name }, user.headers);
      expect(named.statusCode, JSON.stringify(name)).toBe(400);
    }
    // The id the client names must be the one in the authenticator data.
    const renamed = authenticator().create(await registrationOptions(user));
    const mismatch = await post(
      '/api/auth/passkeys',
      { credential: { ...renamed, id: good.id, rawId: good.id } },
      user.headers,
    );
    expect(mismatch.json().code).toBe('passkey_not_verified');
    expect(await countPasskeys(user.id)).toBe(0);

    // Unknown transports are dropped, not stored or sent back to browsers.
    const odd = authenticator().create(await registrationOptions(user));
    const stored = await post(
      '/api/auth/passkeys',
      {
        credential: { ...odd, response: { ...odd.response, transports: ['internal', 'teleport'] } },
      },
      user.headers,
    );
    expect(stored.statusCode).toBe(201);
    expect(stored.json().transports).toEqual(['internal']);
  });

  it(`stops at ${MAX_PASSKEYS_PER_USER} passkeys per account`, async () => {
    const user = await createSignedInUser(app, ctx);
    const { key } = await withPasskey(authenticator(), user);
    const rows = Array.from({ length: MAX_PASSKEYS_PER_USER - 1 }, (_, index) => ({
      userId: user.id,
      credentialId: `${key.id}-${index}`,
      publicKey: Buffer.from([1]),
      deviceType: 'singleDevice',
      aaguid: '00000000-0000-0000-0000-000000000000',
      name: `Key ${index}`,
    }));
    await ctx.deps.db.passkey.createMany({ data: rows });
    const response = await post(
      '/api/auth/passkeys/options',
      { password: user.password },
      user.headers,
    );
    expect(response.statusCode).toBe(409);
    expect(response.json().code).toBe('passkey_limit');
  });
});

describe('passwordless sign-in', () => {
  it('a user-verified device-bound passkey signs in at aal2 (hwk, mfa) and is single-use per challenge', async () => {
    const { user, key } = await withPasskey();
    const options = await signInOptions();
    expect(options.rpId).toBe(RP_ID);
    expect(options.allowCredentials ?? []).toEqual([]);
    const credential = key.get(options);
    const response = await passkeySignIn(credential);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.user.id).toBe(user.id);
    const claims = claimsOf(body.accessToken);
    expect(claims.amr).toEqual(['hwk', 'mfa']);
    expect(claims.acr).toBe('aal2');
    // The refreshed token keeps it.
    const refreshed = await post('/api/auth/refresh', { refreshToken: body.refreshToken });
    expect(claimsOf(refreshed.json().accessToken).acr).toBe('aal2');

    const replay = await passkeySignIn(credential);
    expect(replay.statusCode).toBe(400);
    expect(replay.json().code).toBe('passkey_challenge_invalid');
    const row = await ctx.deps.db.passkey.findFirstOrThrow({ where: { userId: user.id } });
    expect(row.counter).toBe(2n);
    expect(row.lastUsedAt).not.toBeNull();
  });

  it('a user-verified passkey is two factors: no second step even with MFA on', async () => {
    const { user, key } = await withPasskey();
    await enrolTotp(user);
    const response = await passkeySignIn(key.get(await signInOptions()));
    expect(response.json().mfaRequired).toBeUndefined();
    expect(claimsOf(response.json().accessToken)).toMatchObject({
      amr: ['hwk', 'mfa'],
      acr: 'aal2',
    });
  });

  it('a synced passkey is swk; one that does not count (counter 0) signs in again and again', async () => {
    const { key } = await withPasskey(authenticator({ synced: true, counting: false }));
    for (let round = 0; round < 2; round += 1) {
      const response = await passkeySignIn(key.get(await signInOptions()));
      expect(response.statusCode).toBe(200);
      expect(claimsOf(response.json().accessToken).amr).toEqual(['swk', 'mfa']);
    }
  });

  it('refuses a counter that went backwards (a cloned authenticator) and audits it', async () => {
    const { user, key } = await withPasskey();
    expect((await passkeySignIn(key.get(await signInOptions(), { counter: 7 }))).statusCode).toBe(
      200,
    );
    for (const counter of [7, 3, 0]) {
      const response = await passkeySignIn(key.get(await signInOptions(), { counter }));
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe('passkey_counter_regressed');
    }
    const row = await ctx.deps.db.passkey.findFirstOrThrow({ where: { userId: user.id } });
    expect(row.counter).toBe(7n);
    expect(
      await ctx.deps.db.auditEvent.count({
        where: { userId: user.id, type: 'passkey.counter_regressed' },
      }),
    ).toBe(3);
  });

  it('two answers checked against the same stored row: exactly one moves the counter', async () => {
    const { user, key } = await withPasskey(authenticator({ counting: false }));
    const webauthn = createWebauthn({ db: ctx.deps.db, rp: relyingPartyOf(ORIGIN, 'Homeport') });
    const stale = await ctx.deps.db.passkey.findFirstOrThrow({ where: { userId: user.id } });
    const meta = { ip: '127.0.0.1', userAgent: undefined };
    const answer = async (counter: number) => {
      const options = await webauthn.assertionOptions('sign_in', {});
      const credential = key.get(options, { counter });
      const { challenge } = await webauthn.spendChallenge(credential, 'sign_in');
      return webauthn.verifyAssertion(stale, credential, challenge, meta).then(
        () => 'accepted',
        (error: { code?: string }) => error.code,
      );
    };
    // Both read counter 0; the first moves it to 5, so the second (also 5, or 0) is refused.
    expect(await answer(5)).toBe('accepted');
    expect(await answer(5)).toBe('passkey_counter_regressed');
    expect(await answer(0)).toBe('passkey_counter_regressed');
    // Removed between the read and the check: unknown, not "copied".
    await ctx.deps.db.passkey.delete({ where: { id: stale.id } });
    expect(await answer(9)).toBe('passkey_unknown');
    expect(
      await ctx.deps.db.auditEvent.count({
        where: { userId: user.id, type: 'passkey.counter_regressed' },
      }),
    ).toBe(2);
  });

  it('refuses an answer without the account it was made for, or naming another account', async () => {
    const { key } = await withPasskey();
    const good = key.get(await signInOptions());
    const { userHandle: _handle, ...withoutHandle } = good.response;
    const absent = await passkeySignIn({ ...good, response: withoutHandle });
    expect(absent.json().code).toBe('passkey_unknown');
    const other = key.get(await signInOptions());
    const foreign = await passkeySignIn({
      ...other,
      response: { ...other.response, userHandle: Buffer.alloc(16, 7).toString('base64url') },
    });
    expect(foreign.json().code).toBe('passkey_unknown');
  });

  it('refuses an unknown key, a forged signature, a wrong origin and a disabled account', async () => {
    const stranger = authenticator();
    stranger.create({ user: { id: 'AAAA', name: 'x', displayName: 'x' } } as never);
    const unknown = await passkeySignIn(stranger.get(await signInOptions()));
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().code).toBe('passkey_unknown');

    const { user, key } = await withPasskey();
    const good = key.get(await signInOptions());
    const signature = Buffer.from(good.response.signature, 'base64url');
    signature.writeUInt8((signature.at(-1) ?? 0) ^ 0xff, signature.length - 1);
    const forged = await passkeySignIn({
      ...good,
      response: { ...good.response, signature: signature.toString('base64url') },
    });
    expect(forged.statusCode).toBe(400);
    expect(forged.json().code).toBe('passkey_not_verified');

    const elsewhere = await passkeySignIn(
      key.get(await signInOptions(), { origin: 'https://evil.example' }),
    );
    expect(elsewhere.json().code).toBe('passkey_not_verified');

    // Options for registration do not start a sign-in.
    const registration = await registrationOptions(user);
    const mixed = await passkeySignIn(key.get({ challenge: registration.challenge } as never));
    expect(mixed.json().code).toBe('passkey_challenge_invalid');

    await ctx.deps.db.user.update({ where: { id: user.id }, data: { status: 'disabled' } });
    const disabled = await passkeySignIn(key.get(await signInOptions()));
    expect(disabled.statusCode).toBe(403);
    expect(disabled.json().code).toBe('account_disabled');
  });

  it('without user verification it is one factor: the second step follows when MFA is on', async () => {
    const { user, key } = await withPasskey(authenticator({ userVerified: false }));
    const plain = await passkeySignIn(key.get(await signInOptions()));
    expect(plain.statusCode).toBe(200);
    expect(claimsOf(plain.json().accessToken)).toMatchObject({ amr: ['hwk'], acr: 'aal1' });

    const secret = await enrolTotp(user);
    const challenged = await passkeySignIn(key.get(await signInOptions()));
    expect(challenged.statusCode).toBe(200);
    const body = challenged.json();
    expect(body.mfaRequired).toBe(true);
    // The passkey was the first step: it is not offered as the second.
    expect(body.methods).toEqual(['totp', 'recovery_code']);
    expect(body.accessToken).toBeUndefined();
    const offered = await post('/api/auth/sign-in/mfa/passkey/options', {
      challenge: body.challenge,
    });
    expect(offered.statusCode).toBe(409);
    expect(offered.json().code).toBe('passkey_not_offered');
    const done = await post('/api/auth/sign-in/mfa', {
      challenge: body.challenge,
      method: 'totp',
      code: totpCode(secret, Date.now()),
      refreshTokenIn: 'body',
    });
    expect(done.statusCode).toBe(200);
    expect(claimsOf(done.json().accessToken)).toMatchObject({
      amr: ['hwk', 'otp', 'mfa'],
      acr: 'aal2',
    });
  });
});

describe('a passkey as the second step', () => {
  async function passwordChallenge(user: SignedInUser) {
    const response = await post('/api/auth/sign-in', {
      email: user.email,
      password: user.password,
      refreshTokenIn: 'body',
    });
    return response.json() as { challenge: string; methods: string[] };
  }

  async function secondStepOptions(challenge: string) {
    const response = await post('/api/auth/sign-in/mfa/passkey/options', { challenge });
    expect(response.statusCode).toBe(200);
    return response.json() as PublicKeyCredentialRequestOptionsJSON;
  }

  function secondStep(challenge: string, credential: object) {
    return post('/api/auth/sign-in/mfa/passkey', { challenge, credential, refreshTokenIn: 'body' });
  }

  it("after the password: only the account's own keys, this challenge only; then pwd + hwk + mfa at aal2", async () => {
    const { user, key } = await withPasskey(authenticator({ userVerified: false }));
    await enrolTotp(user);
    const { key: otherKey } = await withPasskey();

    const first = await passwordChallenge(user);
    expect(first.methods).toEqual(['totp', 'recovery_code', 'passkey']);
    const options = await secondStepOptions(first.challenge);
    expect(options.allowCredentials?.map((item) => item.id)).toEqual([key.id]);

    // Another account's key cannot answer, even with these options.
    const foreign = await secondStep(first.challenge, otherKey.get(options));
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().code).toBe('passkey_not_verified');

    // Options of one sign-in do not answer another sign-in's challenge.
    const second = await passwordChallenge(user);
    const crossed = await secondStep(
      second.challenge,
      key.get(await secondStepOptions(first.challenge)),
    );
    expect(crossed.json().code).toBe('passkey_challenge_invalid');

    // Nor does a passwordless sign-in's challenge.
    const signInChallenge = await secondStep(first.challenge, key.get(await signInOptions()));
    expect(signInChallenge.json().code).toBe('passkey_challenge_invalid');

    const done = await secondStep(
      first.challenge,
      key.get(await secondStepOptions(first.challenge)),
    );
    expect(done.statusCode).toBe(200);
    expect(claimsOf(done.json().accessToken)).toMatchObject({
      amr: ['pwd', 'hwk', 'mfa'],
      acr: 'aal2',
    });
    // The MFA challenge is spent.
    const again = await post('/api/auth/sign-in/mfa/passkey/options', {
      challenge: first.challenge,
    });
    expect(again.statusCode).toBe(401);
  });

  it('counts passkey tries per challenge: the sixth gets mfa_attempts_exhausted', async () => {
    const { user, key } = await withPasskey();
    await enrolTotp(user);
    const { challenge } = await passwordChallenge(user);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const options = await secondStepOptions(challenge);
      const wrong = key.get(options, { origin: 'https://evil.example' });
      expect((await secondStep(challenge, wrong)).json().code).toBe('passkey_not_verified');
    }
    const exhausted = await post('/api/auth/sign-in/mfa/passkey/options', { challenge });
    expect(exhausted.statusCode).toBe(401);
    expect(exhausted.json().code).toBe('mfa_attempts_exhausted');
    // The answer route counts too: a sixth answer is refused before it is checked.
    const sixth = await secondStep(challenge, key.get(await signInOptions()));
    expect(sixth.statusCode).toBe(401);
    expect(sixth.json().code).toBe('mfa_attempts_exhausted');
  });
});

describe('managing passkeys', () => {
  it("renames and removes only the owner's keys; emails and audits the removal", async () => {
    const { user, passkeyId } = await withPasskey();
    const stranger = await createSignedInUser(app, ctx);
    const patch = (id: string, name: string, headers: Record<string, string>) =>
      app.inject({ method: 'PATCH', url: `/api/auth/passkeys/${id}`, payload: { name }, headers });
    expect((await patch(passkeyId, 'Phone', stranger.headers)).statusCode).toBe(404);
    const renamed = await patch(passkeyId, 'Phone', user.headers);
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json().name).toBe('Phone');

    const remove = (headers: Record<string, string>) =>
      app.inject({ method: 'DELETE', url: `/api/auth/passkeys/${passkeyId}`, headers });
    expect((await remove(stranger.headers)).statusCode).toBe(404);
    expect(await countPasskeys(user.id)).toBe(1);
    expect((await remove(user.headers)).statusCode).toBe(204);
    expect(await countPasskeys(user.id)).toBe(0);
    expect(
      await ctx.deps.db.auditEvent.count({ where: { userId: user.id, type: 'passkey.removed' } }),
    ).toBe(1);
    await deliverPendingMail(ctx);
    const mail = await ctx.mailbox.waitFor(user.email, { subject: 'A passkey was removed' });
    expect(mail.Text).toContain('"Phone"');
  });

  it('refuses to remove the last way to sign in of an account without a password, also in parallel', async () => {
    const { user, passkeyId, key } = await withPasskey();
    const second = authenticator();
    const added = await post(
      '/api/auth/passkeys',
      { credential: second.create(await registrationOptions(user)) },
      user.headers,
    );
    expect(added.statusCode).toBe(201);
    await ctx.deps.db.user.update({ where: { id: user.id }, data: { passwordHash: null } });

    const remove = (id: string) =>
      app.inject({ method: 'DELETE', url: `/api/auth/passkeys/${id}`, headers: user.headers });
    const results = await Promise.all([remove(passkeyId), remove(added.json().id)]);
    expect(results.map((response) => response.statusCode).sort()).toEqual([204, 409]);
    const refused = results.find((response) => response.statusCode === 409);
    expect(refused?.json().code).toBe('last_sign_in_method');
    expect(await countPasskeys(user.id)).toBe(1);
    void key;
  });

  it('a passkey counts as a way to sign in when a provider is unlinked', async () => {
    const { user, passkeyId } = await withPasskey();
    await ctx.deps.db.user.update({ where: { id: user.id }, data: { passwordHash: null } });
    const identity = await ctx.deps.db.identity.create({
      data: {
        userId: user.id,
        provider: 'example',
        issuer: 'https://id.example.test',
        subject: user.id,
      },
    });
    const unlink = () =>
      app.inject({
        method: 'DELETE',
        url: `/api/auth/identities/${identity.id}`,
        headers: user.headers,
      });
    expect((await unlink()).statusCode).toBe(204);
    // Now the passkey is the last one: it stays.
    const last = await app.inject({
      method: 'DELETE',
      url: `/api/auth/passkeys/${passkeyId}`,
      headers: user.headers,
    });
    expect(last.statusCode).toBe(409);
    expect(last.json().code).toBe('last_sign_in_method');
  });

  it('a signed-in account without a password adds a passkey right after signing in, not later', async () => {
    const { user, key } = await withPasskey(authenticator({ userVerified: false }));
    await ctx.deps.db.user.update({ where: { id: user.id }, data: { passwordHash: null } });
    const signedIn = await passkeySignIn(key.get(await signInOptions()));
    const headers = { authorization: `Bearer ${signedIn.json().accessToken}` };
    expect((await post('/api/auth/passkeys/options', {}, headers)).statusCode).toBe(200);

    const session = await ctx.deps.db.session.findFirstOrThrow({
      where: { id: signedIn.json().sessionId },
    });
    // Ten minutes later the same session must sign in again first.
    const old = new Date(Date.now() - 11 * 60_000);
    await ctx.deps.db.session.update({ where: { id: session.id }, data: { createdAt: old } });
    const refreshed = await post('/api/auth/refresh', {
      refreshToken: signedIn.json().refreshToken,
    });
    const later = { authorization: `Bearer ${refreshed.json().accessToken}` };
    const refused = await post('/api/auth/passkeys/options', {}, later);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('reauthentication_required');
  });

  it('the cleanup job removes challenges nobody answered, and keeps live ones', async () => {
    const stale = hashToken((await signInOptions()).challenge);
    const live = hashToken((await signInOptions()).challenge);
    await ctx.deps.db.webauthnChallenge.update({
      where: { challengeHash: stale },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    await cleanUpAuth(ctx.deps.db);
    const left = await ctx.deps.db.webauthnChallenge.findMany({
      where: { challengeHash: { in: [stale, live] } },
    });
    expect(left.map((row) => row.challengeHash)).toEqual([live]);
  });
});
