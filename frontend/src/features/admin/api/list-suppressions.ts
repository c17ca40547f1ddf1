import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import type { components } from '../../../lib/api-schema';
import { dataOrThrow } from '../../../lib/problem';
import { ADMIN_SUPPRESSIONS_QUERY_KEY } from './admin-query-key';

export type MailSuppression = components['schemas']['MailSuppression'];

export interface ListSuppressionsParams {
  limit: number;
  /** Only addresses containing this text. */
  search?: string | undefined;
  cursor?: string | undefined;
}

export async function listSuppressions(
  { limit, search, cursor }: ListSuppressionsParams,
  signal?: AbortSignal,
) {
  return dataOrThrow(
    await apiClient.GET('/api/admin/mail/suppressions', {
      params: { query: { limit, ...(search ? { search } : {}), ...(cursor ? { cursor } : {}) } },
      ...(signal ? { signal } : {}),
    }),
  );
}

export function listSuppressionsQueryOptions(params: ListSuppressionsParams) {
  return queryOptions({
    queryKey: [...ADMIN_SUPPRESSIONS_QUERY_KEY, 'list', params] as const,
    queryFn: ({ signal }) => listSuppressions(params, signal),
    placeholderData: keepPreviousData,
  });
}

export function useListSuppressions(params: ListSuppressionsParams) {
  return useQuery(listSuppressionsQueryOptions(params));
}
