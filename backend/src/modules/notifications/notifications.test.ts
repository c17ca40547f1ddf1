import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createSignedInUser, type SignedInUser } from '../../../test/support/auth.js';
import { setupTestContext } from '../../../test/support/context.js';
import { deliverPendingMail } from '../../../test/support/mail.js';
import {
  addMember,
  type BoardFixture,
  call,
  createBoard,
  createTask,
} from '../../../test/support/tasks.js';
import { createMailer } from '../../lib/mailer.js';
import { consumeFeed } from '../tasks/feed.js';
import { notificationEmailsFor } from './jobs.js';
import { createNotificationsHandler } from './recipients.js';

// Each test signs several people up through the real API (password hashing) on a shared machine.
vi.setConfig({ testTimeout: 120_000 });

const ctx = setupTestContext();
const WINDOW_MS = 120_000;
const handle = createNotificationsHandler({ emailWindowMs: WINDOW_MS });
let app: FastifyInstance;

/**
 * Runs the notifications consumer, as the worker would, until it has read every activity row
 * committed so far. (The feed holds rows back while any older transaction of the server is open,
 * so one pass may stop short.)
 */
async function drain(): Promise<void> {
  const [target] = await ctx.deps.db.$queryRawUnsafe<{ tx: string; id: bigint }[]>(
    'SELECT tx_id::text AS tx, id FROM activity ORDER BY tx_id DESC, id DESC LIMIT 1',
  );
  const deadline = Date.now() + 30_000;
  for (;;) {
    while ((await consumeFeed(ctx.deps.db, 'notifications', handle)) > 0) {
      // batch after batch
    }
    if (!target) return;
    const [done] = await ctx.deps.db.$queryRawUnsafe<{ done: boolean }[]>(
      `SELECT (tx_id, activity_id) >= ($1::xid8, $2::bigint) AS done
         FROM activity_consumers WHERE name = 'notifications'`,
      target.tx,
      target.id,
    );
    if (done?.done) return;
    if (Date.now() > deadline) throw new Error('the feed did not catch up');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function header(message: { Headers: Record<string, string[]> }, name: string): string[] {
  const key = Object.keys(message.Headers).find(
    (each) => each.toLowerCase() === name.toLowerCase(),
  );
  return key ? (message.Headers[key] ?? []) : [];
}

const emails = () => notificationEmailsFor(ctx.deps.db, ctx.config);
const later = (ms: number) => new Date(Date.now() + ms);
const outboxOf = (user: SignedInUser) =>
  ctx.deps.db.mailOutbox.count({ where: { userId: user.id } });

async function categoriesOf(user: SignedInUser, taskId: string) {
  const rows = await ctx.deps.db.notification.findMany({
    where: { userId: user.id, taskId },
    orderBy: { createdAt: 'asc' },
  });
  return rows.map((row) => `${row.type}:${row.category}`);
}

async function team(fixture: BoardFixture, count: number): Promise<SignedInUser[]> {
  const users: SignedInUser[] = [];
  for (let index = 0; index < count; index += 1) {
    const user = await createSignedInUser(app, ctx);
    await addMember(app, fixture, user, 'member');
    users.push(user);
  }
  return users;
}

beforeAll(async () => {
  app = await ctx.buildApp({ AUTH_AUTO_VERIFY: 'true' });
});

describe('who hears what', () => {
  it('tells the PIC and assignees they were assigned, never the actor', async () => {
    const fixture = await createBoard(app, ctx);
    const [pic, assignee, bystander] = await team(fixture, 3);
    if (!pic || !assignee || !bystander) throw new Error('team');
    const task = await createTask(app, fixture, {
      picId: pic.id,
      assigneeIds: [assignee.id, fixture.supervisor.id],
    });
    await drain();
    expect(await categoriesOf(pic, task.id)).toEqual(['task_created:assigned']);
    expect(await categoriesOf(assignee, task.id)).toEqual(['task_created:assigned']);
    expect(await categoriesOf(fixture.supervisor, task.id)).toEqual([]);
    expect(await categoriesOf(bystander, task.id)).toEqual([]);
  });

  it('tells task and board watchers, mentioned people, and supervisors of a move into done', async () => {
    const fixture = await createBoard(app, ctx);
    const [taskWatcher, boardWatcher, mentioned, author, other] = await team(fixture, 5);
    if (!taskWatcher || !boardWatcher || !mentioned || !author || !other) throw new Error('team');
    const task = await createTask(app, fixture, { picId: author.id });
    await drain();
    expect((await call(app, taskWatcher, 'PUT', `/api/tasks/${task.id}/watch`)).json()).toEqual({
      watching: true,
    });
    expect((await call(app, taskWatcher, 'GET', `/api/tasks/${task.id}/watch`)).json()).toEqual({
      watching: true,
    });
    expect((await call(app, other, 'GET', `/api/tasks/${task.id}/watch`)).json()).toEqual({
      watching: false,
    });
    const watchBoard = await call(
      app,
      boardWatcher,
      'PUT',
      `/api/boards/${fixture.board.id}/watch`,
    );
    expect(watchBoard.statusCode, watchBoard.body).toBe(200);
    await drain();

    const mentionName = mentioned.email.split('@')[0];
    const comment = await call(app, author, 'POST', `/api/tasks/${task.id}/comments`, {
      content: `@${mentionName} please look`,
    });
    expect(comment.statusCode, comment.body).toBe(201);
    const done = fixture.columns.find((column) => column.isDone);
    if (!done) throw new Error('the board has no done column');
    const moved = await call(app, author, 'POST', `/api/tasks/${task.id}/move`, {
      columnId: done.id,
    });
    expect(moved.statusCode, moved.body).toBe(200);
    await drain();

    expect(await categoriesOf(taskWatcher, task.id)).toEqual([
      'comment_added:comment',
      'task_moved:status',
    ]);
    expect(await categoriesOf(boardWatcher, task.id)).toEqual([
      'comment_added:comment',
      'task_moved:status',
    ]);
    expect(await categoriesOf(mentioned, task.id)).toEqual(['comment_added:mentioned']);
    expect(await categoriesOf(fixture.supervisor, task.id)).toEqual(['task_moved:status']);
    // The author (made PIC by the supervisor) acted both times: nothing more for them; nothing
    // for someone who is not involved.
    expect(await categoriesOf(author, task.id)).toEqual(['task_created:assigned']);
    expect(await categoriesOf(other, task.id)).toEqual([]);

    expect((await call(app, taskWatcher, 'DELETE', `/api/tasks/${task.id}/watch`)).json()).toEqual({
      watching: false,
    });
  });

  it('skips people no longer on the board, and refuses watching a board you are not on', async () => {
    const fixture = await createBoard(app, ctx);
    const [leaving] = await team(fixture, 1);
    if (!leaving) throw new Error('team');
    const task = await createTask(app, fixture, { picId: leaving.id });
    await drain();
    const removed = await call(
      app,
      fixture.supervisor,
      'DELETE',
      `/api/boards/${fixture.board.id}/members/${leaving.id}`,
    );
    expect(removed.statusCode, removed.body).toBeLessThan(300);
    await call(
      app,
      fixture.supervisor,
      'PATCH',
      `/api/tasks/${task.id}`,
      { title: 'Renamed' },
      {
        'if-match': `"${task.version}"`,
      },
    );
    await drain();
    expect(await categoriesOf(leaving, task.id)).toEqual(['task_created:assigned']);
    const refused = await call(app, leaving, 'PUT', `/api/boards/${fixture.board.id}/watch`);
    expect(refused.statusCode).toBe(404);
    expect(await ctx.deps.db.boardWatcher.count({ where: { userId: leaving.id } })).toBe(0);
  });
});

describe('preferences', () => {
  it('answers the defaults, refuses a bad time zone without saving, and saves a good one', async () => {
    const user = await createSignedInUser(app, ctx);
    const defaults = await call(app, user, 'GET', '/api/me/notification-preferences');
    expect(defaults.statusCode).toBe(200);
    const body = defaults.json();
    expect(body).toMatchObject({
      dailyDigestHour: 8,
      mutedBoardIds: [],
      timeZone: 'UTC',
      events: { assigned: { inApp: true, email: true, timing: 'immediate' } },
    });
    const bad = await call(app, user, 'PUT', '/api/me/notification-preferences', {
      ...body,
      timeZone: 'Mars/Olympus_Mons',
      dailyDigestHour: 6,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual([
      { field: '/body/timeZone', message: 'is not an IANA time zone name' },
    ]);
    const extra = await call(app, user, 'PUT', '/api/me/notification-preferences', {
      ...body,
      events: { ...body.events, bogus: { inApp: true, email: true, timing: 'immediate' } },
    });
    expect(extra.statusCode).toBe(400);
    expect(await ctx.deps.db.notificationPreference.count({ where: { userId: user.id } })).toBe(0);

    const saved = await call(app, user, 'PUT', '/api/me/notification-preferences', {
      ...body,
      timeZone: 'Asia/Seoul',
      dailyDigestHour: 6,
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ timeZone: 'Asia/Seoul', dailyDigestHour: 6 });
    const profile = await ctx.deps.db.profile.findUnique({ where: { userId: user.id } });
    expect(profile?.timeZone).toBe('Asia/Seoul');
  });

  it('honours off, in-app only, digest timing and a muted board', async () => {
    const fixture = await createBoard(app, ctx);
    const otherBoard = await createBoard(app, ctx, fixture.supervisor);
    const [user] = await team(fixture, 1);
    if (!user) throw new Error('team');
    await addMember(app, otherBoard, user, 'member');
    const current = (await call(app, user, 'GET', '/api/me/notification-preferences')).json();
    const put = await call(app, user, 'PUT', '/api/me/notification-preferences', {
      ...current,
      events: {
        ...current.events,
        assigned: { inApp: true, email: false, timing: 'immediate' },
        comment: { inApp: false, email: false, timing: 'immediate' },
        status: { inApp: true, email: true, timing: 'daily' },
      },
      mutedBoardIds: [otherBoard.board.id],
    });
    expect(put.statusCode, put.body).toBe(200);

    const task = await createTask(app, fixture, { picId: user.id });
    const muted = await createTask(app, otherBoard, { picId: user.id });
    await call(app, fixture.supervisor, 'POST', `/api/tasks/${task.id}/comments`, {
      content: 'hi',
    });
    await call(
      app,
      fixture.supervisor,
      'PATCH',
      `/api/tasks/${task.id}`,
      { priority: 'high' },
      {
        'if-match': `"${task.version}"`,
      },
    );
    await drain();
    const rows = await ctx.deps.db.notification.findMany({
      where: { userId: user.id },
      orderBy: { createdAt: 'asc' },
    });
    expect(rows.map((row) => [row.type, row.inApp, row.emailTiming])).toEqual([
      ['task_created', true, null],
      ['task_updated', true, 'daily'],
    ]);
    expect(rows.some((row) => row.taskId === muted.id)).toBe(false);
    // Daily at 08:00 UTC (the default hour in the default zone).
    const due = rows[1]?.emailDueAt;
    expect(due?.getUTCHours()).toBe(8);
    expect(due?.getUTCMinutes()).toBe(0);
  });
});

describe('the notification centre API', () => {
  it('lists, filters unread, counts, marks one and all read, and keeps to its owner', async () => {
    const fixture = await createBoard(app, ctx);
    const [user, stranger] = await team(fixture, 2);
    if (!user || !stranger) throw new Error('team');
    const first = await createTask(app, fixture, { picId: user.id, title: 'First' });
    await createTask(app, fixture, { picId: user.id, title: 'Second' });
    await createTask(app, fixture, { picId: user.id, title: 'Third' });
    await drain();

    expect((await call(app, user, 'GET', '/api/me/notifications/unread-count')).json()).toEqual({
      unread: 3,
    });
    const page = await call(app, user, 'GET', '/api/me/notifications?limit=2');
    expect(page.statusCode, page.body).toBe(200);
    const { items, nextCursor } = page.json();
    expect(items.map((item: { taskTitle: string }) => item.taskTitle)).toEqual(['Third', 'Second']);
    expect(items[0]).toMatchObject({
      category: 'assigned',
      boardKey: fixture.board.key,
      read: false,
      link: `/boards/${fixture.board.key}/tasks/3`,
    });
    const rest = await call(app, user, 'GET', `/api/me/notifications?limit=2&cursor=${nextCursor}`);
    expect(rest.json().items.map((item: { taskTitle: string }) => item.taskTitle)).toEqual([
      'First',
    ]);
    expect(rest.json().nextCursor).toBeNull();
    expect((await call(app, user, 'GET', '/api/me/notifications?cursor=bogus')).statusCode).toBe(
      400,
    );

    const firstId = rest.json().items[0].id;
    expect(
      (await call(app, stranger, 'POST', `/api/me/notifications/${firstId}/read`)).statusCode,
    ).toBe(404);
    expect(
      (await call(app, user, 'POST', `/api/me/notifications/${firstId}/read`)).statusCode,
    ).toBe(204);
    const unread = (await call(app, user, 'GET', '/api/me/notifications?unread=true')).json();
    expect(unread.items.map((item: { taskTitle: string }) => item.taskTitle)).toEqual([
      'Third',
      'Second',
    ]);
    expect((await call(app, user, 'POST', '/api/me/notifications/read-all')).json()).toEqual({
      marked: 2,
    });
    expect((await call(app, user, 'GET', '/api/me/notifications/unread-count')).json()).toEqual({
      unread: 0,
    });
    expect(first.id).toBeTruthy();
  });
});

describe('notification email', () => {
  it('coalesces a burst of 10 edits into one email with a one-click unsubscribe', async () => {
    const fixture = await createBoard(app, ctx);
    const [user] = await team(fixture, 1);
    if (!user) throw new Error('team');
    const current = (await call(app, user, 'GET', '/api/me/notification-preferences')).json();
    await call(app, user, 'PUT', '/api/me/notification-preferences', {
      ...current,
      events: { ...current.events, status: { inApp: true, email: true, timing: 'immediate' } },
    });
    let task = await createTask(app, fixture, { title: 'Burst' });
    await call(app, fixture.supervisor, 'PUT', `/api/tasks/${task.id}/watch`);
    expect((await call(app, user, 'PUT', `/api/tasks/${task.id}/watch`)).statusCode).toBe(200);
    for (let edit = 1; edit <= 10; edit += 1) {
      const changed = await call(
        app,
        fixture.supervisor,
        'PATCH',
        `/api/tasks/${task.id}`,
        { title: `Burst ${edit}` },
        { 'if-match': `"${task.version}"` },
      );
      expect(changed.statusCode, changed.body).toBe(200);
      task = changed.json();
    }
    await drain();
    // Within the window nothing is sent; after it, one email for all ten.
    await emails().flush(new Date());
    expect(await outboxOf(user)).toBe(0);
    await emails().flush(later(WINDOW_MS + 1000));
    await emails().flush(later(WINDOW_MS + 2000));
    expect(await outboxOf(user)).toBe(1);
    await deliverPendingMail(ctx);
    const message = await ctx.mailbox.waitFor(user.email);
    expect(message.Subject).toBe(`${fixture.board.key}-${1} Burst 10`);
    expect(message.Text).toContain('(×10)');
    expect((await ctx.mailbox.messagesTo(user.email)).length).toBe(1);
    expect(header(message, 'List-Unsubscribe')[0] ?? '').toMatch(
      /^<http:\/\/localhost:8080\/api\/notifications\/unsubscribe\?token=/,
    );
    expect(header(message, 'List-Unsubscribe-Post')).toEqual(['List-Unsubscribe=One-Click']);
  });

  it('sends a digest grouped by board, delivered once after SMTP comes back', async () => {
    const first = await createBoard(app, ctx);
    const second = await createBoard(app, ctx, first.supervisor);
    const [user] = await team(first, 1);
    if (!user) throw new Error('team');
    await addMember(app, second, user, 'member');
    const current = (await call(app, user, 'GET', '/api/me/notification-preferences')).json();
    await call(app, user, 'PUT', '/api/me/notification-preferences', {
      ...current,
      events: { ...current.events, assigned: { inApp: true, email: true, timing: 'hourly' } },
    });
    await createTask(app, first, { picId: user.id, title: 'Alpha' });
    await createTask(app, first, { picId: user.id, title: 'Beta' });
    await createTask(app, second, { picId: user.id, title: 'Gamma' });
    await drain();
    await emails().flush(new Date());
    expect(await outboxOf(user)).toBe(0);
    await emails().flush(later(3_600_000));
    expect(await outboxOf(user)).toBe(1);

    const down = createMailer('smtp://127.0.0.1:9');
    const failed = await deliverPendingMail(ctx, { mailer: down, retryBaseMs: 1 });
    down.close();
    expect(failed.retried).toBeGreaterThanOrEqual(1);
    await ctx.deps.db.mailOutbox.updateMany({
      where: { userId: user.id, status: 'pending' },
      data: { nextAttemptAt: new Date() },
    });
    await deliverPendingMail(ctx);
    const message = await ctx.mailbox.waitFor(user.email);
    expect(message.Subject).toContain('hourly');
    const text = message.Text;
    const alpha = text.indexOf(`${first.board.key}-1 Alpha`);
    const beta = text.indexOf(`${first.board.key}-2 Beta`);
    const gamma = text.indexOf(`${second.board.key}-1 Gamma`);
    expect(alpha).toBeGreaterThan(text.indexOf(`(${first.board.key})`));
    expect(beta).toBeGreaterThan(alpha);
    expect(gamma).toBeGreaterThan(text.indexOf(`(${second.board.key})`));
    expect(text.indexOf(`(${second.board.key})`)).toBeGreaterThan(beta);
    await deliverPendingMail(ctx);
    expect((await ctx.mailbox.messagesTo(user.email)).length).toBe(1);
  });

  it('unsubscribes once, only that user and category; GET changes nothing', async () => {
    const fixture = await createBoard(app, ctx);
    const [user, other] = await team(fixture, 2);
    if (!user || !other) throw new Error('team');
    await createTask(app, fixture, { picId: user.id, assigneeIds: [other.id] });
    await drain();
    await emails().flush(later(WINDOW_MS + 1000));
    expect(await outboxOf(user)).toBe(1);
    expect(await outboxOf(other)).toBe(1);
    const row = await ctx.deps.db.mailOutbox.findFirstOrThrow({ where: { userId: user.id } });
    const headers = row.headers as Record<string, string>;
    const url = new URL((headers['List-Unsubscribe'] ?? '').slice(1, -1));
    const path = `${url.pathname}${url.search}`;

    const preview = await app.inject({ method: 'GET', url: path });
    expect(preview.statusCode).toBe(200);
    expect(preview.headers['content-type']).toContain('text/html');
    expect(preview.body).toContain('assigned to me');
    await app.inject({ method: 'GET', url: path });
    const unchanged = (await call(app, user, 'GET', '/api/me/notification-preferences')).json();
    expect(unchanged.events.assigned.email).toBe(true);

    const oneClick = await app.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.statusCode, oneClick.body).toBe(200);
    const after = (await call(app, user, 'GET', '/api/me/notification-preferences')).json();
    expect(after.events.assigned).toEqual({ inApp: true, email: false, timing: 'immediate' });
    expect(after.events.mentioned.email).toBe(true);
    const others = (await call(app, other, 'GET', '/api/me/notification-preferences')).json();
    expect(others.events.assigned.email).toBe(true);

    const again = await app.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(again.statusCode).toBe(410);
    const token = url.searchParams.get('token') ?? '';
    const forged = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    const bad = await app.inject({
      method: 'POST',
      url: `/api/notifications/unsubscribe?token=${forged}`,
    });
    expect(bad.statusCode).toBe(400);
  });
});
