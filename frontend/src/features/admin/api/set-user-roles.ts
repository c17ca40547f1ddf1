import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';
import type { Role } from '../../../lib/session-store';
import { ADMIN_QUERY_KEY } from './admin-query-key';

/** Replaces the user's roles; their current access tokens stop carrying the old ones at once. */
export async function setUserRoles({ id, roles }: { id: string; roles: Role[] }) {
  return dataOrThrow(
    await apiClient.PUT('/api/admin/users/{id}/roles', {
      params: { path: { id } },
      body: { roles },
    }),
  );
}

export function useSetUserRoles() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: setUserRoles,
    // The audit log gains an entry too, so everything under the admin root is stale.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ADMIN_QUERY_KEY }),
  });
}
