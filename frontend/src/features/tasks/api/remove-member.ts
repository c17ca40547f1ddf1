import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';
import { membersQueryKey } from './settings-query-keys';
import { boardQueryKey } from './tasks-query-key';

/** Removes a member; their tasks and history stay on the board. */
export async function removeMember(boardId: string, userId: string) {
  dataOrThrow(
    await apiClient.DELETE('/api/boards/{boardId}/members/{userId}', {
      params: { path: { boardId, userId } },
    }),
  );
}

export function useRemoveMember(boardId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) => removeMember(boardId, userId),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: membersQueryKey(boardId) });
      await queryClient.invalidateQueries({ queryKey: boardQueryKey(boardId) });
    },
  });
}
