import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import type { components } from '../../../lib/api-schema';
import { dataOrThrow } from '../../../lib/problem';
import { ADMIN_AUDIT_QUERY_KEY } from './admin-query-key';

export type AuditEvent = components['schemas']['AuditEvent'];

export interface ListAuditEventsParams {
  limit: number;
  /** An event type such as `roles.changed`. */
  type?: string | undefined;
  /** Only events about users whose email starts with this (or this user id). */
  user?: string | undefined;
  /** Only events about this user. */
  userId?: string | undefined;
  cursor?: string | undefined;
}

export async function listAuditEvents(
  { limit, type, user, userId, cursor }: ListAuditEventsParams,
  signal?: AbortSignal,
) {
  return dataOrThrow(
    await apiClient.GET('/api/admin/audit', {
      params: {
        query: {
          limit,
          ...(type ? { type } : {}),
          ...(user ? { user } : {}),
          ...(userId ? { userId } : {}),
          ...(cursor ? { cursor } : {}),
        },
      },
      ...(signal ? { signal } : {}),
    }),
  );
}

export function listAuditEventsQueryOptions(params: ListAuditEventsParams) {
  return queryOptions({
    queryKey: [...ADMIN_AUDIT_QUERY_KEY, 'list', params] as const,
    queryFn: ({ signal }) => listAuditEvents(params, signal),
    placeholderData: keepPreviousData,
  });
}

export function useListAuditEvents(params: ListAuditEventsParams) {
  return useQuery(listAuditEventsQueryOptions(params));
}
