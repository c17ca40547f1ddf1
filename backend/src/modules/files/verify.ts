import { CopyDestinationOptions, CopySourceOptions } from 'minio';
import type { Storage } from '../../lib/storage.js';
import { normalizeContentType, type PurposeRule } from './purposes.js';
import { bytesMatchType, SNIFF_BYTES } from './sniff.js';

export interface ExpectedObject {
  key: string;
  /** Prefix the key must start with: the owner's own area for this purpose. */
  prefix: string;
  contentType: string;
  declaredSize: number;
  rule: PurposeRule;
}

export type Verification =
  | { ok: true; size: number; etag: string }
  | { ok: false; missing: true }
  | { ok: false; missing: false; code: string; message: string };

function isNotFound(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'NotFound' || code === 'NoSuchKey';
}

async function readStart(storage: Storage, key: string): Promise<Buffer> {
  const stream = await storage.client.getPartialObject(storage.bucket, key, 0, SNIFF_BYTES);
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).subarray(0, SNIFF_BYTES);
}

/**
 * What the S3 server holds at the key, checked against what the client declared. Servers that do
 * not enforce POST-policy conditions (s3rver, some gateways) make this the only line of defence.
 */
export async function verifyObject(
  storage: Storage,
  expected: ExpectedObject,
): Promise<Verification> {
  if (!expected.key.startsWith(expected.prefix)) {
    return { ok: false, missing: false, code: 'upload_key_mismatch', message: 'Wrong key.' };
  }
  let stat: Awaited<ReturnType<Storage['client']['statObject']>>;
  try {
    stat = await storage.client.statObject(storage.bucket, expected.key);
  } catch (error) {
    if (isNotFound(error)) return { ok: false, missing: true };
    throw error;
  }
  const limit = Math.min(expected.declaredSize, expected.rule.maxBytes);
  if (stat.size <= 0 || stat.size > limit) {
    return {
      ok: false,
      missing: false,
      code: 'upload_size_mismatch',
      message: `The uploaded file has ${stat.size} bytes; between 1 and ${limit} were allowed.`,
    };
  }
  const storedType = normalizeContentType(String(stat.metaData['content-type'] ?? ''));
  if (storedType !== expected.contentType) {
    return {
      ok: false,
      missing: false,
      code: 'upload_type_mismatch',
      message: `The file was stored as "${storedType || 'unknown'}" but declared as "${expected.contentType}".`,
    };
  }
  if (!bytesMatchType(expected.contentType, await readStart(storage, expected.key))) {
    return {
      ok: false,
      missing: false,
      code: 'upload_content_mismatch',
      message: `The file's content is not ${expected.contentType}.`,
    };
  }
  return { ok: true, size: stat.size, etag: stat.etag };
}

/**
 * Server-side copy of a checked object to the key it is recorded under, with the metadata set
 * here (REPLACE), never what the form sent, and only if the source is still the object that was
 * checked (`x-amz-copy-source-if-match`; servers that ignore it are covered by checking the copy
 * again). Answers false when the source changed or vanished since it was checked.
 */
export async function copyCheckedObject(
  storage: Storage,
  from: { key: string; etag: string },
  to: { key: string; contentType: string; cacheControl?: string | undefined },
): Promise<boolean> {
  const headers: Record<string, string> = { 'Content-Type': to.contentType };
  if (to.cacheControl) headers['Cache-Control'] = to.cacheControl;
  try {
    await storage.client.copyObject(
      new CopySourceOptions({ Bucket: storage.bucket, Object: from.key, MatchETag: from.etag }),
      new CopyDestinationOptions({
        Bucket: storage.bucket,
        Object: to.key,
        MetadataDirective: 'REPLACE',
        Headers: headers,
      }),
    );
    return true;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (isNotFound(error) || code === 'PreconditionFailed') return false;
    throw error;
  }
}

/** Removes an object; a missing object counts as removed. */
export async function removeObjectQuietly(storage: Storage, key: string): Promise<void> {
  try {
    await storage.client.removeObject(storage.bucket, key);
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}
