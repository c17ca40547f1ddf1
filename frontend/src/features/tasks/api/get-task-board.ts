import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import type { components } from '../../../lib/api-schema';
import { dataOrThrow } from '../../../lib/problem';
import { TASKS_QUERY_KEY } from './tasks-query-key';

export type BoardMember = components['schemas']['BoardMember'];
export type TaskLabel = components['schemas']['TaskLabel'];

/**
 * What the task dialog needs of its board: the caller's role, the columns (statuses), labels and
 * members. The board view with one card per column, the smallest page it serves.
 */
export async function getTaskBoard(boardId: string, signal?: AbortSignal) {
  const view = dataOrThrow(
    await apiClient.GET('/api/boards/{boardId}', {
      params: { path: { boardId }, query: { perColumn: 1 } },
      ...(signal ? { signal } : {}),
    }),
  );
  return {
    board: view.board,
    columns: view.columns.map(({ tasks: _cards, ...column }) => column),
    labels: view.labels,
    members: view.members,
  };
}

export type TaskBoard = Awaited<ReturnType<typeof getTaskBoard>>;

export function getTaskBoardQueryOptions(boardId: string) {
  return queryOptions({
    queryKey: [...TASKS_QUERY_KEY, 'task-board', boardId] as const,
    queryFn: ({ signal }) => getTaskBoard(boardId, signal),
  });
}

export function useTaskBoard(boardId: string | undefined) {
  return useQuery({ ...getTaskBoardQueryOptions(boardId ?? ''), enabled: boardId !== undefined });
}
