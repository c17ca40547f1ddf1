import type { Database } from '../../db/client.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { decodeCursor, encodeCursor } from '../../lib/pagination.js';

/** Security event types; stable strings that admins filter on. */
export type AuditType =
  | 'account.signed_up'
  | 'account.confirmed'
  | 'account.deleted'
  | 'account.disabled'
  | 'account.enabled'
  | 'account.admin_bootstrapped'
  | 'account.unlocked'
  | 'sign_in.succeeded'
  | 'sign_in.failed'
  | 'sign_in.locked'
  | 'sign_in.mfa_challenged'
  | 'sign_in.mfa_failed'
  | 'mfa.enabled'
  | 'mfa.disabled'
  | 'mfa.recovery_codes_regenerated'
  | 'mfa.recovery_code_used'
  | 'mfa.reset_by_admin'
  | 'password.changed'
  | 'password.reset_requested'
  | 'password.reset'
  | 'roles.changed'
  | 'session.revoked'
  | 'session.signed_out_everywhere'
  | 'session.refresh_reused'
  | 'service_client.created'
  | 'service_client.secret_created'
  | 'service_client.secret_revoked'
  | 'service_client.disabled'
  | 'identity.linked'
  | 'identity.unlinked'
  | 'identity.link_proof_requested'
  | 'identity.unverified_account_claimed'
  | 'sign_in.provider_failed'
  | 'passkey.added'
  | 'passkey.removed'
  | 'passkey.counter_regressed';

export interface AuditInput {
  type: AuditType;
  userId?: string | null;
  actorId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  details?: Prisma.InputJsonObject;
}

/** Writes one entry, in the caller's transaction when given one. Never put secrets in details. */
export async function recordAudit(
  tx: Prisma.TransactionClient | Database,
  input: AuditInput,
): Promise<void> {
  await tx.auditEvent.create({
    data: {
      type: input.type,
      userId: input.userId ?? null,
      actorId: input.actorId ?? null,
      ip: input.ip ?? null,
      userAgent: input.userAgent?.slice(0, 512) ?? null,
      details: input.details ?? {},
    },
  });
}

export interface AuditView {
  id: string;
  at: string;
  type: string;
  userId: string | null;
  /** The user's current email, or null once the account is gone. */
  userEmail: string | null;
  actorId: string | null;
  actorEmail: string | null;
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createAuditService({ db }: { db: Database }) {
  return {
    /** Newest first; the cursor is the last entry's id (ids only grow). */
    async list(query: {
      limit: number;
      cursor?: string | undefined;
      type?: string | undefined;
      userId?: string | undefined;
      /** A user id, or the start of an email address (any case). */
      user?: string | undefined;
    }): Promise<{ items: AuditView[]; nextCursor: string | null }> {
      const before = query.cursor ? decodeCursor(query.cursor) : undefined;
      const rows = await db.auditEvent.findMany({
        where: {
          ...(before && /^\d+$/.test(before) ? { id: { lt: BigInt(before) } } : {}),
          ...(query.type ? { type: query.type } : {}),
          ...(query.userId ? { userId: query.userId } : {}),
          ...(query.user
            ? UUID.test(query.user)
              ? { userId: query.user.toLowerCase() }
              : { user: { email: { startsWith: query.user, mode: 'insensitive' as const } } }
            : {}),
        },
        orderBy: { id: 'desc' },
        take: query.limit + 1,
      });
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      // One lookup for the page's people, so the log shows who rather than an id.
      const ids = [
        ...new Set(page.flatMap((row) => [row.userId, row.actorId]).filter((id) => id !== null)),
      ];
      const users = ids.length
        ? await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, email: true } })
        : [];
      const emails = new Map(users.map((user) => [user.id, user.email]));
      const emailOf = (id: string | null) => (id ? (emails.get(id) ?? null) : null);
      return {
        items: page.map((row) => ({
          id: row.id.toString(),
          at: row.at.toISOString(),
          type: row.type,
          userId: row.userId,
          userEmail: emailOf(row.userId),
          actorId: row.actorId,
          actorEmail: emailOf(row.actorId),
          ip: row.ip,
          userAgent: row.userAgent,
          details: row.details as Record<string, unknown>,
        })),
        nextCursor: rows.length > query.limit && last ? encodeCursor(last.id.toString()) : null,
      };
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
