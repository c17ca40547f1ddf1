import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignedInUser } from '../../../test/support/auth.js';
import { setupTestContext } from '../../../test/support/context.js';
import {
  addMember,
  type BoardFixture,
  call,
  createBoard,
  createTask,
} from '../../../test/support/tasks.js';
import type { Config } from '../../config.js';
import { consumeFeed } from '../tasks/feed.js';
import { WEBHOOKS_CONSUMER, writeDeliveries } from './consumer.js';
import { senderOptionsOf, startWebhookDelivery } from './jobs.js';
import { createWebhookSender, nextAttemptAt } from './sender.js';
import { createSecretBox } from './signing.js';
import { isPublicAddress } from './target-guard.js';

const ctx = setupTestContext();
const ENCRYPTION_KEY = 'test-webhooks-encryption-key-0123456789abcdef';
const quietLog = pino({ level: 'silent' });
let app: FastifyInstance;
let guarded: FastifyInstance;
let config: Config;
let fixture: BoardFixture;
let receiver: Server;
let base: string;

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}
const received: Received[] = [];
/** Answers per path, consumed in order; then 200. `hang` never answers. */
const answers = new Map<string, (number | 'hang' | 'redirect')[]>();

/** The verification snippet of docs/tasks.md ("Webhooks"), as a receiver writes it. */
function verify(secret: string, headers: IncomingHttpHeaders, body: string): boolean {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = String(headers['webhook-signature'] ?? '').split(' ');
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return signatures.includes(`v1,${expected}`);
}

beforeAll(async () => {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      received.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString() });
      const answer = answers.get(path)?.shift() ?? 200;
      if (answer === 'hang') return;
      if (answer === 'redirect') {
        response.writeHead(302, { location: `${base}/redirected` }).end();
        return;
      }
      response
        .writeHead(answer, { 'content-type': 'text/plain' })
        .end(`answer ${answer} ${'x'.repeat(3000)}`);
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  const env = {
    AUTH_AUTO_VERIFY: 'true',
    WEBHOOKS_ENCRYPTION_KEY: ENCRYPTION_KEY,
    WEBHOOKS_ALLOW_PRIVATE_TARGETS: 'true',
    WEBHOOKS_RETRY_BASE_SECONDS: '1',
    WEBHOOKS_RESPONSE_TIMEOUT_MS: '400',
  };
  app = await ctx.buildApp(env);
  guarded = await ctx.buildApp({ ...env, WEBHOOKS_ALLOW_PRIVATE_TARGETS: 'false' });
  config = { ...ctx.config, ...senderConfig() };
  fixture = await createBoard(app, ctx);
});

afterAll(async () => {
  receiver?.close();
});

function senderConfig() {
  return {
    WEBHOOKS_ENCRYPTION_KEY: ENCRYPTION_KEY,
    WEBHOOKS_ALLOW_PRIVATE_TARGETS: true,
    WEBHOOKS_RETRY_BASE_SECONDS: 1,
    WEBHOOKS_RESPONSE_TIMEOUT_MS: 400,
  };
}

function sender(overrides: { allowPrivateTargets?: boolean } = {}) {
  return createWebhookSender({
    db: ctx.deps.db,
    box: createSecretBox(ENCRYPTION_KEY),
    log: quietLog,
    ...senderOptionsOf(config),
    ...overrides,
  });
}

const handle = async (...args: Parameters<typeof writeDeliveries>) => {
  await writeDeliveries(...args);
};

