import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';
import { sessionStore } from '../../../lib/session-store';

/** Needs the password; every session ends and the account's data is removed. */
export async function deleteAccount(input: { password: string }) {
  return dataOrThrow(await apiClient.POST('/api/auth/delete-account', { body: input }));
}

export function useDeleteAccount() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteAccount,
    onSuccess: () => {
      sessionStore.signedOut();
      queryClient.clear();
    },
  });
}
