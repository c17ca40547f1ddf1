import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { Database } from '../../db/client.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { ensureQueue } from '../../jobs/boss.js';
import type { LoopContext } from '../../jobs/worker-jobs.js';
import type { WorkerMetrics } from '../../jobs/worker-metrics.js';
import { ServiceUnavailableError } from '../../lib/errors.js';
import { type Actor, boardAccess, requireSupervisor } from '../tasks/access.js';
import { type FeedEntry, type FeedHandler, startFeedConsumer } from '../tasks/feed.js';
import { localParts } from './schedule.js';

export const REMINDER_QUEUE = 'task-reminders';
export const DEFAULT_DUE_SOON_HOURS = 24;
/** The local hour of the morning after the due date at which an open task is overdue. */
export const OVERDUE_LOCAL_HOUR = 9;

export type ReminderKind = 'due_soon' | 'overdue';

const ACTIVITY_TYPE: Record<ReminderKind, string> = {
  due_soon: 'task_due_soon',
  overdue: 'task_overdue',
};

export interface ReminderJob {
  taskId: string;
  /** `YYYY-MM-DD`: the due date the job was scheduled for. */
  dueDate: string;
  kind: ReminderKind;
  /** ISO instant the reminder was meant to fire at (the lag is measured against it). */
  fireAt: string;
}

type RawClient = Pick<Prisma.TransactionClient, '$queryRawUnsafe' | '$executeRawUnsafe'>;

const QUARTER_HOUR = 15 * 60_000;
const DAY = 86_400_000;

/** `YYYY-MM-DD` of the day after `date` (a calendar date, no zone). */
export function nextDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAY).toISOString().slice(0, 10);
}

/**
 * The first instant at which the wall clock in `timeZone` reads `date` `hour`:00 or later (a
 * local time skipped by a DST change resolves to the first instant after the gap). Searched in
 * quarter hours, which every zone's offset is a multiple of.
 */
export function localInstant(date: string, hour: number, timeZone: string): Date {
  const target = `${date} ${String(hour).padStart(2, '0')}:00`;
  const start = Date.parse(`${date}T00:00:00Z`) - 15 * 3_600_000;
  for (let instant = start; instant < start + 2 * DAY + DAY / 4; instant += QUARTER_HOUR) {
    const local = localParts(new Date(instant), timeZone);
    const reads = `${local.date} ${String(local.hour).padStart(2, '0')}:${String(local.minute).padStart(2, '0')}`;
    if (reads >= target) return new Date(instant);
  }
  throw new Error(`no ${target} in ${timeZone}`);
}

/**
 * When each reminder of a task due on `dueDate` falls due. A due date is a whole day in the
 * PIC's zone: the task is due at the end of it (local midnight), "due soon" `dueSoonHours`
 * before that, and overdue at 09:00 local the morning after.
 */
export function reminderTimes(
  dueDate: string,
  timeZone: string,
  dueSoonHours: number,
): Record<ReminderKind, Date> {
  const dayAfter = nextDay(dueDate);
  const dueAt = localInstant(dayAfter, 0, timeZone);
  return {
    due_soon: new Date(dueAt.getTime() - dueSoonHours * 3_600_000),
    overdue: localInstant(dayAfter, OVERDUE_LOCAL_HOUR, timeZone),
  };
}

/** Keys every job of a task: `taskId:dueDate:kind`, so a task's jobs can be found and cancelled. */
export function reminderKey(taskId: string, dueDate: string, kind: ReminderKind): string {
  return `${taskId}:${dueDate}:${kind}`;
}

interface OpenTask {
  id: string;
  due_date: string | null;
  archived: boolean;
  is_done: boolean;
  time_zone: string | null;
  due_soon_hours: number | null;
}

async function taskState(tx: RawClient, taskId: string): Promise<OpenTask | undefined> {
  const rows = await tx.$queryRawUnsafe<OpenTask[]>(
    `SELECT t.id, to_char(t.due_date, 'YYYY-MM-DD') AS due_date, t.archived, c.is_done,
            p.time_zone, s.due_soon_hours
       FROM tasks t
       JOIN board_columns c ON c.id = t.column_id
       LEFT JOIN profiles p ON p.user_id = t.pic_id
       LEFT JOIN board_reminder_settings s ON s.board_id = t.board_id
      WHERE t.id = $1::uuid`,
    taskId,
  );
  return rows[0];
}

