import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import type { components, operations } from '../../../lib/api-schema';
import { dataOrThrow } from '../../../lib/problem';
import { boardQueryKey, boardsQueryKey } from './tasks-query-key';

/**
 * The board view exactly as `getBoard` answers it. This is the shape kept in the cache under
 * `boardQueryKey(boardId)`: moves, "show more" and live updates patch it in place.
 */
export type BoardView = operations['getBoard']['responses']['200']['content']['application/json'];
export type BoardColumn = BoardView['columns'][number];
export type TaskCard = components['schemas']['TaskCard'];

/** Cards loaded per column with the board; further ones come a page at a time. */
export const CARDS_PER_COLUMN = 50;

export async function getBoard(boardId: string, signal?: AbortSignal) {
  return dataOrThrow(
    await apiClient.GET('/api/boards/{boardId}', {
      params: { path: { boardId }, query: { perColumn: CARDS_PER_COLUMN } },
      ...(signal ? { signal } : {}),
    }),
  );
}

export function getBoardQueryOptions(boardId: string) {
  return queryOptions({
    queryKey: boardQueryKey(boardId),
    queryFn: ({ signal }) => getBoard(boardId, signal),
  });
}

export function useBoard(boardId: string | undefined) {
  return useQuery({ ...getBoardQueryOptions(boardId ?? ''), enabled: Boolean(boardId) });
}

/** URLs name boards by key (`/boards/HP`); this resolves the key to the board. */
export async function getBoardByKey(key: string, signal?: AbortSignal) {
  return dataOrThrow(
    await apiClient.GET('/api/boards/by-key/{key}', {
      params: { path: { key } },
      ...(signal ? { signal } : {}),
    }),
  );
}

export function getBoardByKeyQueryOptions(key: string) {
  return queryOptions({
    queryKey: [...boardsQueryKey, 'by-key', key] as const,
    queryFn: ({ signal }) => getBoardByKey(key, signal),
  });
}

export function useBoardByKey(key: string) {
  return useQuery(getBoardByKeyQueryOptions(key));
}