/** The worker's two steps, run by hand: the feed consumer, then one sender pass. */
async function deliverNow({
  sendNothing = false,
  ...options
}: {
  allowPrivateTargets?: boolean;
  sendNothing?: boolean;
} = {}): Promise<void> {
  // A transaction still open anywhere holds the feed back for a moment: read until the
  // consumer has passed the newest row.
  const newest = await ctx.deps.db.activity.aggregate({ _max: { id: true } });
  const deadline = Date.now() + 5000;
  for (;;) {
    await consumeFeed(ctx.deps.db, WEBHOOKS_CONSUMER, handle);
    const position = await ctx.deps.db.activityConsumer.findUnique({
      where: { name: WEBHOOKS_CONSUMER },
    });
    if ((position?.activityId ?? 0n) >= (newest._max.id ?? 0n) || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  if (!sendNothing) await sender(options).sendDue();
}

let pathCounter = 0;
async function registerEndpoint(eventTypes: string[] = ['*']) {
  pathCounter += 1;
  const path = `/hook-${pathCounter}`;
  const created = await call(
    app,
    fixture.supervisor,
    'POST',
    `/api/boards/${fixture.board.id}/webhooks`,
    {
      url: `${base}${path}`,
      eventTypes,
    },
  );
  expect(created.statusCode, created.body).toBe(201);
  const { webhook, secret } = created.json();
  return { id: webhook.id as string, secret: secret as string, path };
}

const hits = (path: string) => received.filter((entry) => entry.path === path);

async function deliveries(webhookId: string) {
  const listed = await call(
    app,
    fixture.supervisor,
    'GET',
    `/api/boards/${fixture.board.id}/webhooks/${webhookId}/deliveries`,
  );
  expect(listed.statusCode, listed.body).toBe(200);
  return listed.json() as {
    status: string;
    attempts: number;
    responseStatus: number | null;
    eventType: string;
    error: string | null;
    nextAttemptAt: string | null;
    responseExcerpt: string | null;
    taskId: string | null;
  }[];
}

async function addActivity(type: string, taskId: string | null = null): Promise<bigint> {
  const row = await ctx.deps.db.activity.create({
    data: { boardId: fixture.board.id, taskId, type, changes: { note: type } },
  });
  return row.id;
}

describe('webhook endpoints API', () => {
  it('registers an endpoint, shows its secret once and stores it encrypted', async () => {
    const { id, secret } = await registerEndpoint(['task_created']);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const listed = await call(
      app,
      fixture.supervisor,
      'GET',
      `/api/boards/${fixture.board.id}/webhooks`,
    );
    expect(listed.statusCode).toBe(200);
    expect(listed.body).not.toContain(secret);
    expect(listed.json().find((webhook: { id: string }) => webhook.id === id)).toMatchObject({
      eventTypes: ['task_created'],
      enabled: true,
      disabledReason: null,
    });
    const row = await ctx.deps.db.webhookEndpoint.findUniqueOrThrow({ where: { id } });
    expect(row.secretEncrypted).not.toContain(secret.slice(6));
    expect(createSecretBox(ENCRYPTION_KEY).open(row.secretEncrypted, id)).toBe(secret);
  });

  it('is for board supervisors only', async () => {
    const member = await createSignedInUser(app, ctx);
    await addMember(app, fixture, member, 'member');
    const url = `/api/boards/${fixture.board.id}/webhooks`;
    const listed = await call(app, member, 'GET', url);
    expect(listed.statusCode).toBe(403);
    expect(listed.json().code).toBe('board_supervisor_required');
    const created = await call(app, member, 'POST', url, { url: `${base}/x`, eventTypes: ['*'] });
    expect(created.statusCode).toBe(403);
    const outsider = await createSignedInUser(app, ctx);
    expect((await call(app, outsider, 'GET', url)).statusCode).toBe(404);
    expect((await call(app, undefined, 'GET', url)).statusCode).toBe(401);
  });

  it('refuses unknown event types and empty filters', async () => {
    const url = `/api/boards/${fixture.board.id}/webhooks`;
    for (const eventTypes of [[], ['task_exploded']]) {
      const created = await call(app, fixture.supervisor, 'POST', url, {
        url: `${base}/x`,
        eventTypes,
      });
      expect(created.statusCode, JSON.stringify(eventTypes)).toBe(400);
      expect(created.headers['content-type']).toContain('application/problem+json');
    }
  });

  it('refuses loopback, private, link-local, metadata and plain-http targets with the setting off', async () => {
    const url = `/api/boards/${fixture.board.id}/webhooks`;
    const before = await ctx.deps.db.webhookEndpoint.count();
    for (const target of [
      'https://127.0.0.1/hook',
      'https://10.1.2.3/hook',
      'https://169.254.169.254/latest/meta-data',
      'https://[::1]/hook',
      'https://[::ffff:127.0.0.1]/hook',
      'https://192.168.1.10/hook',
      'https://localhost/hook',
    ]) {
      const created = await call(guarded, fixture.supervisor, 'POST', url, {
        url: target,
        eventTypes: ['*'],
      });
      expect(created.statusCode, target).toBe(422);
      expect(created.json().code, target).toBe('webhook_url_private');
    }
    const http = await call(guarded, fixture.supervisor, 'POST', url, {
      url: 'http://93.184.215.14/hook',
      eventTypes: ['*'],
    });
    expect(http.json().code).toBe('webhook_url_not_https');
    const credentials = await call(guarded, fixture.supervisor, 'POST', url, {
      url: 'https://user:pw@93.184.215.14/hook',
      eventTypes: ['*'],
    });
    expect(credentials.json().code).toBe('webhook_url_credentials');
    expect(await ctx.deps.db.webhookEndpoint.count()).toBe(before);
  });

  it('classifies addresses', () => {
    for (const address of [
      '127.0.0.1',
      '10.0.0.1',
      '172.16.5.4',
      '192.168.0.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '::1',
      '::',
      'fe80::1',
      'fd00:ec2::254',
      'ff02::1',
      '::ffff:10.0.0.1',
      '::ffff:7f00:1',
    ]) {
      expect(isPublicAddress(address), address).toBe(false);
    }
    for (const address of ['93.184.215.14', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8']) {
      expect(isPublicAddress(address), address).toBe(true);
    }
  });
});

describe('webhook deliveries', () => {
  it('delivers matching events signed with the documented scheme, and skips others', async () => {
    const all = await registerEndpoint(['*']);
    const moves = await registerEndpoint(['task_moved']);
    const task = await createTask(app, fixture);
    await deliverNow();
    const [hit] = hits(all.path);
    expect(hit).toBeDefined();
    if (!hit) return;
    expect(verify(all.secret, hit.headers, hit.body)).toBe(true);
    expect(verify(moves.secret, hit.headers, hit.body)).toBe(false);
    expect(verify(all.secret, hit.headers, `${hit.body} `)).toBe(false);
    expect(Math.abs(Number(hit.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(30);
    expect(JSON.parse(hit.body)).toMatchObject({
      type: 'task_created',
      board: { id: fixture.board.id, key: fixture.board.key },
      task: { id: task.id, version: 1 },
      actorId: fixture.supervisor.id,
    });
    expect(hits(moves.path)).toHaveLength(0);
    const [delivery] = await deliveries(all.id);
    expect(delivery).toMatchObject({ status: 'succeeded', attempts: 1, responseStatus: 200 });
    expect(delivery?.responseExcerpt?.length).toBe(1024);
    expect(hit.headers['webhook-id']).toBe(
      (await ctx.deps.db.webhookDelivery.findFirstOrThrow({ where: { endpointId: all.id } })).id,
    );
    await call(
      app,
      fixture.supervisor,
      'DELETE',
      `/api/boards/${fixture.board.id}/webhooks/${all.id}`,
    );
    await call(
      app,
      fixture.supervisor,
      'DELETE',
      `/api/boards/${fixture.board.id}/webhooks/${moves.id}`,
    );
  });

  it('retries a 500 with exponential backoff and jitter, then succeeds', async () => {
    const endpoint = await registerEndpoint(['comment_added']);
    answers.set(endpoint.path, [500]);
    await addActivity('comment_added');
    const started = Date.now();
    await deliverNow();
    let [delivery] = await deliveries(endpoint.id);
    expect(delivery).toMatchObject({ status: 'pending', attempts: 1, responseStatus: 500 });
    const wait = new Date(delivery?.nextAttemptAt ?? 0).getTime() - started;
    expect(wait).toBeGreaterThanOrEqual(400);
    expect(wait).toBeLessThanOrEqual(1500);
    await deliverNow();
    expect(hits(endpoint.path)).toHaveLength(1); // not due yet
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, wait) + 100));
    await deliverNow();
    [delivery] = await deliveries(endpoint.id);
    expect(delivery).toMatchObject({ status: 'succeeded', attempts: 2, responseStatus: 200 });
    expect(hits(endpoint.path)).toHaveLength(2);
    // The same message id on every attempt, so receivers can deduplicate.
    expect(hits(endpoint.path)[0]?.headers['webhook-id']).toBe(
      hits(endpoint.path)[1]?.headers['webhook-id'],
    );
  });

  it('doubles the delay per attempt and dead-letters after the retry window', () => {
    const created = new Date('2026-12-01T00:00:00Z');
    const options = { retryBaseMs: 30_000, retryWindowMs: 24 * 3600_000 };
    const delay = (attempts: number, random: number) =>
      (nextAttemptAt(attempts, created, created, options, () => random)?.getTime() ?? 0) -
      created.getTime();
    expect(delay(1, 0)).toBe(15_000);
    expect(delay(1, 1)).toBe(30_000);
    expect(delay(3, 1)).toBe(120_000);
    expect(delay(20, 1)).toBe(3600_000);
    const late = new Date(created.getTime() + 23.9 * 3600_000);
    expect(nextAttemptAt(20, created, late, options, () => 1)).toBeNull();
  });

  it('dead-letters a delivery still failing after the window', async () => {
    const endpoint = await registerEndpoint(['label_created']);
    answers.set(endpoint.path, [503]);
    await addActivity('label_created');
    await deliverNow({ sendNothing: true });
    await ctx.deps.db.webhookDelivery.updateMany({
      where: { endpointId: endpoint.id },
      data: { createdAt: new Date(Date.now() - 25 * 3600_000) },
    });
    await deliverNow();
    const [delivery] = await deliveries(endpoint.id);
    expect(delivery).toMatchObject({
      status: 'failed',
      attempts: 1,
      responseStatus: 503,
      nextAttemptAt: null,
    });
  });

  it('does not retry a 410, disables the endpoint, and resumes after re-enabling', async () => {
    const endpoint = await registerEndpoint(['column_created']);
    answers.set(endpoint.path, [410]);
    await addActivity('column_created');
    await deliverNow();
    const [gone] = await deliveries(endpoint.id);
    expect(gone).toMatchObject({ status: 'failed', attempts: 1, responseStatus: 410 });
    const listed = await call(
      app,
      fixture.supervisor,
      'GET',
      `/api/boards/${fixture.board.id}/webhooks`,
    );
    expect(
      listed.json().find((webhook: { id: string }) => webhook.id === endpoint.id),
    ).toMatchObject({
      enabled: false,
      disabledReason: 'gone',
    });
    await addActivity('column_created');
    await deliverNow();
    expect(hits(endpoint.path)).toHaveLength(1);
    const enabled = await call(
      app,
      fixture.supervisor,
      'PATCH',
      `/api/boards/${fixture.board.id}/webhooks/${endpoint.id}`,
      {
        enabled: true,
      },
    );
    expect(enabled.json()).toMatchObject({ enabled: true, disabledReason: null });
    await deliverNow();
    expect(hits(endpoint.path)).toHaveLength(2);
    expect((await deliveries(endpoint.id))[0]).toMatchObject({ status: 'succeeded' });
  });

  it('keeps order per task: a later event waits for the earlier one, other tasks do not', async () => {
    const endpoint = await registerEndpoint(['task_updated']);
    const first = await createTask(app, fixture);
    const second = await createTask(app, fixture);
    answers.set(endpoint.path, [500]);
    const earlier = await addActivity('task_updated', first.id);
    const later = await addActivity('task_updated', first.id);
    const elsewhere = await addActivity('task_updated', second.id);
    await deliverNow();
    const ids = () => hits(endpoint.path).map((hit) => JSON.parse(hit.body).id);
    // The first failed; the later one of the same task waits, the other task's goes out.
    expect(ids()).toEqual([String(earlier), String(elsewhere)]);
    await ctx.deps.db.webhookDelivery.updateMany({
      where: { endpointId: endpoint.id, status: 'pending' },
      data: { nextAttemptAt: new Date() },
    });
    await deliverNow();
    expect(ids()).toEqual([String(earlier), String(elsewhere), String(earlier), String(later)]);
  });

  it('times out a receiver that does not answer, and does not follow redirects', async () => {
    const slow = await registerEndpoint(['label_deleted']);
    const redirecting = await registerEndpoint(['label_deleted']);
    answers.set(slow.path, ['hang']);
    answers.set(redirecting.path, ['redirect']);
    await addActivity('label_deleted');
    const started = Date.now();
    await deliverNow();
    expect(Date.now() - started).toBeLessThan(3000);
    expect((await deliveries(slow.id))[0]).toMatchObject({
      status: 'pending',
      responseStatus: null,
      error: 'no answer within 400 ms',
    });
    expect((await deliveries(redirecting.id))[0]).toMatchObject({
      status: 'pending',
      responseStatus: 302,
    });
    expect(hits('/redirected')).toHaveLength(0);
  });

  it('checks the target again at delivery time, after resolving it', async () => {
    const endpoint = await registerEndpoint(['member_added']);
    await addActivity('member_added');
    await deliverNow({ allowPrivateTargets: false });
    expect(hits(endpoint.path)).toHaveLength(0);
    expect((await deliveries(endpoint.id))[0]).toMatchObject({
      status: 'pending',
      // The loopback receiver speaks http: refused before its address is even looked at.
      error: 'refused target: webhook_url_not_https',
    });
  });

  it('sends both signatures during a rotation, and a test event on request', async () => {
    const endpoint = await registerEndpoint(['board_updated']);
    const rotated = await call(
      app,
      fixture.supervisor,
      'POST',
      `/api/boards/${fixture.board.id}/webhooks/${endpoint.id}/rotate-secret`,
    );
    expect(rotated.statusCode, rotated.body).toBe(200);
    const { secret, webhook } = rotated.json();
    expect(secret).not.toBe(endpoint.secret);
    expect(new Date(webhook.previousSecretExpiresAt).getTime()).toBeGreaterThan(
      Date.now() + 23 * 3600_000,
    );
    const test = await call(
      app,
      fixture.supervisor,
      'POST',
      `/api/boards/${fixture.board.id}/webhooks/${endpoint.id}/test`,
    );
    expect(test.statusCode, test.body).toBe(202);
    expect(test.json()).toMatchObject({ eventType: 'webhook.test', status: 'pending' });
    await deliverNow();
    const [hit] = hits(endpoint.path);
    expect(JSON.parse(hit?.body ?? '{}')).toMatchObject({ type: 'webhook.test', task: null });
    expect(String(hit?.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(hit && verify(secret, hit.headers, hit.body)).toBe(true);
    expect(hit && verify(endpoint.secret, hit.headers, hit.body)).toBe(true);
    // After the overlap only the new secret signs.
    await ctx.deps.db.webhookEndpoint.update({
      where: { id: endpoint.id },
      data: { previousSecretExpiresAt: new Date(Date.now() - 1000) },
    });
    await call(
      app,
      fixture.supervisor,
      'POST',
      `/api/boards/${fixture.board.id}/webhooks/${endpoint.id}/test`,
    );
    await deliverNow();
    const last = hits(endpoint.path)[1];
    expect(last && verify(secret, last.headers, last.body)).toBe(true);
    expect(last && verify(endpoint.secret, last.headers, last.body)).toBe(false);
  });

  it('runs in the worker: consumer and sender woken by commits', async () => {
    const endpoint = await registerEndpoint(['checklist_item_added']);
    const stop = startWebhookDelivery(
      { db: ctx.deps.db, config, log: quietLog },
      { pollIntervalMs: 60_000 },
    );
    try {
      await addActivity('checklist_item_added');
      const deadline = Date.now() + 10_000;
      while (hits(endpoint.path).length === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(hits(endpoint.path)).toHaveLength(1);
    } finally {
      await stop();
    }
  });

  it('reports deliveries by status as a metric', async () => {
    const text = await app.metrics.metrics();
    const value = (status: string) =>
      Number(new RegExp(`webhook_deliveries\\{status="${status}"\\} (\\d+)`).exec(text)?.[1]);
    // The gauge is read from the table at scrape time: each status says what the table holds
    // (whatever the tests before left there), and the earlier tests left some of each outcome.
    for (const status of ['pending', 'succeeded', 'failed']) {
      const count = await ctx.deps.db.webhookDelivery.count({ where: { status } });
      expect(value(status) || 0, status).toBe(count);
    }
    expect(value('succeeded')).toBeGreaterThanOrEqual(1);
    expect(value('failed')).toBeGreaterThanOrEqual(2);
  });

  it('answers 503 when webhooks are not configured', async () => {
    const off = await ctx.buildApp({ AUTH_AUTO_VERIFY: 'true' });
    const listed = await call(
      off,
      fixture.supervisor,
      'GET',
      `/api/boards/${fixture.board.id}/webhooks`,
    );
    expect(listed.statusCode).toBe(503);
    expect(listed.json().code).toBe('webhooks_disabled');
  });
});
