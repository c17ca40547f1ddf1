import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';
import { ADMIN_SUPPRESSIONS_QUERY_KEY } from './admin-query-key';

/** Takes the address off the suppression list, so mail reaches it again (404 if not listed). */
export async function deleteSuppression(email: string) {
  dataOrThrow(
    await apiClient.DELETE('/api/admin/mail/suppressions/{email}', {
      params: { path: { email } },
    }),
  );
}

export function useDeleteSuppression() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteSuppression,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ADMIN_SUPPRESSIONS_QUERY_KEY }),
  });
}
