import type { FastifyInstance } from 'fastify';
import type PgBoss from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignedInUser, type SignedInUser } from '../../../test/support/auth.js';
import { setupTestContext } from '../../../test/support/context.js';
import { eventually, multipartBody, objectExists, pngBytes } from '../../../test/support/files.js';
import { createBoss } from '../../jobs/boss.js';
import { removeExpiredUploads, removeOrphanObjects } from './cleanup.js';
import { registerFilesJobs } from './jobs.js';
import { USER_DELETED_EVENT } from './queues.js';

const ctx = setupTestContext();
let app: FastifyInstance;
let boss: PgBoss;
let user: SignedInUser;

beforeAll(async () => {
  app = await ctx.buildApp({ AUTH_AUTO_VERIFY: 'true' });
  user = await createSignedInUser(app, ctx);
  // A real worker on this file's database runs the files jobs.
  boss = createBoss({ connectionString: ctx.config.DATABASE_URL });
  await boss.start();
  await registerFilesJobs({ boss, db: ctx.deps.db, storage: ctx.deps.storage });
});

afterAll(async () => {
  await boss?.stop({ graceful: false, wait: true });
});

async function uploadAvatar(who: SignedInUser): Promise<{ id: string; key: string }> {
  const { payload, headers } = await multipartBody([
    { name: 'purpose', value: 'avatar' },
    { name: 'file', filename: 'me.png', contentType: 'image/png', data: pngBytes(100) },
  ]);
  const response = await app.inject({
    method: 'POST',
    url: '/api/files',
    headers: { ...headers, ...who.headers },
    payload,
  });
  expect(response.statusCode, response.body).toBe(201);
  const id = response.json().items[0].id as string;
  const row = await ctx.deps.db.storedFile.findUniqueOrThrow({ where: { id } });
  return { id, key: row.key };
}

describe('listing, deleting and cleaning up', () => {
  it("pages through the caller's files, newest first, each exactly once", async () => {
    const owner = await createSignedInUser(app, ctx);
    const ids: string[] = [];
    for (let index = 0; index < 5; index++) ids.push((await uploadAvatar(owner)).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
      const response = await app.inject({
        method: 'GET',
        url: `/api/files${query}`,
        headers: owner.headers,
      });
      expect(response.statusCode).toBe(200);
      const page = response.json() as { items: { id: string }[]; nextCursor: string | null };
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    const forged = await app.inject({
      method: 'GET',
      url: '/api/files?cursor=bm9wZQ',
      headers: owner.headers,
    });
    expect(forged.statusCode).toBe(400);
    expect(forged.json().code).toBe('invalid_cursor');
  });

  it('deletes the row at once and the object through the retried job', async () => {
    const { id, key } = await uploadAvatar(user);
    const deleted = await app.inject({
      method: 'DELETE',
      url: `/api/files/${id}`,
      headers: user.headers,
    });
    expect(deleted.statusCode).toBe(204);
    expect(await ctx.deps.db.storedFile.count({ where: { id } })).toBe(0);
    await eventually(async () => !(await objectExists(ctx.deps.storage, key)));
    const again = await app.inject({
      method: 'DELETE',
      url: `/api/files/${id}`,
      headers: user.headers,
    });
    expect(again.statusCode).toBe(404);
  });

  it('removes expired pending uploads and old orphaned objects, nothing else', async () => {
    const kept = await uploadAvatar(user);
    const expiredKey = `users/${user.id}/attachment/expired.png`;
    await ctx.deps.storage.client.putObject(ctx.deps.storage.bucket, expiredKey, pngBytes());
    await ctx.deps.db.fileUpload.create({
      data: {
        id: crypto.randomUUID(),
        userId: user.id,
        purpose: 'attachment',
        key: expiredKey,
        filename: 'x.png',
        contentType: 'image/png',
        declaredSize: 64n,
        expiresAt: new Date(Date.now() - 60_000),
      },
    });
    const orphanKey = `users/${user.id}/attachment/orphan.png`;
    await ctx.deps.storage.client.putObject(ctx.deps.storage.bucket, orphanKey, pngBytes());
    // A form posted again after its upload was completed leaves an object nobody refers to.
    const strayKey = `staging/users/${user.id}/avatar/${crypto.randomUUID()}.png`;
    await ctx.deps.storage.client.putObject(ctx.deps.storage.bucket, strayKey, pngBytes());
    const outsideKey = 'other/not-ours.txt';
    await ctx.deps.storage.client.putObject(ctx.deps.storage.bucket, outsideKey, 'x');

    expect(await removeExpiredUploads(ctx.deps)).toBeGreaterThanOrEqual(1);
    expect(await objectExists(ctx.deps.storage, expiredKey)).toBe(false);
    expect(await ctx.deps.db.fileUpload.count({ where: { key: expiredKey } })).toBe(0);

    // Young objects may be uploads in progress: only those older than the cut-off go.
    expect(await removeOrphanObjects(ctx.deps, new Date(Date.now() - 3600_000))).toBe(0);
    expect(await objectExists(ctx.deps.storage, orphanKey)).toBe(true);
    await removeOrphanObjects(ctx.deps, new Date(Date.now() + 60_000));
    expect(await objectExists(ctx.deps.storage, orphanKey)).toBe(false);
    expect(await objectExists(ctx.deps.storage, strayKey)).toBe(false);
    expect(await objectExists(ctx.deps.storage, kept.key)).toBe(true);
    expect(await objectExists(ctx.deps.storage, outsideKey)).toBe(true);
  });

  it("removes a deleted user's files and objects when user.deleted is published", async () => {
    const leaving = await createSignedInUser(app, ctx);
    const files = [await uploadAvatar(leaving), await uploadAvatar(leaving)];
    const stays = await uploadAvatar(user);
    const staged = `staging/users/${leaving.id}/avatar/${crypto.randomUUID()}.png`;
    await ctx.deps.storage.client.putObject(ctx.deps.storage.bucket, staged, pngBytes());
    await boss.publish(USER_DELETED_EVENT, { userId: leaving.id });
    await eventually(
      async () => (await ctx.deps.db.storedFile.count({ where: { userId: leaving.id } })) === 0,
    );
    for (const file of files) expect(await objectExists(ctx.deps.storage, file.key)).toBe(false);
    await eventually(async () => !(await objectExists(ctx.deps.storage, staged)));
    expect(await objectExists(ctx.deps.storage, stays.key)).toBe(true);
    expect(await ctx.deps.db.storedFile.count({ where: { id: stays.id } })).toBe(1);
  });
});
