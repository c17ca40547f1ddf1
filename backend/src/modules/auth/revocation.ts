import type { FastifyBaseLogger } from 'fastify';
import pg from 'pg';
import type { Database } from '../../db/client.js';
import type { Prisma, Role } from '../../generated/prisma/client.js';

/** NOTIFY channel every backend replica listens on. */
export const REVOCATION_CHANNEL = 'homeport_auth_revocations';

type Notice = { session: string } | { user: string; roles: Role[] };

/** A session signed out, or a user whose roles changed (their tokens are outdated). */
export type RevocationChange = { sessionId: string } | { userId: string };

const RECONNECT_DELAY_MS = 1000;
// Clocks of replicas and the database differ a little; keep entries a minute past token expiry.
const CLOCK_SKEW_MS = 60_000;

/**
 * Revoked sessions and changed roles that still-valid access tokens may not know about yet.
 * Kept in memory on every replica so a request needs no database query: filled from the database
 * at start (everything younger than one access-token lifetime) and kept current by Postgres
 * LISTEN/NOTIFY. An entry is forgotten once every token it could concern has expired.
 */
export interface RevocationList {
  /** False while the LISTEN connection is down; callers then ask the database instead. */
  readonly listening: boolean;
  isSessionRevoked(sessionId: string): boolean;
  /** The user's current roles if they changed within one token lifetime, else undefined. */
  changedRoles(userId: string): Role[] | undefined;
  /** Applies a change this process made, without waiting for its own notification. */
  sessionRevoked(sessionId: string): void;
  rolesChanged(userId: string, roles: Role[]): void;
  /**
   * Calls `listener` for every revocation this replica learns of from now on (its own and other
   * replicas'), so long-lived connections such as event streams can end at once. Returns the
   * function that removes the listener.
   */
  onChange(listener: (change: RevocationChange) => void): () => void;
  close(): Promise<void>;
}

/** Queues the notice in the caller's transaction: replicas hear it only if the change commits. */
export async function notifyRevocation(tx: Prisma.TransactionClient, notice: Notice) {
  await tx.$executeRaw`SELECT pg_notify(${REVOCATION_CHANNEL}, ${JSON.stringify(notice)})`;
}

export async function startRevocationList({
  databaseUrl,
  db,
  accessTokenTtlSeconds,
  log,
}: {
  databaseUrl: string;
  db: Database;
  accessTokenTtlSeconds: number;
  log: FastifyBaseLogger;
}): Promise<RevocationList> {
  const keepMs = accessTokenTtlSeconds * 1000 + CLOCK_SKEW_MS;
  const sessions = new Map<string, number>();
  const roles = new Map<string, { roles: Role[]; until: number }>();
  let client: pg.Client | undefined;
  let listening = false;
  let closed = false;
  let reconnectTimer: NodeJS.Timeout | undefined;

  const listeners = new Set<(change: RevocationChange) => void>();
  const tell = (change: RevocationChange) => {
    for (const listener of listeners) {
      try {
        listener(change);
      } catch (error) {
        log.error({ err: error }, 'a revocation listener failed');
      }
    }
  };
  const addSession = (id: string) => {
    sessions.set(id, Date.now() + keepMs);
    tell({ sessionId: id });
  };
  const addRoles = (id: string, current: Role[]) => {
    roles.set(id, { roles: current, until: Date.now() + keepMs });
    tell({ userId: id });
  };

  function onNotice(payload: string | undefined) {
    try {
      const notice = JSON.parse(payload ?? '') as Notice;
      if ('session' in notice) addSession(notice.session);
      else addRoles(notice.user, notice.roles);
    } catch (error) {
      log.warn({ err: error }, 'ignored a malformed revocation notice');
    }
  }

  async function loadSnapshot() {
    const since = new Date(Date.now() - keepMs);
    const [revoked, changed] = await Promise.all([
      db.session.findMany({ where: { revokedAt: { gte: since } }, select: { id: true } }),
      db.user.findMany({
        where: { rolesChangedAt: { gte: since } },
        select: { id: true, roles: true },
      }),
    ]);
    for (const { id } of revoked) addSession(id);
    for (const user of changed) addRoles(user.id, user.roles);
  }

  async function connect() {
    const next = new pg.Client({ connectionString: databaseUrl });
    next.on('notification', (message) => onNotice(message.payload));
    next.on('error', (error) => {
      log.warn({ err: error }, 'revocation listener lost its connection');
      drop(next);
    });
    next.on('end', () => drop(next));
    await next.connect();
    try {
      // Listen first, then read: a revocation committed in between is seen by one or the other.
      await next.query(`LISTEN ${REVOCATION_CHANNEL}`);
      client = next;
      await loadSnapshot();
      listening = true;
    } catch (error) {
      client = undefined;
      await next.end().catch(() => {});
      throw error;
    }
  }

  function drop(which: pg.Client) {
    if (client !== which) return;
    listening = false;
    client = undefined;
    which.end().catch(() => {});
    scheduleReconnect();
  }

  function scheduleReconnect() {
    if (closed || reconnectTimer) return;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      connect().catch((error: unknown) => {
        log.warn({ err: error }, 'revocation listener could not reconnect');
        scheduleReconnect();
      });
    }, RECONNECT_DELAY_MS);
    reconnectTimer.unref();
  }

  const prune = setInterval(() => {
    const now = Date.now();
    for (const [id, until] of sessions) if (until < now) sessions.delete(id);
    for (const [id, entry] of roles) if (entry.until < now) roles.delete(id);
  }, 60_000);
  prune.unref();

  try {
    await connect();
  } catch (error) {
    log.error({ err: error }, 'revocation listener could not start; checking sessions per request');
    scheduleReconnect();
  }

  return {
    get listening() {
      return listening;
    },
    isSessionRevoked: (id) => sessions.has(id),
    changedRoles: (id) => roles.get(id)?.roles,
    sessionRevoked: addSession,
    rolesChanged: addRoles,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      closed = true;
      clearInterval(prune);
      if (reconnectTimer) clearTimeout(reconnectTimer);
      const current = client;
      client = undefined;
      listening = false;
      await current?.end().catch(() => {});
    },
  };
}
