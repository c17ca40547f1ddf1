import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import type { components } from '../../../lib/api-schema';
import { dataOrThrow } from '../../../lib/problem';
import { NOTIFICATIONS_QUERY_KEY } from './notifications-query-key';

export type NotificationPreferences = components['schemas']['NotificationPreferences'];

export async function getPreferences(signal?: AbortSignal) {
  return dataOrThrow(
    await apiClient.GET('/api/me/notification-preferences', signal ? { signal } : {}),
  );
}

export function preferencesQueryOptions() {
  return queryOptions({
    queryKey: [...NOTIFICATIONS_QUERY_KEY, 'preferences'] as const,
    queryFn: ({ signal }) => getPreferences(signal),
  });
}

export function usePreferences() {
  return useQuery(preferencesQueryOptions());
}

export async function savePreferences(body: NotificationPreferences) {
  return dataOrThrow(await apiClient.PUT('/api/me/notification-preferences', { body }));
}

export function useSavePreferences() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: savePreferences,
    onSuccess: (saved) => queryClient.setQueryData(preferencesQueryOptions().queryKey, saved),
  });
}
