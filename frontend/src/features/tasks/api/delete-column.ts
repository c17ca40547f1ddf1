import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';
import { columnsQueryKey } from './settings-query-keys';
import { boardQueryKey } from './tasks-query-key';

/** Deletes an empty column; one holding tasks is refused (409 `column_not_empty`). */
export async function deleteColumn(boardId: string, columnId: string) {
  dataOrThrow(
    await apiClient.DELETE('/api/boards/{boardId}/columns/{columnId}', {
      params: { path: { boardId, columnId } },
    }),
  );
}

export function useDeleteColumn(boardId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (columnId: string) => deleteColumn(boardId, columnId),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: columnsQueryKey(boardId) });
      await queryClient.invalidateQueries({ queryKey: boardQueryKey(boardId) });
    },
  });
}
