import { useMutation } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';

/** Lifts the account-wide sign-in lock with the token from the emailed unlock link. */
export async function unlockAccount(input: { token: string }) {
  return dataOrThrow(await apiClient.POST('/api/auth/unlock', { body: input }));
}

export function useUnlockAccount() {
  return useMutation({ mutationFn: unlockAccount });
}
