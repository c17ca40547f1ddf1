import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { openEventStream } from '../../../lib/event-stream';
import { refreshNotifications } from '../refresh';

/**
 * Keeps the unread count and the centre current from my personal event stream
 * (`GET /api/me/events`): a `notification` event, a fresh stream (`ready`) or missed history
 * (`reset`) refetches them. The count's slow poll stays as the fallback while the stream is down.
 */
export function useNotificationEvents(enabled: boolean): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!enabled) return;
    const stream = openEventStream({
      path: '/api/me/events',
      onEvent(event) {
        if (['notification', 'ready', 'reset'].includes(event.event)) {
          void refreshNotifications(queryClient);
        }
      },
    });
    return () => stream.close();
  }, [enabled, queryClient]);
}