function executorFor(client: RawClient) {
  return {
    async executeSql(text: string, values: unknown[] = []) {
      const parameters = values.map((value) =>
        value !== null && typeof value === 'object' && !(value instanceof Date)
          ? JSON.stringify(value)
          : value,
      );
      return { rows: await client.$queryRawUnsafe<unknown[]>(text, ...parameters) };
    },
  };
}

/** The activity types (and, for updates, fields) that can change when a task's reminders fire. */
function touchesReminders(entry: FeedEntry): boolean {
  if (!entry.taskId) return false;
  switch (entry.type) {
    case 'task_created':
    case 'task_moved':
    case 'task_archived':
    case 'task_restored':
      return true;
    case 'task_updated':
      return 'dueDate' in entry.changes || 'picId' in entry.changes;
    default:
      return false;
  }
}

/**
 * Cancels the task's waiting reminder jobs and schedules the ones its current state calls for
 * (open, with a due date, kinds not fired yet), on `tx`: the jobs exist exactly when it commits.
 */
export async function rescheduleTask(
  tx: RawClient,
  boss: PgBoss,
  taskId: string,
  now: Date = new Date(),
): Promise<void> {
  await tx.$executeRawUnsafe(
    `UPDATE pgboss.job SET state = 'cancelled', completed_on = now()
      WHERE name = $1 AND state IN ('created', 'retry') AND singleton_key LIKE $2`,
    REMINDER_QUEUE,
    `${taskId}:%`,
  );
  const task = await taskState(tx, taskId);
  if (!task?.due_date || task.archived || task.is_done) return;
  const times = reminderTimes(
    task.due_date,
    task.time_zone ?? 'UTC',
    task.due_soon_hours ?? DEFAULT_DUE_SOON_HOURS,
  );
  const fired = await tx.$queryRawUnsafe<{ kind: ReminderKind }[]>(
    'SELECT kind FROM task_reminders WHERE task_id = $1::uuid AND due_date = $2::date',
    taskId,
    task.due_date,
  );
  const done = new Set(fired.map((row) => row.kind));
  for (const kind of ['due_soon', 'overdue'] as const) {
    if (done.has(kind)) continue;
    // A due date set after its overdue moment has passed: the overdue reminder says it all.
    if (kind === 'due_soon' && times.overdue.getTime() <= now.getTime()) continue;
    const fireAt = times[kind];
    const data: ReminderJob = {
      taskId,
      dueDate: task.due_date,
      kind,
      fireAt: fireAt.toISOString(),
    };
    const id = await boss.send(REMINDER_QUEUE, data, {
      singletonKey: reminderKey(taskId, task.due_date, kind),
      startAfter: fireAt,
      db: executorFor(tx),
    } as PgBoss.SendOptions);
    if (!id) {
      throw new ServiceUnavailableError(
        'job_queue_unavailable',
        'Background jobs are not set up yet; try again shortly.',
      );
    }
  }
}

/** A pg-boss handle that never starts: it only sends reminder jobs on a caller's transaction. */
export function reminderSender(db: Database): PgBoss {
  return new PgBoss({ db: executorFor(db), schema: 'pgboss' });
}

/**
 * The `reminders` consumer's handler: for every task whose due date, column, PIC or archived
 * state changed, reschedules its reminders inside the consumer's transaction (a rolled-back
 * batch schedules nothing).
 */
export function createRemindersHandler(db: Database, now: () => Date = () => new Date()) {
  const boss = reminderSender(db);
  const handle: FeedHandler = async (tx, entries) => {
    const taskIds = [
      ...new Set(entries.filter(touchesReminders).map((entry) => entry.taskId as string)),
    ];
    for (const taskId of taskIds) await rescheduleTask(tx, boss, taskId, now());
  };
  return handle;
}

/**
 * Runs one reminder job: re-checks the task (still open, not archived, same due date) and writes
 * its activity row once: the `task_reminders` row, inserted in the same transaction, is the
 * guard (a second worker's insert conflicts and writes nothing). Returns whether it fired.
 */
