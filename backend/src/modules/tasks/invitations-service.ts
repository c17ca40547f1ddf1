import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../../db/client.js';
import type { BoardRole } from '../../generated/prisma/enums.js';
import { AppError, ConflictError, NotFoundError } from '../../lib/errors.js';
import type { createOutbox, DatabaseClient } from '../mail/outbox.js';
import type { Locale } from '../mail/templates/layout.js';
import { type Actor, boardAccess, requireSupervisor } from './access.js';
import { recordActivity } from './activity.js';
import { TaskForbiddenError } from './errors.js';
import { addMember } from './members-service.js';

type Outbox = ReturnType<typeof createOutbox>;

export function hashInvitationToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

interface InvitationRow {
  id: string;
  boardId: string;
  email: string;
  role: BoardRole;
  invitedBy: string;
  expiresAt: Date;
  sentAt: Date;
  createdAt: Date;
}

function toInvitationView(invitation: InvitationRow, now = new Date()) {
  return {
    id: invitation.id,
    boardId: invitation.boardId,
    email: invitation.email,
    role: invitation.role,
    invitedBy: invitation.invitedBy,
    expiresAt: invitation.expiresAt.toISOString(),
    sentAt: invitation.sentAt.toISOString(),
    createdAt: invitation.createdAt.toISOString(),
    status: (invitation.expiresAt <= now ? 'expired' : 'pending') as 'expired' | 'pending',
  };
}

export interface InvitationsServiceOptions {
  db: Database;
  outbox: Outbox;
  ttlHours: number;
}

/**
 * Board invitations by email: a single-use link whose token only the email carries (the database
 * keeps its SHA-256). Accepting needs an account signed in with the invited address: someone new
 * signs up with that address first, then opens the link again.
 */
