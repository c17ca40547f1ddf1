import type { Database } from '../../db/client.js';
import { NotFoundError, ValidationError } from '../../lib/errors.js';
import { decodeCursor, encodeCursor, invalidCursor } from '../../lib/pagination.js';
import { type Actor, boardAccess } from '../tasks/access.js';
import { isTimeZone, loadPreferences, type Preferences, savePreferences } from './preferences.js';

export interface NotificationView {
  id: string;
  category: string;
  type: string;
  boardId: string;
  boardKey: string;
  taskId: string | null;
  taskNumber: number | null;
  taskTitle: string;
  actorId: string | null;
  actorName: string | null;
  /** The app path of the task, e.g. `/boards/HP/tasks/42`. */
  link: string | null;
  read: boolean;
  createdAt: string;
}

type NotificationRow = Omit<NotificationView, 'link' | 'read' | 'createdAt'> & {
  readAt: Date | null;
  createdAt: Date;
};

function toView(row: NotificationRow): NotificationView {
  return {
    id: row.id,
    category: row.category,
    type: row.type,
    boardId: row.boardId,
    boardKey: row.boardKey,
    taskId: row.taskId,
    taskNumber: row.taskNumber,
    taskTitle: row.taskTitle,
    actorId: row.actorId,
    actorName: row.actorName,
    link: row.taskNumber === null ? null : `/boards/${row.boardKey}/tasks/${row.taskNumber}`,
    read: row.readAt !== null,
    createdAt: row.createdAt.toISOString(),
  };
}

function parseCursor(cursor: string | undefined): { createdAt: Date; id: string } | null {
  if (!cursor) return null;
  const [at, id, ...rest] = decodeCursor(cursor).split(' ');
  const createdAt = new Date(at ?? '');
  if (!id || rest.length > 0 || Number.isNaN(createdAt.getTime()) || !/^[0-9a-f-]{36}$/.test(id)) {
    throw invalidCursor();
  }
  return { createdAt, id };
}

/** My preferences and in-app notifications, and watching tasks and boards. */
export function createNotificationsService({ db }: { db: Database }) {
  async function taskBoard(actor: Actor, taskId: string): Promise<string> {
    const task = await db.task.findUnique({ where: { id: taskId }, select: { boardId: true } });
    if (!task) throw new NotFoundError('Task');
    await boardAccess(db, actor, task.boardId);
    return task.boardId;
  }

  return {
    async preferences(userId: string): Promise<Preferences> {
      const preferences = (await loadPreferences(db, [userId])).get(userId);
      if (!preferences) throw new NotFoundError('User');
      return preferences;
    },

    async savePreferences(userId: string, wanted: Preferences): Promise<Preferences> {
      if (!isTimeZone(wanted.timeZone)) {
        throw new ValidationError([
          { field: '/body/timeZone', message: 'is not an IANA time zone name' },
        ]);
      }
      await db.$transaction(async (tx) => {
        await savePreferences(tx, userId, wanted);
        await tx.profile.upsert({
          where: { userId },
          create: { userId, timeZone: wanted.timeZone },
          update: { timeZone: wanted.timeZone },
        });
      });
      return this.preferences(userId);
    },

    async list(
      userId: string,
      { limit, cursor, unread }: { limit: number; cursor?: string | undefined; unread?: boolean },
    ): Promise<{ items: NotificationView[]; nextCursor: string | null }> {
      const after = parseCursor(cursor);
      const rows = await db.$queryRaw<NotificationRow[]>`
        SELECT n.id::text, n.category, n.type, n.board_id::text AS "boardId", b.key AS "boardKey",
               n.task_id::text AS "taskId", n.task_number AS "taskNumber", n.task_title AS "taskTitle",
               n.actor_id::text AS "actorId",
               coalesce(nullif(p.display_name, ''), u.email) AS "actorName",
               n.read_at AS "readAt", n.created_at AS "createdAt"
          FROM notifications n
          JOIN boards b ON b.id = n.board_id
          LEFT JOIN users u ON u.id = n.actor_id
          LEFT JOIN profiles p ON p.user_id = n.actor_id
         WHERE n.user_id = ${userId}::uuid AND n.in_app
           AND (${unread === true} = false OR n.read_at IS NULL)
           AND (${after === null} OR (n.created_at, n.id) <
                (${after?.createdAt ?? new Date(0)}::timestamptz, ${after?.id ?? '00000000-0000-0000-0000-000000000000'}::uuid))
         ORDER BY n.created_at DESC, n.id DESC
         LIMIT ${limit + 1}`;
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map(toView),
        nextCursor:
          rows.length > limit && last
            ? encodeCursor(`${last.createdAt.toISOString()} ${last.id}`)
            : null,
      };
    },

    async unreadCount(userId: string): Promise<{ unread: number }> {
      const unread = await db.notification.count({
        where: { userId, inApp: true, readAt: null },
      });
      return { unread };
    },

    async markRead(userId: string, id: string): Promise<void> {
      const found = await db.notification.findFirst({ where: { id, userId, inApp: true } });
      if (!found) throw new NotFoundError('Notification');
      if (!found.readAt) {
        await db.notification.updateMany({
          where: { id, readAt: null },
          data: { readAt: new Date() },
        });
      }
    },

    async markAllRead(userId: string): Promise<{ marked: number }> {
      const { count } = await db.notification.updateMany({
        where: { userId, inApp: true, readAt: null },
        data: { readAt: new Date() },
      });
      return { marked: count };
    },

    async taskWatch(actor: Actor, taskId: string): Promise<{ watching: boolean }> {
      await taskBoard(actor, taskId);
      const row = await db.taskWatcher.findUnique({
        where: { taskId_userId: { taskId, userId: actor.user.id } },
      });
      return { watching: row !== null };
    },

    async setTaskWatch(actor: Actor, taskId: string, watching: boolean) {
      await taskBoard(actor, taskId);
      if (watching) {
        await db.taskWatcher.createMany({
          data: { taskId, userId: actor.user.id },
          skipDuplicates: true,
        });
      } else {
        await db.taskWatcher.deleteMany({ where: { taskId, userId: actor.user.id } });
      }
      return { watching };
    },

    async boardWatch(actor: Actor, boardId: string): Promise<{ watching: boolean }> {
      await boardAccess(db, actor, boardId);
      const row = await db.boardWatcher.findUnique({
        where: { boardId_userId: { boardId, userId: actor.user.id } },
      });
      return { watching: row !== null };
    },

    async setBoardWatch(actor: Actor, boardId: string, watching: boolean) {
      await boardAccess(db, actor, boardId);
      if (watching) {
        await db.boardWatcher.createMany({
          data: { boardId, userId: actor.user.id },
          skipDuplicates: true,
        });
      } else {
        await db.boardWatcher.deleteMany({ where: { boardId, userId: actor.user.id } });
      }
      return { watching };
    },
  };
}

export type NotificationsService = ReturnType<typeof createNotificationsService>;
