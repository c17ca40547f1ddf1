import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import type { components } from '../../../lib/api-schema';
import { dataOrThrow } from '../../../lib/problem';
import { getItemQueryOptions } from './get-item';
import { ITEMS_QUERY_KEY } from './items-query-key';

export type Item = components['schemas']['Item'];
export type PutItemInput = Pick<Item, 'id' | 'name' | 'price'>;

/** Creates the item, or replaces the item with this id (the API's PUT semantics). */
export async function putItem(input: PutItemInput) {
  return dataOrThrow(await apiClient.PUT('/api/items', { body: input }));
}

export function usePutItem() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: putItem,
    onSuccess: async (item) => {
      queryClient.setQueryData(getItemQueryOptions(item.id).queryKey, item);
      await queryClient.invalidateQueries({ queryKey: ITEMS_QUERY_KEY });
    },
  });
}
