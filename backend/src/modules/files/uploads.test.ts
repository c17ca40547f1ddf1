import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { createSignedInUser, type SignedInUser } from '../../../test/support/auth.js';
import { setupTestContext } from '../../../test/support/context.js';
import {
  listKeys,
  objectExists,
  pdfBytes,
  pngBytes,
  postForm,
} from '../../../test/support/files.js';
import { createStorage } from '../../lib/storage.js';
import { createJobQueue } from './job-queue.js';
import { filesSettings } from './settings.js';
import { createUploadsService } from './uploads-service.js';

const ctx = setupTestContext();
let app: FastifyInstance;
let alice: SignedInUser;
let bob: SignedInUser;

beforeAll(async () => {
  // Presigned forms are signed for the S3 server itself, so the test can submit them over HTTP.
  const publicEndpoint = inject('services').s3.endpoint;
  const storage = createStorage({ ...ctx.config, S3_PUBLIC_ENDPOINT: publicEndpoint });
  app = await ctx.buildApp(
    { AUTH_AUTO_VERIFY: 'true', S3_PUBLIC_ENDPOINT: publicEndpoint },
    { dependencies: { ...ctx.deps, storage } },
  );
  alice = await createSignedInUser(app, ctx);
  bob = await createSignedInUser(app, ctx);
});

interface Upload {
  uploadId: string;
  url: string;
  fields: Record<string, string>;
}

async function startUpload(user: SignedInUser, body: Record<string, unknown>) {
  return app.inject({
    method: 'POST',
    url: '/api/files/uploads',
    headers: user.headers,
    payload: body,
  });
}

