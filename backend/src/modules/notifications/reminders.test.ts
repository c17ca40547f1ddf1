import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSignedInUser } from '../../../test/support/auth.js';
import { setupTestContext } from '../../../test/support/context.js';
import { addMember, call, createBoard, createTask } from '../../../test/support/tasks.js';
import { createBoss } from '../../jobs/boss.js';
import { consumeFeed, type FeedHandler } from '../tasks/feed.js';
import { createNotificationsHandler } from './recipients.js';
import {
  createRemindersHandler,
  fireReminder,
  REMINDER_QUEUE,
  registerReminderJobs,
  reminderTimes,
} from './reminders.js';

vi.setConfig({ testTimeout: 120_000 });

describe('reminder times', () => {
  it('is due soon 24 h before the end of the due day and overdue at 09:00 the morning after', () => {
    expect(reminderTimes('2027-03-10', 'UTC', 24)).toEqual({
      due_soon: new Date('2027-03-10T00:00:00Z'),
      overdue: new Date('2027-03-11T09:00:00Z'),
    });
    expect(reminderTimes('2027-03-10', 'Asia/Seoul', 6)).toEqual({
      due_soon: new Date('2027-03-10T09:00:00Z'),
      overdue: new Date('2027-03-11T00:00:00Z'),
    });
    expect(reminderTimes('2027-03-10', 'America/Los_Angeles', 24).overdue).toEqual(
      new Date('2027-03-11T17:00:00Z'),
    );
    expect(reminderTimes('2027-03-10', 'Asia/Kolkata', 24).overdue).toEqual(
      new Date('2027-03-11T03:30:00Z'),
    );
  });

  it('follows DST changes in the PIC zone', () => {
    // New York springs forward on 2027-03-14: 09:00 on the 14th is EDT (UTC-4), on the 13th EST.
    expect(reminderTimes('2027-03-12', 'America/New_York', 24).overdue).toEqual(
      new Date('2027-03-13T14:00:00Z'),
    );
    expect(reminderTimes('2027-03-13', 'America/New_York', 24).overdue).toEqual(
      new Date('2027-03-14T13:00:00Z'),
    );
    // The day after 2027-03-13 starts at 05:00Z (EST midnight); that day is 23 hours long.
    expect(reminderTimes('2027-03-13', 'America/New_York', 24).due_soon).toEqual(
      new Date('2027-03-13T05:00:00Z'),
    );
    // Europe/London falls back on 2027-10-31.
    expect(reminderTimes('2027-10-31', 'Europe/London', 24).overdue).toEqual(
      new Date('2027-11-01T09:00:00Z'),
    );
    expect(reminderTimes('2027-10-30', 'Europe/London', 24).overdue).toEqual(
      new Date('2027-10-31T09:00:00Z'),
    );
    // Santiago skips local midnight when it springs forward (2027-09-05 00:00 → 01:00).
    expect(reminderTimes('2027-09-04', 'America/Santiago', 24).due_soon).toEqual(
      new Date('2027-09-04T04:00:00Z'),
    );
  });
});

const ctx = setupTestContext();
let app: FastifyInstance;
const bosses: ReturnType<typeof createBoss>[] = [];

beforeAll(async () => {
  app = await ctx.buildApp({ AUTH_AUTO_VERIFY: 'true' });
});

afterAll(async () => {
  await Promise.all(bosses.map((boss) => boss.stop({ graceful: false, wait: true })));
});

