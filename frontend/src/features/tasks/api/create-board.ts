import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';
import { boardsQueryKey } from './tasks-query-key';

export interface CreateBoardInput {
  key: string;
  name: string;
}

/** Creates a board with the default columns; the caller becomes its supervisor. */
export async function createBoard(input: CreateBoardInput) {
  return dataOrThrow(await apiClient.POST('/api/boards', { body: input }));
}

export function useCreateBoard() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createBoard,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: boardsQueryKey }),
  });
}
