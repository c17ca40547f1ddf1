import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';
import { sessionStore } from '../../../lib/session-store';

export async function signOut() {
  return dataOrThrow(await apiClient.POST('/api/auth/sign-out'));
}

export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: signOut,
    // Signed out locally even when the server could not be told: the tab forgets the token.
    onSettled: () => {
      sessionStore.signedOut();
      queryClient.clear();
    },
  });
}