async function drain(name: string, handle: FeedHandler): Promise<void> {
  const [target] = await ctx.deps.db.$queryRawUnsafe<{ tx: string; id: bigint }[]>(
    'SELECT tx_id::text AS tx, id FROM activity ORDER BY tx_id DESC, id DESC LIMIT 1',
  );
  const deadline = Date.now() + 30_000;
  for (;;) {
    while ((await consumeFeed(ctx.deps.db, name, handle)) > 0) {
      // batch after batch
    }
    if (!target) return;
    const [done] = await ctx.deps.db.$queryRawUnsafe<{ done: boolean }[]>(
      `SELECT (tx_id, activity_id) >= ($1::xid8, $2::bigint) AS done
         FROM activity_consumers WHERE name = $3`,
      target.tx,
      target.id,
      name,
    );
    if (done?.done) return;
    if (Date.now() > deadline) throw new Error('the feed did not catch up');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const schedule = () => drain('reminders', createRemindersHandler(ctx.deps.db));

interface JobRow {
  id: string;
  key: string;
  state: string;
  start_after: Date;
  data: { dueDate: string; kind: string; fireAt: string };
}

async function jobsOf(taskId: string): Promise<JobRow[]> {
  return ctx.deps.db.$queryRawUnsafe<JobRow[]>(
    `SELECT id::text, singleton_key AS key, state::text, start_after, data FROM pgboss.job
      WHERE name = $1 AND singleton_key LIKE $2 ORDER BY created_on, singleton_key`,
    REMINDER_QUEUE,
    `${taskId}:%`,
  );
}

async function remindersOf(taskId: string) {
  return ctx.deps.db.activity.findMany({
    where: { taskId, type: { in: ['task_due_soon', 'task_overdue'] } },
    orderBy: { id: 'asc' },
  });
}

function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('due reminders', () => {
  it('schedules both reminders in the PIC zone and fires each once with two workers', async () => {
    const fixture = await createBoard(app, ctx);
    const pic = await createSignedInUser(app, ctx);
    await addMember(app, fixture, pic, 'member');
    await ctx.deps.db.profile.upsert({
      where: { userId: pic.id },
      create: { userId: pic.id, timeZone: 'Asia/Seoul' },
      update: { timeZone: 'Asia/Seoul' },
    });
    // Ensure the queue exists before the consumer sends into it.
    for (let index = 0; index < 2; index += 1) {
      const boss = createBoss({ connectionString: ctx.env.DATABASE_URL as string });
      bosses.push(boss);
      await boss.start();
      await registerReminderJobs({ boss, db: ctx.deps.db });
    }
    const dueDate = inDays(10);
    const task = await createTask(app, fixture, { picId: pic.id, dueDate });
    await schedule();

    const jobs = await jobsOf(task.id);
    expect(jobs.map((job) => [job.key, job.state])).toEqual([
      [`${task.id}:${dueDate}:due_soon`, 'created'],
      [`${task.id}:${dueDate}:overdue`, 'created'],
    ]);
    const times = reminderTimes(dueDate, 'Asia/Seoul', 24);
    const byKind = Object.fromEntries(jobs.map((job) => [job.data.kind, job]));
    expect(byKind.due_soon?.start_after).toEqual(times.due_soon);
    expect(byKind.overdue?.start_after).toEqual(times.overdue);
    expect(await remindersOf(task.id)).toEqual([]);

    // Time passes: both jobs fall due now; two workers poll the queue.
    await ctx.deps.db.$executeRawUnsafe(
      `UPDATE pgboss.job SET start_after = now() WHERE name = $1 AND singleton_key LIKE $2`,
      REMINDER_QUEUE,
      `${task.id}:%`,
    );
    await eventually(async () => (await jobsOf(task.id)).every((job) => job.state === 'completed'));
    const fired = await remindersOf(task.id);
    expect(fired.map((row) => [row.type, row.actorId, row.changes])).toEqual(
      expect.arrayContaining([
        ['task_due_soon', null, { dueDate }],
        ['task_overdue', null, { dueDate }],
      ]),
    );
    expect(fired).toHaveLength(2);

    // A job run twice (a retry, a second worker) never writes a second row.
    const again = await fireReminder(ctx.deps.db, {
      taskId: task.id,
      dueDate,
      kind: 'overdue',
      fireAt: times.overdue.toISOString(),
    });
    expect(again).toBe(false);
    expect(await remindersOf(task.id)).toHaveLength(2);

    // Rescheduling after firing does not fire the same reminder again.
    await schedule();
    expect((await jobsOf(task.id)).filter((job) => job.state === 'created')).toEqual([]);

    // The notification follows the activity row.
    await drain('notifications', createNotificationsHandler({ emailWindowMs: 120_000 }));
    const notifications = await ctx.deps.db.notification.findMany({
      where: { userId: pic.id, taskId: task.id, type: { in: ['task_due_soon', 'task_overdue'] } },
    });
    expect(notifications.map((row) => row.type).sort()).toEqual(['task_due_soon', 'task_overdue']);
  });

  it('reschedules when the due date moves; the old date never fires', async () => {
    const fixture = await createBoard(app, ctx);
    const oldDate = inDays(5);
    const newDate = inDays(8);
    const task = await createTask(app, fixture, { dueDate: oldDate });
    await schedule();
    const patched = await call(
      app,
      fixture.supervisor,
      'PATCH',
      `/api/tasks/${task.id}`,
      { dueDate: newDate },
      { 'if-match': `"${task.version}"` },
    );
    expect(patched.statusCode, patched.body).toBe(200);
    await schedule();
    const jobs = await jobsOf(task.id);
    expect(jobs.filter((job) => job.state === 'created').map((job) => job.key)).toEqual([
      `${task.id}:${newDate}:due_soon`,
      `${task.id}:${newDate}:overdue`,
    ]);
    expect(jobs.filter((job) => job.data.dueDate === oldDate).map((job) => job.state)).toEqual([
      'cancelled',
      'cancelled',
    ]);
    // An old job that was already running when the date moved is a no-op.
    const stale = await fireReminder(ctx.deps.db, {
      taskId: task.id,
      dueDate: oldDate,
      kind: 'due_soon',
      fireAt: new Date().toISOString(),
    });
    expect(stale).toBe(false);
    expect(await remindersOf(task.id)).toEqual([]);
  });

  it('cancels when the task is done or archived, and schedules again when it reopens', async () => {
    const fixture = await createBoard(app, ctx);
    const dueDate = inDays(4);
    const done = fixture.columns.find((column) => column.isDone);
    if (!done) throw new Error('no done column');
    const finished = await createTask(app, fixture, { dueDate });
    const archived = await createTask(app, fixture, { dueDate });
    await schedule();

    const moved = await call(app, fixture.supervisor, 'POST', `/api/tasks/${finished.id}/move`, {
      columnId: done.id,
    });
    expect(moved.statusCode, moved.body).toBe(200);
    const archive = await call(
      app,
      fixture.supervisor,
      'PATCH',
      `/api/tasks/${archived.id}`,
      { archived: true },
      { 'if-match': `"${archived.version}"` },
    );
    expect(archive.statusCode, archive.body).toBe(200);
    await schedule();
    for (const task of [finished, archived]) {
      expect((await jobsOf(task.id)).map((job) => job.state)).toEqual(['cancelled', 'cancelled']);
      const fired = await fireReminder(ctx.deps.db, {
        taskId: task.id,
        dueDate,
        kind: 'due_soon',
        fireAt: new Date().toISOString(),
      });
      expect(fired).toBe(false);
    }

    const reopened = await call(app, fixture.supervisor, 'POST', `/api/tasks/${finished.id}/move`, {
      columnId: fixture.columns[0]?.id,
    });
    expect(reopened.statusCode, reopened.body).toBe(200);
    await schedule();
    expect(
      (await jobsOf(finished.id)).filter((job) => job.state === 'created').map((job) => job.key),
    ).toEqual([`${finished.id}:${dueDate}:due_soon`, `${finished.id}:${dueDate}:overdue`]);
    expect(await remindersOf(finished.id)).toEqual([]);
  });

  it('lets supervisors change due soon hours, refusing bad input, and moves waiting jobs', async () => {
    const fixture = await createBoard(app, ctx);
    const member = await createSignedInUser(app, ctx);
    await addMember(app, fixture, member, 'member');
    const dueDate = inDays(6);
    const task = await createTask(app, fixture, { dueDate });
    await schedule();
    const url = `/api/boards/${fixture.board.id}/reminder-settings`;
    expect((await call(app, member, 'GET', url)).json()).toEqual({ dueSoonHours: 24 });

    for (const body of [{ dueSoonHours: 0 }, { dueSoonHours: 400 }, { dueSoonHours: 'x' }, {}]) {
      const bad = await call(app, fixture.supervisor, 'PUT', url, body);
      expect(bad.statusCode, bad.body).toBe(400);
      expect(bad.headers['content-type']).toContain('application/problem+json');
    }
    const forbidden = await call(app, member, 'PUT', url, { dueSoonHours: 48 });
    expect(forbidden.statusCode).toBe(403);
    expect(
      await ctx.deps.db.boardReminderSetting.count({ where: { boardId: fixture.board.id } }),
    ).toBe(0);

    const saved = await call(app, fixture.supervisor, 'PUT', url, { dueSoonHours: 48 });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toEqual({ dueSoonHours: 48 });
    expect((await call(app, member, 'GET', url)).json()).toEqual({ dueSoonHours: 48 });
    const waiting = (await jobsOf(task.id)).filter((job) => job.state === 'created');
    const times = reminderTimes(dueDate, 'UTC', 48);
    expect(
      Object.fromEntries(waiting.map((job) => [job.data.kind, job.start_after.toISOString()])),
    ).toEqual({
      due_soon: times.due_soon.toISOString(),
      overdue: times.overdue.toISOString(),
    });
  });
});
