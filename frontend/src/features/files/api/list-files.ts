import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import type { components } from '../../../lib/api-schema';
import type { Purpose } from '../../../lib/create-upload';
import { dataOrThrow } from '../../../lib/problem';
import { FILES_QUERY_KEY } from './files-query-key';

export type StoredFile = components['schemas']['File'];

export interface ListFilesParams {
  limit: number;
  /** Opaque cursor from the previous page's `nextCursor`; absent for the first page. */
  cursor?: string | undefined;
  purpose?: Purpose | undefined;
}

export async function listFiles({ limit, cursor, purpose }: ListFilesParams, signal?: AbortSignal) {
  return dataOrThrow(
    await apiClient.GET('/api/files', {
      params: {
        query: { limit, ...(cursor ? { cursor } : {}), ...(purpose ? { purpose } : {}) },
      },
      ...(signal ? { signal } : {}),
    }),
  );
}

export function listFilesQueryOptions(params: ListFilesParams) {
  return queryOptions({
    queryKey: [...FILES_QUERY_KEY, 'list', params] as const,
    queryFn: ({ signal }) => listFiles(params, signal),
    placeholderData: keepPreviousData,
  });
}

export function useListFiles(params: ListFilesParams) {
  return useQuery(listFilesQueryOptions(params));
}
