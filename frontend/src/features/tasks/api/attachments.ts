import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import type { components } from '../../../lib/api-schema';
import { dataOrThrow } from '../../../lib/problem';
import { startDownload } from '../../../lib/start-download';
import { TASKS_QUERY_KEY } from './tasks-query-key';

export type TaskAttachment = components['schemas']['TaskAttachment'];

export async function listAttachments(taskId: string, signal?: AbortSignal) {
  return dataOrThrow(
    await apiClient.GET('/api/tasks/{taskId}/attachments', {
      params: { path: { taskId } },
      ...(signal ? { signal } : {}),
    }),
  );
}

export function listAttachmentsQueryOptions(taskId: string) {
  return queryOptions({
    queryKey: [...TASKS_QUERY_KEY, 'attachments', taskId] as const,
    queryFn: ({ signal }) => listAttachments(taskId, signal),
  });
}

export function useAttachments(taskId: string) {
  return useQuery(listAttachmentsQueryOptions(taskId));
}

/** Attaches an uploaded `task_attachment` file (the caller's own, attached nowhere yet). */
export async function attachFile(taskId: string, fileId: string) {
  return dataOrThrow(
    await apiClient.POST('/api/tasks/{taskId}/attachments', {
      params: { path: { taskId } },
      body: { fileId },
    }),
  );
}

/** Removes the attachment and its file (the uploader or a board supervisor). */
export async function removeAttachment(fileId: string) {
  dataOrThrow(await apiClient.DELETE('/api/files/{id}', { params: { path: { id: fileId } } }));
}

function useRefreshTask() {
  const queryClient = useQueryClient();
  return () =>
    queryClient.invalidateQueries({
      queryKey: TASKS_QUERY_KEY,
      predicate: (query) => query.queryKey[1] !== 'task',
    });
}

export function useAttachFile(taskId: string) {
  const refresh = useRefreshTask();
  return useMutation({
    mutationFn: (fileId: string) => attachFile(taskId, fileId),
    onSettled: refresh,
  });
}

export function useRemoveAttachment() {
  const refresh = useRefreshTask();
  return useMutation({ mutationFn: removeAttachment, onSettled: refresh });
}

/** A fresh presigned URL at click time (they expire within minutes), handed to the browser. */
export function useDownloadAttachment() {
  return useMutation({
    mutationFn: async (attachment: TaskAttachment) =>
      dataOrThrow(
        await apiClient.GET('/api/files/{id}', {
          params: { path: { id: attachment.fileId }, query: { redirect: false } },
        }),
      ),
    onSuccess: (download) => startDownload(download.url, download.file.filename),
  });
}
