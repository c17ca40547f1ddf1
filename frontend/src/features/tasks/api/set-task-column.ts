import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';
import { TASKS_QUERY_KEY, taskQueryKey } from './tasks-query-key';

/** Changes the task's status: moves it to the end of another column (`POST /tasks/:id/move`). */
export async function setTaskColumn(taskId: string, columnId: string) {
  return dataOrThrow(
    await apiClient.POST('/api/tasks/{taskId}/move', {
      params: { path: { taskId } },
      body: { columnId },
    }),
  );
}

export function useSetTaskColumn(taskId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (columnId: string) => setTaskColumn(taskId, columnId),
    onSuccess: ({ task }) => {
      queryClient.setQueryData(taskQueryKey(taskId), task);
      return queryClient.invalidateQueries({
        queryKey: TASKS_QUERY_KEY,
        predicate: (query) => query.queryKey[1] !== 'task',
      });
    },
  });
}
