import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import type { components } from '../../../lib/api-schema';
import { dataOrThrow } from '../../../lib/problem';
import { webhookDeliveriesQueryKey } from './settings-query-keys';

export type WebhookDelivery = components['schemas']['WebhookDelivery'];

/** How many of the newest deliveries the settings page shows per endpoint. */
export const DELIVERIES_SHOWN = 20;

/** The endpoint's newest deliveries: status, attempts, response code. */
export async function listWebhookDeliveries(
  boardId: string,
  webhookId: string,
  signal?: AbortSignal,
) {
  return dataOrThrow(
    await apiClient.GET('/api/boards/{boardId}/webhooks/{webhookId}/deliveries', {
      params: { path: { boardId, webhookId }, query: { limit: DELIVERIES_SHOWN } },
      ...(signal ? { signal } : {}),
    }),
  );
}

export function listWebhookDeliveriesQueryOptions(boardId: string, webhookId: string) {
  return queryOptions({
    queryKey: webhookDeliveriesQueryKey(boardId, webhookId),
    queryFn: ({ signal }) => listWebhookDeliveries(boardId, webhookId, signal),
    // While a delivery waits for its answer or retry, look again now and then.
    refetchInterval: (query) =>
      query.state.data?.some((delivery) => delivery.status === 'pending') ? 2_000 : false,
  });
}

export function useListWebhookDeliveries(boardId: string, webhookId: string) {
  return useQuery(listWebhookDeliveriesQueryOptions(boardId, webhookId));
}
