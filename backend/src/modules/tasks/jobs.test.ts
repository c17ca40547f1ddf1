import type { FastifyInstance } from 'fastify';
import type PgBoss from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignedInUser } from '../../../test/support/auth.js';
import { setupTestContext } from '../../../test/support/context.js';
import { eventually } from '../../../test/support/files.js';
import { call, createBoard } from '../../../test/support/tasks.js';
import { createBoss } from '../../jobs/boss.js';
import { USER_DELETED } from '../auth/events.js';
import { registerTasksJobs, removeDeletedAccount } from './jobs.js';

const ctx = setupTestContext();
let app: FastifyInstance;
let boss: PgBoss;

beforeAll(async () => {
  app = await ctx.buildApp({ AUTH_AUTO_VERIFY: 'true' });
  boss = createBoss({ connectionString: ctx.config.DATABASE_URL });
  await boss.start();
  await registerTasksJobs({ boss, db: ctx.deps.db });
});

afterAll(async () => {
  await boss?.stop({ graceful: false, wait: true });
});

describe('tasks background jobs', () => {
  it('removes a withdrawn account from every board, once, keeping its tasks', async () => {
    const first = await createBoard(app, ctx);
    const second = await createBoard(app, ctx, first.supervisor);
    const leaving = await createSignedInUser(app, ctx);
    const stays = await createSignedInUser(app, ctx);
    for (const board of [first, second]) {
      for (const who of [leaving, stays]) {
        const added = await call(
          app,
          first.supervisor,
          'POST',
          `/api/boards/${board.board.id}/members`,
          {
            email: who.email,
            role: 'member',
          },
        );
        expect(added.statusCode, added.body).toBe(201);
      }
    }
    const task = await call(app, first.supervisor, 'POST', `/api/boards/${first.board.id}/tasks`, {
      title: 'Owned by the leaver',
      columnId: first.columns[0]?.id,
      picId: leaving.id,
    });
    expect(task.statusCode, task.body).toBe(201);

    await boss.publish(USER_DELETED, { userId: leaving.id });
    await eventually(
      async () =>
        (await ctx.deps.db.boardMember.count({
          where: { userId: leaving.id, removedAt: null },
        })) === 0,
    );
    const members = (
      await call(app, first.supervisor, 'GET', `/api/boards/${first.board.id}/members`)
    )
      .json()
      .map((member: { userId: string }) => member.userId);
    expect(members).toContain(stays.id);
    expect(members).not.toContain(leaving.id);
    const removals = await ctx.deps.db.activity.findMany({
      where: { type: 'member_removed', boardId: { in: [first.board.id, second.board.id] } },
    });
    expect(removals.map((row) => row.changes)).toEqual([
      { userId: leaving.id, role: 'member', reason: 'account_deleted' },
      { userId: leaving.id, role: 'member', reason: 'account_deleted' },
    ]);
    expect(removals.every((row) => row.actorId === null)).toBe(true);
    const kept = await ctx.deps.db.task.findUniqueOrThrow({ where: { id: task.json().id } });
    expect(kept.picId).toBe(leaving.id);

    // Delivered again (a retried job): nothing more happens.
    expect(await removeDeletedAccount(ctx.deps.db, leaving.id)).toBe(0);
    expect(
      await ctx.deps.db.activity.count({
        where: { type: 'member_removed', boardId: { in: [first.board.id, second.board.id] } },
      }),
    ).toBe(2);
  });
});
