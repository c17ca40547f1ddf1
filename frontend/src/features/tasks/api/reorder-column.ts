import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';
import { columnsQueryKey } from './settings-query-keys';
import { boardQueryKey } from './tasks-query-key';

export interface ColumnPosition {
  columnId: string;
  afterId?: string;
  beforeId?: string;
}

/** Moves a column after or before a sibling (the settings page's up/down buttons). */
export async function reorderColumn(boardId: string, { columnId, ...position }: ColumnPosition) {
  return dataOrThrow(
    await apiClient.POST('/api/boards/{boardId}/columns/{columnId}/move', {
      params: { path: { boardId, columnId } },
      body: position,
    }),
  );
}

export function useReorderColumn(boardId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (position: ColumnPosition) => reorderColumn(boardId, position),
    onSettled: async () => {
      await queryClient.invalidateQueries({ queryKey: columnsQueryKey(boardId) });
      await queryClient.invalidateQueries({ queryKey: boardQueryKey(boardId) });
    },
  });
}
