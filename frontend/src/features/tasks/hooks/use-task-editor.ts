import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useRef, useState } from 'react';
import type { Task } from '../api/get-task';
import { taskQueryKey } from '../api/tasks-query-key';
import { type TaskChanges, TaskConflictError, useUpdateTask } from '../api/update-task';
import type { TaskPermissions } from './use-task-permissions';

/**
 * Saves a task's fields one change at a time. Changes are queued, so each is sent with the
 * version the previous one produced (the user's own quick edits never collide with each other).
 * A conflict with someone else's edit of the same fields is kept until the user chooses.
 */
export function useTaskEditor(task: Task) {
  const queryClient = useQueryClient();
  const mutation = useUpdateTask(task.id);
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const [conflict, setConflict] = useState<TaskConflictError>();
  const [error, setError] = useState<unknown>();
  const [pending, setPending] = useState(0);

  const send = useCallback(
    (changes: TaskChanges, version?: number) => {
      setError(undefined);
      setPending((count) => count + 1);
      queue.current = queue.current.then(async () => {
        const latest = queryClient.getQueryData<Task>(taskQueryKey(task.id));
        try {
          await mutation.mutateAsync({ version: version ?? latest?.version ?? 1, changes });
        } catch (caught) {
          if (caught instanceof TaskConflictError) setConflict(caught);
          else setError(caught);
        } finally {
          setPending((count) => count - 1);
        }
      });
    },
    [mutation, queryClient, task.id],
  );

  /**
   * `since` is the version the user began editing on (a title or text editor that stayed open
   * while a live update arrived): a change of the same field meanwhile is then a conflict, not
   * silently overwritten. Without it the change applies to the version on screen.
   */
  const save = useCallback(
    (changes: TaskChanges, since?: number) => {
      setConflict(undefined);
      send(changes, since);
    },
    [send],
  );

  /** Writes the user's values over the other person's, on the version that holds theirs. */
  const keepMine = useCallback(() => {
    if (!conflict) return;
    setConflict(undefined);
    send(conflict.mine, conflict.current.version);
  }, [conflict, send]);

  /** The task already shows the other person's values; the user's edit is dropped. */
  const takeTheirs = useCallback(() => setConflict(undefined), []);

  return { save, conflict, error, keepMine, takeTheirs, saving: pending > 0 };
}

export type TaskEditor = ReturnType<typeof useTaskEditor>;

/** What a part of the task dialog that edits the task is given. */
export interface TaskPartProps {
  task: Task;
  editor: TaskEditor;
  permissions: TaskPermissions;
}
