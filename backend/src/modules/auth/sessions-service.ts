import type { Database } from '../../db/client.js';
import { Prisma, type Role } from '../../generated/prisma/client.js';
import { NotFoundError } from '../../lib/errors.js';
import type { AccessTokens } from '../../plugins/authenticate.js';
import { recordAudit } from '../audit/service.js';
import {
  type AssuranceLevel,
  type AuthMethod,
  CODE_METHODS,
  PASSWORD_AUTHENTICATION,
  type SecondFactorMethod,
  storedAuthentication,
  withSecondFactor,
} from './access-claims.js';
import { createDeviceCookies } from './devices.js';
import {
  AccountDisabledError,
  AccountNotConfirmedError,
  InvalidCredentialsError,
  InvalidRefreshTokenError,
  InvalidUnlockTokenError,
} from './errors.js';
import {
  type Admission,
  lockoutAccount,
  type SignInAttempt,
  type SignInGuard,
  UNLOCK_LINK_TTL_MS,
} from './lockout.js';
import { type AuthOutbox, mailLocale } from './mail.js';
import {
  InvalidMfaChallengeError,
  InvalidMfaCodeError,
  type MfaService,
  type SecondFactor,
} from './mfa-service.js';
import { spendVerifyTime, verifyPassword } from './passwords.js';
import type { RevocationList } from './revocation.js';
import { hashToken, newRefreshToken, normaliseEmail } from './secrets.js';
import { type AuthKeys, mac, macMatches, seal, unseal } from './server-keys.js';
import {
  applyRevocations,
  createSession,
  type RequestMeta,
  revokeSessions,
} from './session-store.js';
import type { Throttle } from './throttle.js';
import { PasskeyChallengeError, PasskeyError, type Webauthn } from './webauthn.js';

export interface SessionLifetimes {
  persistentMs: number;
  ordinaryMs: number;
}

export interface IssuedTokens {
  accessToken: string;
  expiresIn: number;
  sessionId: string;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
  persistent: boolean;
  user: { id: string; email: string; roles: Role[] };
}

export interface SignedIn extends IssuedTokens {
  /** The `__Host-hp_device` value to set: this browser is now a known device of the account. */
  deviceCookie: string;
}

/** The password was right and the account has MFA on: the second step needs this challenge. */
export interface MfaChallenged {
  mfaRequired: true;
  challenge: string;
  challengeExpiresAt: Date;
  methods: SecondFactorMethod[];
}

/** How a sign-in path found the user: what it verified, and the browser's device cookie. */
export interface FirstFactor {
  authentication: Authentication;
  keepSignedIn: boolean;
  deviceCookie?: string | undefined;
}

/** A challenge lives this long; a TOTP code and a recovery code each get this many tries on it. */
export const MFA_CHALLENGE_TTL_MS = 5 * 60_000;
export const MFA_CHALLENGE_ATTEMPTS = 5;
/** Failed second steps per account and window (AUTH_RATE_LIMIT_WINDOW_SECONDS), per method. */
export const MFA_ATTEMPTS_PER_USER = { totp: 10, recovery_code: 10, passkey: 10 } as const;
/** Each second-step method's try counter on the challenge row. */
const ATTEMPT_COLUMNS = {
  totp: Prisma.raw('totp_attempts'),
  recovery_code: Prisma.raw('recovery_attempts'),
  passkey: Prisma.raw('passkey_attempts'),
} as const;

export interface Authentication {
  methods: readonly AuthMethod[];
  level: AssuranceLevel;
}

type SignInUser = { id: string; email: string; roles: Role[]; status: string };

export interface SessionView {
  id: string;
  userAgent: string | null;
  ip: string | null;
  persistent: boolean;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  current: boolean;
}

interface ChallengeRow {
  id: string;
  user_id: string;
  persistent: boolean;
  device_id: string | null;
  trusted_device: boolean;
  first_factor: string[];
}

