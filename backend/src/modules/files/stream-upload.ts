import type { Storage } from '../../lib/storage.js';
import { bytesMatchType, SNIFF_BYTES } from './sniff.js';
import { removeObjectQuietly } from './verify.js';

/** S3 parts must be at least 5 MiB (but the last); 8 MiB keeps two in memory well under 64 MiB. */
export const PART_BYTES = 8 * 1024 * 1024;

export class StreamLimitError extends Error {
  constructor(readonly reason: 'too_large' | 'content_mismatch') {
    super(reason);
  }
}

export interface StreamUploadOptions {
  key: string;
  contentType: string;
  maxBytes: number;
  cacheControl?: string;
  partBytes?: number;
}

/**
 * Streams `source` into one object without holding the whole file: small files go up in one PUT,
 * larger ones as a multipart upload with at most one part in flight while the next one fills, so
 * reading pauses (backpressure) when S3 is slower than the client. The size limit and the
 * content sniff are enforced as bytes arrive; on any failure the upload is aborted and nothing is
 * left at the key. Multipart is driven directly (no listing of incomplete uploads), which works
 * on every S3 server including s3rver, Garage and SeaweedFS.
 */
export async function streamToObject(
  storage: Storage,
  source: AsyncIterable<Buffer>,
  { key, contentType, maxBytes, cacheControl, partBytes = PART_BYTES }: StreamUploadOptions,
): Promise<{ size: number }> {
  const { client, bucket } = storage;
  const headers: Record<string, string> = { 'Content-Type': contentType };
  if (cacheControl) headers['Cache-Control'] = cacheControl;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let total = 0;
  let sniffed = false;
  let uploadId: string | undefined;
  const etags: { part: number; etag: string }[] = [];
  let inFlight: Promise<void> | undefined;

  function checkStart(): void {
    const start = Buffer.concat(pending).subarray(0, SNIFF_BYTES);
    if (!bytesMatchType(contentType, start)) throw new StreamLimitError('content_mismatch');
    sniffed = true;
  }

  async function sendPart(): Promise<void> {
    const payload = Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    uploadId ??= await client.initiateNewMultipartUpload(bucket, key, headers);
    const id = uploadId;
    const part = etags.length + 1;
    etags.push({ part, etag: '' });
    // Wait for the previous part first: never more than one part uploading, one filling.
    await inFlight;
    inFlight = client
      .uploadPart(
        { bucketName: bucket, objectName: key, uploadID: id, partNumber: part, headers: {} },
        payload,
      )
      .then((result) => {
        etags[part - 1] = { part, etag: result.etag };
      });
    // A failure surfaces at the next await; keep it from being reported as unhandled meanwhile.
    inFlight.catch(() => {});
  }

  try {
    for await (const chunk of source) {
      total += chunk.length;
      if (total > maxBytes) throw new StreamLimitError('too_large');
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (!sniffed && pendingBytes >= SNIFF_BYTES) checkStart();
      if (pendingBytes >= partBytes) await sendPart();
    }
    if (!sniffed) checkStart();
    if (!uploadId) {
      await client.putObject(
        bucket,
        key,
        Buffer.concat(pending, pendingBytes),
        pendingBytes,
        headers,
      );
      return { size: total };
    }
    if (pendingBytes > 0) await sendPart();
    await inFlight;
    await client.completeMultipartUpload(bucket, key, uploadId, etags);
    return { size: total };
  } catch (error) {
    await inFlight?.catch(() => {});
    if (uploadId) {
      // Some servers (s3rver) cannot abort; their parts never become an object either way.
      await client.abortMultipartUpload(bucket, key, uploadId).catch(() => {});
    }
    await removeObjectQuietly(storage, key).catch(() => {});
    throw error;
  }
}
