import { randomUUID } from 'node:crypto';
import type { Prisma } from '../../generated/prisma/client.js';
import { notifyUser } from '../../lib/user-events.js';
import type { FeedEntry } from '../tasks/feed.js';
import { type Category, loadPreferences, type Preferences } from './preferences.js';
import { nextHour, nextLocalHour } from './schedule.js';

/** The activity types that notify, and the category the task's people hear them under. */
const TASK_EVENTS: Record<string, Category> = {
  task_created: 'status',
  task_updated: 'status',
  task_moved: 'status',
  task_archived: 'status',
  task_restored: 'status',
  comment_added: 'comment',
  task_due_soon: 'due_soon',
  task_overdue: 'overdue',
};

/** When one user qualifies twice, the more personal reason wins. */
const PRECEDENCE: Category[] = [
  'assigned',
  'mentioned',
  'due_soon',
  'overdue',
  'comment',
  'status',
];

interface TaskFacts {
  id: string;
  number: number;
  title: string;
  picId: string | null;
  assigneeIds: string[];
  watcherIds: string[];
  boardWatcherIds: string[];
  memberIds: string[];
  supervisorIds: string[];
  doneColumnIds: string[];
}

async function loadTask(tx: Prisma.TransactionClient, taskId: string): Promise<TaskFacts | null> {
  const rows = await tx.$queryRaw<TaskFacts[]>`
    SELECT t.id::text AS id, t.number, t.title, t.pic_id::text AS "picId",
           ARRAY(SELECT a.user_id::text FROM task_assignees a WHERE a.task_id = t.id) AS "assigneeIds",
           ARRAY(SELECT w.user_id::text FROM task_watchers w WHERE w.task_id = t.id) AS "watcherIds",
           ARRAY(SELECT w.user_id::text FROM board_watchers w WHERE w.board_id = t.board_id) AS "boardWatcherIds",
           ARRAY(SELECT m.user_id::text FROM board_members m
                  WHERE m.board_id = t.board_id AND m.removed_at IS NULL) AS "memberIds",
           ARRAY(SELECT m.user_id::text FROM board_members m
                  WHERE m.board_id = t.board_id AND m.removed_at IS NULL
                    AND m.role = 'supervisor') AS "supervisorIds",
           ARRAY(SELECT c.id::text FROM board_columns c
                  WHERE c.board_id = t.board_id AND c.is_done) AS "doneColumnIds"
      FROM tasks t WHERE t.id = ${taskId}::uuid`;
  return rows[0] ?? null;
}

function afterValue(changes: Record<string, unknown>, field: string): unknown {
  const change = changes[field] as { before?: unknown; after?: unknown } | undefined;
  return change && typeof change === 'object' ? change.after : undefined;
}

function beforeValue(changes: Record<string, unknown>, field: string): unknown {
  const change = changes[field] as { before?: unknown; after?: unknown } | undefined;
  return change && typeof change === 'object' ? change.before : undefined;
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

/**
 * Who hears about one activity row, and why: the task's PIC and assignees, its watchers and the
 * board's, @mentioned people, the board's supervisors for a move into a done column. Never the
 * actor, and only current members of the board.
 */
export function recipientsOf(entry: FeedEntry, task: TaskFacts): Map<string, Category> {
  const base = TASK_EVENTS[entry.type];
  const found = new Map<string, Category>();
  if (!base) return found;
  const add = (userId: string | null | undefined, category: Category) => {
    if (!userId) return;
    const current = found.get(userId);
    if (!current || PRECEDENCE.indexOf(category) < PRECEDENCE.indexOf(current)) {
      found.set(userId, category);
    }
  };
  const people = [task.picId, ...task.assigneeIds];
  const changes = entry.changes;

  if (entry.type === 'task_due_soon' || entry.type === 'task_overdue') {
    for (const userId of [...people, ...task.watcherIds]) add(userId, base);
  } else {
    for (const userId of [...people, ...task.watcherIds, ...task.boardWatcherIds]) {
      add(userId, base);
    }
  }
  if (entry.type === 'task_created') {
    add(changes.picId as string | null, 'assigned');
    for (const userId of strings(changes.assigneeIds)) add(userId, 'assigned');
  }
  if (entry.type === 'task_updated') {
    const pic = afterValue(changes, 'picId');
    if (typeof pic === 'string') add(pic, 'assigned');
    const before = new Set(strings(beforeValue(changes, 'assigneeIds')));
    for (const userId of strings(afterValue(changes, 'assigneeIds'))) {
      if (!before.has(userId)) add(userId, 'assigned');
    }
  }
  if (entry.type === 'comment_added') {
    for (const userId of strings(changes.mentions)) add(userId, 'mentioned');
  }
  if (entry.type === 'task_moved') {
    const column = afterValue(changes, 'columnId');
    if (typeof column === 'string' && task.doneColumnIds.includes(column)) {
      for (const userId of task.supervisorIds) add(userId, 'status');
    }
  }

  const members = new Set(task.memberIds);
  for (const userId of found.keys()) {
    if (userId === entry.actorId || !members.has(userId)) found.delete(userId);
  }
  return found;
}

export interface NotificationTiming {
  /** How long immediate email waits for more changes of the same task (coalescing). */
  emailWindowMs: number;
}

function emailDueAt(preferences: Preferences, timing: string, now: Date, windowMs: number): Date {
  if (timing === 'immediate') return new Date(now.getTime() + windowMs);
  if (timing === 'hourly') return nextHour(now);
  return nextLocalHour(now, preferences.timeZone, preferences.dailyDigestHour);
}

/**
 * The feed handler of the `notifications` consumer: writes each recipient's notification (in-app
 * and/or pending email, as their preferences say) in the consumer's transaction, and tells their
 * open streams on commit. Makes no network call.
 */
export function createNotificationsHandler({ emailWindowMs }: NotificationTiming) {
  return async function handle(tx: Prisma.TransactionClient, entries: FeedEntry[]): Promise<void> {
    const tasks = new Map<string, TaskFacts | null>();
    for (const entry of entries) {
      if (!entry.taskId || !TASK_EVENTS[entry.type]) continue;
      if (!tasks.has(entry.taskId)) tasks.set(entry.taskId, await loadTask(tx, entry.taskId));
      const task = tasks.get(entry.taskId);
      if (!task) continue;
      const recipients = recipientsOf(entry, task);
      if (recipients.size === 0) continue;
      const preferences = await loadPreferences(tx, [...recipients.keys()]);
      const now = new Date();
      for (const [userId, category] of recipients) {
        const mine = preferences.get(userId);
        if (!mine || mine.mutedBoardIds.includes(entry.boardId)) continue;
        const wanted = mine.events[category];
        if (!wanted.inApp && !wanted.email) continue;
        const id = randomUUID();
        const created = await tx.notification.createMany({
          data: {
            id,
            userId,
            activityId: BigInt(entry.id),
            boardId: entry.boardId,
            taskId: task.id,
            actorId: entry.actorId,
            category,
            type: entry.type,
            taskNumber: task.number,
            taskTitle: task.title,
            inApp: wanted.inApp,
            emailTiming: wanted.email ? wanted.timing : null,
            emailDueAt: wanted.email ? emailDueAt(mine, wanted.timing, now, emailWindowMs) : null,
          },
          skipDuplicates: true,
        });
        if (created.count > 0 && wanted.inApp) await notifyUser(tx, userId, 'notification', id);
      }
    }
  };
}
