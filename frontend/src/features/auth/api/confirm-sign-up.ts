import { useMutation } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';

export async function confirmSignUp(input: { email: string; code: string }) {
  return dataOrThrow(await apiClient.POST('/api/auth/confirm', { body: input }));
}

export function useConfirmSignUp() {
  return useMutation({ mutationFn: confirmSignUp });
}
