import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import type { components } from '../../../lib/api-schema';
import { dataOrThrow } from '../../../lib/problem';
import { columnsQueryKey } from './settings-query-keys';

export type BoardColumn = components['schemas']['TaskColumn'];

/** The board's columns in order. */
export async function listColumns(boardId: string, signal?: AbortSignal) {
  return dataOrThrow(
    await apiClient.GET('/api/boards/{boardId}/columns', {
      params: { path: { boardId } },
      ...(signal ? { signal } : {}),
    }),
  );
}

export function listColumnsQueryOptions(boardId: string) {
  return queryOptions({
    queryKey: columnsQueryKey(boardId),
    queryFn: ({ signal }) => listColumns(boardId, signal),
  });
}

export function useListColumns(boardId: string) {
  return useQuery(listColumnsQueryOptions(boardId));
}
