import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';
import { getItemQueryOptions } from './get-item';
import { ITEMS_QUERY_KEY } from './items-query-key';

/** Deletes the item; the API answers 204 whether or not it still existed. */
export async function deleteItem(id: string) {
  dataOrThrow(await apiClient.DELETE('/api/items/{id}', { params: { path: { id } } }));
}

export function useDeleteItem() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteItem,
    onSuccess: async (_result, id) => {
      queryClient.removeQueries({ queryKey: getItemQueryOptions(id).queryKey });
      await queryClient.invalidateQueries({ queryKey: ITEMS_QUERY_KEY });
    },
  });
}
