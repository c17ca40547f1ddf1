import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';
import { invitationsQueryKey } from './settings-query-keys';

/** Revokes a pending invitation; its link stops working. */
export async function revokeInvitation(boardId: string, invitationId: string) {
  dataOrThrow(
    await apiClient.DELETE('/api/boards/{boardId}/invitations/{invitationId}', {
      params: { path: { boardId, invitationId } },
    }),
  );
}

export function useRevokeInvitation(boardId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (invitationId: string) => revokeInvitation(boardId, invitationId),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: invitationsQueryKey(boardId) }),
  });
}
