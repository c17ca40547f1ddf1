import { apiClient } from '../../../lib/api-client';
import { dataOrThrow } from '../../../lib/problem';

/** Records the uploaded object; the server checks key, size, type and first bytes (422 if not). */
export async function completeUpload(uploadId: string, signal?: AbortSignal) {
  return dataOrThrow(
    await apiClient.POST('/api/files/uploads/{id}/complete', {
      params: { path: { id: uploadId } },
      ...(signal ? { signal } : {}),
    }),
  );
}
