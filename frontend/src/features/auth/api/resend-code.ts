import { useMutation } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';

export async function resendCode(input: { email: string }) {
  return dataOrThrow(await apiClient.POST('/api/auth/resend-code', { body: input }));
}

export function useResendCode() {
  return useMutation({ mutationFn: resendCode });
}
