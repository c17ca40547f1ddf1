import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import type { components } from '../../../lib/api-schema';
import { dataOrThrow } from '../../../lib/problem';
import { NOTIFICATIONS_QUERY_KEY } from './notifications-query-key';

export type Notification = components['schemas']['Notification'];

export async function listNotifications(unread: boolean, signal?: AbortSignal) {
  return dataOrThrow(
    await apiClient.GET('/api/me/notifications', {
      params: { query: { limit: 30, ...(unread ? { unread: true } : {}) } },
      ...(signal ? { signal } : {}),
    }),
  );
}

export function listNotificationsQueryOptions(unread: boolean) {
  return queryOptions({
    queryKey: [...NOTIFICATIONS_QUERY_KEY, 'list', { unread }] as const,
    queryFn: ({ signal }) => listNotifications(unread, signal),
  });
}

/** My newest notifications (all, or only unread ones); fetched while the centre is open. */
export function useNotifications(unread: boolean, enabled: boolean) {
  return useQuery({ ...listNotificationsQueryOptions(unread), enabled });
}
