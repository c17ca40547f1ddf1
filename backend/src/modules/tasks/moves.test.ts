import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { setupTestContext } from '../../../test/support/context.js';
import { type BoardFixture, call, createBoard, createTask } from '../../../test/support/tasks.js';

const ctx = setupTestContext();
let app: FastifyInstance;
let fixture: BoardFixture;

beforeAll(async () => {
  app = await ctx.buildApp({ AUTH_AUTO_VERIFY: 'true' });
  fixture = await createBoard(app, ctx);
});

async function columnOrder(columnId: string): Promise<{ id: string; rank: string }[]> {
  // Byte order, as the server compares ranks (COLLATE "C").
  return ctx.deps.db.$queryRawUnsafe(
    'SELECT id::text AS id, rank FROM tasks WHERE column_id = $1::uuid ORDER BY rank',
    columnId,
  );
}

const column = (index: number) => fixture.columns[index]?.id as string;

describe('moves are intent, ranks are the server’s', () => {
  it('places after and before siblings, and at the end without a position', async () => {
    const [a, b, c] = [
      await createTask(app, fixture),
      await createTask(app, fixture),
      await createTask(app, fixture),
    ];
    const target = column(2);
    const move = (id: string, body: object) =>
      call(app, fixture.supervisor, 'POST', `/api/tasks/${id}/move`, { columnId: target, ...body });
    expect((await move(a.id, {})).statusCode).toBe(200);
    expect((await move(b.id, { beforeId: a.id })).statusCode).toBe(200);
    expect((await move(c.id, { afterId: b.id })).statusCode).toBe(200);
    expect((await columnOrder(target)).map((row) => row.id)).toEqual([b.id, c.id, a.id]);
    // Within the column: a to the front.
    expect((await move(a.id, { beforeId: b.id })).statusCode).toBe(200);
    expect((await columnOrder(target)).map((row) => row.id)).toEqual([a.id, b.id, c.id]);
  });

  it('20 concurrent moves into one column: a total order, no duplicate rank, no lost task', async () => {
    const target = column(1);
    const anchor = await createTask(app, fixture, { columnId: target, title: 'Anchor' });
    const movers = [];
    for (let index = 0; index < 20; index++)
      movers.push(await createTask(app, fixture, { title: `Mover ${index}` }));
    const results = await Promise.all(
      movers.map((task, index) =>
        call(app, fixture.supervisor, 'POST', `/api/tasks/${task.id}/move`, {
          columnId: target,
          // Half race for the same gap right after the anchor, half for the end of the column.
          ...(index % 2 === 0 ? { afterId: anchor.id } : {}),
        }),
      ),
    );
    expect(results.map((result) => result.statusCode)).toEqual(Array(20).fill(200));
    const order = await columnOrder(target);
    expect(order).toHaveLength(21);
    expect(new Set(order.map((row) => row.rank)).size).toBe(21);
    expect(new Set(order.map((row) => row.id))).toEqual(
      new Set([anchor.id, ...movers.map((task) => task.id)]),
    );
    expect(order[0]?.id).toBe(anchor.id);
    const source = await ctx.deps.db.task.count({
      where: { id: { in: movers.map((task) => task.id) }, columnId: { not: target } },
    });
    expect(source).toBe(0);
    expect(
      await ctx.deps.db.activity.count({
        where: { taskId: { in: movers.map((task) => task.id) }, type: 'task_moved' },
      }),
    ).toBe(20);
  });

  it('re-keys a column when ranks grow long, keeping its order', async () => {
    const small = await ctx.buildApp({
      AUTH_AUTO_VERIFY: 'true',
      TASKS_RANK_REBALANCE_LENGTH: '4',
    });
    const board = await createBoard(small, ctx, fixture.supervisor);
    const first = await createTask(small, board, { title: 'first' });
    const last = await createTask(small, board, { title: 'last' });
    const expected = [first.id];
    // Always into the same gap, right after `first`: keys grow by a character every few inserts.
    let previous = first.id;
    for (let index = 0; index < 12; index++) {
      const task = await createTask(small, board, { title: `n${index}`, afterId: previous });
      expected.push(task.id);
      previous = task.id;
    }
    expected.push(last.id);
    const order = await columnOrder(board.columns[0]?.id as string);
    expect(order.map((row) => row.id)).toEqual(expected);
    // Without re-keying the last keys would be 6 characters long (a0zzV, a0zzl…).
    expect(Math.max(...order.map((row) => row.rank.length))).toBeLessThanOrEqual(4);
  });

  it('reorders columns and checklist items under concurrency without duplicates', async () => {
    const board = await createBoard(app, ctx, fixture.supervisor);
    const extra = [];
    for (let index = 0; index < 6; index++) {
      const created = await call(
        app,
        fixture.supervisor,
        'POST',
        `/api/boards/${board.board.id}/columns`,
        {
          name: `Extra ${index}`,
        },
      );
      expect(created.statusCode).toBe(201);
      extra.push(created.json().id as string);
    }
    const first = board.columns[0]?.id as string;
    const moved = await Promise.all(
      extra.map((id) =>
        call(app, fixture.supervisor, 'POST', `/api/boards/${board.board.id}/columns/${id}/move`, {
          afterId: first,
        }),
      ),
    );
    expect(moved.map((result) => result.statusCode)).toEqual(Array(6).fill(200));
    const columns = (
      await call(app, fixture.supervisor, 'GET', `/api/boards/${board.board.id}/columns`)
    ).json();
    expect(columns).toHaveLength(10);
    expect(new Set(columns.map((c: { rank: string }) => c.rank)).size).toBe(10);
    expect(columns[0].id).toBe(first);
    expect(columns.at(-1).name).toBe('Done');

    const task = await createTask(app, board);
    const items = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        call(app, fixture.supervisor, 'POST', `/api/tasks/${task.id}/checklist`, {
          text: `Item ${index}`,
        }),
      ),
    );
    expect(items.map((item) => item.statusCode)).toEqual(Array(10).fill(201));
    const ids = items.map((item) => item.json().id as string);
    const before = (await call(app, fixture.supervisor, 'GET', `/api/tasks/${task.id}`)).json()
      .checklist;
    const moving = before.at(-1).id as string;
    const reordered = await call(
      app,
      fixture.supervisor,
      'POST',
      `/api/tasks/${task.id}/checklist/${moving}/move`,
      { beforeId: before[0].id },
    );
    expect(reordered.statusCode).toBe(200);
    const checklist = (await call(app, fixture.supervisor, 'GET', `/api/tasks/${task.id}`)).json()
      .checklist;
    expect(checklist).toHaveLength(10);
    expect(new Set(checklist.map((item: { id: string }) => item.id))).toEqual(new Set(ids));
    expect(checklist[0].id).toBe(moving);
    expect(new Set(checklist.map((item: { rank: string }) => item.rank)).size).toBe(10);
  });

  it('flags a WIP limit instead of refusing, and the board shows the column over its limit', async () => {
    const board = await createBoard(app, ctx, fixture.supervisor);
    const limited = board.columns[1]?.id as string;
    await call(
      app,
      fixture.supervisor,
      'PATCH',
      `/api/boards/${board.board.id}/columns/${limited}`,
      { wipLimit: 1 },
    );
    const one = await createTask(app, board);
    const two = await createTask(app, board);
    const first = await call(app, fixture.supervisor, 'POST', `/api/tasks/${one.id}/move`, {
      columnId: limited,
    });
    expect(first.json().wipLimitExceeded).toBe(false);
    const second = await call(app, fixture.supervisor, 'POST', `/api/tasks/${two.id}/move`, {
      columnId: limited,
    });
    expect(second.statusCode).toBe(200);
    expect(second.json().wipLimitExceeded).toBe(true);
    const view = (
      await call(app, fixture.supervisor, 'GET', `/api/boards/${board.board.id}`)
    ).json();
    const shown = view.columns.find((c: { id: string }) => c.id === limited);
    expect(shown).toMatchObject({ wipLimit: 1, openCount: 2, overWipLimit: true });
  });
});
