export interface UploadProgress {
  /** Bytes of the file sent so far (the request also carries the form fields). */
  sent: number;
  total: number;
}

export class StorageRejectedError extends Error {
  constructor(
    readonly status: number,
    readonly storageCode: string | undefined,
    /** S3's own `<Message>`, shown as it is. */
    readonly storageMessage: string | undefined,
  ) {
    super(
      `The storage server refused the file (${status}${storageMessage ? `: ${storageMessage}` : ''}).`,
    );
    this.name = 'StorageRejectedError';
  }
}

export class UploadCancelledError extends Error {
  constructor() {
    super('The upload was cancelled.');
    this.name = 'UploadCancelledError';
  }
}

export interface PostFormOptions {
  url: string;
  fields: Record<string, string>;
  file: Blob;
  onProgress: (progress: UploadProgress) => void;
  signal: AbortSignal;
}

/** S3 servers answer errors as XML: `<Error><Code>…</Code><Message>…</Message></Error>`. */
function parseStorageError(body: string): { code?: string; message?: string } {
  const code = /<Code>([^<]*)<\/Code>/.exec(body)?.[1];
  const message = /<Message>([^<]*)<\/Message>/.exec(body)?.[1];
  return { ...(code ? { code } : {}), ...(message ? { message } : {}) };
}

/**
 * POSTs the presigned form straight to the S3 server with XMLHttpRequest: fetch has no upload
 * progress, and the progress bar must show bytes really sent. Aborting `signal` calls
 * `xhr.abort()`; the pending upload then simply expires on the server.
 */
export function postForm({
  url,
  fields,
  file,
  onProgress,
  signal,
}: PostFormOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new UploadCancelledError());
      return;
    }
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    // S3 ignores every field after `file`, so it must come last.
    form.append('file', file);

    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.upload.onprogress = (event) => {
      if (!event.lengthComputable || event.total === 0) return;
      // The request body is the file plus the form fields; report the file's share of it.
      const fraction = Math.min(1, event.loaded / event.total);
      onProgress({ sent: Math.round(fraction * file.size), total: file.size });
    };
    xhr.onload = () => {
      signal.removeEventListener('abort', onAbort);
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress({ sent: file.size, total: file.size });
        resolve();
        return;
      }
      const { code, message } = parseStorageError(xhr.responseText ?? '');
      reject(new StorageRejectedError(xhr.status, code, message));
    };
    xhr.onerror = () => {
      signal.removeEventListener('abort', onAbort);
      reject(new TypeError('The storage server could not be reached. Check your connection.'));
    };
    xhr.onabort = () => {
      signal.removeEventListener('abort', onAbort);
      reject(new UploadCancelledError());
    };
    const onAbort = () => xhr.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    xhr.send(form);
  });
}
