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
  boardKey: string;
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
  // One statement: board and membership together (the board view counts its queries).
  const rows = await db.$queryRaw<
    { key: string; viewersCanComment: boolean; role: BoardRole | null }[]
  >`SELECT b.key, b.viewers_can_comment AS "viewersCanComment", m.role::text AS role
      FROM boards b
      LEFT JOIN board_members m
        ON m.board_id = b.id AND m.user_id = ${actor.user.id}::uuid AND m.removed_at IS NULL
     WHERE b.id = ${boardId}::uuid`;
  const board = rows[0];
  const role = isAdmin ? 'supervisor' : board?.role;
  if (!board || !role) throw new NotFoundError('Board');
  return {
    boardId,
    boardKey: board.key,
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
