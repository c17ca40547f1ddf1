import { useMutation } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import type { paths } from '../../../lib/api-schema';
import { dataOrThrow } from '../../../lib/problem';

export type SignUpInput =
  paths['/api/auth/sign-up']['post']['requestBody']['content']['application/json'];

/** Answers the same whether or not the email is taken, so the page never says which. */
export async function signUp(input: SignUpInput) {
  return dataOrThrow(await apiClient.POST('/api/auth/sign-up', { body: input }));
}

export function useSignUp() {
  return useMutation({ mutationFn: signUp });
}
