import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';
import type { BoardRole } from './list-members';
import { invitationsQueryKey } from './settings-query-keys';

/** Invites an address with a role; the server emails the link. */
export async function inviteToBoard(
  boardId: string,
  invitation: { email: string; role: BoardRole },
) {
  return dataOrThrow(
    await apiClient.POST('/api/boards/{boardId}/invitations', {
      params: { path: { boardId } },
      body: invitation,
    }),
  );
}

export function useInviteToBoard(boardId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (invitation: { email: string; role: BoardRole }) =>
      inviteToBoard(boardId, invitation),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: invitationsQueryKey(boardId) }),
  });
}
