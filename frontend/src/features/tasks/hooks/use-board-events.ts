import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { openEventStream, type StreamState } from '../../../lib/event-stream';
import { boardQueryKey, taskQueryKey } from '../api/tasks-query-key';

/** Bursts of events (a drag across a column, an import) become one refetch. */
const DEBOUNCE_MS = 150;

/**
 * Keeps the board's cached queries current from its live event stream: each event marks the
 * board and the task it names stale (refetched once per burst), `ready` (a fresh stream) and
 * `reset` (missed history) refetch the board. Returns the connection state for the indicator.
 */
export function useBoardEvents(boardId: string | undefined): StreamState {
  const queryClient = useQueryClient();
  const [state, setState] = useState<StreamState>('connecting');

  useEffect(() => {
    if (!boardId) return;
    const tasks = new Set<string>();
    let board = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      timer = undefined;
      if (board) void queryClient.invalidateQueries({ queryKey: boardQueryKey(boardId) });
      for (const taskId of tasks) {
        void queryClient.invalidateQueries({ queryKey: taskQueryKey(taskId) });
      }
      board = false;
      tasks.clear();
    };
    const schedule = () => {
      timer ??= setTimeout(flush, DEBOUNCE_MS);
    };
    const stream = openEventStream({
      path: `/api/boards/${encodeURIComponent(boardId)}/events`,
      onStateChange: setState,
      onEvent(event) {
        board = true;
        const taskId = (event.data as { taskId?: unknown } | undefined)?.taskId;
        if (typeof taskId === 'string') tasks.add(taskId);
        schedule();
      },
    });
    return () => {
      stream.close();
      clearTimeout(timer);
    };
  }, [boardId, queryClient]);

  return state;
}
