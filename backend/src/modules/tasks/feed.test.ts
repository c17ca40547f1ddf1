import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupTestContext, uniqueId } from '../../../test/support/context.js';
import { type BoardFixture, createBoard } from '../../../test/support/tasks.js';
import {
  consumeFeed,
  cursorAfter,
  FEED_START,
  type FeedEntry,
  feedHead,
  readFeed,
  startFeedConsumer,
} from './feed.js';

const ctx = setupTestContext();
const quietLog = { info: () => undefined, error: () => undefined };
let app: FastifyInstance;
let fixture: BoardFixture;
let other: BoardFixture;
let outside: pg.Client;

beforeAll(async () => {
  app = await ctx.buildApp({ AUTH_AUTO_VERIFY: 'true' });
  fixture = await createBoard(app, ctx);
  other = await createBoard(app, ctx, fixture.supervisor);
  outside = new pg.Client({ connectionString: ctx.config.DATABASE_URL });
  await outside.connect();
});

afterAll(async () => {
  await outside?.end();
});

async function addActivity(boardId: string, type: string): Promise<bigint> {
  const row = await ctx.deps.db.activity.create({ data: { boardId, type } });
  return row.id;
}

const ids = (entries: FeedEntry[]) => entries.map((entry) => BigInt(entry.id));

describe('activity feed', () => {
  it('holds back a row committed after a lower id that is still open, then gives both in order', async () => {
    const start = await feedHead(ctx.deps.db);
    await outside.query('BEGIN');
    const open = await outside.query<{ id: string }>(
      `INSERT INTO activity (board_id, type) VALUES ($1, 'test.open') RETURNING id`,
      [fixture.board.id],
    );
    const lower = BigInt(open.rows[0]?.id ?? '0');
    const higher = await addActivity(fixture.board.id, 'test.committed');
    expect(higher).toBeGreaterThan(lower);
    try {
      // Following ids alone would hand out `higher` now and skip `lower` for ever.
      expect(
        ids(await readFeed(ctx.deps.db, start, { limit: 10, boardId: fixture.board.id })),
      ).toEqual([]);
    } finally {
      await outside.query('COMMIT');
    }
    expect(
      ids(await readFeed(ctx.deps.db, start, { limit: 10, boardId: fixture.board.id })),
    ).toEqual([lower, higher]);
  });

  it('filters by board, pages by cursor and resumes after a given row', async () => {
    const start = await feedHead(ctx.deps.db);
    const first = await addActivity(fixture.board.id, 'test.a');
    const elsewhere = await addActivity(other.board.id, 'test.b');
    const second = await addActivity(fixture.board.id, 'test.c');
    const all = await readFeed(ctx.deps.db, start, { limit: 10 });
    expect(ids(all)).toEqual([first, elsewhere, second]);
    expect(all[0]).toMatchObject({ boardId: fixture.board.id, type: 'test.a', changes: {} });
    const page = await readFeed(ctx.deps.db, start, { limit: 1, boardId: fixture.board.id });
    expect(ids(page)).toEqual([first]);
    const rest = await readFeed(ctx.deps.db, page[0]?.cursor ?? start, {
      limit: 10,
      boardId: fixture.board.id,
    });
    expect(ids(rest)).toEqual([second]);
    const resumed = await cursorAfter(ctx.deps.db, first);
    expect(resumed).not.toBeNull();
    expect(ids(await readFeed(ctx.deps.db, resumed ?? start, { limit: 10 }))).toEqual([
      elsewhere,
      second,
    ]);
    expect(await cursorAfter(ctx.deps.db, 999_999_999n)).toBeNull();
  });

  it('gives every row to a durable consumer exactly once, with two workers draining at once', async () => {
    const name = uniqueId('consumer');
    // A new consumer starts at the beginning of the feed: skip what other tests wrote.
    await consumeFeed(ctx.deps.db, name, async () => undefined, { batchSize: 10_000 });
    const written: bigint[] = [];
    for (let index = 0; index < 30; index++) {
      written.push(await addActivity(fixture.board.id, 'test.bulk'));
    }
    const seen: bigint[] = [];
    const drain = async () => {
      for (let pass = 0; pass < 50; pass++) {
        const handled = await consumeFeed(
          ctx.deps.db,
          name,
          async (_tx, entries) => {
            seen.push(...ids(entries));
          },
          { batchSize: 4 },
        );
        if (handled === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    await Promise.all([drain(), drain()]);
    expect(seen).toEqual(written);
  });

  it('reads a batch again when its handler fails, and advances only when it succeeds', async () => {
    const name = uniqueId('consumer');
    await consumeFeed(ctx.deps.db, name, async () => undefined, { batchSize: 10_000 });
    const row = await addActivity(fixture.board.id, 'test.retry');
    await expect(
      consumeFeed(ctx.deps.db, name, async () => {
        throw new Error('handler down');
      }),
    ).rejects.toThrow('handler down');
    const seen: bigint[] = [];
    expect(
      await consumeFeed(ctx.deps.db, name, async (_tx, entries) => {
        seen.push(...ids(entries));
      }),
    ).toBe(1);
    expect(seen).toEqual([row]);
    expect(await consumeFeed(ctx.deps.db, name, async () => undefined)).toBe(0);
  });

  it('wakes a consumer when activity commits, not by polling', async () => {
    const name = uniqueId('consumer');
    await consumeFeed(ctx.deps.db, name, async () => undefined, { batchSize: 10_000 });
    const seen: bigint[] = [];
    const consumer = startFeedConsumer({
      db: ctx.deps.db,
      name,
      databaseUrl: ctx.config.DATABASE_URL,
      pollIntervalMs: 3_600_000,
      log: quietLog,
      handle: async (_tx, entries) => {
        seen.push(...ids(entries));
      },
    });
    try {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const row = await addActivity(fixture.board.id, 'test.wake');
      const deadline = Date.now() + 5000;
      while (!seen.includes(row) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(seen).toEqual([row]);
    } finally {
      await consumer.stop();
    }
  });

  it('starts from the beginning for an unknown consumer', async () => {
    const entries = await readFeed(ctx.deps.db, FEED_START, { limit: 1 });
    expect(entries).toHaveLength(1);
  });
});
