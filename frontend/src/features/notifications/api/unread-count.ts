import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';
import { NOTIFICATIONS_QUERY_KEY } from './notifications-query-key';

/** The per-user event stream refreshes the count; this slow poll covers a stream that is down. */
export const UNREAD_POLL_MS = 60_000;

export async function getUnreadCount(signal?: AbortSignal) {
  return dataOrThrow(
    await apiClient.GET('/api/me/notifications/unread-count', signal ? { signal } : {}),
  );
}

export function unreadCountQueryOptions() {
  return queryOptions({
    queryKey: [...NOTIFICATIONS_QUERY_KEY, 'unread-count'] as const,
    queryFn: ({ signal }) => getUnreadCount(signal),
    refetchInterval: UNREAD_POLL_MS,
  });
}

export function useUnreadCount() {
  return useQuery(unreadCountQueryOptions());
}
