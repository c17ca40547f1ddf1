import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import type { components } from '../../../lib/api-schema';
import { dataOrThrow } from '../../../lib/problem';
import { TASKS_QUERY_KEY } from './tasks-query-key';

export type Activity = components['schemas']['Activity'];

export const ACTIVITY_PAGE = 20;

/** One page of the task's activity, newest first. */
export async function listTaskActivity(taskId: string, cursor?: string, signal?: AbortSignal) {
  return dataOrThrow(
    await apiClient.GET('/api/tasks/{taskId}/activity', {
      params: {
        path: { taskId },
        query: cursor ? { limit: ACTIVITY_PAGE, cursor } : { limit: ACTIVITY_PAGE },
      },
      ...(signal ? { signal } : {}),
    }),
  );
}

export function listTaskActivityQueryOptions(taskId: string) {
  return infiniteQueryOptions({
    queryKey: [...TASKS_QUERY_KEY, 'task-activity', taskId] as const,
    queryFn: ({ pageParam, signal }) => listTaskActivity(taskId, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

export function useTaskActivity(taskId: string) {
  return useInfiniteQuery(listTaskActivityQueryOptions(taskId));
}
