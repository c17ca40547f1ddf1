import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';
import { labelsQueryKey } from './settings-query-keys';
import { boardQueryKey } from './tasks-query-key';

export interface LabelChanges {
  name?: string;
  color?: string;
}

/** Renames or recolours a label. */
export async function updateLabel(boardId: string, labelId: string, changes: LabelChanges) {
  return dataOrThrow(
    await apiClient.PATCH('/api/boards/{boardId}/labels/{labelId}', {
      params: { path: { boardId, labelId } },
      body: changes,
    }),
  );
}

export function useUpdateLabel(boardId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ labelId, changes }: { labelId: string; changes: LabelChanges }) =>
      updateLabel(boardId, labelId, changes),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: labelsQueryKey(boardId) });
      await queryClient.invalidateQueries({ queryKey: boardQueryKey(boardId) });
    },
  });
}