export function createInvitationsService({ db, outbox, ttlHours }: InvitationsServiceOptions) {
  /** A fresh token and expiry, and the email with the link, in the caller's transaction. */
  async function send(
    tx: DatabaseClient,
    actor: Actor,
    invitation: { id: string; boardId: string; email: string; role: BoardRole },
  ) {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + ttlHours * 3600_000);
    const updated = await tx.boardInvitation.update({
      where: { id: invitation.id },
      data: { tokenHash: hashInvitationToken(token), expiresAt, sentAt: new Date() },
    });
    const [board, inviter, invitee] = await Promise.all([
      tx.board.findUniqueOrThrow({ where: { id: invitation.boardId }, select: { name: true } }),
      tx.user.findUniqueOrThrow({
        where: { id: actor.user.id },
        select: { email: true, locale: true, profile: { select: { displayName: true } } },
      }),
      tx.user.findUnique({
        where: { email: invitation.email },
        select: { id: true, locale: true },
      }),
    ]);
    const locale = (invitee?.locale ?? inviter.locale) === 'ko' ? 'ko' : 'en';
    await outbox.enqueue(tx, {
      to: invitation.email,
      template: 'board-invitation',
      locale: locale as Locale,
      data: {
        boardName: board.name.slice(0, 120),
        inviter: (inviter.profile?.displayName || inviter.email).slice(0, 254),
        role: invitation.role,
        token,
        hours: String(ttlHours),
      },
      ...(invitee ? { userId: invitee.id } : {}),
    });
    return updated;
  }

  async function pendingOf(boardId: string, invitationId: string) {
    const invitation = await db.boardInvitation.findFirst({
      where: { id: invitationId, boardId, acceptedAt: null, revokedAt: null },
    });
    if (!invitation) throw new NotFoundError('Invitation');
    return invitation;
  }

  return {
    async create(actor: Actor, boardId: string, input: { email: string; role: BoardRole }) {
      requireSupervisor(await boardAccess(db, actor, boardId));
      const email = normalizeEmail(input.email);
      const invitation = await db.$transaction(async (tx) => {
        const member = await tx.$queryRaw<{ one: number }[]>`
          SELECT 1 AS one FROM board_members m JOIN users u ON u.id = m.user_id
           WHERE m.board_id = ${boardId}::uuid AND m.removed_at IS NULL AND u.email = ${email}`;
        if (member.length > 0) {
          throw new ConflictError(
            'already_member',
            'This person is already a member of the board.',
          );
        }
        const pending = await tx.boardInvitation.findFirst({
          where: {
            boardId,
            email,
            acceptedAt: null,
            revokedAt: null,
            expiresAt: { gt: new Date() },
          },
        });
        if (pending) {
          throw new ConflictError(
            'invitation_pending',
            'This address already has a pending invitation; resend it.',
          );
        }
        const created = await tx.boardInvitation.create({
          data: {
            boardId,
            email,
            role: input.role,
            invitedBy: actor.user.id,
            // Replaced by `send` in this transaction; never a valid hash of any token.
            tokenHash: `pending:${randomBytes(16).toString('hex')}`,
            expiresAt: new Date(),
          },
        });
        const sent = await send(tx, actor, created);
        await recordActivity(tx, actor, {
          boardId,
          type: 'invitation_sent',
          changes: { invitationId: created.id, email, role: input.role },
        });
        return sent;
      });
      return toInvitationView(invitation);
    },

    /** Invitations neither accepted nor revoked, expired ones included (they can be resent). */
    async list(actor: Actor, boardId: string) {
      requireSupervisor(await boardAccess(db, actor, boardId));
      const rows = await db.boardInvitation.findMany({
        where: { boardId, acceptedAt: null, revokedAt: null },
        orderBy: { createdAt: 'asc' },
      });
      return rows.map((row) => toInvitationView(row));
    },

    /** A new link (the old one stops working) with a new expiry, mailed again. */
    async resend(actor: Actor, boardId: string, invitationId: string) {
      requireSupervisor(await boardAccess(db, actor, boardId));
      const invitation = await pendingOf(boardId, invitationId);
      const sent = await db.$transaction(async (tx) => {
        const updated = await send(tx, actor, invitation);
        await recordActivity(tx, actor, {
          boardId,
          type: 'invitation_resent',
          changes: { invitationId, email: invitation.email },
        });
        return updated;
      });
      return toInvitationView(sent);
    },

    async revoke(actor: Actor, boardId: string, invitationId: string) {
      requireSupervisor(await boardAccess(db, actor, boardId));
      const invitation = await pendingOf(boardId, invitationId);
      await db.$transaction(async (tx) => {
        await tx.boardInvitation.update({
          where: { id: invitationId },
          data: { revokedAt: new Date() },
        });
        await recordActivity(tx, actor, {
          boardId,
          type: 'invitation_revoked',
          changes: { invitationId, email: invitation.email },
        });
      });
    },

    /**
     * Joins the board the link is for, as the signed-in user, once. A used, revoked or unknown
     * token is 404; an expired one 410; an account with another email 403.
     */
    async accept(actor: Actor, token: string) {
      const invitation = await db.boardInvitation.findUnique({
        where: { tokenHash: hashInvitationToken(token) },
      });
      if (!invitation || invitation.acceptedAt || invitation.revokedAt)
        throw new NotFoundError('Invitation');
      if (invitation.expiresAt <= new Date()) {
        throw new AppError(
          410,
          'invitation_expired',
          'This invitation has expired; ask for a new one.',
        );
      }
      const user = await db.user.findUniqueOrThrow({
        where: { id: actor.user.id },
        select: { email: true },
      });
      if (user.email !== invitation.email) {
        throw new TaskForbiddenError(
          'invitation_wrong_account',
          'This invitation is for another email address; sign in with that address.',
        );
      }
      await db.$transaction(async (tx) => {
        // Single use: only the first of two concurrent acceptances updates the row.
        const claimed = await tx.boardInvitation.updateMany({
          where: { id: invitation.id, acceptedAt: null, revokedAt: null },
          data: { acceptedAt: new Date(), acceptedBy: actor.user.id },
        });
        if (claimed.count !== 1) throw new NotFoundError('Invitation');
        await addMember(tx, actor, invitation.boardId, actor.user.id, invitation.role);
        await recordActivity(tx, actor, {
          boardId: invitation.boardId,
          type: 'invitation_accepted',
          changes: { invitationId: invitation.id, role: invitation.role },
        });
      });
      return { boardId: invitation.boardId, role: invitation.role };
    },
  };
}

export type InvitationsService = ReturnType<typeof createInvitationsService>;
