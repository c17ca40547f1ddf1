import pg from 'pg';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Database } from '../../../db/client.js';
import type { BoardRole } from '../../../generated/prisma/enums.js';
import { AppError } from '../../../lib/errors.js';
import { parseUserEvent, USER_EVENTS_CHANNEL } from '../../../lib/user-events.js';
import { startWakeLoop, type WakeLoop } from '../../../lib/wake-loop.js';
import type { RevocationList } from '../../auth/revocation.js';
import { ACTIVITY_CHANNEL, type FeedCursor, type FeedEntry, feedHead, readFeed } from '../feed.js';
import { type BoardEvent, boardEvent } from './events.js';

/** Rows that change who is on a board, or in which role: the role cache forgets the board. */
const MEMBERSHIP_TYPES = new Set([
  'member_added',
  'member_removed',
  'member_role_changed',
  'invitation_accepted',
]);

const READ_BATCH = 500;
const RECONNECT_DELAY_MS = 1000;

export type StreamKind = 'board' | 'user';

interface Subscriber {
  userId: string;
  sessionId: string;
  /** Ends the subscriber's stream (it then unsubscribes). */
  end(): void;
}

export interface BoardSubscriber extends Subscriber {
  boardId: string;
  /** Global admins see every board as supervisors, without being members. */
  isAdmin: boolean;
  /** Called synchronously during dispatch: `event.frame` is shared by every subscriber of a view. */
  receive(entry: FeedEntry, event: BoardEvent): void;
}

export interface UserSubscriber extends Subscriber {
  receive(event: { type: string; id: string }): void;
  /** Events may have been missed (the listener reconnected): the client refetches. */
  reset(): void;
}

interface RoleMap {
  roles: Map<string, BoardRole>;
  /** `joined` counter value when the map was read: later subscribers may be missing from it. */
  readAt: number;
}

export class TooManyStreamsError extends AppError {
  constructor(limit: number) {
    super(429, 'event_streams_limit', `At most ${limit} live event streams may be open at once.`, {
      headers: { 'retry-after': '5' },
      params: { limit },
    });
  }
}

export interface LiveHubOptions {
  db: Database;
  databaseUrl: string;
  revocations: RevocationList;
  metrics: Registry;
  maxPerUser: number;
  log: {
    info(object: object, message: string): void;
    error(object: object, message: string): void;
  };
}

export type LiveHub = ReturnType<typeof createLiveHub>;

/**
 * The live fan-out of one backend process. One feed reader (woken by `homeport_activity`, reading
 * from the feed's head at start) and one `homeport_user_events` listener serve every stream this
 * process holds, so another replica's change reaches these subscribers through the database and
 * the cost per event is one pass over the board's subscribers, not a query per subscriber. Board
 * roles are read once per board and kept until a membership row of that board comes by.
 */