export async function fireReminder(db: Database, job: ReminderJob): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const rows = await tx.$queryRawUnsafe<
      {
        board_id: string;
        version: number;
        due_date: string | null;
        archived: boolean;
        is_done: boolean;
      }[]
    >(
      `SELECT t.board_id, t.version, to_char(t.due_date, 'YYYY-MM-DD') AS due_date, t.archived,
              c.is_done
         FROM tasks t JOIN board_columns c ON c.id = t.column_id
        WHERE t.id = $1::uuid FOR SHARE OF t`,
      job.taskId,
    );
    const task = rows[0];
    if (!task || task.archived || task.is_done || task.due_date !== job.dueDate) return false;
    const inserted = await tx.$executeRawUnsafe(
      `INSERT INTO task_reminders (task_id, kind, due_date) VALUES ($1::uuid, $2, $3::date)
       ON CONFLICT DO NOTHING`,
      job.taskId,
      job.kind,
      job.dueDate,
    );
    if (inserted === 0) return false;
    await tx.activity.create({
      data: {
        boardId: task.board_id,
        taskId: job.taskId,
        taskVersion: task.version,
        actorId: null,
        type: ACTIVITY_TYPE[job.kind],
        changes: { dueDate: job.dueDate },
      },
    });
    return true;
  });
}

/** The reminder queue and its handler; the lag of each fired reminder is logged and measured. */
export async function registerReminderJobs({
  boss,
  db,
  log,
  metrics,
}: {
  boss: PgBoss;
  db: Database;
  log?: Pick<Logger, 'info'>;
  metrics?: Pick<WorkerMetrics, 'reminderFired'>;
}): Promise<void> {
  await ensureQueue(boss, REMINDER_QUEUE);
  await boss.work<ReminderJob>(REMINDER_QUEUE, async ([job]) => {
    if (!job) return;
    const fired = await fireReminder(db, job.data);
    if (fired) {
      const lagSeconds = (Date.now() - Date.parse(job.data.fireAt)) / 1000;
      log?.info({ taskId: job.data.taskId, kind: job.data.kind, lagSeconds }, 'reminder fired');
      metrics?.reminderFired(job.data.kind, lagSeconds);
    }
  });
}

/** The durable feed consumer that schedules reminders from the activity feed. */
export function startRemindersConsumer({ db, config, log }: LoopContext): () => Promise<void> {
  const loop = startFeedConsumer({
    db,
    name: 'reminders',
    databaseUrl: config.DATABASE_URL,
    log: log.child({ module: 'reminders' }),
    handle: createRemindersHandler(db),
  });
  return () => loop.stop();
}

export interface ReminderSettings {
  dueSoonHours: number;
}

/** A board's reminder settings: members read them, supervisors change them. */
export function createReminderSettings(db: Database) {
  const boss = reminderSender(db);
  return {
    async get(actor: Actor, boardId: string): Promise<ReminderSettings> {
      await boardAccess(db, actor, boardId);
      const row = await db.boardReminderSetting.findUnique({ where: { boardId } });
      return { dueSoonHours: row?.dueSoonHours ?? DEFAULT_DUE_SOON_HOURS };
    },

    /** Saves the setting and moves the waiting "due soon" jobs of the board's open tasks. */
    async set(actor: Actor, boardId: string, input: ReminderSettings): Promise<ReminderSettings> {
      requireSupervisor(await boardAccess(db, actor, boardId));
      await db.$transaction(
        async (tx) => {
          await tx.boardReminderSetting.upsert({
            where: { boardId },
            create: { boardId, dueSoonHours: input.dueSoonHours },
            update: { dueSoonHours: input.dueSoonHours },
          });
          const tasks = await tx.$queryRawUnsafe<{ id: string }[]>(
            `SELECT t.id FROM tasks t JOIN board_columns c ON c.id = t.column_id
              WHERE t.board_id = $1::uuid AND t.due_date IS NOT NULL AND NOT t.archived
                AND NOT c.is_done`,
            boardId,
          );
          for (const task of tasks) await rescheduleTask(tx, boss, task.id);
        },
        { timeout: 30_000, maxWait: 10_000 },
      );
      return { dueSoonHours: input.dueSoonHours };
    },
  };
}

export type ReminderSettingsService = ReturnType<typeof createReminderSettings>;
