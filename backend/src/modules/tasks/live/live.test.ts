import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignedInUser, type SignedInUser } from '../../../../test/support/auth.js';
import { setupTestContext, uniqueId } from '../../../../test/support/context.js';
import { type OpenStream, openStream } from '../../../../test/support/sse.js';
import {
  addMember,
  type BoardFixture,
  call,
  createBoard,
  createTask,
} from '../../../../test/support/tasks.js';
import { notifyUser } from '../../../lib/user-events.js';
import { PASSWORD_AUTHENTICATION, userClaims } from '../../auth/access-claims.js';

const ctx = setupTestContext();
/** Two "replicas": two apps on one database, each with its own feed reader and listeners. */
let replica1: FastifyInstance;
let replica2: FastifyInstance;
let url1: string;
let fixture: BoardFixture;
const streams: OpenStream[] = [];

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  return `http://127.0.0.1:${address.port}`;
}

beforeAll(async () => {
  replica1 = await ctx.buildApp({ AUTH_AUTO_VERIFY: 'true', TASKS_EVENTS_MAX_PER_USER: '3' });
  replica2 = await ctx.buildApp({ AUTH_AUTO_VERIFY: 'true' });
  url1 = await listen(replica1);
  fixture = await createBoard(replica2, ctx);
});

afterAll(() => {
  for (const stream of streams) stream.close();
});

async function boardStream(
  as: SignedInUser,
  options: { lastEventId?: string; base?: string; boardId?: string } = {},
): Promise<OpenStream> {
  const stream = await openStream(
    `${options.base ?? url1}/api/boards/${options.boardId ?? fixture.board.id}/events`,
    {
      ...as.headers,
      ...(options.lastEventId ? { 'last-event-id': options.lastEventId } : {}),
    },
  );
  streams.push(stream);
  return stream;
}

async function rename(taskId: string, title: string, as = fixture.supervisor): Promise<void> {
  const current = await call(replica2, as, 'GET', `/api/tasks/${taskId}`);
  const changed = await call(
    replica2,
    as,
    'PATCH',
    `/api/tasks/${taskId}`,
    { title },
    {
      'if-match': current.headers.etag as string,
    },
  );
  expect(changed.statusCode, changed.body).toBe(200);
}

async function member(role: 'member' | 'viewer' | 'supervisor'): Promise<SignedInUser> {
  const user = await createSignedInUser(replica2, ctx);
  await addMember(replica2, fixture, user, role);
  return user;
}

const eventsOfType = (stream: OpenStream, type: string) =>
  stream.events.filter((event) => event.event === type);

