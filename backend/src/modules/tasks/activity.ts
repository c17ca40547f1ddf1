import type { Database } from '../../db/client.js';
import type { Activity, Prisma } from '../../generated/prisma/client.js';
import { decodeCursor, encodeCursor, invalidCursor } from '../../lib/pagination.js';
import type { DatabaseClient } from '../mail/outbox.js';
import type { Actor } from './access.js';

/** Who made a change and in which request; null for the system (a reminder, an import's job). */
export interface ActivityActor {
  user: Pick<Actor['user'], 'id'>;
  requestId: string;
}

/** `{ field: { before, after } }`: what a change did to each field. */
export type FieldChanges = Record<string, { before: unknown; after: unknown }>;

export interface ActivityEntry {
  boardId: string;
  taskId?: string | null;
  /** The task's version after the change, for changes of the task row. */
  taskVersion?: number | null;
  type: string;
  changes?: Record<string, unknown>;
}

/**
 * The one write path of every change: called inside the change's transaction, so a change never
 * commits without its row and a row never exists for a change that rolled back. Realtime,
 * notifications and webhooks read these rows (by increasing id) and nothing else.
 */
export async function recordActivity(
  tx: DatabaseClient,
  actor: ActivityActor | null,
  entry: ActivityEntry,
): Promise<void> {
  await tx.activity.create({
    data: {
      boardId: entry.boardId,
      taskId: entry.taskId ?? null,
      taskVersion: entry.taskVersion ?? null,
      actorId: actor?.user.id ?? null,
      requestId: actor?.requestId ?? null,
      type: entry.type,
      changes: (entry.changes ?? {}) as Prisma.InputJsonValue,
    },
  });
}

/** The fields of `before` that `after` changes, as before/after pairs; empty when nothing does. */
export function diffFields(before: object, after: object): FieldChanges {
  const changes: FieldChanges = {};
  const old = before as Record<string, unknown>;
  for (const [field, value] of Object.entries(after)) {
    if (value === undefined) continue;
    if (JSON.stringify(old[field]) !== JSON.stringify(value)) {
      changes[field] = { before: old[field] ?? null, after: value };
    }
  }
  return changes;
}

/** The fields every change of a task made after `version`, from the task's activity rows. */
export async function fieldsChangedSince(
  db: DatabaseClient,
  taskId: string,
  version: number,
): Promise<string[]> {
  const rows = await db.activity.findMany({
    where: { taskId, taskVersion: { gt: version } },
    select: { changes: true },
  });
  const fields = new Set<string>();
  for (const row of rows) {
    for (const field of Object.keys(row.changes as Record<string, unknown>)) fields.add(field);
  }
  return [...fields].sort();
}

export interface ActivityView {
  id: string;
  boardId: string;
  taskId: string | null;
  taskVersion: number | null;
  actorId: string | null;
  requestId: string | null;
  type: string;
  changes: Record<string, unknown>;
  createdAt: string;
}

/** Newest first, keyed by id (a bigserial), so a page never repeats or skips a row. */
export async function listActivity(
  db: Database,
  where: { boardId: string } | { taskId: string },
  { limit, cursor }: { limit: number; cursor?: string | undefined },
): Promise<{ items: ActivityView[]; nextCursor: string | null }> {
  let before: bigint | undefined;
  if (cursor) {
    const key = decodeCursor(cursor);
    if (!/^[0-9]{1,19}$/.test(key)) throw invalidCursor();
    before = BigInt(key);
  }
  const rows = await db.activity.findMany({
    where: before === undefined ? where : { ...where, id: { lt: before } },
    orderBy: { id: 'desc' },
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(toActivityView),
    nextCursor: rows.length > limit && last ? encodeCursor(last.id.toString()) : null,
  };
}

/** An activity row as the API and the feed's consumers see it. */
export function toActivityView(row: Activity): ActivityView {
  return {
    id: row.id.toString(),
    boardId: row.boardId,
    taskId: row.taskId,
    taskVersion: row.taskVersion,
    actorId: row.actorId,
    requestId: row.requestId,
    type: row.type,
    changes: row.changes as Record<string, unknown>,
    createdAt: row.createdAt.toISOString(),
  };
}
