import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSignedInUser, type SignedInUser } from '../../../test/support/auth.js';
import { setupTestContext } from '../../../test/support/context.js';
import {
  addMember,
  type BoardFixture,
  call,
  createBoard,
  createTask,
} from '../../../test/support/tasks.js';

const ctx = setupTestContext();
let app: FastifyInstance;
let fixture: BoardFixture;
let viewer: SignedInUser;
let outsider: SignedInUser;

beforeAll(async () => {
  app = await ctx.buildApp({ AUTH_AUTO_VERIFY: 'true' });
  fixture = await createBoard(app, ctx);
  viewer = await createSignedInUser(app, ctx);
  outsider = await createSignedInUser(app, ctx);
  await addMember(app, fixture, viewer, 'viewer');
});

describe('GET /api/boards/:boardId/tasks/:number', () => {
  it("finds a task by the board's key or id and its number, with the ETag", async () => {
    await createTask(app, fixture, { title: 'First' });
    const second = await createTask(app, fixture, { title: 'Second' });
    const number = Number(second.key.split('-').at(-1));
    for (const board of [fixture.board.key, fixture.board.id]) {
      const response = await call(app, viewer, 'GET', `/api/boards/${board}/tasks/${number}`);
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json()).toMatchObject({ id: second.id, title: 'Second' });
      expect(response.headers.etag).toBe('"1"');
    }
  });

  it('answers 404 alike for a missing number, an unknown board and a board the caller cannot see', async () => {
    const task = await createTask(app, fixture);
    const number = Number(task.key.split('-').at(-1));
    const missing = await call(app, viewer, 'GET', `/api/boards/${fixture.board.key}/tasks/9999`);
    const unknownBoard = await call(app, viewer, 'GET', `/api/boards/ZZ9999/tasks/${number}`);
    const hidden = await call(
      app,
      outsider,
      'GET',
      `/api/boards/${fixture.board.key}/tasks/${number}`,
    );
    for (const response of [missing, unknownBoard, hidden]) {
      expect(response.statusCode).toBe(404);
      expect(response.json().code).toBe('task_not_found');
    }
  });

  it('refuses a malformed board reference or number with 400', async () => {
    const lower = await call(app, viewer, 'GET', `/api/boards/hp/tasks/1`);
    const zero = await call(app, viewer, 'GET', `/api/boards/${fixture.board.key}/tasks/0`);
    const word = await call(app, viewer, 'GET', `/api/boards/${fixture.board.key}/tasks/one`);
    for (const response of [lower, zero, word]) {
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe('validation_failed');
    }
    const anonymous = await call(app, undefined, 'GET', `/api/boards/${fixture.board.key}/tasks/1`);
    expect(anonymous.statusCode).toBe(401);
  });
});
