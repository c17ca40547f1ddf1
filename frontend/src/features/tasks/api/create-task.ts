import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';
import { addCardToView } from '../lib/board-cache';
import type { BoardView } from './get-board';
import { boardQueryKey } from './tasks-query-key';

export interface CreateTaskInput {
  boardId: string;
  /** The server puts it in the first column when absent. */
  columnId?: string | undefined;
  title: string;
}

/** Quick add: a task with a title at the end of a column. */
export async function createTask({ boardId, columnId, title }: CreateTaskInput) {
  return dataOrThrow(
    await apiClient.POST('/api/boards/{boardId}/tasks', {
      params: { path: { boardId } },
      body: columnId ? { title, columnId } : { title },
    }),
  );
}

export function useCreateTask() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createTask,
    onSuccess: (task) => {
      queryClient.setQueryData<BoardView>(boardQueryKey(task.boardId), (view) =>
        view
          ? addCardToView(view, {
              id: task.id,
              boardId: task.boardId,
              key: task.key,
              number: task.number,
              columnId: task.columnId,
              rank: task.rank,
              title: task.title,
              picId: task.picId,
              assigneeIds: task.assigneeIds,
              labelIds: task.labelIds,
              priority: task.priority,
              startDate: task.startDate,
              dueDate: task.dueDate,
              archived: task.archived,
              version: task.version,
              checklistTotal: task.checklist.length,
              checklistDone: task.checklist.filter((item) => item.done).length,
              commentCount: 0,
              attachmentCount: 0,
            })
          : view,
      );
    },
  });
}
