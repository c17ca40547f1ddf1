import { type Database, isUniqueViolation } from '../../db/client.js';
import { Prisma } from '../../generated/prisma/client.js';
import { ConflictError } from '../../lib/errors.js';
import type { FileAccessHook } from '../files/purposes.js';
import type { DatabaseClient } from '../mail/outbox.js';
import type { Actor } from './access.js';
import { recordActivity } from './activity.js';
import { InvalidReferenceError } from './errors.js';
import { requireCommenter } from './permissions.js';
import type { TasksService } from './tasks-service.js';

/** The board role of a user on the board of the task a file is attached to, if any. */
async function roleOnAttachmentBoard(
  db: DatabaseClient,
  userId: string,
  isAdmin: boolean,
  fileId: string,
) {
  const rows = await db.$queryRaw<
    {
      attachmentId: string;
      taskId: string;
      boardId: string;
      filename: string;
      role: string | null;
    }[]
  >`SELECT a.id::text AS "attachmentId", a.task_id::text AS "taskId", t.board_id::text AS "boardId",
           f.filename, m.role::text AS role
      FROM task_attachments a
      JOIN tasks t ON t.id = a.task_id
      JOIN files f ON f.id = a.file_id
      LEFT JOIN board_members m
        ON m.board_id = t.board_id AND m.user_id = ${userId}::uuid AND m.removed_at IS NULL
     WHERE a.file_id = ${fileId}::uuid`;
  const row = rows[0];
  if (!row) return undefined;
  return { ...row, role: isAdmin ? 'supervisor' : row.role };
}

/**
 * The files module's permission for `task_attachment` files: every current member of the task's
 * board may download; the uploader or a board supervisor may delete, which also removes the
 * attachment from its task and records `attachment_removed`.
 */
export function createTaskAttachmentAccess({ db }: { db: Database }): FileAccessHook {
  async function isAdmin(tx: DatabaseClient, userId: string) {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { roles: true } });
    return user?.roles.includes('admin') ?? false;
  }
  return {
    async canRead(userId, file) {
      const found = await roleOnAttachmentBoard(db, userId, await isAdmin(db, userId), file.id);
      return Boolean(found?.role);
    },
    async beforeDelete(tx, { userId, requestId }, file) {
      const found = await roleOnAttachmentBoard(tx, userId, await isAdmin(tx, userId), file.id);
      if (!found) return file.userId === userId;
      const allowed =
        found.role !== null && (file.userId === userId || found.role === 'supervisor');
      if (!allowed) return false;
      await tx.taskAttachment.delete({ where: { id: found.attachmentId } });
      await recordActivity(
        tx,
        { user: { id: userId }, requestId },
        {
          boardId: found.boardId,
          taskId: found.taskId,
          type: 'attachment_removed',
          changes: { attachmentId: found.attachmentId, fileId: file.id, filename: found.filename },
        },
      );
      return true;
    },
  };
}

function toAttachmentView(row: {
  id: string;
  taskId: string;
  fileId: string;
  uploadedBy: string;
  createdAt: Date;
  filename: string;
  contentType: string;
  size: bigint;
}) {
  return {
    id: row.id,
    taskId: row.taskId,
    fileId: row.fileId,
    uploadedBy: row.uploadedBy,
    createdAt: row.createdAt.toISOString(),
    filename: row.filename,
    contentType: row.contentType,
    size: Number(row.size),
  };
}

/** Attaching uploaded files to tasks and listing them; downloads and deletes go through /api/files. */
export function createAttachmentsService({
  db,
  tasks,
}: {
  db: Database;
  tasks: Pick<TasksService, 'taskAccess'>;
}) {
  async function rows(taskId: string, where: Prisma.Sql = Prisma.empty) {
    return db.$queryRaw<Parameters<typeof toAttachmentView>[0][]>`
      SELECT a.id::text AS id, a.task_id::text AS "taskId", a.file_id::text AS "fileId",
             a.uploaded_by::text AS "uploadedBy", a.created_at AS "createdAt",
             f.filename, f.content_type AS "contentType", f.size
        FROM task_attachments a JOIN files f ON f.id = a.file_id
       WHERE a.task_id = ${taskId}::uuid ${where}
       ORDER BY a.created_at, a.id`;
  }

  return {
    async list(actor: Actor, taskId: string) {
      await tasks.taskAccess(actor, taskId);
      return (await rows(taskId)).map(toAttachmentView);
    },

    /** Attaches a completed upload of the caller (purpose `task_attachment`) to the task. */
    async attach(actor: Actor, taskId: string, fileId: string) {
      const { boardId, access } = await tasks.taskAccess(actor, taskId);
      requireCommenter(access);
      const file = await db.storedFile.findFirst({
        where: { id: fileId, userId: actor.user.id, purpose: 'task_attachment' },
      });
      if (!file) {
        throw new InvalidReferenceError(
          'invalid_file',
          '/body/fileId',
          'is not a task_attachment upload of yours',
        );
      }
      try {
        const attachmentId = await db.$transaction(async (tx) => {
          const created = await tx.taskAttachment.create({
            data: { taskId, fileId, uploadedBy: actor.user.id },
          });
          await recordActivity(tx, actor, {
            boardId,
            taskId,
            type: 'attachment_added',
            changes: { attachmentId: created.id, fileId, filename: file.filename },
          });
          return created.id;
        });
        const [row] = await rows(taskId, Prisma.sql`AND a.id = ${attachmentId}::uuid`);
        return toAttachmentView(row as Parameters<typeof toAttachmentView>[0]);
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw new ConflictError(
            'file_already_attached',
            'This file is already attached to a task.',
          );
        }
        throw error;
      }
    },
  };
}

export type AttachmentsService = ReturnType<typeof createAttachmentsService>;
