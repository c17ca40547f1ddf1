import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';
import { columnsQueryKey } from './settings-query-keys';
import { boardQueryKey } from './tasks-query-key';

export interface ColumnChanges {
  name?: string;
  wipLimit?: number | null;
  isDone?: boolean;
  supervisorsOnlyMoveIn?: boolean;
}

/** Renames a column or changes its WIP limit and rules. */
export async function updateColumn(boardId: string, columnId: string, changes: ColumnChanges) {
  return dataOrThrow(
    await apiClient.PATCH('/api/boards/{boardId}/columns/{columnId}', {
      params: { path: { boardId, columnId } },
      body: changes,
    }),
  );
}

export function useUpdateColumn(boardId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ columnId, changes }: { columnId: string; changes: ColumnChanges }) =>
      updateColumn(boardId, columnId, changes),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: columnsQueryKey(boardId) });
      await queryClient.invalidateQueries({ queryKey: boardQueryKey(boardId) });
    },
  });
}
