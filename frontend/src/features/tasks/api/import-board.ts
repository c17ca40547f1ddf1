import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';
import { TASKS_QUERY_KEY } from './tasks-query-key';

export type ImportSource = 'homeport' | 'trello';

export interface BoardImport {
  source: ImportSource;
  key: string;
  name?: string;
  /** The parsed file. */
  data: unknown;
}

/** Creates a new board from a Homeport board file or a Trello export, all or nothing. */
export async function importBoard(input: BoardImport) {
  return dataOrThrow(await apiClient.POST('/api/boards/import', { body: input }));
}

export function useImportBoard() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: importBoard,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: TASKS_QUERY_KEY }),
  });
}
