import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';
import { ITEMS_QUERY_KEY } from './items-query-key';

export interface ListItemsParams {
  limit: number;
  /** Opaque cursor from the previous page's `nextCursor`; absent for the first page. */
  cursor?: string | undefined;
}

export async function listItems({ limit, cursor }: ListItemsParams, signal?: AbortSignal) {
  return dataOrThrow(
    await apiClient.GET('/api/items', {
      params: { query: cursor ? { limit, cursor } : { limit } },
      ...(signal ? { signal } : {}),
    }),
  );
}

export function listItemsQueryOptions(params: ListItemsParams) {
  return queryOptions({
    queryKey: [...ITEMS_QUERY_KEY, 'list', params] as const,
    queryFn: ({ signal }) => listItems(params, signal),
    // While the next page loads, keep showing this one instead of an empty table.
    placeholderData: keepPreviousData,
  });
}

export function useListItems(params: ListItemsParams) {
  return useQuery(listItemsQueryOptions(params));
}
