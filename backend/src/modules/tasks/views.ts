import type { Prisma } from '../../generated/prisma/client.js';
import { NotFoundError } from '../../lib/errors.js';
import type { DatabaseClient } from '../mail/outbox.js';

export function dateOnly(value: Date | null): string | null {
  return value ? value.toISOString().slice(0, 10) : null;
}

export function parseDateOnly(value: string | null | undefined): Date | null | undefined {
  if (value === undefined) return undefined;
  return value === null ? null : new Date(`${value}T00:00:00.000Z`);
}

export const TASK_INCLUDE = {
  board: { select: { key: true } },
  assignees: { select: { userId: true }, orderBy: { userId: 'asc' } },
  labels: { select: { labelId: true }, orderBy: { labelId: 'asc' } },
  checklist: { orderBy: { rank: 'asc' } },
} satisfies Prisma.TaskInclude;

export type TaskRow = Prisma.TaskGetPayload<{ include: typeof TASK_INCLUDE }>;

export function toTaskView(task: TaskRow) {
  return {
    id: task.id,
    boardId: task.boardId,
    key: `${task.board.key}-${task.number}`,
    number: task.number,
    columnId: task.columnId,
    rank: task.rank,
    title: task.title,
    content: task.content,
    picId: task.picId,
    reporterId: task.reporterId,
    assigneeIds: task.assignees.map((assignee) => assignee.userId),
    labelIds: task.labels.map((label) => label.labelId),
    priority: task.priority,
    startDate: dateOnly(task.startDate),
    dueDate: dateOnly(task.dueDate),
    archived: task.archived,
    version: task.version,
    checklist: task.checklist.map((item) => ({
      id: item.id,
      text: item.text,
      done: item.done,
      rank: item.rank,
    })),
    createdAt: task.createdAt.toISOString(),
    updatedAt: task.updatedAt.toISOString(),
  };
}

export type TaskView = ReturnType<typeof toTaskView>;

export async function loadTaskView(db: DatabaseClient, taskId: string): Promise<TaskView> {
  const task = await db.task.findUnique({ where: { id: taskId }, include: TASK_INCLUDE });
  if (!task) throw new NotFoundError('Task');
  return toTaskView(task);
}

export function toColumnView(column: {
  id: string;
  boardId: string;
  name: string;
  rank: string;
  wipLimit: number | null;
  isDone: boolean;
  supervisorsOnlyMoveIn: boolean;
}) {
  return {
    id: column.id,
    boardId: column.boardId,
    name: column.name,
    rank: column.rank,
    wipLimit: column.wipLimit,
    isDone: column.isDone,
    supervisorsOnlyMoveIn: column.supervisorsOnlyMoveIn,
  };
}

export function toLabelView(label: { id: string; boardId: string; name: string; color: string }) {
  return { id: label.id, boardId: label.boardId, name: label.name, color: label.color };
}