async function waitUntil(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('board event stream across replicas', () => {
  it('serves text/event-stream unbuffered, and a change made through replica 2 reaches a client of replica 1', async () => {
    const stream = await boardStream(fixture.supervisor);
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(stream.headers.get('x-accel-buffering')).toBe('no');
    expect(stream.headers.get('content-encoding')).toBeNull();
    const ready = await stream.waitFor((event) => event.event === 'ready');
    expect(ready.id).toMatch(/^[0-9]+$/);

    const changedAt = performance.now();
    const task = await createTask(replica2, fixture, { title: 'Seen live' });
    const created = await stream.waitFor(
      (event) =>
        event.event === 'task_created' && (event.data as { taskId: string }).taskId === task.id,
    );
    const delayMs = created.receivedAt - changedAt;
    console.info(`live delivery across replicas: ${delayMs.toFixed(1)} ms (incl. the API call)`);
    expect(delayMs).toBeLessThan(2000);
    expect(created.data).toMatchObject({
      boardId: fixture.board.id,
      taskId: task.id,
      taskVersion: task.version,
      actorId: fixture.supervisor.id,
      type: 'task_created',
    });
    expect(Object.keys(created.data as object)).not.toContain('requestId');
    expect(BigInt(created.id ?? '0')).toBeGreaterThan(BigInt(ready.id ?? '0'));
    stream.close();
  });

  it('resumes with Last-Event-ID: exactly the missed events, in order, then live, with no duplicate', async () => {
    const task = await createTask(replica2, fixture, { title: 'Resume me' });
    const first = await boardStream(fixture.supervisor);
    await rename(task.id, 'Before the drop');
    const seen = await first.waitFor((event) => event.event === 'task_updated');
    first.close();
    await first.ended();

    for (const title of ['One', 'Two', 'Three']) await rename(task.id, title);
    const resumed = await boardStream(fixture.supervisor, { lastEventId: seen.id });
    await waitUntil(() => eventsOfType(resumed, 'task_updated').length >= 3);
    await rename(task.id, 'Live again');
    await waitUntil(() => eventsOfType(resumed, 'task_updated').length >= 4);
    await new Promise((resolve) => setTimeout(resolve, 300));

    const titles = eventsOfType(resumed, 'task_updated').map(
      (event) => (event.data as { changes: { title: { after: string } } }).changes.title.after,
    );
    expect(titles).toEqual(['One', 'Two', 'Three', 'Live again']);
    expect(resumed.events.map((event) => event.event)).not.toContain('ready');
    const ids = resumed.events.map((event) => BigInt(event.id ?? '0'));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => id > BigInt(seen.id ?? '0'))).toBe(true);
    resumed.close();
  });

  it('answers reset for an unknown id and for more missed events than the replay window', async () => {
    const small = await ctx.buildApp({ AUTH_AUTO_VERIFY: 'true', TASKS_EVENTS_REPLAY_LIMIT: '2' });
    const base = await listen(small);
    const task = await createTask(replica2, fixture, { title: 'Window' });
    const first = await boardStream(fixture.supervisor, { base });
    await rename(task.id, 'Start');
    const seen = await first.waitFor((event) => event.event === 'task_updated');
    first.close();
    for (const title of ['A', 'B', 'C']) await rename(task.id, title);

    const beyond = await boardStream(fixture.supervisor, { base, lastEventId: seen.id });
    const reset = await beyond.waitFor((event) => event.event === 'reset');
    expect(reset.id).toMatch(/^[0-9]+$/);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(eventsOfType(beyond, 'task_updated')).toEqual([]);
    // The reset's id is the board's position: resuming from it replays nothing stale.
    await rename(task.id, 'After reset');
    const next = await beyond.waitFor((event) => event.event === 'task_updated');
    expect((next.data as { changes: { title: { after: string } } }).changes.title.after).toBe(
      'After reset',
    );
    beyond.close();

    for (const unknown of ['999999999999', 'not-a-number']) {
      const stream = await boardStream(fixture.supervisor, { base, lastEventId: unknown });
      await stream.waitFor((event) => event.event === 'reset');
      stream.close();
    }
  });
});

