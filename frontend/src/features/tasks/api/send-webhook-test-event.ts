import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';
import { webhookDeliveriesQueryKey } from './settings-query-keys';

/** Queues a `webhook.test` delivery (sent even while the endpoint is disabled). */
export async function sendWebhookTestEvent(boardId: string, webhookId: string) {
  return dataOrThrow(
    await apiClient.POST('/api/boards/{boardId}/webhooks/{webhookId}/test', {
      params: { path: { boardId, webhookId } },
    }),
  );
}

export function useSendWebhookTestEvent(boardId: string, webhookId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => sendWebhookTestEvent(boardId, webhookId),
    onSuccess: async () => {
      await queryClient.invalidateQueries({
        queryKey: webhookDeliveriesQueryKey(boardId, webhookId),
      });
    },
  });
}
