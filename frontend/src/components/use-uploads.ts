import { useCallback, useEffect, useRef, useState } from 'react';
import type { StoredFile } from '../lib/complete-upload';
import { completeUpload } from '../lib/complete-upload';
import { createUpload, type Purpose } from '../lib/create-upload';
import { declaredType, describeFileTypes } from '../lib/describe-file-types';
import type { useFormat } from '../lib/format';
import type { Translate } from '../lib/i18n';
import { postForm, StorageRejectedError, UploadCancelledError } from '../lib/post-form';
import { ApiError, describeError } from '../lib/problem';

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
  /** What stopped it; explained in words when shown (see `explainFailure`). */
  failure?: unknown;
  file?: StoredFile;
}

/** A failure explained for a person: a sentence naming the file, and details to act on. */
export interface UploadFailure {
  error: string;
  details: string[];
}

const MEDIA_TYPE = /[a-z]+\/[a-z0-9][-+.\w]*/g;

/**
 * A sentence that names the file and says what to do, from whatever stopped the upload. Run at
 * render time, so it follows the page's language; only the figures and media types are read from
 * the server's answer, which is written in the request's language.
 */
export function explainFailure(
  name: string,
  size: number,
  error: unknown,
  t: Translate,
  format: Pick<ReturnType<typeof useFormat>, 'bytes' | 'list'>,
): UploadFailure {
  if (error instanceof EmptyFileError) {
    return { error: t('common.upload.failure.empty', { name }), details: [] };
  }
  if (error instanceof ApiError) {
    const details = (error.problem.errors ?? []).map((item) => item.message);
    if (error.code === 'file_too_large') {
      const limit = Number(/(\d+)/.exec(error.problem.detail)?.[1]);
      if (Number.isFinite(limit)) {
        return {
          error: t('common.upload.failure.tooLarge', {
            name,
            size: format.bytes(size),
            limit: format.bytes(limit),
          }),
          details: [],
        };
      }
    }
    if (error.code === 'content_type_not_allowed') {
      // The field message lists the accepted media types: "must be one of: image/png, …".
      const accepted = details.join(' ').match(MEDIA_TYPE);
      if (accepted?.length) {
        return {
          error: t('common.upload.failure.typeNotAccepted', { name }),
          details: [
            t('common.upload.failure.accepted', {
              types: describeFileTypes(accepted, format.list, t),
            }),
          ],
        };
      }
    }
    return {
      error: t('common.upload.failure.withReason', { name, reason: error.problem.detail }),
      details,
    };
  }
  if (error instanceof StorageRejectedError) {
    return {
      error: t('common.upload.failure.storage', {
        name,
        status: error.status,
        reason: error.storageMessage ?? '',
      }),
      details: [],
    };
  }
  return {
    error: t('common.upload.failure.withReason', { name, reason: describeError(error) }),
    details: [],
  };
}

/** A file of 0 bytes is refused before anything is asked of the server. */
export class EmptyFileError extends Error {
  constructor() {
    super('The file is empty.');
    this.name = 'EmptyFileError';
  }
}

let sequence = 0;

/**
 * Uploads files of one purpose: ask the API for a presigned form (the server's type and size
 * rules answer before any byte is sent), POST the bytes straight to S3 with progress, then ask
 * the API to verify and record them. Each file runs on its own and can be cancelled.
 */
export function useUploads(purpose: Purpose, onUploaded?: (file: StoredFile) => void) {
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
        if (file.size === 0) throw new EmptyFileError();
        const form = await createUpload(
          {
            purpose,
            filename: file.name,
            // Browsers leave the type empty when they do not know it: the extension names
            // Hangul documents; anything else is declared unknown and the server says so.
            contentType: declaredType(file),
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
        onUploadedRef.current?.(stored);
      } catch (error) {
        if (error instanceof UploadCancelledError || controller.signal.aborted) {
          update(id, { status: 'cancelled' });
        } else {
          update(id, { status: 'failed', failure: error });
        }
      } finally {
        controllers.current.delete(id);
      }
    },
    [purpose, update],
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
