import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import type { paths } from '../../../lib/api-schema';
import { dataOrThrow } from '../../../lib/problem';
import { getMeQueryOptions } from './get-me';

export type UpdateMeInput =
  paths['/api/users/me']['patch']['requestBody']['content']['application/json'];

/** Changes the display name or the language (pages and emails) of the signed-in user. */
export async function updateMe(input: UpdateMeInput) {
  return dataOrThrow(await apiClient.PATCH('/api/users/me', { body: input }));
}

export function useUpdateMe() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateMe,
    onSuccess: (me) => queryClient.setQueryData(getMeQueryOptions().queryKey, me),
  });
}
