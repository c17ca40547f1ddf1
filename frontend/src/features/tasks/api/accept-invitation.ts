import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';
import { TASKS_QUERY_KEY } from './tasks-query-key';

/**
 * Joins the invitation's board as the signed-in account, then reads the board's key, which the
 * board's address needs (the accept answer names the board by id).
 */
export async function acceptInvitation(token: string) {
  const accepted = dataOrThrow(
    await apiClient.POST('/api/invitations/accept', { body: { token } }),
  );
  const view = dataOrThrow(
    await apiClient.GET('/api/boards/{boardId}', {
      params: { path: { boardId: accepted.boardId }, query: { perColumn: 1 } },
    }),
  );
  return { ...accepted, key: view.board.key };
}

export function useAcceptInvitation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: acceptInvitation,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: TASKS_QUERY_KEY }),
  });
}
