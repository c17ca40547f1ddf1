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
let second: SignedInUser;

beforeAll(async () => {
  app = await ctx.buildApp({ AUTH_AUTO_VERIFY: 'true' });
  fixture = await createBoard(app, ctx);
  second = await createSignedInUser(app, ctx);
  await addMember(app, fixture, second, 'supervisor');
});

function patch(as: SignedInUser, taskId: string, body: object, ifMatch?: string) {
  return call(
    app,
    as,
    'PATCH',
    `/api/tasks/${taskId}`,
    body,
    ifMatch ? { 'if-match': ifMatch } : {},
  );
}

describe('optimistic concurrency', () => {
  it('answers every read with the version as ETag, and PATCH without If-Match with 428', async () => {
    const task = await createTask(app, fixture);
    const read = await call(app, fixture.supervisor, 'GET', `/api/tasks/${task.id}`);
    expect(read.headers.etag).toBe('"1"');
    const missing = await patch(fixture.supervisor, task.id, { title: 'x' });
    expect(missing.statusCode).toBe(428);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    expect(missing.json()).toMatchObject({
      code: 'if_match_required',
      title: 'Precondition Required',
    });
    const malformed = await patch(fixture.supervisor, task.id, { title: 'x' }, 'v1');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().code).toBe('invalid_if_match');
    const unchanged = await ctx.deps.db.task.findUniqueOrThrow({ where: { id: task.id } });
    expect(unchanged).toMatchObject({ title: 'A task', version: 1 });
  });

  it('two editors of different fields: the second gets 412 naming the other field, re-applies, both edits stay', async () => {
    const task = await createTask(app, fixture, { title: 'Original' });
    const [readA, readB] = await Promise.all([
      call(app, fixture.supervisor, 'GET', `/api/tasks/${task.id}`),
      call(app, second, 'GET', `/api/tasks/${task.id}`),
    ]);
    const etagA = readA.headers.etag as string;
    const etagB = readB.headers.etag as string;
    const first = await patch(fixture.supervisor, task.id, { title: 'Renamed by A' }, etagA);
    expect(first.statusCode).toBe(200);
    expect(first.headers.etag).toBe('"2"');

    const stale = await patch(second, task.id, { content: 'Written by B' }, etagB);
    expect(stale.statusCode).toBe(412);
    expect(stale.headers['content-type']).toContain('application/problem+json');
    expect(stale.headers.etag).toBe('"2"');
    const problem = stale.json();
    expect(problem).toMatchObject({
      code: 'version_mismatch',
      status: 412,
      changedFields: ['title'],
    });
    expect(problem.current).toMatchObject({ title: 'Renamed by A', content: '', version: 2 });

    // No overlap with `title`: the client re-applies its change on the version it was given.
    const merged = await patch(
      second,
      task.id,
      { content: 'Written by B' },
      stale.headers.etag as string,
    );
    expect(merged.statusCode).toBe(200);
    expect(merged.json()).toMatchObject({
      title: 'Renamed by A',
      content: 'Written by B',
      version: 3,
    });
  });

  it('overlapping edits: the 412 shows the other person’s value, and nothing of the stale edit is written', async () => {
    const task = await createTask(app, fixture, { title: 'Start' });
    await patch(fixture.supervisor, task.id, { title: 'A wins', priority: 'high' }, '"1"');
    const stale = await patch(second, task.id, { title: 'B loses', dueDate: '2027-01-01' }, '"1"');
    expect(stale.statusCode).toBe(412);
    expect(stale.json().changedFields).toEqual(['priority', 'title']);
    expect(stale.json().current).toMatchObject({ title: 'A wins', dueDate: null });
    const stored = await ctx.deps.db.task.findUniqueOrThrow({ where: { id: task.id } });
    expect(stored).toMatchObject({ title: 'A wins', dueDate: null, version: 2 });
  });

  it('counts moves as changes of the task: a PATCH on the version before a move is stale', async () => {
    const task = await createTask(app, fixture);
    const moved = await call(app, second, 'POST', `/api/tasks/${task.id}/move`, {
      columnId: fixture.columns[2]?.id,
    });
    expect(moved.statusCode).toBe(200);
    expect(moved.headers.etag).toBe('"2"');
    const stale = await patch(fixture.supervisor, task.id, { title: 'late' }, '"1"');
    expect(stale.statusCode).toBe(412);
    expect(stale.json().changedFields).toEqual(['columnId', 'rank']);
  });

  it('many concurrent PATCHes on one version: exactly one wins, the rest get 412', async () => {
    const task = await createTask(app, fixture);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        patch(index % 2 ? second : fixture.supervisor, task.id, { title: `Edit ${index}` }, '"1"'),
      ),
    );
    const statuses = results.map((result) => result.statusCode).sort();
    expect(statuses).toEqual([200, 412, 412, 412, 412, 412, 412, 412]);
    const stored = await ctx.deps.db.task.findUniqueOrThrow({ where: { id: task.id } });
    expect(stored.version).toBe(2);
    expect(
      await ctx.deps.db.activity.count({ where: { taskId: task.id, type: 'task_updated' } }),
    ).toBe(1);
  });
});
