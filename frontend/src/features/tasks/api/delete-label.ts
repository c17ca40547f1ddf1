import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';
import { labelsQueryKey } from './settings-query-keys';
import { boardQueryKey } from './tasks-query-key';

/** Deletes a label; the server takes it off every task that had it. */
export async function deleteLabel(boardId: string, labelId: string) {
  dataOrThrow(
    await apiClient.DELETE('/api/boards/{boardId}/labels/{labelId}', {
      params: { path: { boardId, labelId } },
    }),
  );
}

export function useDeleteLabel(boardId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (labelId: string) => deleteLabel(boardId, labelId),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: labelsQueryKey(boardId) });
      await queryClient.invalidateQueries({ queryKey: boardQueryKey(boardId) });
    },
  });
}
