import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import type { paths } from '../../../lib/api-schema';
import { dataOrThrow } from '../../../lib/problem';
import { webhooksQueryKey } from './settings-query-keys';

export type WebhookChanges =
  paths['/api/boards/{boardId}/webhooks/{webhookId}']['patch']['requestBody']['content']['application/json'];

/** Changes the URL or filter, or disables / re-enables (waiting deliveries then resume). */
export async function updateWebhook(boardId: string, webhookId: string, changes: WebhookChanges) {
  return dataOrThrow(
    await apiClient.PATCH('/api/boards/{boardId}/webhooks/{webhookId}', {
      params: { path: { boardId, webhookId } },
      body: changes,
    }),
  );
}

export function useUpdateWebhook(boardId: string, webhookId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (changes: WebhookChanges) => updateWebhook(boardId, webhookId, changes),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: webhooksQueryKey(boardId) });
    },
  });
}
