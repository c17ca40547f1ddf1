import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';
import { NOTIFICATIONS_QUERY_KEY } from './notifications-query-key';

export async function markNotificationRead(notificationId: string) {
  dataOrThrow(
    await apiClient.POST('/api/me/notifications/{notificationId}/read', {
      params: { path: { notificationId } },
    }),
  );
}

export async function markAllNotificationsRead() {
  return dataOrThrow(await apiClient.POST('/api/me/notifications/read-all'));
}

export function useMarkRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: markNotificationRead,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: NOTIFICATIONS_QUERY_KEY }),
  });
}

export function useMarkAllRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: markAllNotificationsRead,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: NOTIFICATIONS_QUERY_KEY }),
  });
}
