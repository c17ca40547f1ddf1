import type { FastifyInstance } from 'fastify';
import type PgBoss from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignedInUser, type SignedInUser } from '../../../test/support/auth.js';
import { setupTestContext } from '../../../test/support/context.js';
import { multipartBody, pdfBytes } from '../../../test/support/files.js';
import {
  addMember,
  type BoardFixture,
  call,
  createBoard,
  createTask,
} from '../../../test/support/tasks.js';
import { createBoss } from '../../jobs/boss.js';
import { registerFilesJobs } from '../files/jobs.js';

const ctx = setupTestContext();
let app: FastifyInstance;
let fixture: BoardFixture;
let pic: SignedInUser;
let viewer: SignedInUser;
let outsider: SignedInUser;
let otherMember: SignedInUser;
let boss: PgBoss;

beforeAll(async () => {
  app = await ctx.buildApp({ AUTH_AUTO_VERIFY: 'true' });
  fixture = await createBoard(app, ctx);
  pic = await createSignedInUser(app, ctx);
  viewer = await createSignedInUser(app, ctx);
  outsider = await createSignedInUser(app, ctx);
  otherMember = await createSignedInUser(app, ctx);
  await addMember(app, fixture, pic, 'member');
  await addMember(app, fixture, viewer, 'viewer');
  await addMember(app, fixture, otherMember, 'member');
  // A real worker: deleting a file enqueues the removal of its object.
  boss = createBoss({ connectionString: ctx.config.DATABASE_URL });
  await boss.start();
  await registerFilesJobs({ boss, db: ctx.deps.db, storage: ctx.deps.storage });
});

afterAll(async () => {
  await boss?.stop({ graceful: false, wait: true });
});

/** Uploads a PDF through the files module's real multipart route. */
async function upload(as: SignedInUser, purpose = 'task_attachment'): Promise<string> {
  const { payload, headers } = await multipartBody([
    { name: 'purpose', value: purpose },
    { name: 'file', filename: 'spec.pdf', contentType: 'application/pdf', data: pdfBytes(2000) },
  ]);
  const response = await app.inject({
    method: 'POST',
    url: '/api/files',
    headers: { ...headers, ...as.headers },
    payload,
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().items[0].id as string;
}

describe('task attachments (files purpose task_attachment)', () => {
  it('any board member downloads, the uploader or a supervisor deletes, with activity both ways', async () => {
    const task = await createTask(app, fixture, { picId: pic.id });
    const fileId = await upload(pic);
    const attached = await call(app, pic, 'POST', `/api/tasks/${task.id}/attachments`, { fileId });
    expect(attached.statusCode, attached.body).toBe(201);
    expect(attached.json()).toMatchObject({ fileId, filename: 'spec.pdf', uploadedBy: pic.id });

    for (const reader of [viewer, otherMember, fixture.supervisor]) {
      const download = await call(app, reader, 'GET', `/api/files/${fileId}`);
      expect(download.statusCode, download.body).toBe(200);
      expect(download.json().url).toContain('X-Amz-Signature');
    }
    expect((await call(app, outsider, 'GET', `/api/files/${fileId}`)).statusCode).toBe(404);
    expect((await call(app, otherMember, 'DELETE', `/api/files/${fileId}`)).statusCode).toBe(404);
    expect(await ctx.deps.db.storedFile.count({ where: { id: fileId } })).toBe(1);

    const view = (await call(app, viewer, 'GET', `/api/boards/${fixture.board.id}`)).json();
    const card = view.columns[0].tasks.items.find((item: { id: string }) => item.id === task.id);
    expect(card.attachmentCount).toBe(1);

    const removed = await call(
      app,
      fixture.supervisor,
      'DELETE',
      `/api/files/${fileId}`,
      undefined,
      {
        'x-request-id': 'req-attachment-removed',
      },
    );
    expect(removed.statusCode, removed.body).toBe(204);
    expect(await ctx.deps.db.taskAttachment.count({ where: { fileId } })).toBe(0);
    const rows = (await call(app, pic, 'GET', `/api/tasks/${task.id}/activity`)).json().items as {
      type: string;
      actorId: string;
      requestId: string | null;
    }[];
    expect(rows.slice(0, 2).map((row) => row.type)).toEqual([
      'attachment_removed',
      'attachment_added',
    ]);
    expect(rows[0]).toMatchObject({
      actorId: fixture.supervisor.id,
      requestId: 'req-attachment-removed',
    });

    const own = await upload(pic);
    await call(app, pic, 'POST', `/api/tasks/${task.id}/attachments`, { fileId: own });
    expect((await call(app, pic, 'DELETE', `/api/files/${own}`)).statusCode).toBe(204);
  });

  it('refuses a file that is not the caller’s task_attachment upload, or attached already', async () => {
    const task = await createTask(app, fixture, { picId: pic.id });
    const plain = await upload(pic, 'attachment');
    const notThatKind = await call(app, pic, 'POST', `/api/tasks/${task.id}/attachments`, {
      fileId: plain,
    });
    expect(notThatKind.statusCode).toBe(422);
    expect(notThatKind.json().code).toBe('invalid_file');
    const someoneElses = await upload(otherMember);
    const stolen = await call(app, pic, 'POST', `/api/tasks/${task.id}/attachments`, {
      fileId: someoneElses,
    });
    expect(stolen.statusCode).toBe(422);
    const mine = await upload(pic);
    expect(
      (await call(app, pic, 'POST', `/api/tasks/${task.id}/attachments`, { fileId: mine }))
        .statusCode,
    ).toBe(201);
    const twice = await call(app, pic, 'POST', `/api/tasks/${task.id}/attachments`, {
      fileId: mine,
    });
    expect(twice.statusCode).toBe(409);
    const list = (await call(app, viewer, 'GET', `/api/tasks/${task.id}/attachments`)).json();
    expect(list.map((row: { fileId: string }) => row.fileId)).toEqual([mine]);
    const viewerAttach = await call(app, viewer, 'POST', `/api/tasks/${task.id}/attachments`, {
      fileId: mine,
    });
    expect(viewerAttach.statusCode).toBe(403);
  });
});
