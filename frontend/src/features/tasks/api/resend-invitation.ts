import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';
import { invitationsQueryKey } from './settings-query-keys';

/** Emails a new link with a new expiry; the previous link stops working. */
export async function resendInvitation(boardId: string, invitationId: string) {
  return dataOrThrow(
    await apiClient.POST('/api/boards/{boardId}/invitations/{invitationId}/resend', {
      params: { path: { boardId, invitationId } },
    }),
  );
}

export function useResendInvitation(boardId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (invitationId: string) => resendInvitation(boardId, invitationId),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: invitationsQueryKey(boardId) }),
  });
}
