import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import type { components } from '../../../lib/api-schema';
import { dataOrThrow } from '../../../lib/problem';
import { TASKS_QUERY_KEY, taskQueryKey } from './tasks-query-key';

export type Task = components['schemas']['Task'];

/** The task numbered `number` on the board with this key (`HP`, 42 for HP-42). */
export async function getTaskByNumber(boardKey: string, number: number, signal?: AbortSignal) {
  return dataOrThrow(
    await apiClient.GET('/api/boards/{boardId}/tasks/{number}', {
      params: { path: { boardId: boardKey, number } },
      ...(signal ? { signal } : {}),
    }),
  );
}

export async function getTask(taskId: string, signal?: AbortSignal) {
  return dataOrThrow(
    await apiClient.GET('/api/tasks/{taskId}', {
      params: { path: { taskId } },
      ...(signal ? { signal } : {}),
    }),
  );
}

/**
 * The task behind a link (board key + number). The task itself is then kept under its id
 * (`taskQueryKey`), which edits write through, so this query only resolves the link.
 */
export function getTaskByNumberQueryOptions(boardKey: string, number: number) {
  return queryOptions({
    queryKey: [...TASKS_QUERY_KEY, 'task-by-number', boardKey, number] as const,
    queryFn: ({ signal }) => getTaskByNumber(boardKey, number, signal),
  });
}

export function getTaskQueryOptions(taskId: string) {
  return queryOptions({
    queryKey: taskQueryKey(taskId),
    queryFn: ({ signal }) => getTask(taskId, signal),
  });
}

export function useTaskByNumber(boardKey: string, number: number) {
  return useQuery(getTaskByNumberQueryOptions(boardKey, number));
}

export function useTask(taskId: string | undefined, initialData?: Task) {
  return useQuery({
    ...getTaskQueryOptions(taskId ?? ''),
    enabled: taskId !== undefined,
    ...(initialData ? { initialData } : {}),
  });
}
