import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';
import { listSessionsQueryOptions } from './list-sessions';

/** Signs one of my other devices out; its access token stops working at once. */
export async function revokeSession(id: string) {
  dataOrThrow(await apiClient.DELETE('/api/auth/sessions/{id}', { params: { path: { id } } }));
}

export function useRevokeSession() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: revokeSession,
    onSuccess: () => queryClient.invalidateQueries(listSessionsQueryOptions()),
  });
}
