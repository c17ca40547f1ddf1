import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSignedInUser, type SignedInUser } from '../../../test/support/auth.js';
import { setupTestContext } from '../../../test/support/context.js';
import { call, createBoard, createTask, uniqueBoardKey } from '../../../test/support/tasks.js';

const ctx = setupTestContext();
let app: FastifyInstance;
let supervisor: SignedInUser;

beforeAll(async () => {
  app = await ctx.buildApp({ AUTH_AUTO_VERIFY: 'true' });
  supervisor = await createSignedInUser(app, ctx, { roles: ['member', 'supervisor'] });
});

describe('tasks model', () => {
  it('refuses UPDATE, DELETE and TRUNCATE of activity rows, even as the owner the app connects as', async () => {
    const fixture = await createBoard(app, ctx, supervisor);
    await createTask(app, fixture);
    const client = new pg.Client({ connectionString: ctx.env.DATABASE_URL });
    await client.connect();
    try {
      const { rows } = await client.query<{ count: string }>(
        'SELECT count(*) FROM activity WHERE board_id = $1',
        [fixture.board.id],
      );
      expect(Number(rows[0]?.count)).toBeGreaterThanOrEqual(3);
      await expect(
        client.query("UPDATE activity SET type = 'forged' WHERE board_id = $1", [fixture.board.id]),
      ).rejects.toThrow(/append-only: UPDATE/);
      await expect(
        client.query('DELETE FROM activity WHERE board_id = $1', [fixture.board.id]),
      ).rejects.toThrow(/append-only: DELETE/);
      await expect(client.query('TRUNCATE activity CASCADE')).rejects.toThrow(
        /append-only: TRUNCATE/,
      );
      const after = await client.query<{ count: string }>(
        "SELECT count(*) FROM activity WHERE board_id = $1 AND type <> 'forged'",
        [fixture.board.id],
      );
      expect(after.rows[0]?.count).toBe(rows[0]?.count);
    } finally {
      await client.end();
    }
  });

  it('gives a new board the four default columns, Done as the done column', async () => {
    const fixture = await createBoard(app, ctx, supervisor);
    expect(fixture.columns.map((column) => [column.name, column.isDone])).toEqual([
      ['To do', false],
      ['In progress', false],
      ['Review', false],
      ['Done', true],
    ]);
  });

  it('numbers tasks per board (KEY-1, KEY-2) and indexes title, content and comments by trigram', async () => {
    const fixture = await createBoard(app, ctx, supervisor);
    const first = await createTask(app, fixture, { title: '로그인 화면 개선' });
    const second = await createTask(app, fixture, { title: 'Improve the login screen' });
    expect(first.key).toBe(`${fixture.board.key}-1`);
    expect(second.key).toBe(`${fixture.board.key}-2`);
    const indexes = await ctx.deps.db.$queryRawUnsafe<{ indexname: string }[]>(
      "SELECT indexname FROM pg_indexes WHERE indexdef LIKE '%gin_trgm_ops%' ORDER BY indexname",
    );
    expect(indexes.map((index) => index.indexname)).toEqual([
      'task_comments_content_trgm_idx',
      'tasks_content_trgm_idx',
      'tasks_title_trgm_idx',
    ]);
  });

  it('refuses a board key in the wrong form and a key already taken', async () => {
    const bad = await call(app, supervisor, 'POST', '/api/boards', { key: 'hp', name: 'x' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('/body/key');
    const key = uniqueBoardKey();
    expect(
      (await call(app, supervisor, 'POST', '/api/boards', { key, name: 'One' })).statusCode,
    ).toBe(201);
    const taken = await call(app, supervisor, 'POST', '/api/boards', { key, name: 'Two' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().code).toBe('board_key_taken');
  });
});
