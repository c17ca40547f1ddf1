import { useMutation } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';

/** Answers the same whether or not an account exists for the email. */
export async function forgotPassword(input: { email: string }) {
  return dataOrThrow(await apiClient.POST('/api/auth/forgot-password', { body: input }));
}

export function useForgotPassword() {
  return useMutation({ mutationFn: forgotPassword });
}
