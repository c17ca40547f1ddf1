import { apiClient } from './api-client';
import type { components } from './api-schema';
import { dataOrThrow } from './problem';

export type StoredFile = components['schemas']['File'];

/** Records the uploaded object; the server checks key, size, type and first bytes (422 if not). */
export async function completeUpload(uploadId: string, signal?: AbortSignal) {
  return dataOrThrow(
    await apiClient.POST('/api/files/uploads/{id}/complete', {
      params: { path: { id: uploadId } },
      ...(signal ? { signal } : {}),
    }),
  );
}
