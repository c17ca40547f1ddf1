import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';
import { TASKS_QUERY_KEY } from './tasks-query-key';

export interface BoardChanges {
  name?: string;
  description?: string;
  viewersCanComment?: boolean;
  archived?: boolean;
}

/** Changes the board's settings (supervisors); answers the board as it now is. */
export async function updateBoard(boardId: string, changes: BoardChanges) {
  return dataOrThrow(
    await apiClient.PATCH('/api/boards/{boardId}', {
      params: { path: { boardId } },
      body: changes,
    }),
  );
}

export function useUpdateBoard(boardId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (changes: BoardChanges) => updateBoard(boardId, changes),
    // The board list, the board view and this page all show these settings.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: TASKS_QUERY_KEY }),
  });
}
