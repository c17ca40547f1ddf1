import type { Prisma } from '../../generated/prisma/client.js';
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
