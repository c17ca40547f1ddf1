import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { createSignedInUser, type SignedInUser } from '../../../test/support/auth.js';
import { setupTestContext } from '../../../test/support/context.js';
import { objectExists, pdfBytes, pngBytes, postForm } from '../../../test/support/files.js';
import { createStorage } from '../../lib/storage.js';

const ctx = setupTestContext();
const SECRET = 'storage-webhook-secret-for-tests';
let app: FastifyInstance;
let user: SignedInUser;

beforeAll(async () => {
  const publicEndpoint = inject('services').s3.endpoint;
  const storage = createStorage({ ...ctx.config, S3_PUBLIC_ENDPOINT: publicEndpoint });
  app = await ctx.buildApp(
    {
      AUTH_AUTO_VERIFY: 'true',
      S3_PUBLIC_ENDPOINT: publicEndpoint,
      STORAGE_WEBHOOK_SECRET: SECRET,
    },
    { dependencies: { ...ctx.deps, storage } },
  );
  user = await createSignedInUser(app, ctx);
});

/** The body MinIO (and AWS) send: keys URL-encoded with `+` for spaces. */
function event(key: string, eventName = 's3:ObjectCreated:Post', bucket = ctx.config.S3_BUCKET) {
  return {
    EventName: eventName,
    Key: `${bucket}/${key}`,
    Records: [
      {
        eventVersion: '2.0',
        eventSource: 'minio:s3',
        eventName,
        s3: {
          bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` },
          object: { key: encodeURIComponent(key).replace(/%2F/g, '/'), size: 64 },
        },
      },
    ],
  };
}

function send(body: object, authorization: string | null = `Bearer ${SECRET}`) {
  return app.inject({
    method: 'POST',
    url: '/api/internal/storage-events',
    headers: authorization ? { authorization } : {},
    payload: body,
  });
}

async function uploaded(contentType: string, file: Buffer) {
  const response = await app.inject({
    method: 'POST',
    url: '/api/files/uploads',
    headers: user.headers,
    payload: { purpose: 'attachment', filename: 'a', contentType, size: file.length },
  });
  const started = response.json() as {
    uploadId: string;
    url: string;
    fields: Record<string, string>;
  };
  await postForm(started, file);
  return { id: started.uploadId, key: started.fields.key as string };
}

describe('storage event webhook', () => {
  it('rejects a missing or wrong secret and changes nothing', async () => {
    const { id, key } = await uploaded('image/png', pngBytes());
    for (const authorization of [null, 'Bearer wrong-secret-wrong-secret', SECRET.slice(1)]) {
      const response = await send(event(key), authorization);
      expect(response.statusCode).toBe(401);
      expect(response.json().code).toBe('invalid_webhook_secret');
    }
    expect(await ctx.deps.db.storedFile.count({ where: { id } })).toBe(0);
  });

  it('is disabled (503) when no secret is configured', async () => {
    const disabled = await ctx.buildApp({ AUTH_AUTO_VERIFY: 'true' });
    const response = await disabled.inject({
      method: 'POST',
      url: '/api/internal/storage-events',
      headers: { authorization: `Bearer ${SECRET}` },
      payload: event('users/x/attachment/y.png'),
    });
    expect(response.statusCode).toBe(503);
    expect(response.json().code).toBe('storage_webhook_disabled');
  });

  it('records the upload once, however often the event arrives', async () => {
    const { id, key } = await uploaded('image/png', pngBytes());
    const first = await send(event(key));
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ records: [{ key, outcome: 'recorded' }] });
    for (let attempt = 0; attempt < 2; attempt++) {
      const again = await send(event(key, 's3:ObjectCreated:Put'), SECRET);
      expect(again.json()).toEqual({ records: [{ key, outcome: 'already_recorded' }] });
    }
    expect(await ctx.deps.db.storedFile.count({ where: { id } })).toBe(1);
    // The client's complete call afterwards returns the same file.
    const completed = await app.inject({
      method: 'POST',
      url: `/api/files/uploads/${id}/complete`,
      headers: user.headers,
    });
    expect(completed.statusCode).toBe(200);
    expect(completed.json().id).toBe(id);
  });

  it('applies the same checks as complete: a mismatch removes the object', async () => {
    const { id, key } = await uploaded('image/png', pdfBytes());
    const response = await send(event(key));
    expect(response.json()).toEqual({ records: [{ key, outcome: 'rejected' }] });
    expect(await objectExists(ctx.deps.storage, key)).toBe(false);
    expect(await ctx.deps.db.storedFile.count({ where: { id } })).toBe(0);
  });

  it('ignores other events, other buckets and unknown keys', async () => {
    const { id, key } = await uploaded('image/png', pngBytes());
    const removed = await send(event(key, 's3:ObjectRemoved:Delete'));
    expect(removed.json().records[0].outcome).toBe('ignored');
    const otherBucket = await send(event(key, 's3:ObjectCreated:Put', 'someone-else'));
    expect(otherBucket.json().records[0].outcome).toBe('ignored');
    const unknown = await send(event(`users/${user.id}/attachment/none.png`));
    expect(unknown.json().records[0].outcome).toBe('unknown');
    expect(await ctx.deps.db.storedFile.count({ where: { id } })).toBe(0);
    const malformed = await send({ Records: [{ eventName: 'x' }] });
    expect(malformed.statusCode).toBe(400);
  });
});
