import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';
import { labelsQueryKey } from './settings-query-keys';
import { boardQueryKey } from './tasks-query-key';

export interface NewLabel {
  name: string;
  /** `#rrggbb` */
  color: string;
}

/** Adds a label to the board (names are unique per board: 409 otherwise). */
export async function createLabel(boardId: string, label: NewLabel) {
  return dataOrThrow(
    await apiClient.POST('/api/boards/{boardId}/labels', {
      params: { path: { boardId } },
      body: label,
    }),
  );
}

export function useCreateLabel(boardId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (label: NewLabel) => createLabel(boardId, label),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: labelsQueryKey(boardId) });
      await queryClient.invalidateQueries({ queryKey: boardQueryKey(boardId) });
    },
  });
}
