import type { Database } from '../../db/client.js';
import type { Role } from '../../generated/prisma/client.js';
import { ConflictError, NotFoundError } from '../../lib/errors.js';
import { decodeCursor, encodeCursor } from '../../lib/pagination.js';
import { recordAudit } from '../audit/service.js';
import { notifyRevocation, type RevocationList } from '../auth/revocation.js';
import { normaliseEmail } from '../auth/secrets.js';
import { applyRevocations, type RequestMeta, revokeSessions } from '../auth/session-store.js';

export interface AdminUserView {
  id: string;
  email: string;
  status: 'pending' | 'active' | 'disabled';
  roles: Role[];
  createdAt: string;
  confirmedAt: string | null;
  lockedUntil: string | null;
  /** Two-step sign-in is on (an activated authenticator): what an admin's reset would remove. */
  mfaEnabled: boolean;
}

/** Loaded with every user an admin sees: the authenticator's activation, nothing secret. */
const WITH_MFA = { mfaTotp: { select: { activatedAt: true } } } as const;

type UserRow = {
  id: string;
  email: string;
  status: AdminUserView['status'];
  roles: Role[];
  createdAt: Date;
  confirmedAt: Date | null;
  lockedUntil: Date | null;
  mfaTotp: { activatedAt: Date | null } | null;
};

function toView(user: UserRow): AdminUserView {
  return {
    id: user.id,
    email: user.email,
    status: user.status,
    roles: user.roles,
    createdAt: user.createdAt.toISOString(),
    confirmedAt: user.confirmedAt?.toISOString() ?? null,
    lockedUntil: user.lockedUntil?.toISOString() ?? null,
    mfaEnabled: user.mfaTotp?.activatedAt != null,
  };
}

/** Makes the account with this email an admin (ADMIN_EMAIL at start, create-admin command). */
export async function grantAdmin(db: Database, email: string, meta: RequestMeta | null) {
  const user = await db.user.findUnique({ where: { email: normaliseEmail(email) } });
  if (user?.status !== 'active' || user.roles.includes('admin')) return false;
  const roles: Role[] = [...user.roles, 'admin'];
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { roles, rolesChangedAt: new Date() } });
    await notifyRevocation(tx, { user: user.id, roles });
    await recordAudit(tx, { type: 'account.admin_bootstrapped', userId: user.id, ...meta });
  });
  return true;
}

export function createAdminService({
  db,
  revocations,
}: {
  db: Database;
  revocations: RevocationList;
}) {
  async function find(id: string) {
    const user = await db.user.findUnique({ where: { id }, include: WITH_MFA });
    if (!user) throw new NotFoundError('User');
    return user;
  }

  return {
    /** Ordered by email (unique), so pages are stable; `query` matches part of the email. */
    async list(query: { q?: string | undefined; limit: number; cursor?: string | undefined }) {
      const after = query.cursor ? decodeCursor(query.cursor) : undefined;
      const search = query.q?.trim().toLowerCase();
      const rows = await db.user.findMany({
        where: {
          email: { ...(search ? { contains: search } : {}), ...(after ? { gt: after } : {}) },
        },
        orderBy: { email: 'asc' },
        take: query.limit + 1,
        include: WITH_MFA,
      });
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        items: page.map(toView),
        nextCursor: rows.length > query.limit && last ? encodeCursor(last.email) : null,
      };
    },

    async get(id: string): Promise<AdminUserView> {
      return toView(await find(id));
    },

    /**
     * Replaces the roles. Access tokens carrying the old roles are refused on every replica
     * (the client refreshes and gets the new ones); an admin cannot drop their own admin role.
     */
    async setRoles(actorId: string, id: string, roles: Role[], meta: RequestMeta) {
      const user = await find(id);
      const next = [...new Set(roles)];
      if (actorId === id && !next.includes('admin')) {
        throw new ConflictError('cannot_demote_self', 'You cannot remove your own admin role.');
      }
      const updated = await db.$transaction(async (tx) => {
        const saved = await tx.user.update({
          where: { id },
          data: { roles: next, rolesChangedAt: new Date() },
          include: WITH_MFA,
        });
        await notifyRevocation(tx, { user: id, roles: next });
        await recordAudit(tx, {
          type: 'roles.changed',
          userId: id,
          actorId,
          ...meta,
          details: { from: user.roles, to: next },
        });
        return saved;
      });
      revocations.rolesChanged(id, next);
      return toView(updated);
    },

    /** Disabling signs the user out everywhere at once; enabling lets them sign in again. */
    async setDisabled(actorId: string, id: string, disabled: boolean, meta: RequestMeta) {
      const user = await find(id);
      if (actorId === id) {
        throw new ConflictError('cannot_disable_self', 'You cannot disable your own account.');
      }
      if (!disabled && user.status !== 'disabled') return toView(user);
      if (disabled && user.status === 'disabled') return toView(user);
      const { saved, revoked } = await db.$transaction(async (tx) => {
        const saved = await tx.user.update({
          where: { id },
          data: { status: disabled ? 'disabled' : user.confirmedAt ? 'active' : 'pending' },
          include: WITH_MFA,
        });
        const revoked = disabled ? await revokeSessions(tx, { userId: id }, 'disabled') : [];
        await recordAudit(tx, {
          type: disabled ? 'account.disabled' : 'account.enabled',
          userId: id,
          actorId,
          ...meta,
          details: disabled ? { sessionsRevoked: revoked.length } : {},
        });
        return { saved, revoked };
      });
      applyRevocations(revocations, revoked);
      return toView(saved);
    },
  };
}

export type AdminService = ReturnType<typeof createAdminService>;
