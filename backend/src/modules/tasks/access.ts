import type { Database } from '../../db/client.js';
import type { BoardRole } from '../../generated/prisma/enums.js';
import { NotFoundError } from '../../lib/errors.js';
import type { AuthUser } from '../../plugins/authenticate.js';
import type { DatabaseClient } from '../mail/outbox.js';
import { TaskForbiddenError } from './errors.js';

/** Who acts, and the request the change is recorded under. */
export interface Actor {
  user: AuthUser;
  requestId: string;
}

/**
 * The caller's standing on one board. Global admins act as supervisors on every board; anyone
 * else needs a current membership. A non-member, a removed member and a missing board all get the
 * same 404, so a board's existence never leaks.
 */
export interface BoardAccess {
  boardId: string;
  userId: string;
  role: BoardRole;
  isAdmin: boolean;
  viewersCanComment: boolean;
}

export function isSupervisor(access: BoardAccess): boolean {
  return access.role === 'supervisor';
}

export async function boardAccess(
  db: Database | DatabaseClient,
  actor: Actor,
  boardId: string,
): Promise<BoardAccess> {
  const isAdmin = actor.user.roles.includes('admin');
  const board = await db.board.findUnique({
    where: { id: boardId },
    select: {
      viewersCanComment: true,
      members: {
        where: { userId: actor.user.id, removedAt: null },
        select: { role: true },
      },
    },
  });
  const role = isAdmin ? 'supervisor' : board?.members[0]?.role;
  if (!board || !role) throw new NotFoundError('Board');
  return {
    boardId,
    userId: actor.user.id,
    role,
    isAdmin,
    viewersCanComment: board.viewersCanComment,
  };
}

export function requireSupervisor(access: BoardAccess): void {
  if (!isSupervisor(access)) {
    throw new TaskForbiddenError(
      'board_supervisor_required',
      'Only a supervisor of this board may do this.',
    );
  }
}

export function requireWriter(access: BoardAccess): void {
  if (access.role === 'viewer') {
    throw new TaskForbiddenError('board_read_only', 'Viewers of this board cannot change it.');
  }
}