export function createLiveHub({
  db,
  databaseUrl,
  revocations,
  metrics,
  maxPerUser,
  log,
}: LiveHubOptions) {
  const boards = new Map<string, Set<BoardSubscriber>>();
  const users = new Map<string, Set<UserSubscriber>>();
  const streamsPerUser = new Map<string, number>();
  const roleCache = new Map<string, RoleMap>();
  const joinedAt = new WeakMap<BoardSubscriber, number>();
  let joined = 0;
  let position: FeedCursor | null = null;
  let feedLoop: WakeLoop | undefined;
  let userListener: pg.Client | undefined;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let stopped = false;

  const connections = new Gauge({
    name: 'homeport_live_connections',
    help: 'Open live event streams (SSE) on this process',
    labelNames: ['stream'] as const,
    registers: [metrics],
  });
  const fannedOut = new Counter({
    name: 'homeport_live_events_sent_total',
    help: 'Events written to live event streams (one per subscriber reached)',
    labelNames: ['stream'] as const,
    registers: [metrics],
  });
  connections.set({ stream: 'board' }, 0);
  connections.set({ stream: 'user' }, 0);

  function add<T>(map: Map<string, Set<T>>, key: string, value: T): void {
    let set = map.get(key);
    if (!set) {
      set = new Set();
      map.set(key, set);
    }
    set.add(value);
  }

  function remove<T>(map: Map<string, Set<T>>, key: string, value: T): boolean {
    const set = map.get(key);
    if (!set?.delete(value)) return false;
    if (set.size === 0) map.delete(key);
    return true;
  }

  async function rolesOf(boardId: string, fresh = false): Promise<RoleMap> {
    const cached = roleCache.get(boardId);
    if (cached && !fresh) return cached;
    const readAt = joined;
    const rows = await db.boardMember.findMany({
      where: { boardId, removedAt: null },
      select: { userId: true, role: true },
    });
    const map: RoleMap = { roles: new Map(rows.map((row) => [row.userId, row.role])), readAt };
    // Only boards someone watches are cached, and only until a membership row invalidates them.
    if (boards.has(boardId)) roleCache.set(boardId, map);
    return map;
  }

  /** Whether `map` may lack `subscriber` only because the subscriber joined after it was read. */
  function joinedAfter(subscriber: BoardSubscriber, map: RoleMap): boolean {
    return (joinedAt.get(subscriber) ?? 0) > map.readAt;
  }

  /**
   * One pass over the board's subscribers with no await inside: the roles are resolved before it,
   * and each recipient view (board role) is built and serialised once, on first use. Only a
   * subscriber missing from the roles that joined after they were read waits for a second read.
   */
  async function dispatch(entry: FeedEntry): Promise<void> {
    if (MEMBERSHIP_TYPES.has(entry.type)) roleCache.delete(entry.boardId);
    if (!boards.has(entry.boardId)) return;
    let map = await rolesOf(entry.boardId);
    const views = new Map<BoardRole, BoardEvent>();
    const removedUser = entry.type === 'member_removed' ? entry.changes.userId : undefined;
    let sent = 0;

    function deliver(subscriber: BoardSubscriber, late: BoardSubscriber[] | null): void {
      if (removedUser === subscriber.userId && !subscriber.isAdmin) {
        subscriber.end();
        return;
      }
      const role = subscriber.isAdmin ? 'supervisor' : map.roles.get(subscriber.userId);
      if (!role) {
        if (late && joinedAfter(subscriber, map)) late.push(subscriber);
        else subscriber.end();
        return;
      }
      let view = views.get(role);
      if (!view) {
        view = boardEvent(entry, role);
        views.set(role, view);
      }
      subscriber.receive(entry, view);
      sent += 1;
    }

    const late: BoardSubscriber[] = [];
    // Ending a stream deletes it from the set, which a Set iterator tolerates.
    for (const subscriber of boards.get(entry.boardId) ?? []) deliver(subscriber, late);
    if (late.length > 0) {
      map = await rolesOf(entry.boardId, true);
      for (const subscriber of late) deliver(subscriber, null);
    }
    if (sent > 0) fannedOut.inc({ stream: 'board' }, sent);
  }

  let positioned: Promise<void> | null = null;
  /** The reader starts at the feed's head, read once (again after a failure). */
  function ready(): Promise<void> {
    positioned ??= feedHead(db).then(
      (head) => {
        position ??= head;
      },
      (error: unknown) => {
        positioned = null;
        throw error;
      },
    );
    return positioned;
  }

  async function readPass(): Promise<void> {
    await ready();
    if (!position) return;
    for (;;) {
      const entries = await readFeed(db, position, { limit: READ_BATCH });
      for (const entry of entries) {
        await dispatch(entry);
        position = entry.cursor;
      }
      if (entries.length < READ_BATCH) return;
    }
  }

  function onUserEvent(payload: string | undefined): void {
    const event = parseUserEvent(payload ?? '');
    if (!event) return;
    for (const subscriber of [...(users.get(event.userId) ?? [])]) {
      subscriber.receive({ type: event.type, id: event.id });
      fannedOut.inc({ stream: 'user' });
    }
  }

  async function listenUserEvents(reconnected: boolean): Promise<void> {
    if (stopped) return;
    const client = new pg.Client({ connectionString: databaseUrl });
    const retry = () => {
      if (userListener !== client || stopped) return;
      userListener = undefined;
      client.end().catch(() => undefined);
      reconnectTimer = setTimeout(() => void listenUserEvents(true), RECONNECT_DELAY_MS);
    };
    client.on('error', (error) => {
      log.error({ err: error }, 'user events listener lost its connection');
      retry();
    });
    client.on('end', retry);
    client.on('notification', (message) => onUserEvent(message.payload));
    userListener = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${USER_EVENTS_CHANNEL}`);
      // What was sent while the listener was away is lost: the clients refetch instead.
      if (reconnected) for (const set of users.values()) for (const s of set) s.reset();
    } catch (error) {
      log.error({ err: error }, 'user events listener cannot connect');
      retry();
    }
  }

  const stopRevocations = revocations.onChange((change) => {
    const all: Subscriber[] = [
      ...[...boards.values()].flatMap((set) => [...set]),
      ...[...users.values()].flatMap((set) => [...set]),
    ];
    for (const subscriber of all) {
      // A revoked session ends its streams; changed roles outdate every token of the user.
      if (
        'sessionId' in change
          ? subscriber.sessionId === change.sessionId
          : subscriber.userId === change.userId
      ) {
        subscriber.end();
      }
    }
  });

  return {
    /** Starts the readers; needs no database yet (they connect, and retry, on their own). */
    start(): void {
      feedLoop = startWakeLoop({
        name: 'live feed reader',
        channel: ACTIVITY_CHANNEL,
        databaseUrl,
        run: readPass,
        pollIntervalMs: 5000,
        reconnectDelayMs: RECONNECT_DELAY_MS,
        log,
      });
      void listenUserEvents(false);
    },

    /** Resolves once the feed reader knows where it starts: subscribe only after it. */
    ready,

    /**
     * Counts a stream against its user's cap; throws 429 past it. Call the returned function
     * exactly once when the stream ends.
     */
    reserve(userId: string, kind: StreamKind): () => void {
      const open = streamsPerUser.get(userId) ?? 0;
      if (open >= maxPerUser) throw new TooManyStreamsError(maxPerUser);
      streamsPerUser.set(userId, open + 1);
      connections.inc({ stream: kind });
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (streamsPerUser.get(userId) ?? 1) - 1;
        if (left > 0) streamsPerUser.set(userId, left);
        else streamsPerUser.delete(userId);
        connections.dec({ stream: kind });
      };
    },

    /** Live rows of the board from now on; returns the function that unsubscribes. */
    subscribeBoard(subscriber: BoardSubscriber): () => void {
      joined += 1;
      joinedAt.set(subscriber, joined);
      add(boards, subscriber.boardId, subscriber);
      return () => {
        if (remove(boards, subscriber.boardId, subscriber) && !boards.has(subscriber.boardId)) {
          roleCache.delete(subscriber.boardId);
        }
      };
    },

    subscribeUser(subscriber: UserSubscriber): () => void {
      add(users, subscriber.userId, subscriber);
      return () => void remove(users, subscriber.userId, subscriber);
    },

    /** What `subscriber` may see of `entry`, by its current role; null when it may see nothing. */
    async eventFor(subscriber: BoardSubscriber, entry: FeedEntry): Promise<BoardEvent | null> {
      if (subscriber.isAdmin) return boardEvent(entry, 'supervisor');
      let map = await rolesOf(subscriber.boardId);
      if (!map.roles.has(subscriber.userId) && joinedAfter(subscriber, map)) {
        map = await rolesOf(subscriber.boardId, true);
      }
      const role = map.roles.get(subscriber.userId);
      return role ? boardEvent(entry, role) : null;
    },

    /** Sizes of the subscriber maps and caches, for leak checks. */
    stats() {
      return {
        boards: boards.size,
        users: users.size,
        streams: [...streamsPerUser.values()].reduce((sum, n) => sum + n, 0),
        cachedBoards: roleCache.size,
      };
    },

    /** Ends every stream (the app is closing) and the readers. */
    async stop(): Promise<void> {
      stopped = true;
      stopRevocations();
      for (const set of [...boards.values(), ...users.values()]) {
        for (const subscriber of [...set]) subscriber.end();
      }
      clearTimeout(reconnectTimer);
      const listener = userListener;
      userListener = undefined;
      await listener?.end().catch(() => undefined);
      await feedLoop?.stop();
    },
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** This process's live fan-out (its subscriber counts are read by tests and the bench). */
    liveHub: LiveHub;
  }
}
