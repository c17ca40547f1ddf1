import { generateKeyBetween, generateNKeysBetween } from 'fractional-indexing';
import type { DatabaseClient } from '../mail/outbox.js';
import { InvalidReferenceError } from './errors.js';

/**
 * Ordered lists whose order the server owns. A client sends intent (after/before a sibling); the
 * server takes the list's advisory lock for the rest of the transaction, computes a fractional
 * rank between the neighbours it reads under that lock, and the unique (scope, rank) index is the
 * safety net. When keys grow past `rebalanceLength`, the whole list gets fresh short keys.
 */
export interface RankedList {
  table: 'tasks' | 'board_columns' | 'checklist_items';
  scopeColumn: 'column_id' | 'board_id' | 'task_id';
  /** First key of pg_advisory_xact_lock(int, int); the second is hashtext(scope id). */
  lockSpace: number;
  /** How a sibling is named in errors ("this column"). */
  scopeName: string;
}

export const TASKS_IN_COLUMN: RankedList = {
  table: 'tasks',
  scopeColumn: 'column_id',
  lockSpace: 41_201,
  scopeName: 'this column',
};
export const COLUMNS_OF_BOARD: RankedList = {
  table: 'board_columns',
  scopeColumn: 'board_id',
  lockSpace: 41_202,
  scopeName: 'this board',
};
export const CHECKLIST_OF_TASK: RankedList = {
  table: 'checklist_items',
  scopeColumn: 'task_id',
  lockSpace: 41_203,
  scopeName: 'this checklist',
};

export interface Position {
  afterId?: string | undefined;
  beforeId?: string | undefined;
}

export async function lockList(tx: DatabaseClient, list: RankedList, scopeId: string) {
  await tx.$executeRawUnsafe(
    'SELECT pg_advisory_xact_lock($1::int, hashtext($2::text))',
    list.lockSpace,
    scopeId,
  );
}

async function rankOf(
  tx: DatabaseClient,
  list: RankedList,
  scopeId: string,
  id: string,
  field: string,
): Promise<string> {
  const rows = await tx.$queryRawUnsafe<{ rank: string }[]>(
    `SELECT rank FROM ${list.table} WHERE id = $1::uuid AND ${list.scopeColumn} = $2::uuid`,
    id,
    scopeId,
  );
  const rank = rows[0]?.rank;
  if (rank === undefined) {
    throw new InvalidReferenceError('invalid_position', field, `is not in ${list.scopeName}`);
  }
  return rank;
}

async function neighbour(
  tx: DatabaseClient,
  list: RankedList,
  scopeId: string,
  movingId: string | null,
  rank: string | null,
  direction: 'next' | 'previous',
): Promise<string | null> {
  const comparison = direction === 'next' ? '>' : '<';
  const order = direction === 'next' ? 'ASC' : 'DESC';
  const rows = await tx.$queryRawUnsafe<{ rank: string }[]>(
    `SELECT rank FROM ${list.table}
      WHERE ${list.scopeColumn} = $1::uuid AND ($2::uuid IS NULL OR id <> $2::uuid)
        AND ($3::text IS NULL OR rank ${comparison} $3::text)
      ORDER BY rank ${order} LIMIT 1`,
    scopeId,
    movingId,
    rank,
  );
  return rows[0]?.rank ?? null;
}

/** Gives every row of the list a fresh, short key in its current order. */
async function rebalance(tx: DatabaseClient, list: RankedList, scopeId: string): Promise<void> {
  const rows = await tx.$queryRawUnsafe<{ id: string }[]>(
    `SELECT id::text AS id FROM ${list.table} WHERE ${list.scopeColumn} = $1::uuid ORDER BY rank`,
    scopeId,
  );
  const keys = generateNKeysBetween(null, null, rows.length);
  // Two steps, because the unique index is checked row by row: first out of the way, then final.
  await tx.$executeRawUnsafe(
    `UPDATE ${list.table} SET rank = '~' || id::text WHERE ${list.scopeColumn} = $1::uuid`,
    scopeId,
  );
  await tx.$executeRawUnsafe(
    `UPDATE ${list.table} AS t SET rank = v.rank
       FROM unnest($1::uuid[], $2::text[]) AS v(id, rank) WHERE t.id = v.id`,
    rows.map((row) => row.id),
    keys,
  );
}

/**
 * The rank for `movingId` (null for a new row) at `position` in the list, computed under the
 * list's lock; the caller writes it in the same transaction. An after/before sibling that is not
 * in the list is a 422 naming the field.
 */
export async function placeInList(
  tx: DatabaseClient,
  list: RankedList,
  scopeId: string,
  movingId: string | null,
  position: Position,
  rebalanceLength: number,
): Promise<string> {
  await lockList(tx, list, scopeId);
  for (const [field, id] of [
    ['/body/afterId', position.afterId],
    ['/body/beforeId', position.beforeId],
  ] as const) {
    if (id !== undefined && id === movingId) {
      throw new InvalidReferenceError('invalid_position', field, 'must not be the moved item');
    }
  }
  for (let attempt = 0; ; attempt++) {
    let previous: string | null;
    let next: string | null;
    if (position.afterId !== undefined) {
      previous = await rankOf(tx, list, scopeId, position.afterId, '/body/afterId');
      next = await neighbour(tx, list, scopeId, movingId, previous, 'next');
    } else if (position.beforeId !== undefined) {
      next = await rankOf(tx, list, scopeId, position.beforeId, '/body/beforeId');
      previous = await neighbour(tx, list, scopeId, movingId, next, 'previous');
    } else {
      previous = await neighbour(tx, list, scopeId, movingId, null, 'previous');
      next = null;
    }
    const key = generateKeyBetween(previous, next);
    if (key.length <= rebalanceLength || attempt > 0) return key;
    await rebalance(tx, list, scopeId);
  }
}
