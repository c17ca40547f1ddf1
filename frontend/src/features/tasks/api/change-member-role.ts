import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';
import type { BoardRole } from './list-members';
import { membersQueryKey } from './settings-query-keys';
import { boardQueryKey } from './tasks-query-key';

/** Changes a member's role; the board's last supervisor stays one (409 `last_supervisor`). */
export async function changeMemberRole(boardId: string, userId: string, role: BoardRole) {
  return dataOrThrow(
    await apiClient.PATCH('/api/boards/{boardId}/members/{userId}', {
      params: { path: { boardId, userId } },
      body: { role },
    }),
  );
}

export function useChangeMemberRole(boardId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, role }: { userId: string; role: BoardRole }) =>
      changeMemberRole(boardId, userId, role),
    // Refetched on failure too, so a refused change shows the role the server kept.
    onSettled: async () => {
      await queryClient.invalidateQueries({ queryKey: membersQueryKey(boardId) });
      await queryClient.invalidateQueries({ queryKey: boardQueryKey(boardId) });
    },
  });
}
