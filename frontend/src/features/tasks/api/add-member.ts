import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';
import type { BoardRole } from './list-members';
import { membersQueryKey } from './settings-query-keys';
import { boardQueryKey } from './tasks-query-key';

/** Adds an existing account by email (422 `user_not_found` at the field otherwise). */
export async function addMember(boardId: string, member: { email: string; role: BoardRole }) {
  return dataOrThrow(
    await apiClient.POST('/api/boards/{boardId}/members', {
      params: { path: { boardId } },
      body: member,
    }),
  );
}

export function useAddMember(boardId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (member: { email: string; role: BoardRole }) => addMember(boardId, member),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: membersQueryKey(boardId) });
      await queryClient.invalidateQueries({ queryKey: boardQueryKey(boardId) });
    },
  });
}
