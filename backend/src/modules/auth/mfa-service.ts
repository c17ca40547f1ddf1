import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { Database } from '../../db/client.js';
import type { Prisma } from '../../generated/prisma/client.js';
import {
  AppError,
  BadRequestError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ServiceUnavailableError,
} from '../../lib/errors.js';
import { recordAudit } from '../audit/service.js';
import { CODE_METHODS, storedAuthentication, withSecondFactor } from './access-claims.js';
import { type AuthOutbox, mailLocale } from './mail.js';
import { type RequestMeta, SecondFactorRequiredError, sessionLevel } from './session-store.js';
import {
  hashRecoveryCode,
  type MfaKeys,
  matchingStep,
  newRecoveryCode,
  newTotpSecret,
  openTotpSecret,
  otpauthUri,
  RECOVERY_CODE_COUNT,
  sealTotpSecret,
} from './totp.js';

/** Enrolling without re-entering the password needs a sign-in at most this old. */
export const RECENT_SIGN_IN_MS = 10 * 60_000;

export class InvalidMfaCodeError extends BadRequestError {
  constructor(field = '/body/code') {
    super('invalid_mfa_code', 'The code is not valid.', [{ field, message: 'is not valid' }]);
  }
}

class MfaNotConfiguredError extends ServiceUnavailableError {
  constructor() {
    super(
      'mfa_not_configured',
      'Two-step sign-in is not configured on this server (MFA_ENCRYPTION_KEY).',
      3600,
    );
  }
}

export interface MfaStatus {
  enabled: boolean;
  activatedAt: string | null;
  recoveryCodesLeft: number;
}

/** What proves the second factor: a TOTP code, a recovery code or a passkey's assertion. */
export type SecondFactor =
  | { method: 'totp'; code: string }
  | { method: 'recovery_code'; code: string }
  | { method: 'passkey'; credential: AuthenticationResponseJSON };

/**
 * TOTP factors (Cognito AssociateSoftwareToken / VerifySoftwareToken / SetUserMFAPreference) and
 * recovery codes. `keys` is null when MFA_ENCRYPTION_KEY is unset: enrolling answers 503, and an
 * account can then have no factor, so sign-in stays one step.
 */
