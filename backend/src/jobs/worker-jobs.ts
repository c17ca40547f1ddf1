import type PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import type { Storage } from '../lib/storage.js';
import { registerAuthJobs } from '../modules/auth/jobs.js';
import { registerFilesJobs } from '../modules/files/jobs.js';
import { startMailDelivery } from '../modules/mail/jobs.js';
import { registerMailJobs } from '../modules/mail/retention.js';
import {
  registerNotificationJobs,
  startNotificationsConsumer,
} from '../modules/notifications/jobs.js';
import {
  registerReminderJobs,
  startRemindersConsumer,
} from '../modules/notifications/reminders.js';
import { registerTasksJobs } from '../modules/tasks/jobs.js';
import { startWebhookDelivery } from '../modules/webhooks/jobs.js';
import { ensureQueue } from './boss.js';
import { HEARTBEAT_CRON, HEARTBEAT_QUEUE, recordHeartbeat, tickOf } from './heartbeat.js';
import type { WorkerMetrics } from './worker-metrics.js';

export interface JobContext {
  boss: PgBoss;
  db: Database;
  workerId: string;
  /** Finished outbox rows are deleted after this many days. */
  mailRetentionDays: number;
  /** The S3 clients; the files jobs are registered only when given. */
  storage?: Storage;
  /** The notification email job is registered only when given (it signs unsubscribe links). */
  config?: Config;
  /** Where jobs log what they did (reminder lag, for one). */
  log?: Logger;
  /** What the jobs count and measure (served on WORKER_METRICS_PORT). */
  metrics?: WorkerMetrics;
}

/**
 * Every queue, schedule and handler the worker runs, in one place. A module with background work
 * adds one `register…Jobs(context)` call here.
 */
export async function registerJobs(context: JobContext): Promise<void> {
  const { boss, db, workerId } = context;
  await ensureQueue(boss, HEARTBEAT_QUEUE, { retryLimit: 0 });
  await boss.schedule(HEARTBEAT_QUEUE, HEARTBEAT_CRON, {}, { tz: 'UTC' });
  await boss.work(HEARTBEAT_QUEUE, { includeMetadata: true }, async ([job]) => {
    if (job) await recordHeartbeat(db, workerId, tickOf(job.createdOn));
  });
  await registerAuthJobs({ boss, db });
  await registerMailJobs({ boss, db, retentionDays: context.mailRetentionDays });
  await registerTasksJobs({ boss, db });
  if (context.storage) await registerFilesJobs({ boss, db, storage: context.storage });
  const { metrics } = context;
  if (context.config) {
    await registerNotificationJobs({
      boss,
      db,
      config: context.config,
      ...(metrics ? { registry: metrics.registry } : {}),
    });
  }
  await registerReminderJobs({
    boss,
    db,
    ...(context.log ? { log: context.log } : {}),
    ...(metrics ? { metrics } : {}),
  });
}

export interface LoopContext {
  db: Database;
  config: Config;
  log: Logger;
  metrics?: WorkerMetrics;
}

/**
 * Long-running loops that are not pg-boss queues (the email outbox sender, woken by
 * LISTEN/NOTIFY). Returns one function that stops them all, letting in-flight work finish.
 */
export function startWorkerLoops(context: LoopContext): () => Promise<void> {
  const stops = [
    startMailDelivery(context),
    startNotificationsConsumer(context),
    startWebhookDelivery(context),
    startRemindersConsumer(context),
  ];
  return async () => {
    await Promise.allSettled(stops.map((stop) => stop()));
  };
}
