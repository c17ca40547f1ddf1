import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';
import { moveColumnInView, type Position, positionAt } from '../lib/board-cache';
import type { BoardView } from './get-board';
import { boardQueryKey } from './tasks-query-key';

export interface MoveColumnInput {
  boardId: string;
  columnId: string;
  position: Position;
}

/** Reorders a column (supervisors); the server computes its rank. */
export async function moveColumn({ boardId, columnId, position }: MoveColumnInput) {
  return dataOrThrow(
    await apiClient.POST('/api/boards/{boardId}/columns/{columnId}/move', {
      params: { path: { boardId, columnId } },
      body: position,
    }),
  );
}

/** Moves the column at once in the cached board; a refusal puts it back. */
export function useMoveColumn(boardId: string) {
  const queryClient = useQueryClient();
  const queryKey = boardQueryKey(boardId);
  return useMutation({
    mutationFn: ({ columnId, index }: { columnId: string; index: number }) => {
      const view = queryClient.getQueryData<BoardView>(queryKey);
      const siblings =
        view?.columns.filter((column) => column.id !== columnId).map((column) => column.id) ?? [];
      return moveColumn({ boardId, columnId, position: positionAt(siblings, index) });
    },
    onMutate: async ({ columnId, index }) => {
      await queryClient.cancelQueries({ queryKey });
      const before = queryClient.getQueryData<BoardView>(queryKey);
      if (before) queryClient.setQueryData(queryKey, moveColumnInView(before, columnId, index));
      return { before };
    },
    onError: (_error, _variables, context) => {
      if (context?.before) queryClient.setQueryData(queryKey, context.before);
    },
    onSuccess: (column) => {
      queryClient.setQueryData<BoardView>(queryKey, (view) =>
        view
          ? {
              ...view,
              columns: view.columns.map((c) =>
                c.id === column.id ? { ...c, rank: column.rank } : c,
              ),
            }
          : view,
      );
    },
  });
}
