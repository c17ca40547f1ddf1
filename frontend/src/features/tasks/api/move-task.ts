import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';
import { moveTaskInView, type Position, patchCardInView, positionAt } from '../lib/board-cache';
import type { BoardView } from './get-board';
import { boardQueryKey } from './tasks-query-key';

export interface MoveTaskInput {
  taskId: string;
  columnId: string;
  position: Position;
}

/** Sends the intent (column, neighbour); the server computes the rank. */
export async function moveTask({ taskId, columnId, position }: MoveTaskInput) {
  return dataOrThrow(
    await apiClient.POST('/api/tasks/{taskId}/move', {
      params: { path: { taskId } },
      body: { columnId, ...position },
    }),
  );
}

export interface MoveTaskVariables {
  taskId: string;
  columnId: string;
  /** The index the card lands at in the target column (counted without the card). */
  index: number;
}

/**
 * Moves a card at once in the cached board and asks the server; a refusal (403, 409, 422) puts
 * the board back as it was, and the caller shows the error.
 */
export function useMoveTask(boardId: string) {
  const queryClient = useQueryClient();
  const queryKey = boardQueryKey(boardId);
  return useMutation({
    mutationFn: ({ taskId, columnId, index }: MoveTaskVariables) => {
      const view = queryClient.getQueryData<BoardView>(queryKey);
      const siblings =
        view?.columns
          .find((column) => column.id === columnId)
          ?.tasks.items.filter((t) => t.id !== taskId)
          .map((t) => t.id) ?? [];
      return moveTask({ taskId, columnId, position: positionAt(siblings, index) });
    },
    onMutate: async ({ taskId, columnId, index }) => {
      await queryClient.cancelQueries({ queryKey });
      const before = queryClient.getQueryData<BoardView>(queryKey);
      if (before)
        queryClient.setQueryData(queryKey, moveTaskInView(before, taskId, columnId, index));
      return { before };
    },
    onError: (_error, _variables, context) => {
      if (context?.before) queryClient.setQueryData(queryKey, context.before);
    },
    onSuccess: ({ task }) => {
      queryClient.setQueryData<BoardView>(queryKey, (view) =>
        view
          ? patchCardInView(view, task.id, {
              columnId: task.columnId,
              rank: task.rank,
              version: task.version,
            })
          : view,
      );
    },
  });
}
