import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';
import { ADMIN_QUERY_KEY } from './admin-query-key';

/** Disabling signs the user out on every device at once; enabling lets them sign in again. */
export async function setUserDisabled({ id, disabled }: { id: string; disabled: boolean }) {
  const options = { params: { path: { id } } };
  return dataOrThrow(
    disabled
      ? await apiClient.POST('/api/admin/users/{id}/disable', options)
      : await apiClient.POST('/api/admin/users/{id}/enable', options),
  );
}

export function useSetUserDisabled() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: setUserDisabled,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ADMIN_QUERY_KEY }),
  });
}
