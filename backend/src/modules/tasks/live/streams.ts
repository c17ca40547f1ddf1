import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../../db/client.js';
import { NotFoundError } from '../../../lib/errors.js';
import { boardAccess } from '../access.js';
import { cursorAfter, type FeedCursor, type FeedEntry, readFeed } from '../feed.js';
import { actorOf } from '../request.js';
import type { BoardEvent } from './events.js';
import type { BoardSubscriber, LiveHub } from './hub.js';
import { type EventStream, openEventStream } from './sse.js';

const EVENT_ID = /^[0-9]{1,19}$/;

function compareCursors(a: FeedCursor, b: FeedCursor): number {
  const tx = BigInt(a.txId) - BigInt(b.txId);
  if (tx !== 0n) return tx < 0n ? -1 : 1;
  return a.id === b.id ? 0 : a.id < b.id ? -1 : 1;
}

/** The board's last committed row in feed order: where a client that refetched now stands. */
async function boardHead(db: Database, boardId: string): Promise<FeedCursor | null> {
  const rows = await db.$queryRawUnsafe<{ tx_id: string; id: bigint }[]>(
    `SELECT tx_id::text AS tx_id, id FROM activity
      WHERE board_id = $1::uuid AND tx_id < pg_snapshot_xmin(pg_current_snapshot())
      ORDER BY tx_id DESC, id DESC LIMIT 1`,
    boardId,
  );
  const row = rows[0];
  return row ? { txId: row.tx_id, id: row.id } : null;
}

export interface LiveStreamsOptions {
  db: Database;
  hub: LiveHub;
  replayLimit: number;
  heartbeatMs: number;
}

export type LiveStreams = ReturnType<typeof createLiveStreams>;

export function createLiveStreams({ db, hub, replayLimit, heartbeatMs }: LiveStreamsOptions) {
  /** Ends the stream when the access token expires; the client reconnects with a fresh one. */
  function endAtExpiry(stream: EventStream, expiresAt: number): void {
    const timer = setTimeout(() => stream.close(), Math.max(0, expiresAt - Date.now()));
    stream.onClose(() => clearTimeout(timer));
  }

  return {
    /**
     * A board's events from now on, or from after `lastEventId`. The subscription starts first
     * and buffers, then access is checked and the missed rows are replayed, then the buffer is
     * drained without what the replay already sent: no gap, no duplicate. An unknown id, or more
     * missed rows than `replayLimit`, gets `reset` (the client refetches the board) instead.
     */
    async board(
      request: FastifyRequest,
      reply: FastifyReply,
      input: { boardId: string; lastEventId: string | undefined; expiresAt: number },
    ): Promise<void> {
      const actor = actorOf(request);
      await hub.ready();
      const release = hub.reserve(actor.user.id, 'board');
      let stream: EventStream | null = null;
      let buffer: { entry: FeedEntry; event: BoardEvent }[] | null = [];
      let sentUpTo: FeedCursor | null = null;
      let ended = false;

      function deliver(entry: FeedEntry, event: BoardEvent): void {
        if (sentUpTo && compareCursors(entry.cursor, sentUpTo) <= 0) return;
        sentUpTo = entry.cursor;
        stream?.write(event.frame);
      }

      const subscriber: BoardSubscriber = {
        boardId: input.boardId,
        userId: actor.user.id,
        sessionId: actor.user.sessionId,
        isAdmin: actor.user.roles.includes('admin'),
        receive(entry, event) {
          if (buffer) buffer.push({ entry, event });
          else deliver(entry, event);
        },
        end() {
          ended = true;
          stream?.close();
        },
      };
      const unsubscribe = hub.subscribeBoard(subscriber);
      const cleanup = () => {
        unsubscribe();
        release();
      };

      let replay: FeedEntry[] | null = [];
      let head: FeedCursor | null = null;
      try {
        await boardAccess(db, actor, input.boardId);
        if (input.lastEventId !== undefined) {
          const resume = EVENT_ID.test(input.lastEventId)
            ? await cursorAfter(db, BigInt(input.lastEventId))
            : null;
          const missed = resume
            ? await readFeed(db, resume, { limit: replayLimit + 1, boardId: input.boardId })
            : [];
          if (resume && missed.length <= replayLimit) {
            replay = missed;
            sentUpTo = resume;
          } else {
            replay = null;
          }
        }
        if (replay === null || input.lastEventId === undefined) {
          head = await boardHead(db, input.boardId);
        }
        // Removed (or signed out) while the stream was being set up.
        if (ended) throw new NotFoundError('Board');
      } catch (error) {
        cleanup();
        throw error;
      }

      const open = openEventStream(request, reply, { heartbeatMs });
      stream = open;
      open.onClose(cleanup);
      endAtExpiry(open, input.expiresAt);

      try {
        await startStream(open, replay, head, input.lastEventId === undefined);
      } catch (error) {
        request.log.error({ err: error }, 'live stream failed');
        open.close();
      }

      async function startStream(
        open: EventStream,
        replay: FeedEntry[] | null,
        head: FeedCursor | null,
        fresh: boolean,
      ): Promise<void> {
        if (replay === null || fresh) {
          // `ready` (a fresh stream) and `reset` (history lost) carry the board's current position,
          // so a reconnect after them resumes from there once the client has (re)fetched the board.
          sentUpTo = head;
          open.send({
            ...(head ? { id: head.id.toString() } : {}),
            event: replay === null ? 'reset' : 'ready',
            data: {},
          });
        } else {
          for (const entry of replay) {
            const event = await hub.eventFor(subscriber, entry);
            if (!event) {
              open.close();
              return;
            }
            deliver(entry, event);
          }
        }
        const pending = buffer ?? [];
        buffer = null;
        for (const { entry, event } of pending) deliver(entry, event);
      }
    },

    /** The signed-in user's own events (`notifyUser`), from now on. */
    async user(request: FastifyRequest, reply: FastifyReply, input: { expiresAt: number }) {
      const user = request.user;
      await hub.ready();
      const release = hub.reserve(user.id, 'user');
      let stream: EventStream | null = null;
      const unsubscribe = hub.subscribeUser({
        userId: user.id,
        sessionId: user.sessionId,
        receive(event) {
          stream?.send({ event: event.type, data: { id: event.id } });
        },
        reset() {
          stream?.send({ event: 'reset', data: {} });
        },
        end() {
          stream?.close();
        },
      });
      stream = openEventStream(request, reply, { heartbeatMs });
      stream.onClose(() => {
        unsubscribe();
        release();
      });
      stream.send({ event: 'ready', data: {} });
      endAtExpiry(stream, input.expiresAt);
    },
  };
}
