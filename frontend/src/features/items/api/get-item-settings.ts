import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';
import { ITEMS_QUERY_KEY } from './items-query-key';

/** The server's item settings: the currency prices are in, and the largest price it accepts. */
export async function getItemSettings(signal?: AbortSignal) {
  return dataOrThrow(await apiClient.GET('/api/settings/items', signal ? { signal } : {}));
}

export function getItemSettingsQueryOptions() {
  return queryOptions({
    queryKey: [...ITEMS_QUERY_KEY, 'settings'] as const,
    queryFn: ({ signal }) => getItemSettings(signal),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useItemSettings() {
  return useQuery(getItemSettingsQueryOptions());
}
