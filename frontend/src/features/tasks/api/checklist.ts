import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';
import { TASKS_QUERY_KEY, taskQueryKey } from './tasks-query-key';

/** Adds an item at the end of the task's checklist. */
export async function addChecklistItem(taskId: string, text: string) {
  return dataOrThrow(
    await apiClient.POST('/api/tasks/{taskId}/checklist', {
      params: { path: { taskId } },
      body: { text },
    }),
  );
}

/** Ticks, unticks or rewords an item. */
export async function updateChecklistItem(
  taskId: string,
  itemId: string,
  change: { text?: string; done?: boolean },
) {
  return dataOrThrow(
    await apiClient.PATCH('/api/tasks/{taskId}/checklist/{itemId}', {
      params: { path: { taskId, itemId } },
      body: change,
    }),
  );
}

/** Puts an item after (or before) a sibling; the server computes the rank. */
export async function moveChecklistItem(
  taskId: string,
  itemId: string,
  position: { afterId?: string; beforeId?: string },
) {
  return dataOrThrow(
    await apiClient.POST('/api/tasks/{taskId}/checklist/{itemId}/move', {
      params: { path: { taskId, itemId } },
      body: position,
    }),
  );
}

export async function removeChecklistItem(taskId: string, itemId: string) {
  dataOrThrow(
    await apiClient.DELETE('/api/tasks/{taskId}/checklist/{itemId}', {
      params: { path: { taskId, itemId } },
    }),
  );
}

export type ChecklistAction =
  | { kind: 'add'; text: string }
  | { kind: 'update'; itemId: string; text?: string; done?: boolean }
  | { kind: 'move'; itemId: string; afterId?: string; beforeId?: string }
  | { kind: 'remove'; itemId: string };

async function runChecklistAction(taskId: string, action: ChecklistAction): Promise<void> {
  switch (action.kind) {
    case 'add':
      await addChecklistItem(taskId, action.text);
      return;
    case 'update': {
      const { kind: _kind, itemId, ...change } = action;
      await updateChecklistItem(taskId, itemId, change);
      return;
    }
    case 'move': {
      const { kind: _kind, itemId, ...position } = action;
      await moveChecklistItem(taskId, itemId, position);
      return;
    }
    case 'remove':
      await removeChecklistItem(taskId, action.itemId);
      return;
  }
}

/** One mutation for every checklist change; the task (which carries the checklist) is re-read. */
export function useChecklistAction(taskId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (action: ChecklistAction) => runChecklistAction(taskId, action),
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: taskQueryKey(taskId) }),
        queryClient.invalidateQueries({
          queryKey: TASKS_QUERY_KEY,
          predicate: (query) => query.queryKey[1] !== 'task',
        }),
      ]),
  });
}
