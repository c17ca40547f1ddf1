import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import type { components } from '../../../lib/api-schema';
import { dataOrThrow } from '../../../lib/problem';
import { boardByKeyQueryKey } from './settings-query-keys';

export type Board = components['schemas']['Board'];

/**
 * The board with this key among the caller's boards (all boards for an admin), or null when
 * there is none: the list is sorted by key, so paging stops at the first key past it.
 */
export async function findBoardByKey(key: string, signal?: AbortSignal): Promise<Board | null> {
  let cursor: string | undefined;
  do {
    const page = dataOrThrow(
      await apiClient.GET('/api/boards', {
        params: { query: { limit: 100, ...(cursor ? { cursor } : {}) } },
        ...(signal ? { signal } : {}),
      }),
    );
    for (const board of page.items) {
      if (board.key === key) return board;
    }
    const last = page.items.at(-1);
    if (last && last.key > key) return null;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return null;
}

export function findBoardByKeyQueryOptions(key: string) {
  return queryOptions({
    queryKey: boardByKeyQueryKey(key),
    queryFn: ({ signal }) => findBoardByKey(key, signal),
  });
}

export function useFindBoardByKey(key: string) {
  return useQuery(findBoardByKeyQueryOptions(key));
}
