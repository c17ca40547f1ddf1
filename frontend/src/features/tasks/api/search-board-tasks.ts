import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import type { operations } from '../../../lib/api-schema';
import { dataOrThrow } from '../../../lib/problem';
import { boardQueryKey } from './tasks-query-key';

type SearchQuery = NonNullable<operations['searchBoardTasks']['parameters']['query']>;

/** The filters of the board's filter bar (the `archived` flag and the user's time zone included). */
export type BoardTaskFilters = Omit<SearchQuery, 'limit' | 'cursor'>;

export const SEARCH_PAGE_SIZE = 100;

/** A board's tasks matching the filters, by number, a page at a time. */
export async function searchBoardTasks(
  boardId: string,
  filters: BoardTaskFilters,
  cursor?: string,
  signal?: AbortSignal,
) {
  return dataOrThrow(
    await apiClient.GET('/api/boards/{boardId}/tasks', {
      params: {
        path: { boardId },
        query: { ...filters, limit: SEARCH_PAGE_SIZE, ...(cursor ? { cursor } : {}) },
      },
      ...(signal ? { signal } : {}),
    }),
  );
}

export function searchBoardTasksQueryOptions(boardId: string, filters: BoardTaskFilters) {
  return infiniteQueryOptions({
    queryKey: [...boardQueryKey(boardId), 'search', filters] as const,
    queryFn: ({ pageParam, signal }) => searchBoardTasks(boardId, filters, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

export function useSearchBoardTasks(boardId: string, filters: BoardTaskFilters, enabled: boolean) {
  return useInfiniteQuery({ ...searchBoardTasksQueryOptions(boardId, filters), enabled });
}
