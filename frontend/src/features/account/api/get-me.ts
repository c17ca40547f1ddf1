import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import type { components } from '../../../lib/api-schema';
import { dataOrThrow } from '../../../lib/problem';
import { ACCOUNT_QUERY_KEY } from './account-query-key';

export type Me = components['schemas']['Me'];

export async function getMe(signal?: AbortSignal) {
  return dataOrThrow(await apiClient.GET('/api/users/me', signal ? { signal } : {}));
}

export function getMeQueryOptions() {
  return queryOptions({
    queryKey: [...ACCOUNT_QUERY_KEY, 'me'] as const,
    queryFn: ({ signal }) => getMe(signal),
    staleTime: 60_000,
  });
}

/** The signed-in user's profile (display name, language); only asked for while signed in. */
export function useMe(enabled: boolean) {
  return useQuery({ ...getMeQueryOptions(), enabled });
}
