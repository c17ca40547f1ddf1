import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';
import { sessionStore } from '../../../lib/session-store';

export async function signOutEverywhere() {
  return dataOrThrow(await apiClient.POST('/api/auth/sign-out-everywhere'));
}

export function useSignOutEverywhere() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: signOutEverywhere,
    onSuccess: () => {
      sessionStore.signedOut();
      queryClient.clear();
    },
  });
}
