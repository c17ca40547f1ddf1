import type { Database } from '../../db/client.js';
import type { Role } from '../../generated/prisma/client.js';
import { NotFoundError, TooManyRequestsError } from '../../lib/errors.js';
import type { AccessTokens } from '../../plugins/authenticate.js';
import { recordAudit } from '../audit/service.js';
import {
  AccountDisabledError,
  AccountNotConfirmedError,
  InvalidCredentialsError,
  InvalidRefreshTokenError,
} from './errors.js';
import { spendVerifyTime, verifyPassword } from './passwords.js';
import type { RevocationList } from './revocation.js';
import { hashToken, newRefreshToken, normaliseEmail } from './secrets.js';
import {
  applyRevocations,
  createSession,
  type RequestMeta,
  revokeSessions,
} from './session-store.js';
import type { Throttle } from './throttle.js';

/** Consecutive failures before the account locks; each further failure doubles the lock. */
const LOCK_AFTER_FAILURES = 5;
const FIRST_LOCK_MS = 60_000;
const MAX_LOCK_MS = 60 * 60_000;

export function lockDurationMs(failures: number): number {
  if (failures < LOCK_AFTER_FAILURES) return 0;
  return Math.min(FIRST_LOCK_MS * 2 ** (failures - LOCK_AFTER_FAILURES), MAX_LOCK_MS);
}

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

export function createSessionsService(deps: {
  db: Database;
  accessTokens: AccessTokens;
  revocations: RevocationList;
  throttle: Throttle;
  lifetimes: SessionLifetimes;
}) {
  const { db, accessTokens, revocations, throttle, lifetimes } = deps;

  function issue(
    user: { id: string; email: string; roles: Role[] },
    session: { id: string; expiresAt: Date; persistent: boolean },
    refreshToken: string,
  ): IssuedTokens {
    return {
      accessToken: accessTokens.sign({ id: user.id, roles: user.roles, sessionId: session.id }),
      expiresIn: accessTokens.ttlSeconds,
      sessionId: session.id,
      refreshToken,
      refreshTokenExpiresAt: session.expiresAt,
      persistent: session.persistent,
      user: { id: user.id, email: user.email, roles: user.roles },
    };
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

  return {
    async signIn(
      input: { email: string; password: string; keepSignedIn: boolean },
      meta: RequestMeta,
    ): Promise<IssuedTokens> {
      const email = normaliseEmail(input.email);
      await throttle.hit('sign-in', meta.ip, email);
      const user = await db.user.findUnique({ where: { email } });
      if (!user) {
        await spendVerifyTime(input.password);
        await recordAudit(db, { type: 'sign_in.failed', ...meta, details: { reason: 'unknown' } });
        throw new InvalidCredentialsError();
      }
      if (user.lockedUntil && user.lockedUntil > new Date()) {
        await recordAudit(db, { type: 'sign_in.locked', userId: user.id, ...meta });
        // The same answer as a tripped rate limit: a lock does not confirm the account exists.
        throw new TooManyRequestsError((user.lockedUntil.getTime() - Date.now()) / 1000);
      }
      if (!(await verifyPassword(user.passwordHash, input.password))) {
        const failures = user.failedSignIns + 1;
        const lockMs = lockDurationMs(failures);
        await db.$transaction([
          db.user.update({
            where: { id: user.id },
            data: {
              failedSignIns: failures,
              ...(lockMs > 0 ? { lockedUntil: new Date(Date.now() + lockMs) } : {}),
            },
          }),
          db.auditEvent.create({
            data: {
              type: 'sign_in.failed',
              userId: user.id,
              ip: meta.ip,
              userAgent: meta.userAgent?.slice(0, 512) ?? null,
              details: { reason: 'password', failures, lockedForSeconds: lockMs / 1000 },
            },
          }),
        ]);
        throw new InvalidCredentialsError();
      }
      if (user.status === 'pending') throw new AccountNotConfirmedError();
      if (user.status === 'disabled') throw new AccountDisabledError();

      const persistent = input.keepSignedIn;
      const expiresAt = new Date(
        Date.now() + (persistent ? lifetimes.persistentMs : lifetimes.ordinaryMs),
      );
      const { sessionId, refreshToken } = await db.$transaction(async (tx) => {
        await tx.user.update({
          where: { id: user.id },
          data: { failedSignIns: 0, lockedUntil: null },
        });
        const created = await createSession(tx, {
          userId: user.id,
          persistent,
          expiresAt,
          meta,
        });
        await recordAudit(tx, {
          type: 'sign_in.succeeded',
          userId: user.id,
          ...meta,
          details: { sessionId: created.sessionId, persistent },
        });
        return created;
      });
      return issue(user, { id: sessionId, expiresAt, persistent }, refreshToken);
    },

    /**
     * Rotates the refresh token. A token that was already used means two parties hold the
     * family (one of them stole it): the whole session is revoked.
     */
    async refresh(token: string, meta: RequestMeta): Promise<IssuedTokens> {
      const found = await db.refreshToken.findUnique({
        where: { tokenHash: hashToken(token) },
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
      if (found.usedAt) throw await reuse();
      if (session.user.status !== 'active') throw new AccountDisabledError();

      const next = newRefreshToken();
      const rotated = await db.$transaction(async (tx) => {
        // Conditional update: of two concurrent refreshes with one token, exactly one wins.
        const { count } = await tx.refreshToken.updateMany({
          where: { tokenHash: found.tokenHash, usedAt: null },
          data: { usedAt: new Date() },
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
      if (!rotated) throw await reuse();
      return issue(session.user, session, next);
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
