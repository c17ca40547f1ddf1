import type { BoardRole } from '../../../generated/prisma/enums.js';
import type { FeedEntry } from '../feed.js';
import { formatEvent } from './sse.js';

/** The `data` of a board event: enough to update a cache or refetch the one task it names. */
export interface BoardEventData {
  id: string;
  boardId: string;
  taskId: string | null;
  taskVersion: number | null;
  actorId: string | null;
  type: string;
  changes: Record<string, unknown>;
  createdAt: string;
}

/**
 * What a recipient with `role` may see of a row. Invitations (and so the invited addresses) are
 * readable by supervisors only, over REST as here: others learn that an invitation changed, not
 * whom it was for.
 */
export function boardEventData(entry: FeedEntry, role: BoardRole): BoardEventData {
  let changes = entry.changes;
  if (role !== 'supervisor' && entry.type.startsWith('invitation_')) {
    const { email: _email, ...rest } = changes;
    changes = rest;
  }
  return {
    id: entry.id,
    boardId: entry.boardId,
    taskId: entry.taskId,
    taskVersion: entry.taskVersion,
    actorId: entry.actorId,
    type: entry.type,
    changes,
    createdAt: entry.createdAt,
  };
}

/** A row as one recipient view (board role) sees it, serialised once for all its streams. */
export interface BoardEvent {
  /** The whole SSE frame (`id`, `event`, `data` of `boardEventData`), written as is. */
  frame: string;
}

export function boardEvent(entry: FeedEntry, role: BoardRole): BoardEvent {
  return {
    frame: formatEvent({ id: entry.id, event: entry.type, data: boardEventData(entry, role) }),
  };
}