export function createSessionsService(deps: {
  db: Database;
  accessTokens: AccessTokens;
  revocations: RevocationList;
  throttle: Throttle;
  guard: SignInGuard;
  outbox: AuthOutbox;
  keys: AuthKeys;
  lifetimes: SessionLifetimes;
  /** AUTH_REFRESH_GRACE_SECONDS in ms. */
  graceMs: number;
  /** AUTH_RATE_LIMIT_WINDOW_SECONDS: also how long the account-wide lock lasts. */
  windowSeconds: number;
  mfa: MfaService;
  webauthn: Pick<Webauthn, 'hasPasskey' | 'verifySecondFactor'>;
}) {
  const { db, accessTokens, revocations, throttle, guard, outbox, keys, lifetimes } = deps;
  const { graceMs, windowSeconds, mfa, webauthn } = deps;
  const devices = createDeviceCookies(keys.device);

  /** `signedInAt` is the session's sign-in (`auth_time`); `authentication` its amr/acr. */
  function signAccess(
    user: { id: string; roles: Role[] },
    sessionId: string,
    signedInAt: Date,
    authentication: Authentication,
  ) {
    return {
      token: accessTokens.signUser(
        { id: user.id, roles: user.roles, sessionId },
        { at: signedInAt, level: authentication.level, methods: [...authentication.methods] },
      ),
      expiresIn: accessTokens.ttlSeconds,
    };
  }

  function issue(
    user: { id: string; email: string; roles: Role[] },
    session: { id: string; expiresAt: Date; persistent: boolean },
    refreshToken: string,
    access: { token: string; expiresIn: number },
  ): IssuedTokens {
    return {
      accessToken: access.token,
      expiresIn: access.expiresIn,
      sessionId: session.id,
      refreshToken,
      refreshTokenExpiresAt: session.expiresAt,
      persistent: session.persistent,
      user: { id: user.id, email: user.email, roles: user.roles },
    };
  }

  /** Queued through the outbox; the link names the account and the lock it lifts. */
  async function sendUnlockEmail(
    user: { id: string; email: string; locale: string; status: string },
    notifiedAt: Date,
  ) {
    const at = notifiedAt.getTime();
    const token = `${user.id}.${at}.${mac(keys.unlock, `unlock:${user.id}:${at}`)}`;
    await db.$transaction(async (tx) => {
      await tx.user.update({
        where: { id: user.id },
        data: { lockedUntil: new Date(Date.now() + windowSeconds * 1000) },
      });
      if (user.status === 'active') {
        await outbox.enqueue(tx, {
          to: user.email,
          template: 'account-unlock',
          locale: mailLocale(user.locale),
          data: { token, minutes: Math.ceil(windowSeconds / 60) },
          userId: user.id,
        });
      }
    });
  }

  async function revokeAndApply(
    where: Parameters<typeof revokeSessions>[1],
    reason: string,
    audit: Parameters<typeof recordAudit>[1] | undefined,
  ) {
    const ids = await db.$transaction(async (tx) => {
      const revoked = await revokeSessions(tx, where, reason);
      if (audit && revoked.length > 0) {
        await recordAudit(tx, {
          ...audit,
          details: { ...audit.details, sessions: revoked.length },
        });
      }
      return revoked;
    });
    applyRevocations(revocations, ids);
    return ids;
  }

  /**
   * Creates the session and its first tokens. `check` runs first in the same transaction (the
   * second factor); when it answers false nothing is created and the result is undefined.
   */
  async function startSession(
    user: { id: string; email: string; roles: Role[] },
    options: { persistent: boolean; deviceId: string | undefined; trusted: boolean },
    authentication: Authentication,
    meta: RequestMeta,
  ): Promise<SignedIn>;
  async function startSession(
    user: { id: string; email: string; roles: Role[] },
    options: { persistent: boolean; deviceId: string | undefined; trusted: boolean },
    authentication: Authentication,
    meta: RequestMeta,
    check: (tx: Prisma.TransactionClient) => Promise<boolean>,
  ): Promise<SignedIn | undefined>;
  async function startSession(
    user: { id: string; email: string; roles: Role[] },
    options: { persistent: boolean; deviceId: string | undefined; trusted: boolean },
    authentication: Authentication,
    meta: RequestMeta,
    check?: (tx: Prisma.TransactionClient) => Promise<boolean>,
  ): Promise<SignedIn | undefined> {
    const signedInAt = new Date();
    const { persistent } = options;
    const expiresAt = new Date(
      Date.now() + (persistent ? lifetimes.persistentMs : lifetimes.ordinaryMs),
    );
    const created = await db.$transaction(async (tx) => {
      if (check && !(await check(tx))) return undefined;
      const session = await createSession(tx, {
        userId: user.id,
        persistent,
        expiresAt,
        meta,
        authentication,
      });
      await recordAudit(tx, {
        type: 'sign_in.succeeded',
        userId: user.id,
        ...meta,
        details: {
          sessionId: session.sessionId,
          persistent,
          device: options.trusted,
          amr: [...authentication.methods],
        },
      });
      return session;
    });
    if (!created) return undefined;
    const session = { id: created.sessionId, expiresAt, persistent };
    return {
      ...issue(
        user,
        session,
        created.refreshToken,
        signAccess(user, created.sessionId, signedInAt, authentication),
      ),
      deviceCookie: devices.issue(user.id, options.deviceId),
    };
  }

  /**
   * Every sign-in path ends here once its first factor is right: with MFA on and a first factor
   * below AAL2, a challenge for the second step (no tokens yet); otherwise the session.
   */
  async function proceed(
    user: { id: string; email: string; roles: Role[] },
    options: { persistent: boolean; deviceId: string | undefined; trusted: boolean },
    first: Authentication,
    meta: RequestMeta,
  ): Promise<SignedIn | MfaChallenged> {
    if (first.level === 'aal2' || !(await mfa.isEnabled(user.id))) {
      return startSession(user, options, first, meta);
    }
    const challenge = newRefreshToken();
    const challengeExpiresAt = new Date(Date.now() + MFA_CHALLENGE_TTL_MS);
    await db.$transaction(async (tx) => {
      await tx.mfaChallenge.create({
        data: {
          tokenHash: hashToken(challenge),
          userId: user.id,
          persistent: options.persistent,
          deviceId: options.deviceId ?? null,
          trustedDevice: options.trusted,
          firstFactor: [...first.methods],
          expiresAt: challengeExpiresAt,
        },
      });
      await recordAudit(tx, {
        type: 'sign_in.mfa_challenged',
        userId: user.id,
        ...meta,
        details: { device: options.trusted, amr: [...first.methods] },
      });
    });
    // A passkey answers the second step unless it was the first one.
    const firstWasPasskey = first.methods.some((method) => method === 'hwk' || method === 'swk');
    const passkey = !firstWasPasskey && (await webauthn.hasPasskey(user.id));
    return {
      mfaRequired: true,
      challenge,
      challengeExpiresAt,
      methods: passkey ? ['totp', 'recovery_code', 'passkey'] : ['totp', 'recovery_code'],
    };
  }

  return {
    /**
     * Email and password. The lockout counts failures per (account, source) and per account;
     * a browser with this account's device cookie is its own source and is not held off by the
     * account-wide lock. An unknown email goes through the same steps (dummy hash included).
     */
    async signIn(
      input: { email: string; password: string; keepSignedIn: boolean },
      meta: RequestMeta,
      deviceCookie?: string,
    ): Promise<SignedIn | MfaChallenged> {
      const email = normaliseEmail(input.email);
      const user = await db.user.findUnique({ where: { email } });
      const deviceId = user ? devices.verify(deviceCookie, user.id) : undefined;
      const attempt: SignInAttempt = {
        account: lockoutAccount(email),
        source: deviceId ? `device:${deviceId}` : `ip:${meta.ip}`,
        trusted: deviceId !== undefined,
        ip: meta.ip,
      };
      let admission: Admission;
      try {
        admission = await guard.admit(attempt);
      } catch (error) {
        await recordAudit(db, { type: 'sign_in.locked', userId: user?.id, ...meta });
        throw error;
      }
      const correct = user
        ? await verifyPassword(user.passwordHash, input.password)
        : await spendVerifyTime(input.password);
      if (!user || !correct) {
        const { unlockMailAt } = await guard.failed(attempt, admission);
        await recordAudit(db, {
          type: 'sign_in.failed',
          userId: user?.id,
          ...meta,
          details: { reason: user ? 'password' : 'unknown', device: attempt.trusted },
        });
        if (user && unlockMailAt) await sendUnlockEmail(user, unlockMailAt);
        throw new InvalidCredentialsError();
      }
      await guard.succeeded(attempt, admission);
      if (user.status === 'pending') throw new AccountNotConfirmedError();
      if (user.status === 'disabled') throw new AccountDisabledError();

      return proceed(
        user,
        { persistent: input.keepSignedIn, deviceId, trusted: attempt.trusted },
        PASSWORD_AUTHENTICATION,
        meta,
      );
    },

    /**
     * Signs in a user whom another path (a provider's sign-in, a passkey) has identified: the
     * account's status is checked, and an aal1 first factor meets the second step like a
     * password does.
     */
    async signInVerified(
      user: SignInUser,
      first: FirstFactor,
      meta: RequestMeta,
    ): Promise<SignedIn | MfaChallenged> {
      if (user.status === 'pending') throw new AccountNotConfirmedError();
      if (user.status === 'disabled') throw new AccountDisabledError();
      const deviceId = devices.verify(first.deviceCookie, user.id);
      return proceed(
        user,
        { persistent: first.keepSignedIn, deviceId, trusted: deviceId !== undefined },
        first.authentication,
        meta,
      );
    },

    /**
     * The second sign-in step (Cognito RespondToAuthChallenge SOFTWARE_TOKEN_MFA, WEB_AUTHN).
     * Each try is counted before it is checked: per challenge (5 per method, then sign in again)
     * and per account and window (10 per method). TOTP, recovery codes and passkeys have their own
     * counters, so a TOTP lockout never blocks recovery. A right answer is taken back from the
     * account count.
     */
    async completeMfa(
      input: { challenge: string } & SecondFactor,
      meta: RequestMeta,
    ): Promise<SignedIn> {
      const tokenHash = hashToken(input.challenge);
      const attempts = ATTEMPT_COLUMNS[input.method];
      const rows = await db.$queryRaw<ChallengeRow[]>`
        UPDATE mfa_challenges SET ${attempts} = ${attempts} + 1
        WHERE token_hash = ${tokenHash} AND consumed_at IS NULL AND expires_at > now()
          AND ${attempts} < ${MFA_CHALLENGE_ATTEMPTS}
        RETURNING id, user_id, persistent, device_id, trusted_device, first_factor`;
      const challenge = rows[0];
      if (!challenge) {
        const live = await db.mfaChallenge.count({
          where: { tokenHash, consumedAt: null, expiresAt: { gt: new Date() } },
        });
        throw live > 0
          ? new InvalidMfaChallengeError(
              'mfa_attempts_exhausted',
              'Too many wrong codes for this sign-in; sign in again.',
            )
          : new InvalidMfaChallengeError();
      }
      const userKey = `mfa-${input.method}:user:${challenge.user_id}`;
      await throttle.spend(userKey, MFA_ATTEMPTS_PER_USER[input.method]);
      const user = await db.user.findUnique({ where: { id: challenge.user_id } });
      if (!user) throw new InvalidMfaChallengeError();
      if (user.status !== 'active') throw new AccountDisabledError();

      const first = storedAuthentication({
        authMethods: challenge.first_factor,
        authLevel: 'aal1',
      }).methods;
      // A passkey first step is not answered by a passkey again (the options are refused too).
      if (input.method === 'passkey' && first.some((m) => m === 'hwk' || m === 'swk')) {
        throw new PasskeyChallengeError();
      }
      // A TOTP step and a passkey's counter are taken at once; a recovery code in the session's
      // transaction below. `second` is the amr the proof adds, undefined when it failed.
      const second: AuthMethod | undefined =
        input.method === 'recovery_code'
          ? CODE_METHODS.recovery_code
          : input.method === 'totp'
            ? (await mfa.verifyTotp(user.id, input.code))
              ? CODE_METHODS.totp
              : undefined
            : (
                await webauthn.verifySecondFactor(
                  { id: user.id, mfaChallengeId: challenge.id },
                  input.credential,
                  meta,
                )
              )?.method;
      const signedIn =
        second === undefined
          ? undefined
          : await startSession(
              user,
              {
                persistent: challenge.persistent,
                deviceId: challenge.device_id ?? undefined,
                trusted: challenge.trusted_device,
              },
              withSecondFactor(first, second),
              meta,
              async (tx) => {
                if (input.method === 'recovery_code') {
                  if (!(await mfa.spendRecoveryCode(tx, user.id, input.code))) return false;
                }
                const { count } = await tx.mfaChallenge.updateMany({
                  where: { id: challenge.id, consumedAt: null },
                  data: { consumedAt: new Date() },
                });
                if (count !== 1) throw new InvalidMfaChallengeError();
                if (input.method === 'recovery_code') {
                  const left = await tx.mfaRecoveryCode.count({
                    where: { userId: user.id, usedAt: null },
                  });
                  await recordAudit(tx, {
                    type: 'mfa.recovery_code_used',
                    userId: user.id,
                    ...meta,
                    details: { codesLeft: left },
                  });
                  await outbox.enqueue(tx, {
                    to: user.email,
                    template: 'mfa-recovery-code-used',
                    locale: mailLocale(user.locale),
                    data: { codesLeft: left },
                    userId: user.id,
                  });
                }
                return true;
              },
            );
      if (!signedIn) {
        await recordAudit(db, {
          type: 'sign_in.mfa_failed',
          userId: user.id,
          ...meta,
          details: { method: input.method },
        });
        throw input.method === 'passkey' ? new PasskeyError() : new InvalidMfaCodeError();
      }
      await throttle.refund(userKey);
      return signedIn;
    },

    /**
     * The emailed unlock link: lifts the account-wide lock (and this address's own lock) and
     * marks this browser as a device of the account. Valid only for the account's current lock.
     */
    async unlock(token: string, meta: RequestMeta): Promise<{ deviceCookie: string }> {
      const [userId, at, signature, ...rest] = token.split('.');
      const notifiedAt = Number(at);
      if (!userId || !at || !signature || rest.length > 0 || !Number.isSafeInteger(notifiedAt)) {
        throw new InvalidUnlockTokenError();
      }
      await throttle.hit('unlock', meta.ip, userId);
      if (
        !macMatches(keys.unlock, `unlock:${userId}:${notifiedAt}`, signature) ||
        Date.now() - notifiedAt > UNLOCK_LINK_TTL_MS
      ) {
        throw new InvalidUnlockTokenError();
      }
      const user = await db.user.findUnique({ where: { id: userId } });
      if (!user) throw new InvalidUnlockTokenError();
      const unlocked = await guard.unlock(
        lockoutAccount(user.email),
        new Date(notifiedAt),
        `ip:${meta.ip}`,
      );
      if (!unlocked) throw new InvalidUnlockTokenError();
      await db.$transaction([
        db.user.update({ where: { id: user.id }, data: { lockedUntil: null } }),
        db.auditEvent.create({
          data: {
            type: 'account.unlocked',
            userId: user.id,
            ip: meta.ip,
            userAgent: meta.userAgent?.slice(0, 512) ?? null,
          },
        }),
      ]);
      return { deviceCookie: devices.issue(user.id) };
    },

    /**
     * Rotates the refresh token. A token presented again within the grace window (a retried
     * request, two tabs, two workers) answers with the very pair its first use produced; a token
     * used earlier than that means two parties hold the family (one of them stole it): the whole
     * session is revoked.
     */
    async refresh(token: string, meta: RequestMeta): Promise<IssuedTokens> {
      const tokenHash = hashToken(token);
      const found = await db.refreshToken.findUnique({
        where: { tokenHash },
        include: { session: { include: { user: true } } },
      });
      if (!found) throw new InvalidRefreshTokenError();
      const { session } = found;
      if (session.revokedAt || session.expiresAt <= new Date()) {
        throw new InvalidRefreshTokenError('session_expired', 'The session has ended; sign in.');
      }
      const reuse = async () => {
        await revokeAndApply({ id: session.id }, 'refresh_reuse', {
          type: 'session.refresh_reused',
          userId: session.userId,
          ...meta,
          details: { sessionId: session.id },
        });
        return new InvalidRefreshTokenError(
          'refresh_token_reused',
          'This refresh token was already used; the session has been signed out.',
        );
      };
      const replay = (row: { usedAt: Date | null; successorSealed: string | null }) => {
        if (!row.usedAt || !row.successorSealed) return undefined;
        if (Date.now() - row.usedAt.getTime() >= graceMs) return undefined;
        const opened = unseal(keys.successor, row.successorSealed, tokenHash);
        if (!opened) return undefined;
        const pair = JSON.parse(opened) as {
          refreshToken: string;
          accessToken: string;
          exp: number;
        };
        return issue(session.user, session, pair.refreshToken, {
          token: pair.accessToken,
          expiresIn: Math.max(1, pair.exp - Math.floor(Date.now() / 1000)),
        });
      };
      if (found.usedAt) {
        if (session.user.status !== 'active') throw new AccountDisabledError();
        const again = replay(found);
        if (again) return again;
        throw await reuse();
      }
      if (session.user.status !== 'active') throw new AccountDisabledError();

      const next = newRefreshToken();
      const access = signAccess(
        session.user,
        session.id,
        session.createdAt,
        storedAuthentication(session),
      );
      const successorSealed = seal(
        keys.successor,
        JSON.stringify({
          refreshToken: next,
          accessToken: access.token,
          exp: Math.floor(Date.now() / 1000) + access.expiresIn,
        }),
        tokenHash,
      );
      const rotated = await db.$transaction(async (tx) => {
        // Conditional update: of two concurrent refreshes with one token, exactly one rotates;
        // the other waits for its commit and then finds the sealed successor.
        const { count } = await tx.refreshToken.updateMany({
          where: { tokenHash, usedAt: null },
          data: { usedAt: new Date(), successorSealed },
        });
        if (count !== 1) return false;
        await tx.refreshToken.create({
          data: { tokenHash: hashToken(next), sessionId: session.id },
        });
        await tx.session.update({
          where: { id: session.id },
          data: { lastUsedAt: new Date(), ip: meta.ip },
        });
        return true;
      });
      if (!rotated) {
        const winner = await db.refreshToken.findUnique({ where: { tokenHash } });
        const again = winner ? replay(winner) : undefined;
        if (again) return again;
        throw await reuse();
      }
      return issue(session.user, session, next, access);
    },

    async list(userId: string, currentSessionId: string): Promise<SessionView[]> {
      const sessions = await db.session.findMany({
        where: { userId, revokedAt: null, expiresAt: { gt: new Date() } },
        orderBy: { lastUsedAt: 'desc' },
      });
      return sessions.map((session) => ({
        id: session.id,
        userAgent: session.userAgent,
        ip: session.ip,
        persistent: session.persistent,
        createdAt: session.createdAt.toISOString(),
        lastUsedAt: session.lastUsedAt.toISOString(),
        expiresAt: session.expiresAt.toISOString(),
        current: session.id === currentSessionId,
      }));
    },

    /** Revokes one of the caller's own sessions; another user's id is simply not found. */
    async revoke(userId: string, sessionId: string, meta: RequestMeta): Promise<void> {
      const ids = await revokeAndApply({ id: sessionId, userId }, 'revoked', {
        type: 'session.revoked',
        userId,
        actorId: userId,
        ...meta,
        details: { sessionId },
      });
      if (ids.length === 0) throw new NotFoundError('Session');
    },

    async signOut(userId: string, sessionId: string, meta: RequestMeta): Promise<void> {
      await revokeAndApply({ id: sessionId, userId }, 'signed_out', {
        type: 'session.revoked',
        userId,
        actorId: userId,
        ...meta,
        details: { sessionId, signOut: true },
      });
    },

    async signOutEverywhere(userId: string, meta: RequestMeta): Promise<number> {
      const ids = await revokeAndApply({ userId }, 'signed_out_everywhere', {
        type: 'session.signed_out_everywhere',
        userId,
        actorId: userId,
        ...meta,
      });
      return ids.length;
    },
  };
}

export type SessionsService = ReturnType<typeof createSessionsService>;
