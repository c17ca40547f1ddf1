import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type PgBoss from 'pg-boss';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { setupTestContext, uniqueId } from '../../test/support/context.js';
import { type BoardFixture, createBoard, createTask } from '../../test/support/tasks.js';
import { startMailDelivery } from '../modules/mail/jobs.js';
import { createOutbox } from '../modules/mail/outbox.js';
import { registerNotificationJobs } from '../modules/notifications/jobs.js';
import { REMINDER_QUEUE, registerReminderJobs } from '../modules/notifications/reminders.js';
import { startMetricsServer } from '../plugins/metrics.js';
import { createBoss } from './boss.js';
import { createWorkerMetrics, type WorkerMetrics } from './worker-metrics.js';

vi.setConfig({ testTimeout: 60_000 });

const ctx = setupTestContext();
let app: FastifyInstance;
let fixture: BoardFixture;
let boss: PgBoss;
let metrics: WorkerMetrics;
let scrapeUrl: string;
let stopServer: () => Promise<unknown>;

beforeAll(async () => {
  app = await ctx.buildApp();
  fixture = await createBoard(app, ctx);
  metrics = createWorkerMetrics(ctx.deps.db);
  const server = await startMetricsServer(metrics.registry, '127.0.0.1', 0);
  scrapeUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stopServer = () => new Promise((resolve) => server.close(resolve));
  boss = createBoss({ connectionString: ctx.config.DATABASE_URL });
  await boss.start();
  await registerReminderJobs({ boss, db: ctx.deps.db, metrics });
  await registerNotificationJobs({
    boss,
    db: ctx.deps.db,
    config: ctx.config,
    registry: metrics.registry,
  });
});

afterAll(async () => {
  await boss?.stop({ graceful: false, wait: true });
  await stopServer?.();
});

async function scrape(): Promise<string> {
  const response = await fetch(`${scrapeUrl}/metrics`);
  expect(response.status).toBe(200);
  return response.text();
}

/** The value of one sample (`name{labels} value`), or undefined when it is not exported. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('worker metrics endpoint', () => {
  it('counts an outbox email the delivery loop really sent over SMTP', async () => {
    const stop = startMailDelivery({
      db: ctx.deps.db,
      config: ctx.config,
      log: pino({ level: 'silent' }),
      metrics,
    });
    try {
      expect(sample(await scrape(), 'mail_outbox_deliveries_total{outcome="sent"}')).toBe(
        undefined,
      );
      const to = `${uniqueId('metrics')}@example.test`;
      const outbox = createOutbox({ publicUrl: ctx.config.PUBLIC_URL, from: ctx.config.MAIL_FROM });
      await ctx.deps.db.$transaction((tx) =>
        outbox.enqueue(tx, { to, template: 'account-deleted', locale: 'en', data: {} }),
      );
      await ctx.mailbox.waitFor(to, { timeoutMs: 10_000 });
      await eventually(
        async () => sample(await scrape(), 'mail_outbox_deliveries_total{outcome="sent"}') === 1,
      );
      expect(sample(await scrape(), 'mail_outbox_deliveries_total{outcome="failed"}')).toBe(
        undefined,
      );
    } finally {
      await stop();
    }
  });

  it('measures the lag of a fired reminder, and skips one that no longer applies', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const task = await createTask(app, fixture, { dueDate: today });
    const late = await createTask(app, fixture, { dueDate: today });
    // Meant to fire 40 s ago: the lag observed is at least that.
    const fireAt = new Date(Date.now() - 40_000).toISOString();
    await boss.send(REMINDER_QUEUE, { taskId: task.id, dueDate: today, kind: 'due_soon', fireAt });
    // A job for a due date the task no longer has fires nothing and is not measured.
    await boss.send(REMINDER_QUEUE, {
      taskId: late.id,
      dueDate: '2000-01-01',
      kind: 'overdue',
      fireAt,
    });
    await eventually(
      async () => sample(await scrape(), 'reminder_lag_seconds_count{kind="due_soon"}') === 1,
    );
    const text = await scrape();
    expect(sample(text, 'reminder_lag_seconds_sum{kind="due_soon"}')).toBeGreaterThanOrEqual(40);
    expect(sample(text, 'reminder_lag_seconds_bucket{le="30",kind="due_soon"}')).toBe(0);
    expect(sample(text, 'reminder_lag_seconds_bucket{le="60",kind="due_soon"}')).toBe(1);
    expect(sample(text, 'reminder_lag_seconds_count{kind="overdue"}')).toBe(undefined);
  });

  it('reports webhook deliveries by status as the table holds them, and notification emails queued', async () => {
    const { db } = ctx.deps;
    const endpoint = await db.webhookEndpoint.create({
      data: {
        id: crypto.randomUUID(),
        boardId: fixture.board.id,
        url: 'https://hooks.example.test/metrics',
        eventTypes: ['*'],
        secretEncrypted: 'not-used-by-the-gauge',
      },
    });
    const statuses = ['pending', 'pending', 'succeeded', 'failed', 'failed', 'failed'];
    await db.webhookDelivery.createMany({
      data: statuses.map((status, index) => ({
        id: crypto.randomUUID(),
        endpointId: endpoint.id,
        eventType: 'task_created',
        payload: `{"n":${index}}`,
        status,
      })),
    });
    // The gauge reads the table when scraped: exactly the rows just written (this file's own
    // database holds no others).
    const text = await scrape();
    expect(sample(text, 'webhook_deliveries{status="pending"}')).toBe(2);
    expect(sample(text, 'webhook_deliveries{status="succeeded"}')).toBe(1);
    expect(sample(text, 'webhook_deliveries{status="failed"}')).toBe(3);
    await db.webhookDelivery.updateMany({
      where: { endpointId: endpoint.id, status: 'pending' },
      data: { status: 'succeeded' },
    });
    const later = await scrape();
    expect(sample(later, 'webhook_deliveries{status="pending"}')).toBe(0);
    expect(sample(later, 'webhook_deliveries{status="succeeded"}')).toBe(3);
    expect(later).toContain('# TYPE notification_emails_queued_total counter');
    expect(later).toContain('# TYPE process_resident_memory_bytes gauge');
  });

  it('answers 404 off /metrics', async () => {
    const response = await fetch(`${scrapeUrl}/`);
    expect(response.status).toBe(404);
  });
});
