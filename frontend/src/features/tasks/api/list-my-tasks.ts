import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import type { components } from '../../../lib/api-schema';
import { dataOrThrow } from '../../../lib/problem';
import { TASKS_QUERY_KEY } from './tasks-query-key';

export type TaskCard = components['schemas']['TaskCard'];

export const MY_TASKS_PAGE = 50;

/** Open tasks where I am PIC or assignee, across my boards, by due date (undated last). */
export async function listMyTasks(cursor?: string, signal?: AbortSignal) {
  return dataOrThrow(
    await apiClient.GET('/api/me/tasks', {
      params: { query: cursor ? { limit: MY_TASKS_PAGE, cursor } : { limit: MY_TASKS_PAGE } },
      ...(signal ? { signal } : {}),
    }),
  );
}

export function listMyTasksQueryOptions(cursor?: string) {
  return queryOptions({
    queryKey: [...TASKS_QUERY_KEY, 'mine', cursor ?? null] as const,
    queryFn: ({ signal }) => listMyTasks(cursor, signal),
    placeholderData: keepPreviousData,
  });
}

export function useMyTasks(cursor?: string) {
  return useQuery(listMyTasksQueryOptions(cursor));
}