export function createMfaService(deps: {
  db: Database;
  outbox: AuthOutbox;
  keys: MfaKeys | null;
  confirmPassword(userId: string, password: string, meta: RequestMeta): Promise<unknown>;
}) {
  const { db, outbox, keys } = deps;

  /** The password re-entry; its error names this API's `password` field. */
  async function confirmPassword(userId: string, password: string, meta: RequestMeta) {
    try {
      await deps.confirmPassword(userId, password, meta);
    } catch (error) {
      if (error instanceof AppError && error.code === 'wrong_password') {
        throw new BadRequestError('wrong_password', 'The password is not correct.', [
          { field: '/body/password', message: 'is not correct' },
        ]);
      }
      throw error;
    }
  }

  function requireKeys(): MfaKeys {
    if (!keys) throw new MfaNotConfiguredError();
    return keys;
  }

  async function activeFactor(userId: string) {
    const factor = await db.mfaTotpFactor.findUnique({ where: { userId } });
    return factor?.activatedAt ? factor : null;
  }

  /**
   * Accepts a code once: its time step must move the factor's last used step forward, in one
   * conditional UPDATE, so a replay (also one racing on another replica) finds the step taken.
   * A secret still sealed under the previous key is sealed again under the current one.
   */
  async function acceptTotp(
    factor: { userId: string; secretSealed: string; activatedAt: Date | null },
    code: string,
    state: 'active' | 'pending',
  ): Promise<boolean> {
    const sealKeys = requireKeys();
    const opened = openTotpSecret(sealKeys, factor.userId, factor.secretSealed);
    if (!opened) return false;
    const step = matchingStep(opened.secret, code);
    if (step === undefined) return false;
    const { count } = await db.mfaTotpFactor.updateMany({
      where: {
        userId: factor.userId,
        activatedAt: state === 'active' ? { not: null } : null,
        OR: [{ lastUsedStep: null }, { lastUsedStep: { lt: BigInt(step) } }],
      },
      data: { lastUsedStep: BigInt(step) },
    });
    if (count === 1 && opened.stale) {
      await db.mfaTotpFactor.updateMany({
        where: { userId: factor.userId, secretSealed: factor.secretSealed },
        data: { secretSealed: sealTotpSecret(sealKeys.current, factor.userId, opened.secret) },
      });
    }
    return count === 1;
  }

  /** Spends one unused recovery code of the user, in the caller's transaction when given. */
  async function spendRecoveryCode(
    tx: Prisma.TransactionClient | Database,
    userId: string,
    code: string,
  ): Promise<boolean> {
    const { count } = await tx.mfaRecoveryCode.updateMany({
      where: { userId, codeHash: hashRecoveryCode(code), usedAt: null },
      data: { usedAt: new Date() },
    });
    return count === 1;
  }

  /** A fresh batch: the earlier codes are deleted in the same transaction. */
  async function replaceRecoveryCodes(tx: Prisma.TransactionClient, userId: string) {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await tx.mfaRecoveryCode.deleteMany({ where: { userId } });
    await tx.mfaRecoveryCode.createMany({
      data: codes.map((code) => ({ userId, codeHash: hashRecoveryCode(code) })),
    });
    return codes;
  }

  async function removeFactor(
    userId: string,
    audit: { type: 'mfa.disabled' | 'mfa.reset_by_admin'; actorId: string; meta: RequestMeta },
  ) {
    await db.$transaction(async (tx) => {
      const user = await tx.user.findUnique({ where: { id: userId } });
      if (!user) throw new NotFoundError('User');
      const { count } = await tx.mfaTotpFactor.deleteMany({
        where: { userId, activatedAt: { not: null } },
      });
      if (count === 0) throw new ConflictError('mfa_not_enabled', 'Two-step sign-in is not on.');
      await tx.mfaRecoveryCode.deleteMany({ where: { userId } });
      await tx.mfaChallenge.deleteMany({ where: { userId } });
      await outbox.enqueue(tx, {
        to: user.email,
        template: 'mfa-disabled',
        locale: mailLocale(user.locale),
        data: { byAdmin: audit.type === 'mfa.reset_by_admin' },
        userId,
      });
      await recordAudit(tx, {
        type: audit.type,
        userId,
        actorId: audit.actorId,
        ...audit.meta,
      });
    });
  }

  return {
    configured: keys !== null,

    async isEnabled(userId: string): Promise<boolean> {
      return (await activeFactor(userId)) !== null;
    },

    async status(userId: string): Promise<MfaStatus> {
      const factor = await activeFactor(userId);
      const recoveryCodesLeft = factor
        ? await db.mfaRecoveryCode.count({ where: { userId, usedAt: null } })
        : 0;
      return {
        enabled: factor !== null,
        activatedAt: factor?.activatedAt?.toISOString() ?? null,
        recoveryCodesLeft,
      };
    },

    /**
     * A new secret for the account, pending until `activate` sees its first code (a pending one
     * is replaced). Needs a sign-in in the last 10 minutes or the password.
     */
    async enrol(
      user: { id: string; signedInAt: Date },
      password: string | undefined,
      meta: RequestMeta,
    ): Promise<{ secret: string; otpauthUri: string }> {
      const sealKey = requireKeys().current;
      if (password !== undefined) {
        await confirmPassword(user.id, password, meta);
      } else if (Date.now() - user.signedInAt.getTime() > RECENT_SIGN_IN_MS) {
        throw new ForbiddenError(
          'reauthentication_required',
          'Enter your password again to set up two-step sign-in.',
        );
      }
      const account = await db.user.findUnique({ where: { id: user.id } });
      if (!account) throw new NotFoundError('User');
      if (await activeFactor(user.id)) {
        throw new ConflictError('mfa_already_enabled', 'Two-step sign-in is already on.');
      }
      const secret = newTotpSecret();
      const secretSealed = sealTotpSecret(sealKey, user.id, secret);
      await db.mfaTotpFactor.upsert({
        where: { userId: user.id },
        create: { userId: user.id, secretSealed },
        update: { secretSealed, lastUsedStep: null, activatedAt: null },
      });
      return { secret, otpauthUri: otpauthUri(secret, account.email) };
    },

    /**
     * The first valid code turns the pending factor on; returns the recovery codes (shown once).
     * The session that entered the code has just proved the factor: it becomes AAL2, so its next
     * access token (the next refresh) carries `otp`, `mfa` and `aal2`.
     */
    async activate(
      user: { id: string; sessionId: string },
      code: string,
      meta: RequestMeta,
    ): Promise<string[]> {
      requireKeys();
      const userId = user.id;
      const factor = await db.mfaTotpFactor.findUnique({ where: { userId } });
      if (!factor || factor.activatedAt) {
        throw new ConflictError('mfa_not_pending', 'Start the set-up first.');
      }
      if (!(await acceptTotp(factor, code, 'pending'))) throw new InvalidMfaCodeError();
      return db.$transaction(async (tx) => {
        const { count } = await tx.mfaTotpFactor.updateMany({
          where: { userId, activatedAt: null, secretSealed: factor.secretSealed },
          data: { activatedAt: new Date() },
        });
        if (count !== 1) throw new ConflictError('mfa_not_pending', 'Start the set-up first.');
        const codes = await replaceRecoveryCodes(tx, userId);
        const session = user.sessionId
          ? await tx.session.findFirst({ where: { id: user.sessionId, userId, revokedAt: null } })
          : null;
        if (session && session.authLevel !== 'aal2') {
          const upgraded = withSecondFactor(
            storedAuthentication(session).methods,
            CODE_METHODS.totp,
          );
          await tx.session.update({
            where: { id: session.id },
            data: { authMethods: upgraded.methods, authLevel: upgraded.level },
          });
        }
        const account = await tx.user.findUniqueOrThrow({ where: { id: userId } });
        await outbox.enqueue(tx, {
          to: account.email,
          template: 'mfa-enabled',
          locale: mailLocale(account.locale),
          data: {},
          userId,
        });
        await recordAudit(tx, { type: 'mfa.enabled', userId, actorId: userId, ...meta });
        return codes;
      });
    },

    /** Needs the password and a current code (TOTP or recovery code). */
    async disable(
      userId: string,
      input: { password: string; code: string },
      meta: RequestMeta,
    ): Promise<void> {
      await confirmPassword(userId, input.password, meta);
      const factor = await activeFactor(userId);
      if (!factor) throw new ConflictError('mfa_not_enabled', 'Two-step sign-in is not on.');
      const proved =
        (await acceptTotp(factor, input.code, 'active')) ||
        (await spendRecoveryCode(db, userId, input.code));
      if (!proved) throw new InvalidMfaCodeError();
      await removeFactor(userId, { type: 'mfa.disabled', actorId: userId, meta });
    },

    /**
     * Needs the password and a session that used the second factor: a session from before
     * enrolment plus the password must not mint codes that sign in at AAL2. The earlier batch
     * stops working.
     */
    async regenerateRecoveryCodes(
      user: { id: string; sessionId: string },
      password: string,
      meta: RequestMeta,
    ): Promise<string[]> {
      const userId = user.id;
      await confirmPassword(userId, password, meta);
      if (!(await activeFactor(userId))) {
        throw new ConflictError('mfa_not_enabled', 'Two-step sign-in is not on.');
      }
      if ((await sessionLevel(db, user)) !== 'aal2') {
        throw new SecondFactorRequiredError('make new recovery codes');
      }
      return db.$transaction(async (tx) => {
        const codes = await replaceRecoveryCodes(tx, userId);
        const user = await tx.user.findUniqueOrThrow({ where: { id: userId } });
        await outbox.enqueue(tx, {
          to: user.email,
          template: 'mfa-recovery-codes',
          locale: mailLocale(user.locale),
          data: {},
          userId,
        });
        await recordAudit(tx, {
          type: 'mfa.recovery_codes_regenerated',
          userId,
          actorId: userId,
          ...meta,
        });
        return codes;
      });
    },

    /** An admin removes a user's factor (the user lost it and their codes); audited, emailed. */
    async adminReset(adminId: string, userId: string, meta: RequestMeta): Promise<void> {
      await removeFactor(userId, { type: 'mfa.reset_by_admin', actorId: adminId, meta });
    },

    /**
     * Checks a second factor for sign-in. A recovery code is spent in the caller's transaction
     * (so it is spent only if the session is created); a TOTP code's step is taken at once.
     */
    async verifyTotp(userId: string, code: string): Promise<boolean> {
      const factor = await activeFactor(userId);
      return factor ? acceptTotp(factor, code, 'active') : false;
    },

    spendRecoveryCode,
  };
}

