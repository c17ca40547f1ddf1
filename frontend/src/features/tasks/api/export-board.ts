import { useMutation } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';

export type ExportFormat = 'json' | 'csv';

/**
 * The board file (JSON) or its tasks (CSV) as a Blob with its file name. The API needs the
 * bearer token, so a plain link cannot download it: the page fetches it and saves the Blob.
 */
export async function exportBoard(boardId: string, key: string, format: ExportFormat) {
  const options = { params: { path: { boardId } }, parseAs: 'blob' as const };
  const blob =
    format === 'json'
      ? dataOrThrow(await apiClient.GET('/api/boards/{boardId}/export', options))
      : dataOrThrow(await apiClient.GET('/api/boards/{boardId}/export.csv', options));
  const filename = format === 'json' ? `${key}.homeport.json` : `${key}.csv`;
  return { blob, filename };
}

/** Downloads the export: a temporary object URL clicked as `<a download>`. */
export function saveBlob(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked after the click has been handled, so the browser has started the download.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

export function useExportBoard(boardId: string, key: string) {
  return useMutation({
    mutationFn: async (format: ExportFormat) => {
      const { blob, filename } = await exportBoard(boardId, key, format);
      saveBlob(blob, filename);
      return { format, filename, size: blob.size };
    },
  });
}
