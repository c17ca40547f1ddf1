import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import type { components } from '../../../lib/api-schema';
import { dataOrThrow } from '../../../lib/problem';
import { webhooksQueryKey } from './settings-query-keys';

export type Webhook = components['schemas']['Webhook'];

/** The board's webhook endpoints (never their secrets); 503 `webhooks_disabled` when off. */
export async function listWebhooks(boardId: string, signal?: AbortSignal) {
  return dataOrThrow(
    await apiClient.GET('/api/boards/{boardId}/webhooks', {
      params: { path: { boardId } },
      ...(signal ? { signal } : {}),
    }),
  );
}

export function listWebhooksQueryOptions(boardId: string) {
  return queryOptions({
    queryKey: webhooksQueryKey(boardId),
    queryFn: ({ signal }) => listWebhooks(boardId, signal),
    // A server without webhooks answers the same way on every try.
    retry: false,
  });
}

export function useListWebhooks(boardId: string) {
  return useQuery(listWebhooksQueryOptions(boardId));
}
