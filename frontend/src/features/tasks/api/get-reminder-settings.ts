import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';
import { reminderSettingsQueryKey } from './settings-query-keys';

/** The board's reminder settings: how many hours before the due date a task is "due soon". */
export async function getReminderSettings(boardId: string, signal?: AbortSignal) {
  return dataOrThrow(
    await apiClient.GET('/api/boards/{boardId}/reminder-settings', {
      params: { path: { boardId } },
      ...(signal ? { signal } : {}),
    }),
  );
}

export function getReminderSettingsQueryOptions(boardId: string) {
  return queryOptions({
    queryKey: reminderSettingsQueryKey(boardId),
    queryFn: ({ signal }) => getReminderSettings(boardId, signal),
  });
}

export function useReminderSettings(boardId: string) {
  return useQuery(getReminderSettingsQueryOptions(boardId));
}
