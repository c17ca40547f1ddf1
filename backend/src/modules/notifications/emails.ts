import type { Database } from '../../db/client.js';
import { Prisma } from '../../generated/prisma/client.js';
import type { Outbox } from '../mail/outbox.js';
import type { Locale } from '../mail/templates/layout.js';
import { linkBuilder } from '../mail/templates/render.js';
import { type Category, loadPreferences } from './preferences.js';
import { signUnsubscribe } from './unsubscribe.js';

export interface EmailJobOptions {
  db: Database;
  outbox: Outbox;
  publicUrl: string;
  unsubscribeKey: Buffer;
  /** Counts queued notification emails (a Prometheus counter in the worker). */
  onQueued?: (template: 'notification-task' | 'notification-digest') => void;
}

interface PendingRow {
  id: string;
  userId: string;
  boardId: string;
  taskId: string | null;
  actorId: string | null;
  category: Category;
  type: string;
  taskNumber: number | null;
  taskTitle: string;
  emailTiming: 'immediate' | 'hourly' | 'daily';
}

interface Recipient {
  email: string;
  locale: Locale;
}

async function recipientOf(
  tx: Prisma.TransactionClient,
  userId: string,
): Promise<Recipient | null> {
  const user = await tx.user.findUnique({
    where: { id: userId },
    select: { email: true, locale: true, status: true },
  });
  if (user?.status !== 'active') return null;
  return { email: user.email, locale: user.locale === 'ko' ? 'ko' : 'en' };
}

async function actorNames(
  tx: Prisma.TransactionClient,
  ids: (string | null)[],
): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  const users = await tx.user.findMany({
    where: { id: { in: wanted } },
    select: { id: true, email: true, profile: { select: { displayName: true } } },
  });
  return new Map(users.map((user) => [user.id, user.profile?.displayName || user.email]));
}

async function boardsOf(tx: Prisma.TransactionClient, ids: string[]) {
  const boards = await tx.board.findMany({
    where: { id: { in: [...new Set(ids)] } },
    select: { id: true, key: true, name: true },
  });
  return new Map(boards.map((board) => [board.id, board]));
}

/**
 * Locks a user's pending rows (`SKIP LOCKED`: a concurrent job takes other users), drops those
 * whose category the user has since turned email off for, and marks the rest mailed.
 */
async function claim(tx: Prisma.TransactionClient, where: Prisma.Sql): Promise<PendingRow[]> {
  return tx.$queryRaw<PendingRow[]>`
    SELECT id::text, user_id::text AS "userId", board_id::text AS "boardId",
           task_id::text AS "taskId", actor_id::text AS "actorId", category, type,
           task_number AS "taskNumber", task_title AS "taskTitle", email_timing AS "emailTiming"
      FROM notifications
     WHERE emailed_at IS NULL AND email_timing IS NOT NULL AND ${where}
     ORDER BY created_at, id
     FOR UPDATE SKIP LOCKED`;
}

async function markMailed(
  tx: Prisma.TransactionClient,
  rows: PendingRow[],
  outboxId: string | null,
): Promise<void> {
  await tx.notification.updateMany({
    where: { id: { in: rows.map((row) => row.id) } },
    data: { emailedAt: new Date(), outboxId },
  });
}

/** The rows the user still wants by email (preferences read now, not when the row was made). */
async function stillWanted(tx: Prisma.TransactionClient, rows: PendingRow[]) {
  const first = rows[0];
  if (!first) return [];
  const preferences = (await loadPreferences(tx, [first.userId])).get(first.userId);
  return rows.filter(
    (row) =>
      preferences?.events[row.category].email && !preferences.mutedBoardIds.includes(row.boardId),
  );
}

/**
 * The email side of notifications, run every minute by the worker. Immediate notifications of one
 * task and category that arrive within the coalescing window become ONE email once the window of
 * the first has passed; hourly and daily ones become one digest per user, grouped by board. Each
 * batch is one outbox row written in the transaction that marks its notifications mailed, so a
 * batch is queued exactly once, and the outbox delivers it (retrying while SMTP is down).
 */
