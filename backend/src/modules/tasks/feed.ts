import type { Database } from '../../db/client.js';
import type { Activity, Prisma } from '../../generated/prisma/client.js';
import { startWakeLoop, type WakeLoop, type WakeLoopOptions } from '../../lib/wake-loop.js';
import { type ActivityView, toActivityView } from './activity.js';

/**
 * The activity feed: the one way realtime streams, notifications and webhooks read activity rows.
 *
 * A row's id comes from a sequence at insert, so ids do not follow commit order: a reader that
 * followed ids alone could pass id 41 while the transaction holding id 40 is still open, and
 * never see 40. Each row therefore keeps the id of the transaction that wrote it (`tx_id`), and
 * the feed returns only rows whose transaction is older than every transaction still running,
 * in (tx_id, id) order. No row can later appear before a cursor in that order, so a cursor never
 * skips one. (A long-running writing transaction holds the feed back until it ends.)
 */

/** Notified, by a trigger, when a transaction that wrote activity rows commits. */
export const ACTIVITY_CHANNEL = 'homeport_activity';

/** A position in the feed: after the row `id` of transaction `txId` (a decimal xid8). */
export interface FeedCursor {
  txId: string;
  id: bigint;
}

export const FEED_START: FeedCursor = { txId: '0', id: 0n };

export interface FeedEntry extends ActivityView {
  /** The feed position just after this row. */
  cursor: FeedCursor;
}

type RawClient = Pick<Prisma.TransactionClient, '$queryRawUnsafe'>;

interface RawFeedRow {
  id: bigint;
  board_id: string;
  task_id: string | null;
  task_version: number | null;
  actor_id: string | null;
  request_id: string | null;
  type: string;
  changes: Prisma.JsonValue;
  created_at: Date;
  tx_id: string;
}

const FEED_COLUMNS = `id, board_id, task_id, task_version, actor_id, request_id, type, changes,
  created_at, tx_id::text AS tx_id`;

function toEntry(row: RawFeedRow): FeedEntry {
  const activity: Activity = {
    id: row.id,
    boardId: row.board_id,
    taskId: row.task_id,
    taskVersion: row.task_version,
    actorId: row.actor_id,
    requestId: row.request_id,
    type: row.type,
    changes: row.changes,
    createdAt: row.created_at,
  };
  return { ...toActivityView(activity), cursor: { txId: row.tx_id, id: row.id } };
}

/** The committed rows after `after`, oldest first; only of one board when `boardId` is given. */
export async function readFeed(
  db: RawClient,
  after: FeedCursor,
  { limit, boardId }: { limit: number; boardId?: string },
): Promise<FeedEntry[]> {
  const rows = await db.$queryRawUnsafe<RawFeedRow[]>(
    `SELECT ${FEED_COLUMNS} FROM activity
      WHERE (tx_id, id) > ($1::xid8, $2::bigint)
        AND tx_id < pg_snapshot_xmin(pg_current_snapshot())
        ${boardId ? 'AND board_id = $4::uuid' : ''}
      ORDER BY tx_id, id
      LIMIT $3`,
    after.txId,
    after.id,
    limit,
    ...(boardId ? [boardId] : []),
  );
  return rows.map(toEntry);
}

/** The feed position just after activity row `id`, or null when there is no such row. */
export async function cursorAfter(db: RawClient, id: bigint): Promise<FeedCursor | null> {
  const rows = await db.$queryRawUnsafe<{ tx_id: string }[]>(
    'SELECT tx_id::text AS tx_id FROM activity WHERE id = $1::bigint',
    id,
  );
  const row = rows[0];
  return row ? { txId: row.tx_id, id } : null;
}

/**
 * The current end of the feed: reading after it returns only rows committed from now on (and
 * rows of transactions still running now).
 */
export async function feedHead(db: RawClient): Promise<FeedCursor> {
  const rows = await db.$queryRawUnsafe<{ tx_id: string; id: bigint }[]>(
    `SELECT tx_id::text AS tx_id, id FROM activity
      WHERE tx_id < pg_snapshot_xmin(pg_current_snapshot())
      ORDER BY tx_id DESC, id DESC LIMIT 1`,
  );
  const row = rows[0];
  return row ? { txId: row.tx_id, id: row.id } : FEED_START;
}

export type FeedHandler = (tx: Prisma.TransactionClient, entries: FeedEntry[]) => Promise<void>;

export interface ConsumeOptions {
  /** Rows per transaction. */
  batchSize?: number;
  /** The longest a batch's transaction may take (its handler writes rows; no network calls). */
  timeoutMs?: number;
}

/**
 * One batch of the durable consumer `name`: reads the rows after its cursor, hands them to
 * `handle` and advances the cursor, all in one transaction, so each row takes effect exactly
 * once even with several workers (the one holding the consumer's row works; the others skip).
 * A handler that throws rolls the batch back; it is read again on the next pass. Returns the
 * number of rows handled (0 also when another worker holds the consumer).
 */
export async function consumeFeed(
  db: Database,
  name: string,
  handle: FeedHandler,
  { batchSize = 100, timeoutMs = 30_000 }: ConsumeOptions = {},
): Promise<number> {
  await db.$executeRawUnsafe(
    'INSERT INTO activity_consumers (name) VALUES ($1) ON CONFLICT (name) DO NOTHING',
    name,
  );
  return db.$transaction(
    async (tx) => {
      const held = await tx.$queryRawUnsafe<{ tx_id: string; activity_id: bigint }[]>(
        `SELECT tx_id::text AS tx_id, activity_id FROM activity_consumers
          WHERE name = $1 FOR UPDATE SKIP LOCKED`,
        name,
      );
      const position = held[0];
      if (!position) return 0;
      const entries = await readFeed(
        tx,
        { txId: position.tx_id, id: position.activity_id },
        { limit: batchSize },
      );
      const last = entries.at(-1);
      if (!last) return 0;
      await handle(tx, entries);
      await tx.$executeRawUnsafe(
        `UPDATE activity_consumers SET tx_id = $2::xid8, activity_id = $3::bigint,
           updated_at = CURRENT_TIMESTAMP WHERE name = $1`,
        name,
        last.cursor.txId,
        last.cursor.id,
      );
      return entries.length;
    },
    { timeout: timeoutMs, maxWait: timeoutMs },
  );
}

export interface FeedConsumerOptions
  extends Pick<WakeLoopOptions, 'databaseUrl' | 'pollIntervalMs' | 'reconnectDelayMs' | 'log'>,
    ConsumeOptions {
  db: Database;
  /** The consumer's durable name: its cursor survives restarts. */
  name: string;
  handle: FeedHandler;
}

/**
 * Runs the durable consumer `name` in the worker: woken when activity commits, it handles every
 * row, batch by batch, in feed order. A failing batch is retried on the next wake-up or poll.
 */
export function startFeedConsumer({
  db,
  name,
  handle,
  batchSize,
  timeoutMs,
  ...loop
}: FeedConsumerOptions): WakeLoop {
  const options: ConsumeOptions = {
    ...(batchSize === undefined ? {} : { batchSize }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  };
  return startWakeLoop({
    ...loop,
    name: `activity consumer ${name}`,
    channel: ACTIVITY_CHANNEL,
    async run() {
      while ((await consumeFeed(db, name, handle, options)) > 0) {
        // Batch after batch until the feed is read.
      }
    },
  });
}
