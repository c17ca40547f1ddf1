import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import type { components } from '../../../lib/api-schema';
import { dataOrThrow } from '../../../lib/problem';
import { ADMIN_USERS_QUERY_KEY } from './admin-query-key';

export type AdminUser = components['schemas']['AdminUser'];

export interface ListUsersParams {
  limit: number;
  /** Part of the email; absent lists everyone. */
  q?: string | undefined;
  /** Opaque cursor from the previous page's `nextCursor`. */
  cursor?: string | undefined;
}

export async function listUsers({ limit, q, cursor }: ListUsersParams, signal?: AbortSignal) {
  return dataOrThrow(
    await apiClient.GET('/api/admin/users', {
      params: { query: { limit, ...(q ? { q } : {}), ...(cursor ? { cursor } : {}) } },
      ...(signal ? { signal } : {}),
    }),
  );
}

export function listUsersQueryOptions(params: ListUsersParams) {
  return queryOptions({
    queryKey: [...ADMIN_USERS_QUERY_KEY, 'list', params] as const,
    queryFn: ({ signal }) => listUsers(params, signal),
    placeholderData: keepPreviousData,
  });
}

export function useListUsers(params: ListUsersParams) {
  return useQuery(listUsersQueryOptions(params));
}
