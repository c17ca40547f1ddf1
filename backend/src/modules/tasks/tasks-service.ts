import type { Database } from '../../db/client.js';
import type { TaskPriority } from '../../generated/prisma/enums.js';
import { BadRequestError, NotFoundError, UnprocessableError } from '../../lib/errors.js';
import type { DatabaseClient } from '../mail/outbox.js';
import { type Actor, type BoardAccess, boardAccess, requireWriter } from './access.js';
import { diffFields, fieldsChangedSince, listActivity, recordActivity } from './activity.js';
import {
  InvalidReferenceError,
  PreconditionRequiredError,
  StaleVersionError,
  TaskForbiddenError,
} from './errors.js';
import { requireEditableFields, requireTaskWriter } from './permissions.js';
import { type Position, placeInList, TASKS_IN_COLUMN } from './ranks.js';
import { dateOnly, loadTaskView, parseDateOnly, type TaskView } from './views.js';

export interface TaskFields {
  title?: string | undefined;
  content?: string | undefined;
  picId?: string | null | undefined;
  assigneeIds?: string[] | undefined;
  labelIds?: string[] | undefined;
  priority?: TaskPriority | undefined;
  startDate?: string | null | undefined;
  dueDate?: string | null | undefined;
}

export interface CreateTaskInput extends TaskFields, Position {
  title: string;
  columnId?: string | undefined;
}

export interface UpdateTaskInput extends TaskFields {
  archived?: boolean | undefined;
}

const SUPERVISOR_ONLY_ON_CREATE = ['picId', 'assigneeIds', 'startDate', 'dueDate'] as const;

function unique(values: readonly string[] | undefined): string[] | undefined {
  return values === undefined ? undefined : [...new Set(values)].sort();
}