/**
 * After a key rotation (MFA_ENCRYPTION_KEY new, MFA_ENCRYPTION_KEY_PREVIOUS the old one): seals
 * every secret still under the previous key again under the current one, so the previous key can
 * then be dropped. A row is swapped only if it is unchanged since read (a concurrent enrolment or
 * a sign-in's own re-seal wins). `rekey-mfa` runs it.
 */
export async function resealTotpSecrets(
  db: Database,
  keys: MfaKeys,
): Promise<{ resealed: number; current: number; unreadable: number }> {
  const counts = { resealed: 0, current: 0, unreadable: 0 };
  let after: string | undefined;
  for (;;) {
    const batch = await db.mfaTotpFactor.findMany({
      where: after === undefined ? {} : { userId: { gt: after } },
      orderBy: { userId: 'asc' },
      take: 500,
      select: { userId: true, secretSealed: true },
    });
    if (batch.length === 0) return counts;
    for (const factor of batch) {
      const opened = openTotpSecret(keys, factor.userId, factor.secretSealed);
      if (!opened) counts.unreadable += 1;
      else if (!opened.stale) counts.current += 1;
      else {
        const { count } = await db.mfaTotpFactor.updateMany({
          where: { userId: factor.userId, secretSealed: factor.secretSealed },
          data: { secretSealed: sealTotpSecret(keys.current, factor.userId, opened.secret) },
        });
        counts.resealed += count;
      }
    }
    after = batch[batch.length - 1]?.userId;
  }
}

export type MfaService = ReturnType<typeof createMfaService>;

/** 401: the sign-in's second step has no live challenge (expired, used, unknown). */
export class InvalidMfaChallengeError extends AppError {
  constructor(code = 'invalid_mfa_challenge', message = 'Sign in again.') {
    super(401, code, message);
  }
}
