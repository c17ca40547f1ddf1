import { useMutation } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';
import { startDownload } from '../../../lib/start-download';

/** A short-lived presigned GET (private files) or the public URL (avatars) for one file. */
export async function getFileDownload(id: string, signal?: AbortSignal) {
  return dataOrThrow(
    await apiClient.GET('/api/files/{id}', {
      params: { path: { id }, query: { redirect: false } },
      ...(signal ? { signal } : {}),
    }),
  );
}

/**
 * Fetches a fresh URL at the moment of the click (presigned URLs expire within minutes, so they
 * are never cached) and hands it to the browser's download handling.
 */
export function useDownloadFile() {
  return useMutation({
    mutationFn: (id: string) => getFileDownload(id),
    onSuccess: (download) => startDownload(download.url, download.file.filename),
  });
}