async function upload(user: SignedInUser, body: Record<string, unknown>): Promise<Upload> {
  const response = await startUpload(user, body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

function complete(user: SignedInUser, uploadId: string) {
  return app.inject({
    method: 'POST',
    url: `/api/files/uploads/${uploadId}/complete`,
    headers: user.headers,
  });
}

const png = { purpose: 'avatar', filename: 'me.png', contentType: 'image/png', size: 64 };

describe('presigned POST uploads', () => {
  it('uploads through the form, completes idempotently, and downloads', async () => {
    const pdf = pdfBytes(300);
    const started = await upload(alice, {
      purpose: 'attachment',
      filename: 'Quarterly report.pdf',
      contentType: 'application/pdf',
      size: pdf.length,
    });
    const staging = started.fields.key as string;
    expect(staging).toBe(`staging/users/${alice.id}/attachment/${started.uploadId}.pdf`);
    const key = `users/${alice.id}/attachment/${started.uploadId}.pdf`;
    expect(started.fields).toMatchObject({ 'Content-Type': 'application/pdf' });
    expect(started.url).toBe(`${inject('services').s3.endpoint}/${ctx.config.S3_BUCKET}/`);
    expect(started.fields.policy).toBeTruthy();
    const policy = JSON.parse(Buffer.from(started.fields.policy as string, 'base64').toString());
    expect(policy.conditions).toContainEqual(['content-length-range', 1, pdf.length]);
    expect(policy.conditions).toContainEqual(['eq', '$key', staging]);

    expect((await postForm(started, pdf)).status).toBeLessThan(300);
    const first = await complete(alice, started.uploadId);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({
      id: started.uploadId,
      purpose: 'attachment',
      filename: 'Quarterly report.pdf',
      contentType: 'application/pdf',
      size: pdf.length,
      publicUrl: null,
    });
    const again = await complete(alice, started.uploadId);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect(await ctx.deps.db.storedFile.count({ where: { key } })).toBe(1);
    expect(await ctx.deps.db.fileUpload.count({ where: { key: staging } })).toBe(0);
    // Recorded under the final key; the form's object is gone.
    expect(await objectExists(ctx.deps.storage, key)).toBe(true);
    expect(await objectExists(ctx.deps.storage, staging)).toBe(false);

    const download = await app.inject({
      method: 'GET',
      url: `/api/files/${started.uploadId}`,
      headers: alice.headers,
    });
    expect(download.statusCode).toBe(200);
    const { url, expiresAt } = download.json();
    expect(new Date(expiresAt).getTime()).toBeGreaterThan(Date.now());
    const fetched = await fetch(url);
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get('content-disposition')).toBe(
      `attachment; filename="Quarterly report.pdf"; filename*=UTF-8''Quarterly%20report.pdf`,
    );
    expect(Buffer.from(await fetched.arrayBuffer())).toEqual(pdf);

    const redirect = await app.inject({
      method: 'GET',
      url: `/api/files/${started.uploadId}?redirect=true`,
      headers: alice.headers,
    });
    expect(redirect.statusCode).toBe(302);
    expect(redirect.headers.location).toContain(`/${ctx.config.S3_BUCKET}/${key}?`);
  });

  it('stores avatars under public/ with a public URL built from configuration', async () => {
    const started = await upload(alice, png);
    // The form writes outside public/: nothing unchecked is ever served anonymously.
    expect(started.fields.key).toBe(`staging/users/${alice.id}/avatar/${started.uploadId}.png`);
    expect(started.fields['Cache-Control']).toBeUndefined();
    await postForm(started, pngBytes(64));
    const file = (await complete(alice, started.uploadId)).json();
    const key = `public/users/${alice.id}/avatar/${started.uploadId}.png`;
    expect(file.publicUrl).toBe(`${ctx.config.PUBLIC_URL}/${ctx.config.S3_BUCKET}/${key}`);
    const row = await ctx.deps.db.storedFile.findUniqueOrThrow({ where: { id: file.id } });
    expect(row.key).toBe(key);
    // The metadata of the recorded object is set by the backend, not taken from the form.
    const stat = await ctx.deps.storage.client.statObject(ctx.deps.storage.bucket, key);
    expect(stat.metaData['content-type']).toBe('image/png');
    expect(stat.metaData['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('keeps a completed file unchanged when its form is posted again', async () => {
    // The review's attack: complete an avatar, then re-post the same presigned form with HTML.
    const started = await upload(alice, png);
    const original = pngBytes(64);
    await postForm(started, original);
    const file = (await complete(alice, started.uploadId)).json();
    const html = Buffer.from('<html><script>alert(document.domain)</script></html>');
    const reposted = await postForm(started, Buffer.concat([html, Buffer.alloc(10)]));
    // s3rver accepts the form again (it checks nothing); a policy-enforcing server may too
    // while the form has not expired. Either way, what the record points at must not change.
    expect(reposted.status).toBeLessThan(500);
    const again = await complete(alice, started.uploadId);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(file);
    const row = await ctx.deps.db.storedFile.findUniqueOrThrow({ where: { id: file.id } });
    expect(row.key).not.toBe(started.fields.key);
    const served = await ctx.deps.storage.client.getObject(ctx.deps.storage.bucket, row.key);
    const chunks: Buffer[] = [];
    for await (const chunk of served) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks)).toEqual(original);
    const stat = await ctx.deps.storage.client.statObject(ctx.deps.storage.bucket, row.key);
    expect(stat.metaData['content-type']).toBe('image/png');
    // Through the S3 server's own HTTP interface, as a browser would fetch the public URL.
    const direct = await fetch(
      `${inject('services').s3.endpoint}/${ctx.config.S3_BUCKET}/${row.key}`,
    );
    if (direct.status === 200) {
      expect(Buffer.from(await direct.arrayBuffer())).toEqual(original);
      expect(direct.headers.get('content-type')).toBe('image/png');
    }
    // And through the backend: the download answer names the same, unchanged object.
    const download = await app.inject({
      method: 'GET',
      url: `/api/files/${file.id}`,
      headers: alice.headers,
    });
    expect(download.json().url).toBe(file.publicUrl);
    expect(file.publicUrl.endsWith(`/${row.key}`)).toBe(true);
  });

  it('records once when the client and the storage webhook complete at the same time', async () => {
    const started = await upload(alice, png);
    await postForm(started, pngBytes(64));
    const uploads = createUploadsService({
      db: ctx.deps.db,
      storage: ctx.deps.storage,
      jobs: createJobQueue(ctx.deps.db),
      settings: filesSettings(ctx.config),
    });
    const [byClient, byWebhook, again] = await Promise.all([
      complete(alice, started.uploadId),
      uploads.completeByKey(started.fields.key as string),
      complete(alice, started.uploadId),
    ]);
    expect(byClient.statusCode, byClient.body).toBe(200);
    expect(again.json()).toEqual(byClient.json());
    expect(['recorded', 'already_recorded']).toContain(byWebhook);
    expect(await ctx.deps.db.storedFile.count({ where: { id: started.uploadId } })).toBe(1);
    const keys = await listKeys(
      ctx.deps.storage,
      `public/users/${alice.id}/avatar/${started.uploadId}`,
    );
    expect(keys).toHaveLength(1);
    expect(await objectExists(ctx.deps.storage, started.fields.key as string)).toBe(false);
    // A late event for the form's key (or a re-post) removes the stray object, records nothing.
    await postForm(started, pngBytes(64));
    expect(await uploads.completeByKey(started.fields.key as string)).toBe('already_recorded');
    expect(await objectExists(ctx.deps.storage, started.fields.key as string)).toBe(false);
  });

  it('rejects files that break the purpose rules and creates nothing', async () => {
    const before = await ctx.deps.db.fileUpload.count();
    const cases = [
      {
        body: { ...png, contentType: 'application/pdf' },
        status: 422,
        code: 'content_type_not_allowed',
      },
      { body: { ...png, size: 5 * 1024 * 1024 + 1 }, status: 413, code: 'file_too_large' },
      {
        body: { ...png, contentType: 'application/x-msdownload', purpose: 'attachment' },
        status: 422,
        code: 'content_type_not_allowed',
      },
      { body: { ...png, purpose: 'backup' }, status: 400, code: 'validation_failed' },
      { body: { ...png, size: 0 }, status: 400, code: 'validation_failed' },
      {
        body: { ...png, key: `users/${bob.id}/avatar/x.png` },
        status: 400,
        code: 'validation_failed',
      },
      { body: { ...png, userId: bob.id }, status: 400, code: 'validation_failed' },
    ];
    for (const { body, status, code } of cases) {
      const response = await startUpload(alice, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(status);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json().code).toBe(code);
    }
    expect(await ctx.deps.db.fileUpload.count()).toBe(before);
    const anonymous = await app.inject({ method: 'POST', url: '/api/files/uploads', payload: png });
    expect(anonymous.statusCode).toBe(401);
  });

  it('keeps hostile file names out of the key and safe as metadata', async () => {
    const names = [
      ['../../users/other/avatar/evil.png', 'evil.png'],
      ['a\u202eb\u200f.png', 'ab.png'],
      [`${'x'.repeat(1000)}.png`, `${'x'.repeat(196)}.png`],
      ['프로필 사진 🙂.png', '프로필 사진 🙂.png'],
    ] as const;
    for (const [filename, expected] of names) {
      const started = await upload(alice, { ...png, filename });
      expect(started.fields.key).toMatch(
        new RegExp(`^staging/users/${alice.id}/avatar/${started.uploadId}\\.png$`),
      );
      const row = await ctx.deps.db.fileUpload.findUniqueOrThrow({
        where: { id: started.uploadId },
      });
      expect(row.filename).toBe(expected);
    }
    // Control characters are refused outright, like in every other text field.
    const refused = await startUpload(alice, { ...png, filename: 'a\u0000b.png' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors).toContainEqual({
      field: '/body/filename',
      message: 'must not contain control characters',
    });
  });

  it('removes the object and answers 422 when size or type differ from the declaration', async () => {
    // s3rver does not enforce the policy, so the backend's own checks are what stops these.
    const enforced = inject('services').s3EnforcesPolicies;
    const cases = [
      { declared: { ...png, size: 64 }, file: pngBytes(65), code: 'upload_size_mismatch' },
      { declared: png, file: pdfBytes(64), code: 'upload_content_mismatch' },
      {
        declared: png,
        file: pngBytes(64),
        overrides: { 'Content-Type': 'text/html' },
        code: 'upload_type_mismatch',
      },
    ];
    for (const { declared, file, overrides, code } of cases) {
      const started = await upload(alice, declared);
      const posted = await postForm(started, file, overrides);
      if (enforced && posted.status >= 300) continue;
      const response = await complete(alice, started.uploadId);
      expect(response.statusCode, code).toBe(422);
      expect(response.json().code).toBe(code);
      expect(await objectExists(ctx.deps.storage, started.fields.key as string)).toBe(false);
      expect(await ctx.deps.db.storedFile.count({ where: { id: started.uploadId } })).toBe(0);
    }
  });

  it('answers 422 upload_missing before the bytes arrive, and 410 once expired', async () => {
    const started = await upload(alice, png);
    const early = await complete(alice, started.uploadId);
    expect(early.statusCode).toBe(422);
    expect(early.json().code).toBe('upload_missing');

    await postForm(started, pngBytes(64));
    await ctx.deps.db.fileUpload.update({
      where: { id: started.uploadId },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const late = await complete(alice, started.uploadId);
    expect(late.statusCode).toBe(410);
    expect(late.json().code).toBe('upload_expired');
    expect(await objectExists(ctx.deps.storage, started.fields.key as string)).toBe(false);
    expect(await ctx.deps.db.fileUpload.count({ where: { id: started.uploadId } })).toBe(0);
    expect((await complete(alice, started.uploadId)).statusCode).toBe(404);
  });
});

describe('another user (IDOR)', () => {
  it("cannot complete, read, list or delete Alice's files", async () => {
    const pending = await upload(alice, png);
    await postForm(pending, pngBytes(64));
    const stolen = await complete(bob, pending.uploadId);
    expect(stolen.statusCode).toBe(404);
    expect(await ctx.deps.db.fileUpload.count({ where: { id: pending.uploadId } })).toBe(1);

    const file = (await complete(alice, pending.uploadId)).json();
    for (const request of [
      { method: 'GET', url: `/api/files/${file.id}` },
      { method: 'GET', url: `/api/files/${file.id}?redirect=true` },
      { method: 'DELETE', url: `/api/files/${file.id}` },
    ] as const) {
      const response = await app.inject({ ...request, headers: bob.headers });
      expect(response.statusCode, request.method).toBe(404);
      expect(response.json().code).toBe('file_not_found');
    }
    const list = await app.inject({ method: 'GET', url: '/api/files', headers: bob.headers });
    expect(list.json().items.map((item: { id: string }) => item.id)).not.toContain(file.id);
    expect(await ctx.deps.db.storedFile.count({ where: { id: file.id } })).toBe(1);
    const row = await ctx.deps.db.storedFile.findUniqueOrThrow({ where: { id: file.id } });
    expect(await objectExists(ctx.deps.storage, row.key)).toBe(true);
  });

  it("cannot upload into Alice's prefix or overwrite her file with his own form", async () => {
    const aliceFile = await upload(alice, png);
    await postForm(aliceFile, pngBytes(64));
    await complete(alice, aliceFile.uploadId);
    const aliceKey = `public/users/${alice.id}/avatar/${aliceFile.uploadId}.png`;
    const original = await ctx.deps.storage.client.statObject(ctx.deps.storage.bucket, aliceKey);

    const bobs = await upload(bob, png);
    expect(bobs.fields.key).toMatch(new RegExp(`^staging/users/${bob.id}/`));
    const intoAlice = `public/users/${alice.id}/avatar/${bobs.uploadId}.png`;
    const posted = await postForm(bobs, pngBytes(64), { key: intoAlice });
    if (inject('services').s3EnforcesPolicies) {
      // A real S3 server refuses a key outside the signed policy.
      expect(posted.status).toBe(403);
    }
    // Whatever the server accepted, Bob's upload id only ever records Bob's own key.
    const response = await complete(bob, bobs.uploadId);
    expect(response.statusCode).toBe(422);
    expect(response.json().code).toBe('upload_missing');
    expect(await ctx.deps.db.storedFile.count({ where: { key: intoAlice } })).toBe(0);
    const after = await ctx.deps.storage.client.statObject(ctx.deps.storage.bucket, aliceKey);
    expect(after.etag).toBe(original.etag);
    // The stray object (s3rver only) is no file of anyone's; the orphan sweep removes it.
    const stray = await listKeys(ctx.deps.storage, intoAlice);
    expect(stray.length).toBeLessThanOrEqual(1);
  });
});
