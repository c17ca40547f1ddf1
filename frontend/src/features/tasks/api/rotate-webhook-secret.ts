import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';
import { webhooksQueryKey } from './settings-query-keys';

/** A new signing secret (shown once); the previous one keeps signing until the overlap ends. */
export async function rotateWebhookSecret(boardId: string, webhookId: string) {
  return dataOrThrow(
    await apiClient.POST('/api/boards/{boardId}/webhooks/{webhookId}/rotate-secret', {
      params: { path: { boardId, webhookId } },
    }),
  );
}

export function useRotateWebhookSecret(boardId: string, webhookId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => rotateWebhookSecret(boardId, webhookId),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: webhooksQueryKey(boardId) });
    },
  });
}
