import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';
import { ADMIN_QUERY_KEY } from './admin-query-key';

/** Removes the user's authenticator and recovery codes; they are emailed, and it is audited. */
export async function resetUserMfa(id: string) {
  dataOrThrow(await apiClient.DELETE('/api/admin/users/{id}/mfa', { params: { path: { id } } }));
}

export function useResetUserMfa() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: resetUserMfa,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ADMIN_QUERY_KEY }),
  });
}
