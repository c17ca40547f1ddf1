import type { Database } from '../../db/client.js';
import { NotFoundError } from '../../lib/errors.js';
import { decodeCursor, encodeCursor, invalidCursor } from '../../lib/pagination.js';
import type { DatabaseClient } from '../mail/outbox.js';
import type { Actor } from './access.js';
import { recordActivity } from './activity.js';
import { TaskForbiddenError } from './errors.js';
import { requireCommenter } from './permissions.js';
import type { TasksService } from './tasks-service.js';

const MENTION = /(?<![\w@.])@([A-Za-z0-9._%+-]+(?:@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)?)/g;

/**
 * The board members a comment names: `@name@example.com`, or `@name` when exactly one member's
 * address starts with `name@`. Anyone else is left as plain text.
 */
export async function resolveMentions(
  tx: DatabaseClient,
  boardId: string,
  content: string,
): Promise<string[]> {
  const handles = [...content.matchAll(MENTION)].map((match) => (match[1] as string).toLowerCase());
  if (handles.length === 0) return [];
  const members = await tx.$queryRaw<{ userId: string; email: string }[]>`
    SELECT m.user_id::text AS "userId", u.email FROM board_members m JOIN users u ON u.id = m.user_id
     WHERE m.board_id = ${boardId}::uuid AND m.removed_at IS NULL`;
  const ids = new Set<string>();
  for (const handle of handles) {
    const matches = handle.includes('@')
      ? members.filter((member) => member.email === handle)
      : members.filter((member) => member.email.split('@')[0] === handle);
    if (matches.length === 1) ids.add((matches[0] as { userId: string }).userId);
  }
  return [...ids].sort();
}

interface CommentRow {
  id: string;
  taskId: string;
  authorId: string | null;
  importedAuthor: string | null;
  content: string;
  mentions: string[];
  createdAt: Date;
  editedAt: Date | null;
  deletedAt: Date | null;
}

function toCommentView(comment: CommentRow) {
  const deleted = comment.deletedAt !== null;
  return {
    id: comment.id,
    taskId: comment.taskId,
    authorId: comment.authorId,
    importedAuthor: comment.importedAuthor,
    content: deleted ? '' : comment.content,
    mentions: deleted ? [] : comment.mentions,
    createdAt: comment.createdAt.toISOString(),
    editedAt: comment.editedAt?.toISOString() ?? null,
    deleted,
  };
}

/** Comments: Markdown stored as written; anyone who may comment adds, authors edit, supervisors moderate. */
export function createCommentsService({
  db,
  tasks,
}: {
  db: Database;
  tasks: Pick<TasksService, 'taskAccess'>;
}) {
  async function commentOf(taskId: string, commentId: string) {
    const comment = await db.taskComment.findFirst({ where: { id: commentId, taskId } });
    if (!comment || comment.deletedAt) throw new NotFoundError('Comment');
    return comment;
  }

  return {
    /** Oldest first, keyed by (created_at, id); deleted comments stay as placeholders. */
    async list(
      actor: Actor,
      taskId: string,
      { limit, cursor }: { limit: number; cursor?: string | undefined },
    ) {
      await tasks.taskAccess(actor, taskId);
      let after: { at: Date; id: string } | undefined;
      if (cursor) {
        const [at, id] = decodeCursor(cursor).split('|');
        const date = new Date(at ?? '');
        if (!id || Number.isNaN(date.getTime())) throw invalidCursor();
        after = { at: date, id };
      }
      const rows = await db.taskComment.findMany({
        where: {
          taskId,
          ...(after
            ? {
                OR: [
                  { createdAt: { gt: after.at } },
                  { createdAt: after.at, id: { gt: after.id } },
                ],
              }
            : {}),
        },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        take: limit + 1,
      });
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map(toCommentView),
        nextCursor:
          rows.length > limit && last
            ? encodeCursor(`${last.createdAt.toISOString()}|${last.id}`)
            : null,
      };
    },

    async add(actor: Actor, taskId: string, content: string) {
      const { boardId, access } = await tasks.taskAccess(actor, taskId);
      requireCommenter(access);
      const comment = await db.$transaction(async (tx) => {
        const mentions = await resolveMentions(tx, boardId, content);
        const created = await tx.taskComment.create({
          data: { taskId, authorId: actor.user.id, content, mentions },
        });
        await recordActivity(tx, actor, {
          boardId,
          taskId,
          type: 'comment_added',
          changes: { commentId: created.id, mentions },
        });
        return created;
      });
      return toCommentView(comment);
    },

    async edit(actor: Actor, taskId: string, commentId: string, content: string) {
      const { boardId, access } = await tasks.taskAccess(actor, taskId);
      requireCommenter(access);
      const before = await commentOf(taskId, commentId);
      if (before.authorId !== actor.user.id) {
        throw new TaskForbiddenError('comment_not_yours', 'Only its author may edit a comment.');
      }
      const comment = await db.$transaction(async (tx) => {
        const mentions = await resolveMentions(tx, boardId, content);
        const updated = await tx.taskComment.update({
          where: { id: commentId },
          data: { content, mentions, editedAt: new Date() },
        });
        await recordActivity(tx, actor, {
          boardId,
          taskId,
          type: 'comment_edited',
          changes: { commentId, content: { before: before.content, after: content }, mentions },
        });
        return updated;
      });
      return toCommentView(comment);
    },

    /** The author, or a supervisor of the board, removes a comment (kept as a placeholder). */
    async remove(actor: Actor, taskId: string, commentId: string) {
      const { boardId, access } = await tasks.taskAccess(actor, taskId);
      const comment = await commentOf(taskId, commentId);
      if (comment.authorId !== actor.user.id && access.role !== 'supervisor') {
        throw new TaskForbiddenError(
          'comment_not_yours',
          'Only its author or a board supervisor may delete a comment.',
        );
      }
      await db.$transaction(async (tx) => {
        await tx.taskComment.update({ where: { id: commentId }, data: { deletedAt: new Date() } });
        await recordActivity(tx, actor, {
          boardId,
          taskId,
          type: 'comment_deleted',
          changes: { commentId },
        });
      });
    },
  };
}

export type CommentsService = ReturnType<typeof createCommentsService>;
