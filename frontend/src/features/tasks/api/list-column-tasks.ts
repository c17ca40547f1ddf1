import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';
import { appendColumnPage } from '../lib/board-cache';
import { type BoardView, CARDS_PER_COLUMN } from './get-board';
import { boardQueryKey } from './tasks-query-key';

export interface ListColumnTasksParams {
  boardId: string;
  columnId: string;
  cursor: string;
}

/** The next page of a column's open cards, in rank order. */
export async function listColumnTasks({ boardId, columnId, cursor }: ListColumnTasksParams) {
  return dataOrThrow(
    await apiClient.GET('/api/boards/{boardId}/columns/{columnId}/tasks', {
      params: { path: { boardId, columnId }, query: { limit: CARDS_PER_COLUMN, cursor } },
    }),
  );
}

/**
 * "Show more": the page is appended to the column inside the board's cached view, so the board
 * keeps one cache entry in the `getBoard` shape that moves and live updates patch.
 */
export function useShowMoreColumnTasks() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: listColumnTasks,
    onSuccess: (page, { boardId, columnId }) => {
      queryClient.setQueryData<BoardView>(boardQueryKey(boardId), (view) =>
        view ? appendColumnPage(view, columnId, page) : view,
      );
    },
  });
}
