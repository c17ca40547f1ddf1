import type { Database } from '../../db/client.js';
import { NotFoundError } from '../../lib/errors.js';
import type { Actor } from './access.js';
import { diffFields, recordActivity } from './activity.js';
import { requireTaskWriter } from './permissions.js';
import { CHECKLIST_OF_TASK, type Position, placeInList } from './ranks.js';
import type { TasksService } from './tasks-service.js';

function toItemView(item: { id: string; text: string; done: boolean; rank: string }) {
  return { id: item.id, text: item.text, done: item.done, rank: item.rank };
}

/** Checklist items of a task: its supervisors and its PIC/assignees change them. */
export function createChecklistService({
  db,
  tasks,
  rebalanceLength,
}: {
  db: Database;
  tasks: Pick<TasksService, 'taskAccess'>;
  rebalanceLength: number;
}) {
  async function writable(actor: Actor, taskId: string) {
    const { boardId, access } = await tasks.taskAccess(actor, taskId);
    const task = await db.task.findUniqueOrThrow({
      where: { id: taskId },
      select: { picId: true, assignees: { select: { userId: true } } },
    });
    requireTaskWriter(access, {
      picId: task.picId,
      assigneeIds: task.assignees.map((assignee) => assignee.userId),
    });
    return boardId;
  }

  async function itemOf(taskId: string, itemId: string) {
    const item = await db.checklistItem.findFirst({ where: { id: itemId, taskId } });
    if (!item) throw new NotFoundError('Checklist item');
    return item;
  }

  return {
    async add(actor: Actor, taskId: string, input: Position & { text: string }) {
      const boardId = await writable(actor, taskId);
      const item = await db.$transaction(async (tx) => {
        const rank = await placeInList(tx, CHECKLIST_OF_TASK, taskId, null, input, rebalanceLength);
        const created = await tx.checklistItem.create({ data: { taskId, text: input.text, rank } });
        await recordActivity(tx, actor, {
          boardId,
          taskId,
          type: 'checklist_item_added',
          changes: { itemId: created.id, text: created.text },
        });
        return created;
      });
      return toItemView(item);
    },

    async update(
      actor: Actor,
      taskId: string,
      itemId: string,
      input: { text?: string | undefined; done?: boolean | undefined },
    ) {
      const boardId = await writable(actor, taskId);
      await itemOf(taskId, itemId);
      const item = await db.$transaction(async (tx) => {
        const before = await tx.checklistItem.findUniqueOrThrow({ where: { id: itemId } });
        const changes = diffFields(before, input);
        if (Object.keys(changes).length === 0) return before;
        const updated = await tx.checklistItem.update({ where: { id: itemId }, data: input });
        const type =
          Object.keys(changes).length === 1 && changes.done
            ? input.done
              ? 'checklist_item_checked'
              : 'checklist_item_unchecked'
            : 'checklist_item_updated';
        await recordActivity(tx, actor, { boardId, taskId, type, changes: { itemId, ...changes } });
        return updated;
      });
      return toItemView(item);
    },

    async move(actor: Actor, taskId: string, itemId: string, position: Position) {
      const boardId = await writable(actor, taskId);
      await itemOf(taskId, itemId);
      const item = await db.$transaction(async (tx) => {
        const rank = await placeInList(
          tx,
          CHECKLIST_OF_TASK,
          taskId,
          itemId,
          position,
          rebalanceLength,
        );
        const before = await tx.checklistItem.findUniqueOrThrow({ where: { id: itemId } });
        const updated = await tx.checklistItem.update({ where: { id: itemId }, data: { rank } });
        await recordActivity(tx, actor, {
          boardId,
          taskId,
          type: 'checklist_item_moved',
          changes: { itemId, rank: { before: before.rank, after: rank } },
        });
        return updated;
      });
      return toItemView(item);
    },

    async remove(actor: Actor, taskId: string, itemId: string) {
      const boardId = await writable(actor, taskId);
      const item = await itemOf(taskId, itemId);
      await db.$transaction(async (tx) => {
        await tx.checklistItem.delete({ where: { id: itemId } });
        await recordActivity(tx, actor, {
          boardId,
          taskId,
          type: 'checklist_item_removed',
          changes: { itemId, text: item.text },
        });
      });
    },
  };
}

export type ChecklistService = ReturnType<typeof createChecklistService>;
