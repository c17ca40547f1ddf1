import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import type { components } from '../../../lib/api-schema';
import { dataOrThrow } from '../../../lib/problem';
import { getItemQueryOptions } from './get-item';
import { ITEMS_QUERY_KEY } from './items-query-key';

export type Item = components['schemas']['Item'];
export type PutItemInput = Pick<Item, 'id' | 'name' | 'price'>;

/**
 * Replaces the item with this id, or creates it (the API's PUT semantics). `createOnly` sends
 * `If-None-Match: *`: the server then refuses (412 `item_exists`) instead of replacing an item.
 */
export async function putItem(input: PutItemInput, { createOnly = false } = {}) {
  return dataOrThrow(
    await apiClient.PUT('/api/items', {
      body: input,
      ...(createOnly ? { headers: { 'if-none-match': '*' } } : {}),
    }),
  );
}

export function usePutItem({ createOnly = false } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: PutItemInput) => putItem(input, { createOnly }),
    onSuccess: async (item) => {
      queryClient.setQueryData(getItemQueryOptions(item.id).queryKey, item);
      await queryClient.invalidateQueries({ queryKey: ITEMS_QUERY_KEY });
    },
  });
}
