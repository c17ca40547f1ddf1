import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, describeError } from '../../../lib/problem';
import { completeUpload } from '../api/complete-upload';
import { createUpload, type Purpose } from '../api/create-upload';
import { FILES_QUERY_KEY } from '../api/files-query-key';
import type { StoredFile } from '../api/list-files';
import { describeFileTypes } from '../lib/describe-file-types';
import { formatBytes } from '../lib/format-bytes';
import { postForm, UploadCancelledError } from '../lib/post-form';

export type UploadStatus =
  | 'preparing'
  | 'uploading'
  | 'verifying'
  | 'done'
  | 'failed'
  | 'cancelled';

export interface UploadEntry {
  id: string;
  name: string;
  status: UploadStatus;
  sent: number;
  total: number;
  /** Why it failed, for a person; `details` lists the server's field messages, if any. */
  error?: string;
  details?: string[];
  file?: StoredFile;
}

/** A sentence that names the file and says what to do, from whatever stopped the upload. */
export function explainFailure(name: string, size: number, error: unknown) {
  if (error instanceof ApiError) {
    const details = (error.problem.errors ?? []).map((item) => item.message);
    if (error.code === 'file_too_large') {
      const limit = Number(/(\d+) bytes/.exec(error.problem.detail)?.[1]);
      const message = Number.isFinite(limit)
        ? `“${name}” is too large (${formatBytes(size)}). The limit here is ${formatBytes(limit)}.`
        : `“${name}”: ${error.problem.detail}`;
      return { error: message, details: [] };
    }
    if (error.code === 'content_type_not_allowed') {
      // The field message lists the accepted media types: "must be one of: image/png, …".
      const accepted = details
        .join(' ')
        .match(/one of: (.+)$/)?.[1]
        ?.split(/,\s*/);
      if (accepted?.length) {
        return {
          error: `“${name}” is not a kind of file accepted here.`,
          details: [`Accepted: ${describeFileTypes(accepted)}.`],
        };
      }
    }
    return { error: `“${name}”: ${error.problem.detail}`, details };
  }
  if (error instanceof Error && !(error instanceof TypeError)) {
    return { error: `“${name}”: ${error.message}`, details: [] };
  }
  return { error: `“${name}”: ${describeError(error)}`, details: [] };
}

let sequence = 0;

/**
 * Uploads files of one purpose: ask the API for a presigned form (the server's type and size
 * rules answer before any byte is sent), POST the bytes straight to S3 with progress, then ask
 * the API to verify and record them. Each file runs on its own and can be cancelled.
 */
export function useUploads(purpose: Purpose, onUploaded?: (file: StoredFile) => void) {
  const queryClient = useQueryClient();
  const [entries, setEntries] = useState<UploadEntry[]>([]);
  const controllers = useRef(new Map<string, AbortController>());
  const onUploadedRef = useRef(onUploaded);
  onUploadedRef.current = onUploaded;

  // Leaving the page abandons uploads in flight rather than finishing them unseen.
  useEffect(() => {
    const running = controllers.current;
    return () => {
      for (const controller of running.values()) controller.abort();
      running.clear();
    };
  }, []);

  const update = useCallback((id: string, change: Partial<UploadEntry>) => {
    setEntries((current) =>
      current.map((entry) => (entry.id === id ? { ...entry, ...change } : entry)),
    );
  }, []);

  const uploadOne = useCallback(
    async (file: File) => {
      sequence += 1;
      const id = `upload-${sequence}`;
      const controller = new AbortController();
      controllers.current.set(id, controller);
      setEntries((current) => [
        ...current,
        { id, name: file.name, status: 'preparing', sent: 0, total: file.size },
      ]);
      try {
        if (file.size === 0) throw new Error('The file is empty.');
        const form = await createUpload(
          {
            purpose,
            filename: file.name,
            // Browsers leave the type empty when they do not know it; the server then says so.
            contentType: file.type || 'application/octet-stream',
            size: file.size,
          },
          controller.signal,
        );
        update(id, { status: 'uploading' });
        await postForm({
          url: form.url,
          fields: form.fields,
          file,
          signal: controller.signal,
          onProgress: ({ sent, total }) => update(id, { sent, total }),
        });
        update(id, { status: 'verifying' });
        const stored = await completeUpload(form.uploadId, controller.signal);
        update(id, { status: 'done', file: stored });
        await queryClient.invalidateQueries({ queryKey: FILES_QUERY_KEY });
        onUploadedRef.current?.(stored);
      } catch (error) {
        if (error instanceof UploadCancelledError || controller.signal.aborted) {
          update(id, { status: 'cancelled' });
        } else {
          update(id, { status: 'failed', ...explainFailure(file.name, file.size, error) });
        }
      } finally {
        controllers.current.delete(id);
      }
    },
    [purpose, queryClient, update],
  );

  const start = useCallback(
    (files: Iterable<File>) => {
      for (const file of files) void uploadOne(file);
    },
    [uploadOne],
  );

  const cancel = useCallback((id: string) => controllers.current.get(id)?.abort(), []);

  const dismiss = useCallback((id: string) => {
    setEntries((current) => current.filter((entry) => entry.id !== id));
  }, []);

  return { entries, start, cancel, dismiss };
}
