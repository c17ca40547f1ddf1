import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';
import { FILES_QUERY_KEY } from './files-query-key';

/** Deletes the file's record at once; the server removes the object through a retried job. */
export async function deleteFile(id: string) {
  dataOrThrow(await apiClient.DELETE('/api/files/{id}', { params: { path: { id } } }));
}

export function useDeleteFile() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteFile,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: FILES_QUERY_KEY }),
  });
}
