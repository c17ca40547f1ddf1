import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';
import { webhooksQueryKey } from './settings-query-keys';

/** Deletes the endpoint and its deliveries. */
export async function deleteWebhook(boardId: string, webhookId: string) {
  dataOrThrow(
    await apiClient.DELETE('/api/boards/{boardId}/webhooks/{webhookId}', {
      params: { path: { boardId, webhookId } },
    }),
  );
}

export function useDeleteWebhook(boardId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (webhookId: string) => deleteWebhook(boardId, webhookId),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: webhooksQueryKey(boardId) });
    },
  });
}
