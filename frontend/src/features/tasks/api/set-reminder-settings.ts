import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';
import { reminderSettingsQueryKey } from './settings-query-keys';

/** The API's bounds for `dueSoonHours` (from one hour up to two weeks). */
export const DUE_SOON_HOURS_MIN = 1;
export const DUE_SOON_HOURS_MAX = 336;

/** Saves the setting; the server moves the waiting "due soon" reminders of open tasks. */
export async function setReminderSettings(boardId: string, dueSoonHours: number) {
  return dataOrThrow(
    await apiClient.PUT('/api/boards/{boardId}/reminder-settings', {
      params: { path: { boardId } },
      body: { dueSoonHours },
    }),
  );
}

export function useSetReminderSettings(boardId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (dueSoonHours: number) => setReminderSettings(boardId, dueSoonHours),
    onSuccess: (saved) => {
      queryClient.setQueryData(reminderSettingsQueryKey(boardId), saved);
    },
  });
}
