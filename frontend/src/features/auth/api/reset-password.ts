import { useMutation } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';

/** Sets a new password with the emailed code; every session of the account is signed out. */
export async function resetPassword(input: { email: string; code: string; newPassword: string }) {
  return dataOrThrow(await apiClient.POST('/api/auth/reset-password', { body: input }));
}

export function useResetPassword() {
  return useMutation({ mutationFn: resetPassword });
}
