import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';
import { columnsQueryKey } from './settings-query-keys';
import { boardQueryKey } from './tasks-query-key';

export interface NewColumn {
  name: string;
  wipLimit?: number | null;
  isDone?: boolean;
  supervisorsOnlyMoveIn?: boolean;
}

/** Adds a column at the end of the board. */
export async function createColumn(boardId: string, column: NewColumn) {
  return dataOrThrow(
    await apiClient.POST('/api/boards/{boardId}/columns', {
      params: { path: { boardId } },
      body: column,
    }),
  );
}

export function useCreateColumn(boardId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (column: NewColumn) => createColumn(boardId, column),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: columnsQueryKey(boardId) });
      await queryClient.invalidateQueries({ queryKey: boardQueryKey(boardId) });
    },
  });
}
