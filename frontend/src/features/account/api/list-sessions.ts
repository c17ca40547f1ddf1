import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import type { components } from '../../../lib/api-schema';
import { dataOrThrow } from '../../../lib/problem';
import { ACCOUNT_QUERY_KEY } from './account-query-key';

export type Session = components['schemas']['Session'];

export async function listSessions(signal?: AbortSignal) {
  return dataOrThrow(await apiClient.GET('/api/auth/sessions', signal ? { signal } : {}));
}

export function listSessionsQueryOptions() {
  return queryOptions({
    queryKey: [...ACCOUNT_QUERY_KEY, 'sessions'] as const,
    queryFn: ({ signal }) => listSessions(signal),
  });
}

export function useSessions() {
  return useQuery(listSessionsQueryOptions());
}
