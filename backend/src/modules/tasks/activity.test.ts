import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { setupTestContext } from '../../../test/support/context.js';
import { type BoardFixture, call, createBoard, createTask } from '../../../test/support/tasks.js';

const ctx = setupTestContext();
let app: FastifyInstance;
let fixture: BoardFixture;
let other: BoardFixture;

beforeAll(async () => {
  app = await ctx.buildApp({ AUTH_AUTO_VERIFY: 'true' });
  fixture = await createBoard(app, ctx);
  other = await createBoard(app, ctx, fixture.supervisor);
});

async function snapshot(taskId: string) {
  return {
    task: await ctx.deps.db.task.findUniqueOrThrow({
      where: { id: taskId },
      include: { labels: true, assignees: true },
    }),
    activity: await ctx.deps.db.activity.count({ where: { boardId: fixture.board.id } }),
  };
}

describe('activity', () => {
  it('writes one row per change with actor, request id and per-field before/after', async () => {
    const task = await createTask(app, fixture, { title: 'Tracked' });
    const patched = await call(
      app,
      fixture.supervisor,
      'PATCH',
      `/api/tasks/${task.id}`,
      { title: 'Tracked 2', dueDate: '2027-03-01' },
      { 'if-match': '"1"', 'x-request-id': 'req-activity-1' },
    );
    expect(patched.statusCode).toBe(200);
    await call(app, fixture.supervisor, 'POST', `/api/tasks/${task.id}/move`, {
      columnId: fixture.columns[1]?.id,
    });
    await call(app, fixture.supervisor, 'POST', `/api/tasks/${task.id}/checklist`, {
      text: 'Check',
    });

    const page = (
      await call(app, fixture.supervisor, 'GET', `/api/tasks/${task.id}/activity?limit=10`)
    ).json();
    expect(page.items.map((row: { type: string }) => row.type)).toEqual([
      'checklist_item_added',
      'task_moved',
      'task_updated',
      'task_created',
    ]);
    expect(page.items[2]).toMatchObject({
      actorId: fixture.supervisor.id,
      requestId: 'req-activity-1',
      taskVersion: 2,
      changes: {
        title: { before: 'Tracked', after: 'Tracked 2' },
        dueDate: { before: null, after: '2027-03-01' },
      },
    });
    expect(page.items[1].changes.columnId).toEqual({
      before: fixture.columns[0]?.id,
      after: fixture.columns[1]?.id,
    });
    // Board activity pages by id, newest first, never repeating a row.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
      const response = await call(
        app,
        fixture.supervisor,
        'GET',
        `/api/boards/${fixture.board.id}/activity${query}`,
      );
      const body = response.json() as { items: { id: string }[]; nextCursor: string | null };
      seen.push(...body.items.map((row) => row.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.map(BigInt)).toEqual(
      [...seen.map(BigInt)].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)),
    );
    expect(seen.length).toBe(
      await ctx.deps.db.activity.count({ where: { boardId: fixture.board.id } }),
    );
  });

  it('no change without its row: when the activity insert fails, the change rolls back with it', async () => {
    const task = await createTask(app, fixture, { title: 'Before' });
    // Make exactly this change's activity row fail, after the task row was updated.
    await ctx.deps.db.$executeRawUnsafe(`
      CREATE OR REPLACE FUNCTION test_fail_activity() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.changes::text LIKE '%explode-here%' THEN RAISE EXCEPTION 'activity insert failed'; END IF;
        RETURN NEW;
      END $$`);
    await ctx.deps.db.$executeRawUnsafe(
      'CREATE TRIGGER test_fail_activity BEFORE INSERT ON activity FOR EACH ROW EXECUTE FUNCTION test_fail_activity()',
    );
    try {
      const before = await snapshot(task.id);
      const failed = await call(
        app,
        fixture.supervisor,
        'PATCH',
        `/api/tasks/${task.id}`,
        { title: 'explode-here' },
        { 'if-match': '"1"' },
      );
      expect(failed.statusCode).toBe(500);
      expect(await snapshot(task.id)).toEqual(before);
    } finally {
      await ctx.deps.db.$executeRawUnsafe('DROP TRIGGER test_fail_activity ON activity');
    }
    const works = await call(
      app,
      fixture.supervisor,
      'PATCH',
      `/api/tasks/${task.id}`,
      { title: 'After' },
      {
        'if-match': '"1"',
      },
    );
    expect(works.statusCode).toBe(200);
  });

  it('refuses bad input with a clear 4xx and changes nothing', async () => {
    const task = await createTask(app, fixture, { title: 'Guarded' });
    const otherLabel = (
      await call(app, fixture.supervisor, 'POST', `/api/boards/${other.board.id}/labels`, {
        name: 'Elsewhere',
        color: '#ff0000',
      })
    ).json();
    const otherTask = await createTask(app, other);
    const before = await snapshot(task.id);
    const cases: {
      method: 'PATCH' | 'POST';
      url: string;
      body: object;
      status: number;
      code: string;
      field: string;
    }[] = [
      {
        method: 'POST',
        url: `/api/tasks/${task.id}/move`,
        body: { columnId: '00000000-0000-4000-8000-000000000000' },
        status: 422,
        code: 'invalid_column',
        field: '/body/columnId',
      },
      {
        method: 'POST',
        url: `/api/tasks/${task.id}/move`,
        body: { columnId: other.columns[0]?.id },
        status: 422,
        code: 'invalid_column',
        field: '/body/columnId',
      },
      {
        method: 'POST',
        url: `/api/tasks/${task.id}/move`,
        body: { columnId: fixture.columns[0]?.id, afterId: otherTask.id },
        status: 422,
        code: 'invalid_position',
        field: '/body/afterId',
      },
      {
        method: 'POST',
        url: `/api/tasks/${task.id}/move`,
        body: { columnId: fixture.columns[0]?.id, beforeId: task.id },
        status: 422,
        code: 'invalid_position',
        field: '/body/beforeId',
      },
      {
        method: 'POST',
        url: `/api/tasks/${task.id}/move`,
        body: { columnId: 'not-a-uuid' },
        status: 400,
        code: 'validation_failed',
        field: '/body/columnId',
      },
      {
        method: 'PATCH',
        url: `/api/tasks/${task.id}`,
        body: { dueDate: '24/12/2026' },
        status: 400,
        code: 'validation_failed',
        field: '/body/dueDate',
      },
      {
        method: 'PATCH',
        url: `/api/tasks/${task.id}`,
        body: { dueDate: '2026-02-30' },
        status: 400,
        code: 'validation_failed',
        field: '/body/dueDate',
      },
      {
        method: 'PATCH',
        url: `/api/tasks/${task.id}`,
        body: { startDate: '2027-05-02', dueDate: '2027-05-01' },
        status: 422,
        code: 'invalid_dates',
        field: '/body/dueDate',
      },
      {
        method: 'PATCH',
        url: `/api/tasks/${task.id}`,
        body: { title: 'x'.repeat(10 * 1024) },
        status: 400,
        code: 'validation_failed',
        field: '/body/title',
      },
      {
        method: 'PATCH',
        url: `/api/tasks/${task.id}`,
        body: { labelIds: [otherLabel.id] },
        status: 422,
        code: 'invalid_label',
        field: '/body/labelIds',
      },
      {
        method: 'PATCH',
        url: `/api/tasks/${task.id}`,
        body: { title: 'nul\u0000byte' },
        status: 400,
        code: 'validation_failed',
        field: '/body/title',
      },
      {
        method: 'PATCH',
        url: `/api/tasks/${task.id}`,
        body: { content: 'a\u0000' },
        status: 400,
        code: 'validation_failed',
        field: '/body/content',
      },
      {
        method: 'PATCH',
        url: `/api/tasks/${task.id}`,
        body: {
          picId:
            other.supervisor.id === fixture.supervisor.id
              ? '00000000-0000-4000-8000-000000000001'
              : other.supervisor.id,
        },
        status: 422,
        code: 'invalid_member',
        field: '/body/picId',
      },
      {
        method: 'PATCH',
        url: `/api/tasks/${task.id}`,
        body: { owner: 'me' },
        status: 400,
        code: 'validation_failed',
        field: '/body/owner',
      },
      {
        method: 'POST',
        url: `/api/boards/${fixture.board.id}/tasks`,
        body: { title: 'x', columnId: other.columns[0]?.id },
        status: 422,
        code: 'invalid_column',
        field: '/body/columnId',
      },
    ];
    for (const { method, url, body, status, code, field } of cases) {
      const response = await call(app, fixture.supervisor, method, url, body, {
        'if-match': '"1"',
      });
      const label = `${method} ${url} ${JSON.stringify(body).slice(0, 80)}`;
      expect(response.statusCode, label).toBe(status);
      expect(response.headers['content-type'], label).toContain('application/problem+json');
      expect(response.json().code, label).toBe(code);
      expect(
        response.json().errors?.map((error: { field: string }) => error.field),
        label,
      ).toContain(field);
    }
    expect(await snapshot(task.id)).toEqual(before);
    expect(await ctx.deps.db.task.count({ where: { boardId: fixture.board.id, title: 'x' } })).toBe(
      0,
    );
  });
});
