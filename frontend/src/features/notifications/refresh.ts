import type { QueryClient } from '@tanstack/react-query';
import { NOTIFICATIONS_QUERY_KEY } from './api/notifications-query-key';

/**
 * Call when the per-user event stream reports a `notification` event: refetches the unread count
 * and any open list at once instead of at the next poll.
 */
export function refreshNotifications(queryClient: QueryClient): Promise<void> {
  return queryClient.invalidateQueries({ queryKey: NOTIFICATIONS_QUERY_KEY });
}
