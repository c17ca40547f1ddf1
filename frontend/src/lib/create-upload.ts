import { apiClient } from './api-client';
import type { components } from './api-schema';
import { dataOrThrow } from './problem';

export type Purpose = components['schemas']['File']['purpose'];

export interface CreateUploadInput {
  purpose: Purpose;
  filename: string;
  contentType: string;
  size: number;
}

/**
 * Asks for a presigned POST form. The server checks the purpose's type and size rules here,
 * before any byte is sent: 413 `file_too_large`, 422 `content_type_not_allowed`.
 */
export async function createUpload(input: CreateUploadInput, signal?: AbortSignal) {
  return dataOrThrow(
    await apiClient.POST('/api/files/uploads', { body: input, ...(signal ? { signal } : {}) }),
  );
}
