import type { Storage } from '../../src/lib/storage.js';

/** A file of `size` bytes that starts with the PNG signature (enough for the content sniff). */
export function pngBytes(size = 64): Buffer {
  const bytes = Buffer.alloc(size, 0x2a);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes);
  return bytes;
}

export function pdfBytes(size = 64): Buffer {
  const bytes = Buffer.alloc(size, 0x20);
  bytes.write('%PDF-1.7\n');
  return bytes;
}

/**
 * Submits a presigned POST form for real over HTTP, as a browser does: every field as given
 * (with optional overrides), then the file last.
 */
export async function postForm(
  upload: { url: string; fields: Record<string, string> },
  file: Buffer,
  overrides: Record<string, string> = {},
): Promise<Response> {
  const form = new FormData();
  for (const [name, value] of Object.entries({ ...upload.fields, ...overrides })) {
    form.append(name, value);
  }
  form.append('file', new Blob([file]), 'upload.bin');
  return fetch(upload.url, { method: 'POST', body: form });
}

export type Part =
  | { name: string; value: string }
  | { name: string; filename: string; contentType: string; data: Buffer };

/** A multipart/form-data body (for `app.inject`) built by the platform's own encoder. */
export async function multipartBody(
  parts: Part[],
): Promise<{ payload: Buffer; headers: Record<string, string> }> {
  const form = new FormData();
  for (const part of parts) {
    if ('value' in part) form.append(part.name, part.value);
    else form.append(part.name, new Blob([part.data], { type: part.contentType }), part.filename);
  }
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return {
    payload: Buffer.from(await request.arrayBuffer()),
    headers: { 'content-type': request.headers.get('content-type') ?? '' },
  };
}

export async function objectExists(storage: Storage, key: string): Promise<boolean> {
  try {
    await storage.client.statObject(storage.bucket, key);
    return true;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'NotFound' || code === 'NoSuchKey') return false;
    throw error;
  }
}

export async function listKeys(storage: Storage, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const object of storage.client.listObjectsV2(storage.bucket, prefix, true)) {
    if (object.name) keys.push(object.name);
  }
  return keys;
}

/** Polls `check` until it holds; for background jobs whose timing the test does not control. */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
