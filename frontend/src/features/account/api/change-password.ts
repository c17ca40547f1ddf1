import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';
import { listSessionsQueryOptions } from './list-sessions';

/** Needs the current password; the server signs every other session out. */
export async function changePassword(input: { currentPassword: string; newPassword: string }) {
  return dataOrThrow(await apiClient.POST('/api/auth/change-password', { body: input }));
}

export function useChangePassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: changePassword,
    onSuccess: () => queryClient.invalidateQueries(listSessionsQueryOptions()),
  });
}
