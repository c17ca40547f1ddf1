import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';
import { ITEMS_QUERY_KEY } from './items-query-key';

export async function getItem(id: string, signal?: AbortSignal) {
  return dataOrThrow(
    await apiClient.GET('/api/items/{id}', {
      params: { path: { id } },
      ...(signal ? { signal } : {}),
    }),
  );
}

export function getItemQueryOptions(id: string) {
  return queryOptions({
    queryKey: [...ITEMS_QUERY_KEY, 'detail', id] as const,
    queryFn: ({ signal }) => getItem(id, signal),
  });
}

export function useItem(id: string) {
  return useQuery(getItemQueryOptions(id));
}