/** Checks that every id a request names belongs to this board; 422 naming the field if not. */
async function checkReferences(
  tx: DatabaseClient,
  boardId: string,
  input: TaskFields & { columnId?: string | undefined },
  dates: { startDate: string | null; dueDate: string | null },
): Promise<void> {
  if (input.columnId !== undefined) {
    const column = await tx.boardColumn.findFirst({ where: { id: input.columnId, boardId } });
    if (!column)
      throw new InvalidReferenceError(
        'invalid_column',
        '/body/columnId',
        'is not a column of this board',
      );
  }
  if (input.labelIds?.length) {
    const found = await tx.label.count({ where: { boardId, id: { in: input.labelIds } } });
    if (found !== input.labelIds.length) {
      throw new InvalidReferenceError(
        'invalid_label',
        '/body/labelIds',
        'names a label that is not on this board',
      );
    }
  }
  const people = [
    ...(input.picId ? [{ id: input.picId, field: '/body/picId' }] : []),
    ...(input.assigneeIds ?? []).map((id) => ({ id, field: '/body/assigneeIds' })),
  ];
  if (people.length > 0) {
    const members = await tx.boardMember.findMany({
      where: {
        boardId,
        removedAt: null,
        role: { in: ['supervisor', 'member'] },
        userId: { in: people.map((person) => person.id) },
      },
      select: { userId: true },
    });
    const ids = new Set(members.map((member) => member.userId));
    const missing = people.find((person) => !ids.has(person.id));
    if (missing) {
      throw new InvalidReferenceError(
        'invalid_member',
        missing.field,
        'must be a supervisor or member of this board',
      );
    }
  }
  if (dates.startDate && dates.dueDate && dates.startDate > dates.dueDate) {
    throw new UnprocessableError('invalid_dates', 'The start date is after the due date.', [
      { field: '/body/dueDate', message: 'must not be before the start date' },
    ]);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ETAG = /^(?:W\/)?"([0-9]{1,9})"$/;

/** `If-Match: "3"` → 3; missing is 428, anything but one of our ETags is 400. */
export function versionFromIfMatch(header: string | undefined): number {
  if (header === undefined) throw new PreconditionRequiredError();
  const version = ETAG.exec(header.trim())?.[1];
  if (version === undefined) {
    throw new BadRequestError('invalid_if_match', 'If-Match must be the ETag of the task.', [
      { field: '/headers/if-match', message: 'must be an ETag of this task such as "3"' },
    ]);
  }
  return Number(version);
}

export interface TasksServiceOptions {
  db: Database;
  rebalanceLength: number;
}

export function createTasksService({ db, rebalanceLength }: TasksServiceOptions) {
  /** The task and the caller's access to its board; a task on a board the caller cannot see is 404. */
  async function taskAccess(actor: Actor, taskId: string) {
    const task = await db.task.findUnique({ where: { id: taskId }, select: { boardId: true } });
    if (!task) throw new NotFoundError('Task');
    try {
      return { boardId: task.boardId, access: await boardAccess(db, actor, task.boardId) };
    } catch (error) {
      if (error instanceof NotFoundError) throw new NotFoundError('Task');
      throw error;
    }
  }

  async function lockTask(tx: DatabaseClient, taskId: string) {
    await tx.$executeRaw`SELECT id FROM tasks WHERE id = ${taskId}::uuid FOR UPDATE`;
  }

  return {
    taskAccess,

    async create(actor: Actor, boardId: string, input: CreateTaskInput): Promise<TaskView> {
      const access = await boardAccess(db, actor, boardId);
      requireWriter(access);
      if (access.role !== 'supervisor') {
        const refused = SUPERVISOR_ONLY_ON_CREATE.filter((field) => input[field] !== undefined);
        if (refused.length > 0) {
          throw new TaskForbiddenError(
            'task_field_forbidden',
            'Some of these fields may be set only by a board supervisor.',
            refused.map((field) => ({
              field: `/body/${field}`,
              message: 'may be set only by a board supervisor',
            })),
          );
        }
      }
      const assigneeIds = unique(input.assigneeIds) ?? [];
      const labelIds = unique(input.labelIds) ?? [];
      const taskId = await db.$transaction(async (tx) => {
        await checkReferences(
          tx,
          boardId,
          { ...input, assigneeIds, labelIds },
          {
            startDate: input.startDate ?? null,
            dueDate: input.dueDate ?? null,
          },
        );
        const column = input.columnId
          ? await tx.boardColumn.findUniqueOrThrow({ where: { id: input.columnId } })
          : await tx.boardColumn.findFirstOrThrow({ where: { boardId }, orderBy: { rank: 'asc' } });
        if (column.supervisorsOnlyMoveIn && access.role !== 'supervisor') {
          throw new TaskForbiddenError(
            'column_supervisors_only',
            `Only supervisors may put tasks into "${column.name}".`,
          );
        }
        const rank = await placeInList(
          tx,
          TASKS_IN_COLUMN,
          column.id,
          null,
          input,
          rebalanceLength,
        );
        const [{ number } = { number: 0 }] = await tx.$queryRaw<{ number: number }[]>`
          UPDATE boards SET next_task_number = next_task_number + 1
           WHERE id = ${boardId}::uuid RETURNING next_task_number - 1 AS number`;
        // A member who files a task is its PIC until a supervisor says otherwise.
        const picId = access.role === 'supervisor' ? (input.picId ?? null) : access.userId;
        const task = await tx.task.create({
          data: {
            boardId,
            columnId: column.id,
            rank,
            number,
            title: input.title,
            content: input.content ?? '',
            picId,
            reporterId: access.userId,
            priority: input.priority ?? 'none',
            startDate: parseDateOnly(input.startDate) ?? null,
            dueDate: parseDateOnly(input.dueDate) ?? null,
            assignees: { create: assigneeIds.map((userId) => ({ userId })) },
            labels: { create: labelIds.map((labelId) => ({ labelId })) },
          },
        });
        await recordActivity(tx, actor, {
          boardId,
          taskId: task.id,
          taskVersion: task.version,
          type: 'task_created',
          changes: {
            number,
            title: input.title,
            columnId: column.id,
            picId,
            assigneeIds,
            labelIds,
            priority: task.priority,
            startDate: dateOnly(task.startDate),
            dueDate: dateOnly(task.dueDate),
          },
        });
        return task.id;
      });
      return loadTaskView(db, taskId);
    },

    async get(actor: Actor, taskId: string): Promise<TaskView> {
      await taskAccess(actor, taskId);
      return loadTaskView(db, taskId);
    },

    /**
     * The task numbered `number` on the board with this id or key (`HP`, as in `HP-42`), for
     * links that carry the board's key and the task's number. A board the caller cannot see is
     * the same 404 as a missing task.
     */
    async getByNumber(actor: Actor, boardIdOrKey: string, number: number): Promise<TaskView> {
      const board = await db.board.findFirst({
        where: UUID.test(boardIdOrKey) ? { id: boardIdOrKey } : { key: boardIdOrKey },
        select: { id: true },
      });
      if (!board) throw new NotFoundError('Task');
      try {
        await boardAccess(db, actor, board.id);
      } catch (error) {
        if (error instanceof NotFoundError) throw new NotFoundError('Task');
        throw error;
      }
      const task = await db.task.findUnique({
        where: { boardId_number: { boardId: board.id, number } },
        select: { id: true },
      });
      if (!task) throw new NotFoundError('Task');
      return loadTaskView(db, task.id);
    },

    /**
     * Applies a partial change to the version the client read (If-Match). A stale version is 412
     * with the current task and the fields changed since; nothing is written then.
     */
    async update(
      actor: Actor,
      taskId: string,
      ifMatch: string | undefined,
      input: UpdateTaskInput,
    ) {
      const { boardId, access } = await taskAccess(actor, taskId);
      const expectedVersion = versionFromIfMatch(ifMatch);
      await db.$transaction(async (tx) => {
        await lockTask(tx, taskId);
        const current = await loadTaskView(tx, taskId);
        if (current.version !== expectedVersion) {
          const changedFields = await fieldsChangedSince(tx, taskId, expectedVersion);
          throw new StaleVersionError(current, changedFields, current.version);
        }
        requireTaskWriter(access, current);
        const wanted = {
          ...input,
          assigneeIds: unique(input.assigneeIds),
          labelIds: unique(input.labelIds),
        };
        const changes = diffFields(current, wanted);
        const changed = Object.keys(changes);
        if (changed.length === 0) return;
        requireEditableFields(access, changed);
        await checkReferences(tx, boardId, wanted, {
          startDate: input.startDate === undefined ? current.startDate : input.startDate,
          dueDate: input.dueDate === undefined ? current.dueDate : input.dueDate,
        });
        const updated = await tx.task.update({
          where: { id: taskId, version: expectedVersion },
          data: {
            ...(wanted.title !== undefined ? { title: wanted.title } : {}),
            ...(wanted.content !== undefined ? { content: wanted.content } : {}),
            ...(wanted.picId !== undefined ? { picId: wanted.picId } : {}),
            ...(wanted.priority !== undefined ? { priority: wanted.priority } : {}),
            ...(wanted.startDate !== undefined
              ? { startDate: parseDateOnly(wanted.startDate) }
              : {}),
            ...(wanted.dueDate !== undefined ? { dueDate: parseDateOnly(wanted.dueDate) } : {}),
            ...(wanted.archived !== undefined ? { archived: wanted.archived } : {}),
            ...(changes.assigneeIds
              ? {
                  assignees: {
                    deleteMany: {},
                    create: (wanted.assigneeIds ?? []).map((userId) => ({ userId })),
                  },
                }
              : {}),
            ...(changes.labelIds
              ? {
                  labels: {
                    deleteMany: {},
                    create: (wanted.labelIds ?? []).map((labelId) => ({ labelId })),
                  },
                }
              : {}),
            version: { increment: 1 },
          },
        });
        const onlyArchive = changed.length === 1 && changes.archived;
        await recordActivity(tx, actor, {
          boardId,
          taskId,
          taskVersion: updated.version,
          type: onlyArchive
            ? wanted.archived
              ? 'task_archived'
              : 'task_restored'
            : 'task_updated',
          changes,
        });
      });
      return loadTaskView(db, taskId);
    },

    /**
     * Moves a task into a column at a position. Ranks are computed under the target column's
     * advisory lock. WIP limits are flagged, not enforced: the answer says when a limit is exceeded.
     */
    async move(actor: Actor, taskId: string, input: Position & { columnId: string }) {
      const { boardId, access } = await taskAccess(actor, taskId);
      requireWriter(access);
      const result = await db.$transaction(async (tx) => {
        const column = await tx.boardColumn.findFirst({ where: { id: input.columnId, boardId } });
        if (!column) {
          throw new InvalidReferenceError(
            'invalid_column',
            '/body/columnId',
            'is not a column of this board',
          );
        }
        const rank = await placeInList(
          tx,
          TASKS_IN_COLUMN,
          column.id,
          taskId,
          input,
          rebalanceLength,
        );
        // One round trip while the column is locked: the task row (locked) and its people.
        const [before] = await tx.$queryRaw<
          { columnId: string; rank: string; picId: string | null; assigneeIds: string[] }[]
        >`SELECT t.column_id::text AS "columnId", t.rank, t.pic_id::text AS "picId",
                 ARRAY(SELECT a.user_id::text FROM task_assignees a WHERE a.task_id = t.id) AS "assigneeIds"
            FROM tasks t WHERE t.id = ${taskId}::uuid FOR UPDATE`;
        if (!before) throw new NotFoundError('Task');
        requireTaskWriter(access, before);
        if (
          column.supervisorsOnlyMoveIn &&
          access.role !== 'supervisor' &&
          before.columnId !== column.id
        ) {
          throw new TaskForbiddenError(
            'column_supervisors_only',
            `Only supervisors may move tasks into "${column.name}".`,
          );
        }
        const updated = await tx.task.update({
          where: { id: taskId },
          data: { columnId: column.id, rank, version: { increment: 1 } },
        });
        await recordActivity(tx, actor, {
          boardId,
          taskId,
          taskVersion: updated.version,
          type: 'task_moved',
          changes: {
            ...(before.columnId !== column.id
              ? { columnId: { before: before.columnId, after: column.id } }
              : {}),
            rank: { before: before.rank, after: rank },
          },
        });
        const open = column.wipLimit
          ? await tx.task.count({ where: { columnId: column.id, archived: false } })
          : 0;
        return { wipLimitExceeded: column.wipLimit !== null && open > column.wipLimit };
      });
      return { task: await loadTaskView(db, taskId), ...result };
    },

    async activity(
      actor: Actor,
      taskId: string,
      page: { limit: number; cursor?: string | undefined },
    ) {
      await taskAccess(actor, taskId);
      return listActivity(db, { taskId }, page);
    },
  };
}

export type TasksService = ReturnType<typeof createTasksService>;
export type { BoardAccess };
