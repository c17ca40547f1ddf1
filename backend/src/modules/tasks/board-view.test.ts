import { PrismaPg } from '@prisma/adapter-pg';
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSignedInUser } from '../../../test/support/auth.js';
import { setupTestContext } from '../../../test/support/context.js';
import {
  addMember,
  type BoardFixture,
  call,
  createBoard,
  createTask,
} from '../../../test/support/tasks.js';
import { PrismaClient } from '../../generated/prisma/client.js';

const ctx = setupTestContext();
let app: FastifyInstance;
let fixture: BoardFixture;
let counted: PrismaClient<'query'>;
let queries = 0;

beforeAll(async () => {
  // The same app, on a database client that counts every statement it sends.
  counted = new PrismaClient({
    adapter: new PrismaPg({ connectionString: ctx.env.DATABASE_URL as string, max: 5 }),
    log: [{ emit: 'event' as const, level: 'query' as const }],
  });
  counted.$on('query', (event) => {
    queries += 1;
    if (process.env.SHOW_QUERIES) console.log(event.query.slice(0, 160));
  });
  app = await ctx.buildApp(
    { AUTH_AUTO_VERIFY: 'true' },
    { dependencies: { ...ctx.deps, db: counted } },
  );
  fixture = await createBoard(app, ctx);
  return async () => counted.$disconnect();
});

async function countQueries(run: () => Promise<unknown>): Promise<number> {
  queries = 0;
  await run();
  return queries;
}

async function seedTasks(board: BoardFixture, perColumn: number) {
  // Straight into the database: this test is about reading.
  const rows = [];
  let number = 1000;
  for (const column of board.columns) {
    for (let index = 0; index < perColumn; index++) {
      number += 1;
      rows.push({
        boardId: board.board.id,
        columnId: column.id,
        rank: `a${String(index).padStart(4, '0')}`,
        number,
        title: `Seeded ${number}`,
      });
    }
  }
  await ctx.deps.db.task.createMany({ data: rows });
}

describe('board view', () => {
  it('loads columns and the first page of every column with the same number of queries at any size', async () => {
    const small = await createBoard(app, ctx, fixture.supervisor);
    const big = await createBoard(app, ctx, fixture.supervisor);
    await seedTasks(small, 1);
    await seedTasks(big, 120);
    const load = (board: BoardFixture) =>
      call(app, fixture.supervisor, 'GET', `/api/boards/${board.board.id}?perColumn=25`);
    const smallCount = await countQueries(() => load(small));
    const bigCount = await countQueries(() => load(big));
    expect(smallCount).toBeGreaterThan(0);
    expect(bigCount).toBe(smallCount);
    expect(bigCount).toBeLessThanOrEqual(6);

    const view = (await load(big)).json();
    expect(view.columns).toHaveLength(4);
    for (const column of view.columns) {
      expect(column.tasks.items).toHaveLength(25);
      expect(column.openCount).toBe(120);
      expect(column.tasks.nextCursor).not.toBeNull();
    }
  });

  it('pages further through one column in rank order, every open card once, archived ones left out', async () => {
    const board = await createBoard(app, ctx, fixture.supervisor);
    const column = board.columns[0]?.id as string;
    const created = [];
    for (let index = 0; index < 7; index++)
      created.push(await createTask(app, board, { title: `Card ${index}` }));
    const archived = created[3] as { id: string };
    await call(
      app,
      fixture.supervisor,
      'PATCH',
      `/api/tasks/${archived.id}`,
      { archived: true },
      { 'if-match': '"1"' },
    );

    const view = (
      await call(app, fixture.supervisor, 'GET', `/api/boards/${board.board.id}?perColumn=2`)
    ).json();
    const first = view.columns[0];
    expect(first.openCount).toBe(6);
    const seen: string[] = first.tasks.items.map((card: { id: string }) => card.id);
    let cursor: string | null = first.tasks.nextCursor;
    let pages = 0;
    while (cursor) {
      const url = `/api/boards/${board.board.id}/columns/${column}/tasks?limit=2&cursor=${cursor}`;
      const count = await countQueries(async () => {
        const page = (await call(app, fixture.supervisor, 'GET', url)).json();
        seen.push(...page.items.map((card: { id: string }) => card.id));
        cursor = page.nextCursor;
      });
      expect(count).toBeLessThanOrEqual(3);
      pages += 1;
    }
    expect(pages).toBe(2);
    expect(seen).toEqual(created.filter((task) => task.id !== archived.id).map((task) => task.id));
  });

  it('shows on each card its labels, assignees and checklist, comment and attachment counts', async () => {
    const board = await createBoard(app, ctx, fixture.supervisor);
    const label = (
      await call(app, fixture.supervisor, 'POST', `/api/boards/${board.board.id}/labels`, {
        name: 'Bug',
        color: '#cc0000',
      })
    ).json();
    const task = await createTask(app, board, {
      labelIds: [label.id],
      assigneeIds: [fixture.supervisor.id],
      dueDate: '2027-01-31',
    });
    for (const text of ['one', 'two']) {
      await call(app, fixture.supervisor, 'POST', `/api/tasks/${task.id}/checklist`, { text });
    }
    const item = (await call(app, fixture.supervisor, 'GET', `/api/tasks/${task.id}`)).json()
      .checklist[0];
    await call(app, fixture.supervisor, 'PATCH', `/api/tasks/${task.id}/checklist/${item.id}`, {
      done: true,
    });
    const view = (
      await call(app, fixture.supervisor, 'GET', `/api/boards/${board.board.id}`)
    ).json();
    expect(view.columns[0].tasks.items[0]).toMatchObject({
      id: task.id,
      key: task.key,
      labelIds: [label.id],
      assigneeIds: [fixture.supervisor.id],
      dueDate: '2027-01-31',
      checklistTotal: 2,
      checklistDone: 1,
      commentCount: 0,
      attachmentCount: 0,
    });
    expect(view.labels).toEqual([label]);
    expect(view.members.map((member: { userId: string }) => member.userId)).toEqual([
      fixture.supervisor.id,
    ]);
  });

  it('finds a board by its key for its members only, with the same 404 for strangers and unknown keys', async () => {
    const board = await createBoard(app, ctx, fixture.supervisor);
    const member = await createSignedInUser(app, ctx);
    const stranger = await createSignedInUser(app, ctx);
    await addMember(app, board, member, 'member');

    const found = await call(app, member, 'GET', `/api/boards/by-key/${board.board.key}`);
    expect(found.statusCode, found.body).toBe(200);
    expect(found.json()).toMatchObject({
      id: board.board.id,
      key: board.board.key,
      myRole: 'member',
    });

    const hidden = await call(app, stranger, 'GET', `/api/boards/by-key/${board.board.key}`);
    const missing = await call(app, member, 'GET', '/api/boards/by-key/ZZ999');
    expect(hidden.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    expect(hidden.json().code).toBe(missing.json().code);

    const malformed = await call(app, member, 'GET', '/api/boards/by-key/not-a-key');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().code).toBe('validation_failed');
  });
});
