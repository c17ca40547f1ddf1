import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import type { components } from '../../../lib/api-schema';
import { dataOrThrow } from '../../../lib/problem';
import { boardsQueryKey } from './tasks-query-key';

export type Board = components['schemas']['Board'];

export interface ListBoardsParams {
  limit: number;
  cursor?: string | undefined;
}

/** The boards I am a member of (every board for an admin), by key. */
export async function listBoards({ limit, cursor }: ListBoardsParams, signal?: AbortSignal) {
  return dataOrThrow(
    await apiClient.GET('/api/boards', {
      params: { query: cursor ? { limit, cursor } : { limit } },
      ...(signal ? { signal } : {}),
    }),
  );
}

export function listBoardsQueryOptions(params: ListBoardsParams) {
  return queryOptions({
    queryKey: [...boardsQueryKey, 'list', params] as const,
    queryFn: ({ signal }) => listBoards(params, signal),
    placeholderData: keepPreviousData,
  });
}

export function useListBoards(params: ListBoardsParams) {
  return useQuery(listBoardsQueryOptions(params));
}
