import type { Database } from '../../db/client.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { ForbiddenError } from '../../lib/errors.js';
import type { RevocationList } from './revocation.js';
import { notifyRevocation } from './revocation.js';
import { hashToken, newRefreshToken } from './secrets.js';

export interface RequestMeta {
  ip: string;
  userAgent: string | undefined;
}

/** Starts a session (a refresh-token family) and returns its first refresh token. */
export async function createSession(
  tx: Prisma.TransactionClient,
  input: {
    userId: string;
    persistent: boolean;
    expiresAt: Date;
    meta: RequestMeta;
    /** How it signed in: every access token of the session carries these as amr/acr. */
    authentication: { methods: readonly string[]; level: string };
  },
): Promise<{ sessionId: string; refreshToken: string }> {
  const session = await tx.session.create({
    data: {
      userId: input.userId,
      persistent: input.persistent,
      expiresAt: input.expiresAt,
      authMethods: [...input.authentication.methods],
      authLevel: input.authentication.level,
      ip: input.meta.ip,
      userAgent: input.meta.userAgent?.slice(0, 512) ?? null,
    },
  });
  const refreshToken = newRefreshToken();
  await tx.refreshToken.create({
    data: { tokenHash: hashToken(refreshToken), sessionId: session.id },
  });
  return { sessionId: session.id, refreshToken };
}

/**
 * Revokes the matching live sessions in the caller's transaction and queues the notice for every
 * replica. Returns the ids; pass them to `applyRevocations` once the transaction has committed.
 */
export async function revokeSessions(
  tx: Prisma.TransactionClient,
  where: Prisma.SessionWhereInput,
  reason: string,
): Promise<string[]> {
  const live = await tx.session.findMany({
    where: { ...where, revokedAt: null },
    select: { id: true },
  });
  const ids = live.map((session) => session.id);
  if (ids.length === 0) return ids;
  await tx.session.updateMany({
    where: { id: { in: ids }, revokedAt: null },
    data: { revokedAt: new Date(), revokedReason: reason },
  });
  await tx.refreshToken.deleteMany({ where: { sessionId: { in: ids }, usedAt: null } });
  for (const id of ids) await notifyRevocation(tx, { session: id });
  return ids;
}

/** This replica need not wait for its own notification. */
export function applyRevocations(revocations: RevocationList, ids: string[]): void {
  for (const id of ids) revocations.sessionRevoked(id);
}

/**
 * The assurance level a session has now (its row, not a token's claim: activating MFA raises the
 * enrolling session before its next token says so). A revoked or unknown session is aal1.
 */
export async function sessionLevel(
  db: Pick<Database, 'session'>,
  user: { id: string; sessionId: string },
): Promise<'aal1' | 'aal2'> {
  if (!user.sessionId) return 'aal1';
  const session = await db.session.findFirst({
    where: { id: user.sessionId, userId: user.id, revokedAt: null },
    select: { authLevel: true },
  });
  return session?.authLevel === 'aal2' ? 'aal2' : 'aal1';
}

/** 403: with MFA on, this change needs a session that used the second factor. */
export class SecondFactorRequiredError extends ForbiddenError {
  constructor(action: string) {
    super(
      'second_factor_required',
      `Two-step sign-in is on: sign out, sign in again with your code, then ${action}.`,
    );
  }
}
