import type { Database } from '../../db/client.js';
import type { BoardRole } from '../../generated/prisma/enums.js';
import { ConflictError, NotFoundError } from '../../lib/errors.js';
import type { DatabaseClient } from '../mail/outbox.js';
import { type Actor, boardAccess, requireSupervisor } from './access.js';
import { recordActivity } from './activity.js';
import { InvalidReferenceError } from './errors.js';

export interface MemberView {
  userId: string;
  email: string;
  displayName: string | null;
  role: BoardRole;
  addedAt: string;
}

/** Current members with their account's email and display name, supervisors first. */
export async function currentMembers(db: DatabaseClient, boardId: string): Promise<MemberView[]> {
  const rows = await db.$queryRaw<
    { userId: string; email: string; displayName: string | null; role: BoardRole; addedAt: Date }[]
  >`
    SELECT m.user_id::text AS "userId", u.email, p.display_name AS "displayName",
           m.role::text AS role, m.added_at AS "addedAt"
      FROM board_members m
      JOIN users u ON u.id = m.user_id
      LEFT JOIN profiles p ON p.user_id = m.user_id
     WHERE m.board_id = ${boardId}::uuid AND m.removed_at IS NULL
     ORDER BY m.role, u.email`;
  return rows.map((row) => ({ ...row, addedAt: row.addedAt.toISOString() }));
}

/**
 * Adds a user to a board (or brings a removed member back) with a role, recording it. Shared by
 * the members routes and invitation acceptance, inside the caller's transaction.
 */
export async function addMember(
  tx: DatabaseClient,
  actor: Actor,
  boardId: string,
  userId: string,
  role: BoardRole,
): Promise<void> {
  const existing = await tx.boardMember.findUnique({
    where: { boardId_userId: { boardId, userId } },
  });
  if (existing && existing.removedAt === null) {
    throw new ConflictError('already_member', 'This person is already a member of the board.');
  }
  await tx.boardMember.upsert({
    where: { boardId_userId: { boardId, userId } },
    create: { boardId, userId, role, addedBy: actor.user.id },
    update: { role, removedAt: null, addedBy: actor.user.id, addedAt: new Date() },
  });
  await recordActivity(tx, actor, { boardId, type: 'member_added', changes: { userId, role } });
}

export function createMembersService({ db }: { db: Database }) {
  async function lockedMember(tx: DatabaseClient, boardId: string, userId: string) {
    // Role changes and removals of one board are serialised so "the last supervisor" is exact.
    await tx.$executeRaw`SELECT id FROM boards WHERE id = ${boardId}::uuid FOR UPDATE`;
    const member = await tx.boardMember.findUnique({
      where: { boardId_userId: { boardId, userId } },
    });
    if (!member || member.removedAt !== null) throw new NotFoundError('Member');
    return member;
  }

  async function ensureAnotherSupervisor(tx: DatabaseClient, boardId: string, userId: string) {
    const others = await tx.boardMember.count({
      where: { boardId, role: 'supervisor', removedAt: null, userId: { not: userId } },
    });
    if (others === 0) {
      throw new ConflictError('last_supervisor', 'A board keeps at least one supervisor.');
    }
  }

  return {
    async list(actor: Actor, boardId: string) {
      await boardAccess(db, actor, boardId);
      return currentMembers(db, boardId);
    },

    /** Adds an existing account by email; someone without an account is invited instead. */
    async add(actor: Actor, boardId: string, input: { email: string; role: BoardRole }) {
      requireSupervisor(await boardAccess(db, actor, boardId));
      const user = await db.user.findUnique({
        where: { email: input.email.trim().toLowerCase() },
        select: { id: true, status: true },
      });
      if (user?.status !== 'active') {
        throw new InvalidReferenceError(
          'user_not_found',
          '/body/email',
          'is not an active account; send an invitation instead',
        );
      }
      await db.$transaction((tx) => addMember(tx, actor, boardId, user.id, input.role));
      const members = await currentMembers(db, boardId);
      return members.find((member) => member.userId === user.id) as MemberView;
    },

    async changeRole(actor: Actor, boardId: string, userId: string, role: BoardRole) {
      requireSupervisor(await boardAccess(db, actor, boardId));
      await db.$transaction(async (tx) => {
        const member = await lockedMember(tx, boardId, userId);
        if (member.role === role) return;
        if (member.role === 'supervisor') await ensureAnotherSupervisor(tx, boardId, userId);
        await tx.boardMember.update({
          where: { boardId_userId: { boardId, userId } },
          data: { role },
        });
        await recordActivity(tx, actor, {
          boardId,
          type: 'member_role_changed',
          changes: { userId, role: { before: member.role, after: role } },
        });
      });
      const members = await currentMembers(db, boardId);
      return members.find((member) => member.userId === userId) as MemberView;
    },

    /** Soft removal: the row keeps `removedAt`, the member's tasks and history stay as they are. */
    async remove(actor: Actor, boardId: string, userId: string) {
      requireSupervisor(await boardAccess(db, actor, boardId));
      await db.$transaction(async (tx) => {
        const member = await lockedMember(tx, boardId, userId);
        if (member.role === 'supervisor') await ensureAnotherSupervisor(tx, boardId, userId);
        await tx.boardMember.update({
          where: { boardId_userId: { boardId, userId } },
          data: { removedAt: new Date() },
        });
        await recordActivity(tx, actor, {
          boardId,
          type: 'member_removed',
          changes: { userId, role: member.role },
        });
      });
    },
  };
}

export type MembersService = ReturnType<typeof createMembersService>;
