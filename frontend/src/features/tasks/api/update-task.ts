import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import type { components, paths } from '../../../lib/api-schema';
import { ApiError, dataOrThrow } from '../../../lib/problem';
import type { Task } from './get-task';
import { TASKS_QUERY_KEY, taskQueryKey } from './tasks-query-key';

export type TaskChanges =
  paths['/api/tasks/{taskId}']['patch']['requestBody']['content']['application/json'];
export type TaskField = keyof TaskChanges;

/** PATCH with `If-Match: "<version>"`: the server refuses it (412) if the task changed since. */
export async function updateTask(taskId: string, version: number, changes: TaskChanges) {
  return dataOrThrow(
    await apiClient.PATCH('/api/tasks/{taskId}', {
      params: { path: { taskId }, header: { 'if-match': `"${version}"` } },
      body: changes,
    }),
  );
}

/**
 * Someone else changed the same fields meanwhile: the dialog shows their values (`current`) next
 * to the user's own (`mine`) and lets the user keep theirs or take the other person's.
 */
export class TaskConflictError extends Error {
  constructor(
    readonly current: Task,
    readonly mine: TaskChanges,
    readonly fields: TaskField[],
  ) {
    super('The task changed meanwhile.');
    this.name = 'TaskConflictError';
  }
}

function staleOf(error: unknown): { current: Task; changedFields: string[] } | undefined {
  if (!(error instanceof ApiError) || error.status !== 412) return undefined;
  const problem = error.problem as components['schemas']['StaleTaskProblem'];
  return problem.current ? problem : undefined;
}

/**
 * Applies `changes` on `version`. On 412 it looks at what the other person changed: no overlap
 * with these fields → the change is sent again on the new version (both edits stay); overlap →
 * `TaskConflictError`, and nothing is overwritten without the user's choice.
 */
export async function saveTaskChanges(
  taskId: string,
  version: number,
  changes: TaskChanges,
): Promise<Task> {
  let base = version;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      return await updateTask(taskId, base, changes);
    } catch (error) {
      const stale = staleOf(error);
      if (!stale) throw error;
      const mine = Object.keys(changes) as TaskField[];
      const overlap = mine.filter((field) => stale.changedFields.includes(field));
      if (overlap.length > 0) throw new TaskConflictError(stale.current, changes, overlap);
      base = stale.current.version;
    }
  }
  return updateTask(taskId, base, changes);
}

export interface SaveTaskInput {
  version: number;
  changes: TaskChanges;
}

export function useUpdateTask(taskId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ version, changes }: SaveTaskInput) => saveTaskChanges(taskId, version, changes),
    onSuccess: (task) => {
      queryClient.setQueryData(taskQueryKey(taskId), task);
      return queryClient.invalidateQueries({
        queryKey: TASKS_QUERY_KEY,
        predicate: (query) => query.queryKey[1] !== 'task',
      });
    },
    onError: (error) => {
      // A conflict or a refusal: show the task as it is now, so nothing stale stays on screen.
      if (error instanceof TaskConflictError) {
        queryClient.setQueryData(taskQueryKey(taskId), error.current);
      } else {
        void queryClient.invalidateQueries({ queryKey: taskQueryKey(taskId) });
      }
    },
  });
}