export function createNotificationEmails(options: EmailJobOptions) {
  const { db, outbox, unsubscribeKey } = options;
  const link = linkBuilder(options.publicUrl);
  const unsubscribeHeaders = (token: string) => ({
    'List-Unsubscribe': `<${link('/api/notifications/unsubscribe', { token })}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  });

  async function sendTaskBatch(userId: string, taskId: string, category: string): Promise<boolean> {
    return db.$transaction(async (tx) => {
      const locked = await claim(
        tx,
        Prisma.sql`user_id = ${userId}::uuid AND task_id = ${taskId}::uuid
                   AND category = ${category} AND email_timing = 'immediate'`,
      );
      if (locked.length === 0) return false;
      const rows = await stillWanted(tx, locked);
      const recipient = await recipientOf(tx, userId);
      const first = rows[0];
      const board = first ? (await boardsOf(tx, [first.boardId])).get(first.boardId) : undefined;
      if (!recipient || !first || !board || first.taskNumber === null) {
        await markMailed(tx, locked, null);
        return false;
      }
      const names = await actorNames(
        tx,
        rows.map((row) => row.actorId),
      );
      const token = signUnsubscribe(unsubscribeKey, { userId, categories: [first.category] });
      const { id } = await outbox.enqueue(tx, {
        to: recipient.email,
        locale: recipient.locale,
        userId,
        template: 'notification-task',
        data: {
          boardKey: board.key,
          boardName: board.name.slice(0, 500),
          taskNumber: first.taskNumber,
          taskTitle: (rows.at(-1)?.taskTitle ?? first.taskTitle).slice(0, 500),
          events: rows.slice(-200).map((row) => ({
            type: row.type,
            actor: (row.actorId ? (names.get(row.actorId) ?? '') : '').slice(0, 500),
          })),
          unsubscribeToken: token,
        },
        headers: unsubscribeHeaders(token),
      });
      await markMailed(tx, locked, id);
      options.onQueued?.('notification-task');
      return true;
    });
  }

  async function sendDigest(userId: string, timing: 'hourly' | 'daily', now: Date) {
    return db.$transaction(async (tx) => {
      const locked = await claim(
        tx,
        Prisma.sql`user_id = ${userId}::uuid AND email_timing = ${timing}
                   AND email_due_at <= ${now}`,
      );
      if (locked.length === 0) return false;
      const rows = await stillWanted(tx, locked);
      const recipient = await recipientOf(tx, userId);
      if (!recipient || rows.length === 0) {
        await markMailed(tx, locked, null);
        return false;
      }
      const boards = await boardsOf(
        tx,
        rows.map((row) => row.boardId),
      );
      const grouped = new Map<string, Map<number, { title: string; changes: number }>>();
      for (const row of rows) {
        if (row.taskNumber === null || !boards.has(row.boardId)) continue;
        const tasks = grouped.get(row.boardId) ?? new Map();
        grouped.set(row.boardId, tasks);
        const task = tasks.get(row.taskNumber) ?? { title: row.taskTitle, changes: 0 };
        task.title = row.taskTitle;
        task.changes += 1;
        tasks.set(row.taskNumber, task);
      }
      const categories = [...new Set(rows.map((row) => row.category))];
      const token = signUnsubscribe(unsubscribeKey, { userId, categories });
      const { id } = await outbox.enqueue(tx, {
        to: recipient.email,
        locale: recipient.locale,
        userId,
        template: 'notification-digest',
        data: {
          timing,
          boards: [...grouped].map(([boardId, tasks]) => {
            const board = boards.get(boardId) ?? { key: 'X', name: '' };
            return {
              boardKey: board.key,
              boardName: board.name.slice(0, 500),
              tasks: [...tasks].map(([number, task]) => ({
                number,
                title: task.title.slice(0, 500),
                changes: task.changes,
              })),
            };
          }),
          unsubscribeToken: token,
        },
        headers: unsubscribeHeaders(token),
      });
      await markMailed(tx, locked, id);
      options.onQueued?.('notification-digest');
      return true;
    });
  }

  return {
    /** Queues every email that is due at `now`; returns how many were queued. */
    async flush(now = new Date()): Promise<number> {
      let queued = 0;
      const batches = await db.$queryRaw<{ userId: string; taskId: string; category: string }[]>`
        SELECT user_id::text AS "userId", task_id::text AS "taskId", category
          FROM notifications
         WHERE emailed_at IS NULL AND email_timing = 'immediate' AND task_id IS NOT NULL
         GROUP BY user_id, task_id, category
        HAVING min(email_due_at) <= ${now}`;
      for (const batch of batches) {
        if (await sendTaskBatch(batch.userId, batch.taskId, batch.category)) queued += 1;
      }
      const digests = await db.$queryRaw<{ userId: string; timing: 'hourly' | 'daily' }[]>`
        SELECT DISTINCT user_id::text AS "userId", email_timing AS timing
          FROM notifications
         WHERE emailed_at IS NULL AND email_timing IN ('hourly', 'daily')
           AND email_due_at <= ${now}`;
      for (const digest of digests) {
        if (await sendDigest(digest.userId, digest.timing, now)) queued += 1;
      }
      return queued;
    },
  };
}