describe('who receives what', () => {
  it('gives a viewer invitation events without the invited address, and supervisors the address', async () => {
    const viewer = await member('viewer');
    const viewing = await boardStream(viewer);
    const supervising = await boardStream(fixture.supervisor);
    await viewing.waitFor((event) => event.event === 'ready');
    await supervising.waitFor((event) => event.event === 'ready');
    const email = `${uniqueId('invited')}@example.test`;
    const invited = await call(
      replica2,
      fixture.supervisor,
      'POST',
      `/api/boards/${fixture.board.id}/invitations`,
      { email, role: 'member' },
    );
    expect(invited.statusCode, invited.body).toBe(201);

    const forSupervisor = await supervising.waitFor((event) => event.event === 'invitation_sent');
    const forViewer = await viewing.waitFor((event) => event.event === 'invitation_sent');
    expect(forSupervisor.data).toMatchObject({ changes: { email } });
    expect(forViewer.id).toBe(forSupervisor.id);
    expect(JSON.stringify(forViewer.data)).not.toContain(email);
    expect(forViewer.data).toMatchObject({ changes: { invitationId: invited.json().id } });
    viewing.close();
    supervising.close();
  });

  it("serialises an event once per role, yet every stream gets its own role's view, whatever the order", async () => {
    const viewer = await member('viewer');
    const plain = await member('member');
    // Roles interleaved, a supervisor first: a view built for one role must not reach another.
    const order = [fixture.supervisor, viewer, plain, fixture.supervisor, viewer, plain];
    const opened = await Promise.all(order.map((as) => boardStream(as)));
    await Promise.all(opened.map((stream) => stream.waitFor((event) => event.event === 'ready')));
    const email = `${uniqueId('interleaved')}@example.test`;
    const invited = await call(
      replica2,
      fixture.supervisor,
      'POST',
      `/api/boards/${fixture.board.id}/invitations`,
      { email, role: 'viewer' },
    );
    expect(invited.statusCode, invited.body).toBe(201);
    const received = await Promise.all(
      opened.map((stream) => stream.waitFor((event) => event.event === 'invitation_sent')),
    );
    const sawEmail = received.map((event) => JSON.stringify(event.data).includes(email));
    expect(sawEmail).toEqual([true, false, false, true, false, false]);
    expect(new Set(received.map((event) => event.id)).size).toBe(1);

    // The viewer promoted to supervisor sees the address of the next invitation.
    const promoted = await call(
      replica2,
      fixture.supervisor,
      'PATCH',
      `/api/boards/${fixture.board.id}/members/${viewer.id}`,
      { role: 'supervisor' },
    );
    expect(promoted.statusCode, promoted.body).toBe(200);
    const second = `${uniqueId('promoted')}@example.test`;
    const again = await call(
      replica2,
      fixture.supervisor,
      'POST',
      `/api/boards/${fixture.board.id}/invitations`,
      { email: second, role: 'viewer' },
    );
    expect(again.statusCode, again.body).toBe(201);
    const next = await Promise.all(
      opened.map((stream) =>
        stream.waitFor(
          (event) =>
            event.event === 'invitation_sent' &&
            (event.data as { changes: { invitationId?: string } }).changes.invitationId ===
              again.json().id,
        ),
      ),
    );
    expect(next.map((event) => JSON.stringify(event.data).includes(second))).toEqual([
      true,
      true,
      false,
      true,
      true,
      false,
    ]);
    for (const stream of opened) stream.close();
  });

  it("ends a removed member's stream at once; nothing reaches them after, and they cannot reconnect", async () => {
    const removed = await member('member');
    const stream = await boardStream(removed);
    await stream.waitFor((event) => event.event === 'ready');
    const gone = await call(
      replica2,
      fixture.supervisor,
      'DELETE',
      `/api/boards/${fixture.board.id}/members/${removed.id}`,
    );
    expect(gone.statusCode, gone.body).toBe(204);
    await stream.ended(3000);
    const countAtEnd = stream.events.length;
    await createTask(replica2, fixture, { title: 'After removal' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(stream.events.length).toBe(countAtEnd);
    expect(stream.events.map((event) => event.event)).not.toContain('member_removed');

    const again = await boardStream(removed);
    expect(again.status).toBe(404);
    expect(again.headers.get('content-type')).toMatch(/application\/problem\+json/);
  });

  it("ends a revoked session's streams (board and personal) at once, on every replica", async () => {
    const user = await member('member');
    const board = await boardStream(user);
    const mine = await openStream(`${url1}/api/me/events`, user.headers);
    streams.push(mine);
    await board.waitFor((event) => event.event === 'ready');
    await mine.waitFor((event) => event.event === 'ready');
    // Signed out through the other replica: this one hears it over LISTEN/NOTIFY.
    const out = await call(replica2, user, 'POST', '/api/auth/sign-out');
    expect(out.statusCode, out.body).toBe(200);
    await board.ended(3000);
    await mine.ended(3000);
    const again = await boardStream(user);
    expect(again.status).toBe(401);
  });

  it('ends a stream when its access token expires', async () => {
    const user = await member('member');
    const token = replica1.jwt.sign(
      {
        ...userClaims(
          { id: user.id, roles: ['member'], sessionId: user.sessionId },
          { ...PASSWORD_AUTHENTICATION, methods: ['pwd'], at: new Date() },
        ),
      },
      { expiresIn: 2 },
    );
    const stream = await openStream(`${url1}/api/boards/${fixture.board.id}/events`, {
      authorization: `Bearer ${token}`,
    });
    streams.push(stream);
    expect(stream.status).toBe(200);
    const openedAt = Date.now();
    await stream.ended(5000);
    expect(Date.now() - openedAt).toBeLessThan(3500);
  });
});

describe('personal stream, limits and clean-up', () => {
  it('relays notifyUser events to the user, and only to them', async () => {
    const user = await createSignedInUser(replica2, ctx);
    const other = await createSignedInUser(replica2, ctx);
    const mine = await openStream(`${url1}/api/me/events`, user.headers);
    const theirs = await openStream(`${url1}/api/me/events`, other.headers);
    streams.push(mine, theirs);
    await mine.waitFor((event) => event.event === 'ready');
    await theirs.waitFor((event) => event.event === 'ready');
    await ctx.deps.db.$transaction(async (tx) => notifyUser(tx, user.id, 'notification', 'n-1'));
    const event = await mine.waitFor((received) => received.event === 'notification');
    expect(event.data).toEqual({ id: 'n-1' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(eventsOfType(theirs, 'notification')).toEqual([]);
    // Rolled back: never sent.
    await ctx.deps.db
      .$transaction(async (tx) => {
        await notifyUser(tx, user.id, 'notification', 'n-2');
        throw new Error('roll back');
      })
      .catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(eventsOfType(mine, 'notification').map((e) => e.data)).toEqual([{ id: 'n-1' }]);
    mine.close();
    theirs.close();
  });

  it('refuses streams past the per-user cap with 429 problem+json, and leaves nothing behind on close', async () => {
    const user = await member('member');
    const open = [
      await boardStream(user),
      await boardStream(user),
      await openStream(`${url1}/api/me/events`, user.headers),
    ];
    streams.push(...open);
    for (const stream of open) expect(stream.status).toBe(200);
    const refused = await boardStream(user);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(refused.body).toMatchObject({ status: 429, code: 'event_streams_limit' });
    const refusedMine = await openStream(`${url1}/api/me/events`, user.headers);
    expect(refusedMine.status).toBe(429);

    for (const stream of open) stream.close();
    for (const stream of streams) stream.close();
    await waitUntil(() => replica1.liveHub.stats().streams === 0);
    expect(replica1.liveHub.stats()).toEqual({ boards: 0, users: 0, streams: 0, cachedBoards: 0 });
    const metrics = await replica1.metrics.getSingleMetricAsString('homeport_live_connections');
    expect(metrics).toMatch(/homeport_live_connections\{stream="board"\} 0/);
    expect(metrics).toMatch(/homeport_live_connections\{stream="user"\} 0/);
    const sent = await replica1.metrics.getSingleMetricAsString('homeport_live_events_sent_total');
    expect(sent).toMatch(/homeport_live_events_sent_total\{stream="board"\} [1-9]/);
  });

  it('sends heartbeat comments and refuses a stream without a token or for a board one cannot see', async () => {
    const fast = await ctx.buildApp({
      AUTH_AUTO_VERIFY: 'true',
      TASKS_EVENTS_HEARTBEAT_SECONDS: '1',
    });
    const base = await listen(fast);
    const stream = await boardStream(fixture.supervisor, { base });
    await waitUntil(() => stream.comments.includes('heartbeat'), 3000);
    stream.close();

    const anonymous = await openStream(`${url1}/api/boards/${fixture.board.id}/events`, {});
    expect(anonymous.status).toBe(401);
    const outsider = await createSignedInUser(replica2, ctx);
    const refused = await boardStream(outsider);
    expect(refused.status).toBe(404);
    expect(refused.body).toMatchObject({ code: 'board_not_found' });
    const malformed = await openStream(
      `${url1}/api/boards/not-a-uuid/events`,
      fixture.supervisor.headers,
    );
    expect(malformed.status).toBe(400);
    await waitUntil(() => fast.liveHub.stats().streams === 0);
    await waitUntil(() => replica1.liveHub.stats().streams === 0);
  });
});
