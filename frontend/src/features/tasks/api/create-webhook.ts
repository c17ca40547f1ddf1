import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import type { paths } from '../../../lib/api-schema';
import { dataOrThrow } from '../../../lib/problem';
import { webhooksQueryKey } from './settings-query-keys';

export type NewWebhook =
  paths['/api/boards/{boardId}/webhooks']['post']['requestBody']['content']['application/json'];
/** An activity type an endpoint may subscribe to, or `*` for all of them. */
export type WebhookEventType = NewWebhook['eventTypes'][number];

/** Registers an endpoint; the answer carries its signing secret, which is shown this once. */
export async function createWebhook(boardId: string, webhook: NewWebhook) {
  return dataOrThrow(
    await apiClient.POST('/api/boards/{boardId}/webhooks', {
      params: { path: { boardId } },
      body: webhook,
    }),
  );
}

export function useCreateWebhook(boardId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (webhook: NewWebhook) => createWebhook(boardId, webhook),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: webhooksQueryKey(boardId) });
    },
  });
}
